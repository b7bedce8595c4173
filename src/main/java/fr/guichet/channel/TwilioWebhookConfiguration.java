package fr.guichet.channel;

import fr.guichet.notify.TwilioAccount;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts the signature check in front of every Twilio webhook (SMS today, voice too). */
@Configuration(proxyBeanMethods = false)
class TwilioWebhookConfiguration {
    @Bean
    FilterRegistrationBean<TwilioSignatureFilter> twilioSignatureFilter(
            TwilioAccount account, @Value("${app.public-base-url}") String publicBaseUrl) {
        FilterRegistrationBean<TwilioSignatureFilter> registration =
                new FilterRegistrationBean<>(new TwilioSignatureFilter(account, publicBaseUrl));
        registration.addUrlPatterns("/twilio/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
