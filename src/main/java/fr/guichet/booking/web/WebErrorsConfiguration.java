package fr.guichet.booking.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat's own error answers as problems ({@link ProblemReportValve}). */
@Configuration(proxyBeanMethods = false)
class WebErrorsConfiguration {

    @Bean
    TomcatContextCustomizer problemReportValve() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) host.setErrorReportValveClass(ProblemReportValve.class.getName());
        };
    }
}
