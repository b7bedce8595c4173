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
    static {
        // The SDK's TwiML.toXml() asks for a new DocumentBuilderFactory and TransformerFactory on every answer; without
        // these properties each request makes JAXP scan every jar for META-INF/services, which was 7 % of the CPU of
        // a webhook under load. Naming the JDK's own implementations (the ones the scan ends up with) skips the scan.
        defaultTo("javax.xml.parsers.DocumentBuilderFactory", "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl");
        defaultTo("javax.xml.transform.TransformerFactory", "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl");
    }

    private static void defaultTo(String property, String implementation) {
        if (System.getProperty(property) == null) System.setProperty(property, implementation);
    }

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
