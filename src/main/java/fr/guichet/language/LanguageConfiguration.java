package fr.guichet.language;

import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class LanguageConfiguration {
    @Bean
    LocaleFiles localeFiles(@Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        return LocaleFiles.loadFromClasspath(zone);
    }
}
