package fr.guichet.notify;

import com.twilio.http.TwilioRestClient;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Twilio REST client. The SDK has no base-URL setting, so its HTTP client rewrites {@code https://api.twilio.com}
 * to {@code TWILIO_API_BASE_URL} (tests point it at WireMock). With no SID/token a client is still built (so beans
 * that need one start), but the outbox never calls it.
 */
@Configuration(proxyBeanMethods = false)
class TwilioConfiguration {
    private static final Logger log = LoggerFactory.getLogger(TwilioConfiguration.class);

    @Bean
    TwilioAccount twilioAccount(
            @Value("${twilio.account-sid:${app.twilio.account-sid:}}") String accountSid,
            @Value("${twilio.auth-token:${app.twilio.auth-token:}}") String authToken,
            @Value("${twilio.phone-number:${app.twilio.phone-number:}}") String phoneNumber,
            @Value("${twilio.api-base-url:${app.twilio.api-base-url:https://api.twilio.com}}") URI apiBaseUrl) {
        TwilioAccount account = new TwilioAccount(accountSid, authToken, phoneNumber, apiBaseUrl);
        if (account.canSend()) {
            log.info("Twilio: sending through {} from the configured number", apiBaseUrl);
        } else {
            log.warn("Twilio: no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN — no-credentials mode: outbound texts stay in the"
                    + " outbox marked NOT_SENT_NO_CREDENTIALS and are only logged, with the number masked");
        }
        return account;
    }

    @Bean
    TwilioRestClient twilioRestClient(
            TwilioAccount account,
            @Value("${app.twilio.connect-timeout:5s}") Duration connectTimeout,
            @Value("${app.twilio.read-timeout:10s}") Duration readTimeout) {
        String sid = account.accountSid().isEmpty() ? "AC00000000000000000000000000000000" : account.accountSid();
        String token = account.authToken().isEmpty() ? "none" : account.authToken();
        return new TwilioRestClient.Builder(sid, token)
                .httpClient(new BaseUrlHttpClient(account.apiBaseUrl(), connectTimeout, readTimeout))
                .build();
    }
}
