package fr.guichet.worker;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    PinHasher pinHasher(WorkerProperties properties) {
        return new PinHasher(properties.pinIterations());
    }
}
