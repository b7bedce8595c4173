package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.guichet.GuichetApplication;
import fr.guichet.TwilioServiceTest;
import fr.guichet.Webhooks;
import fr.guichet.phone.PhoneNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The outbox across a restart of the whole service on the same data folder: nothing lost, nothing sent twice, and
 * the rows a crash leaves mid-send are sent at most once more.
 */
class OutboxRestartTest {
    static final WireMockServer twilio = new WireMockServer(options().dynamicPort());
    static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        twilio.start();
        twilio.stubFor(post(urlPathEqualTo(TwilioServiceTest.MESSAGES)).willReturn(TwilioServiceTest.created()));
        dataDir = Files.createTempDirectory("guichet-restart");
    }

    @AfterAll
    static void stop() {
        twilio.stop();
    }

    private ConfigurableApplicationContext service(String claimTimeout) {
        return new SpringApplicationBuilder(GuichetApplication.class).run(
                "--server.port=0",
                "--app.data-dir=" + dataDir,
                "--app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "--twilio.account-sid=" + TwilioServiceTest.ACCOUNT,
                "--twilio.auth-token=" + Webhooks.TOKEN,
                "--twilio.phone-number=+33757000000",
                "--twilio.api-base-url=" + twilio.baseUrl(),
                "--app.sms.rate-per-second=4",
                "--app.sms.dispatch-interval=50ms",
                "--app.sms.claim-timeout=" + claimTimeout);
    }

    private static int sentWithBody(String body) {
        // Bodies end with a marker ("…x") so that one is never a prefix of another.
        return twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES)).withRequestBody(containing("Body=" + body))).size();
    }

    private static long leftMidSend(JdbcClient jdbc, String purpose, String body, boolean alreadyRecovered) {
        return jdbc.sql("""
                INSERT INTO sms_outbox (purpose_key, to_number, body, language, status, attempts, next_attempt_at, claimed_at, recovered)
                VALUES (:p, '+33612009999', :b, 'fr', 'SENDING', 1, now(), now(), :r) RETURNING id
                """).param("p", purpose).param("b", body).param("r", alreadyRecovered).query(Long.class).single();
    }

    @Test
    void nothingIsLostAndNothingIsSentTwiceAcrossARestart() {
        ConfigurableApplicationContext first = service("10m");
        long confirmedByCallback;
        try {
            Outbox outbox = first.getBean(Outbox.class);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            for (int i = 0; i < 12; i++) {
                outbox.enqueue(new OutboundText(new PhoneNumber("+3361200%04d".formatted(i)), "restart:" + i, "Restart" + i + "x", "fr", null));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))).size() >= 3);

            // What a process killed mid-send leaves behind: claimed rows with no outcome recorded.
            leftMidSend(jdbc, "crash:once", "CrashOncex", false);
            leftMidSend(jdbc, "crash:twice", "CrashTwicex", true);
            confirmedByCallback = leftMidSend(jdbc, "crash:confirmed", "CrashConfirmedx", false);
            // Twilio had accepted that one: its status callback names the outbox row and attempt.
            int port = ((WebServerApplicationContext) first).getWebServer().getPort();
            String path = "/twilio/sms/status?outbox=" + confirmedByCallback + "&attempt=1";
            assertThat(new Webhooks(port).post(path, Map.of("MessageSid", "SMconfirmedbycallback000000000000", "MessageStatus", "sent"))
                    .statusCode()).isEqualTo(204);
        } finally {
            first.close();
        }
        int beforeRestart = twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))).size();
        assertThat(beforeRestart).isLessThan(12);

        ConfigurableApplicationContext second = service("1s");
        try {
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key LIKE 'restart:%' AND status = 'SENT'")
                        .query(Integer.class).single()).isEqualTo(12);
                assertThat(jdbc.sql("SELECT status FROM sms_outbox WHERE purpose_key = 'crash:once'").query(String.class).single())
                        .isEqualTo("SENT");
                assertThat(jdbc.sql("SELECT status FROM sms_outbox WHERE purpose_key = 'crash:twice'").query(String.class).single())
                        .isEqualTo("UNCONFIRMED");
            });
            assertThat(jdbc.sql("SELECT status || ' ' || twilio_sid FROM sms_outbox WHERE id = :id").param("id", confirmedByCallback)
                    .query(String.class).single()).isEqualTo("SENT SMconfirmedbycallback000000000000");
        } finally {
            second.close();
        }
        for (int i = 0; i < 12; i++) {
            assertThat(sentWithBody("Restart" + i + "x")).as("text %d", i).isEqualTo(1);
        }
        assertThat(sentWithBody("CrashOncex")).isEqualTo(1);
        assertThat(sentWithBody("CrashTwicex")).isZero();
        assertThat(sentWithBody("CrashConfirmedx")).isZero();
    }
}
