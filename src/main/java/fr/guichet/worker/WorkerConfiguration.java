package fr.guichet.worker;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    FilterRegistrationBean<StaffTokenFilter> workerStaffTokenFilter(@Value("${app.admin-token:}") String adminToken) {
        FilterRegistrationBean<StaffTokenFilter> registration = new FilterRegistrationBean<>(new StaffTokenFilter(adminToken));
        registration.addUrlPatterns("/api/v1/admin/workers", "/api/v1/admin/workers/*");
        registration.setName("workerStaffTokenFilter");
        return registration;
    }

    @Bean
    PinHasher pinHasher(WorkerProperties properties) {
        return new PinHasher(properties.pinIterations());
    }
}
