package fr.guichet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Prefecture appointments by SMS and by phone, in the person's language. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GuichetApplication {
    public static void main(String[] args) {
        SpringApplication.run(GuichetApplication.class, args);
    }
}
