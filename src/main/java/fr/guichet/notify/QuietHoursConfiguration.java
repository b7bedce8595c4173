package fr.guichet.notify;

import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QuietHoursConfiguration {
    private static final Logger log = LoggerFactory.getLogger(QuietHoursConfiguration.class);

    @Bean
    QuietHours quietHours(@Value("${app.quiet-hours:20:00-09:00}") String setting, @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        QuietHours quiet = QuietHours.parse(setting, zone);
        log.info("Quiet hours for texts and calls the service starts itself: {}", quiet);
        return quiet;
    }
}
