package fr.guichet;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import fr.guichet.conversation.Conversations;
import fr.guichet.phone.PhoneNumber;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The whole service with Twilio credentials, signed webhooks, and WireMock playing Twilio's REST API (one WireMock
 * and one started service for every subclass: they share Spring's context cache).
 */
@SpringBootTest(classes = {GuichetApplication.class, TwilioServiceTest.Runtime.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "twilio.account-sid=" + TwilioServiceTest.ACCOUNT,
                "twilio.auth-token=" + Webhooks.TOKEN,
                "twilio.phone-number=+33757000000",
                "app.admin-token=" + TwilioServiceTest.STAFF_TOKEN,
                "app.sms.reply-deadline=1500ms",
                "app.sms.inbound-per-minute=3",
                "app.sms.retry-base=200ms",
                "app.sms.max-attempts=4",
                "app.sms.rate-per-second=10",
                "app.sms.dispatch-interval=50ms",
                "app.twilio.read-timeout=2s",
        })
public abstract class TwilioServiceTest {
    public static final String ACCOUNT = "AC11111111111111111111111111111111";
    public static final String STAFF_TOKEN = "staff-secret";
    public static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT + "/Messages.json";
    protected static final WireMockServer twilio = new WireMockServer(options().dynamicPort());
    private static final AtomicInteger sids = new AtomicInteger();
    private static final AtomicInteger numbersUsed = new AtomicInteger(10);

    static {
        // Stopped with the JVM: every subclass shares it, like the Spring context.
        twilio.start();
    }

    @DynamicPropertySource
    static void twilioUrl(DynamicPropertyRegistry registry) {
        registry.add("twilio.api-base-url", twilio::baseUrl);
    }

    @TestConfiguration
    public static class Runtime {
        @Bean
        @Primary
        Conversations scriptedConversations(JdbcClient jdbc, TransactionTemplate tx) {
            return new ScriptedConversations(jdbc, tx);
        }
    }

    @LocalServerPort protected int port;
    @Autowired protected JdbcClient jdbc;
    protected Webhooks webhooks;

    @BeforeEach
    void resetTwilio() {
        webhooks = new Webhooks(port);
        twilio.resetAll();
        twilio.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(created()));
    }

    /** Twilio's 201 with a new message sid each time. */
    public static ResponseDefinitionBuilder created() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("{\"sid\":\"SM{{randomValue length=32 type='HEXADECIMAL'}}\",\"status\":\"queued\",\"num_segments\":\"1\",\"error_code\":null}");
    }

    /** A Twilio REST error as the API sends it. */
    public static ResponseDefinitionBuilder twilioError(int http, int code) {
        return aResponse().withStatus(http).withHeader("Content-Type", "application/json")
                .withBody("{\"code\":" + code + ",\"message\":\"error " + code + "\",\"more_info\":\"https://www.twilio.com/docs/errors/"
                        + code + "\",\"status\":" + http + "}");
    }

    /** A fresh French mobile number per use, so tests do not see each other's rows. */
    public static PhoneNumber freshNumber() {
        return new PhoneNumber("+3361234%04d".formatted(numbersUsed.incrementAndGet()));
    }

    public static String freshSid() {
        return "SM" + "%032x".formatted(System.nanoTime() + sids.incrementAndGet());
    }

    protected String outboxStatus(String purpose) {
        return jdbc.sql("SELECT status FROM sms_outbox WHERE purpose_key = :p").param("p", purpose).query(String.class).single();
    }
}
