package fr.guichet;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Prefecture appointments by SMS and by phone, in the person's language. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GuichetApplication {
    public static void main(String[] args) {
        SpringApplication.run(GuichetApplication.class, args);
    }

    /** The one source of time; tests replace it with a fixed clock. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
