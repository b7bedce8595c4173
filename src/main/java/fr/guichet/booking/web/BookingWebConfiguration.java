package fr.guichet.booking.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The staff gate covers the booking staff paths; the SMS and voice staff views keep their own checks. */
@Configuration(proxyBeanMethods = false)
@io.swagger.v3.oas.annotations.security.SecurityScheme(name = "staffToken",
        type = io.swagger.v3.oas.annotations.enums.SecuritySchemeType.HTTP, scheme = "bearer")
class BookingWebConfiguration implements WebMvcConfigurer {
    private final StaffGate staffGate;

    BookingWebConfiguration(StaffGate staffGate) {
        this.staffGate = staffGate;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(staffGate).addPathPatterns("/api/v1/admin/slots", "/api/v1/admin/slots/**",
                "/api/v1/admin/appointments", "/api/v1/admin/appointments/**");
    }
}
