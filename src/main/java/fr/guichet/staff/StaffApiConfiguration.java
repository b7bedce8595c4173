package fr.guichet.staff;

import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link StaffTokenFilter} in front of every path under {@code /api/v1/admin/}. */
@Configuration(proxyBeanMethods = false)
@SecurityScheme(name = "staffToken", type = SecuritySchemeType.HTTP, scheme = "bearer")
class StaffApiConfiguration {

    @Bean
    FilterRegistrationBean<StaffTokenFilter> staffTokenFilter(@Value("${app.admin-token:}") String adminToken) {
        FilterRegistrationBean<StaffTokenFilter> registration = new FilterRegistrationBean<>(new StaffTokenFilter(adminToken));
        registration.addUrlPatterns("/api/v1/admin/*");
        registration.setName("staffTokenFilter");
        return registration;
    }
}
