package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.guichet.TwilioServiceTest;
import fr.guichet.phone.PhoneNumber;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The outbox against WireMock playing Twilio's REST API, and Twilio's status callbacks over real HTTP. */
class OutboxTest extends TwilioServiceTest {
    @Autowired Outbox outbox;
    @Autowired SmsNumbers numbers;

    record Row(long id, String status, int attempts, String twilioSid, String deliveryStatus, Integer errorCode) {}

    private Row row(String purpose) {
        return jdbc.sql("SELECT id, status, attempts, twilio_sid, delivery_status, error_code FROM sms_outbox WHERE purpose_key = :p")
                .param("p", purpose).query(Row.class).single();
    }

    private static String formTo(PhoneNumber phone) {
        return "To=" + URLEncoder.encode(phone.e164(), StandardCharsets.UTF_8);
    }

    private Row sentRow(String purpose) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(purpose).status()).isEqualTo("SENT"));
        return row(purpose);
    }

    private int callback(Row row, String status, Integer errorCode) {
        String path = "/twilio/sms/status?outbox=" + row.id() + "&attempt=" + row.attempts();
        Map<String, String> params = errorCode == null
                ? Map.of("MessageSid", row.twilioSid(), "MessageStatus", status, "AccountSid", ACCOUNT)
                : Map.of("MessageSid", row.twilioSid(), "MessageStatus", status, "AccountSid", ACCOUNT, "ErrorCode", "" + errorCode);
        return webhooks.post(path, params).statusCode();
    }

    @Test
    void aTextIsSentOnceWithItsStatusCallbackAndThePurposeKeyRefusesASecond() {
        PhoneNumber to = freshNumber();
        String purpose = "convocation:" + to.e164();
        assertThat(outbox.enqueue(new OutboundText(to, purpose, "Votre rendez-vous est confirmé.", "fr", null))).isTrue();
        assertThat(outbox.enqueue(new OutboundText(to, purpose, "Votre rendez-vous est confirmé.", "fr", null))).isFalse();
        Row sent = sentRow(purpose);
        assertThat(sent.twilioSid()).startsWith("SM");
        assertThat(sent.deliveryStatus()).isEqualTo("queued");
        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))));
        assertThat(requests).hasSize(1);
        String form = requests.getFirst().getBodyAsString();
        assertThat(form).contains("From=%2B33757000000")
                .contains("StatusCallback=" + URLEncoder.encode("https://guichet.example.org/twilio/sms/status?outbox=" + sent.id() + "&attempt=1", StandardCharsets.UTF_8));
        assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key = :p").param("p", purpose).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void a500IsRetriedUntilTwilioAcceptsAndTheSdkDoesNotRetryOnItsOwn() {
        PhoneNumber to = freshNumber();
        twilio.stubFor(post(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to)))
                .inScenario("500 then ok").whenScenarioStateIs(STARTED).willSetStateTo("recovered")
                .willReturn(twilioError(500, 20500)));
        twilio.stubFor(post(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to)))
                .inScenario("500 then ok").whenScenarioStateIs("recovered").willReturn(created()));
        String purpose = "test:500:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row sent = sentRow(purpose);
        assertThat(sent.attempts()).isEqualTo(2);
        twilio.verify(2, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))));
    }

    @Test
    void aTimeoutIsRetried() {
        PhoneNumber to = freshNumber();
        twilio.stubFor(post(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to)))
                .inScenario("slow then ok").whenScenarioStateIs(STARTED).willSetStateTo("fast")
                .willReturn(created().withFixedDelay(5_000)));
        twilio.stubFor(post(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to)))
                .inScenario("slow then ok").whenScenarioStateIs("fast").willReturn(created()));
        String purpose = "test:timeout:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row sent = sentRow(purpose);
        assertThat(sent.attempts()).isEqualTo(2);
    }

    @Test
    void permanentErrorsAreNotRetriedAndTheNumberIsShownToStaff() {
        for (int code : List.of(21211, 21614)) {
            PhoneNumber to = freshNumber();
            twilio.stubFor(post(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))).willReturn(twilioError(400, code)));
            String purpose = "test:" + code + ":" + to.e164();
            outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(purpose).status()).isEqualTo("FAILED"));
            assertThat(row(purpose).errorCode()).isEqualTo(code);
            assertThat(row(purpose).attempts()).isEqualTo(1);
            assertThat(numbers.canReceiveTexts(to)).isFalse();
            // A later text to that number is not even tried.
            outbox.enqueue(new OutboundText(to, purpose + ":later", "Encore", "fr", null));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(row(purpose + ":later").status()).isEqualTo("SUPPRESSED_NOT_SMS_CAPABLE"));
            twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))));
            var staffView = webhooks.get("/api/v1/admin/sms/numbers", STAFF_TOKEN);
            assertThat(staffView.statusCode()).isEqualTo(200);
            assertThat(staffView.body()).contains("\"phone\":\"" + to.e164() + "\"").contains("\"lastErrorCode\":" + code);
        }
    }

    @Test
    void theStaffViewNeedsTheAdminToken() {
        assertThat(webhooks.get("/api/v1/admin/sms/numbers", null).statusCode()).isEqualTo(401);
        var wrong = webhooks.get("/api/v1/admin/sms/numbers", "guess");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void outOfOrderCallbacksNeverMoveAStateBackwards() {
        PhoneNumber to = freshNumber();
        String purpose = "test:order:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row sent = sentRow(purpose);
        assertThat(callback(sent, "sent", null)).isEqualTo(204);
        assertThat(callback(sent, "delivered", null)).isEqualTo(204);
        assertThat(callback(sent, "sending", null)).isEqualTo(204);
        assertThat(callback(sent, "sent", null)).isEqualTo(204);
        assertThat(row(purpose).deliveryStatus()).isEqualTo("delivered");
    }

    @Test
    void anUnsignedCallbackIsRefused() {
        var response = webhooks.post("/twilio/sms/status", Map.of("MessageSid", "SMx", "MessageStatus", "delivered"), "bad");
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void callbackError21610MarksTheNumberOptedOut() {
        PhoneNumber to = freshNumber();
        String purpose = "test:21610:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row sent = sentRow(purpose);
        callback(sent, "failed", 21610);
        assertThat(numbers.isOptedOut(to)).isTrue();
        assertThat(row(purpose).status()).isEqualTo("FAILED");
        outbox.enqueue(new OutboundText(to, purpose + ":later", "Encore", "fr", null));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(row(purpose + ":later").status()).isEqualTo("SUPPRESSED_OPTED_OUT"));
        twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))));
    }

    @Test
    void callbackError30006MarksTheNumberNotSmsCapable() {
        PhoneNumber to = freshNumber();
        String purpose = "test:30006:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row sent = sentRow(purpose);
        callback(sent, "undelivered", 30006);
        assertThat(numbers.canReceiveTexts(to)).isFalse();
        assertThat(row(purpose).status()).isEqualTo("FAILED");
        assertThat(row(purpose).errorCode()).isEqualTo(30006);
    }

    @Test
    void callbackError30003SendsTheTextAgainAsANewMessage() {
        PhoneNumber to = freshNumber();
        String purpose = "test:30003:" + to.e164();
        outbox.enqueue(new OutboundText(to, purpose, "Essai", "fr", null));
        Row first = sentRow(purpose);
        callback(first, "undelivered", 30003);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Row again = row(purpose);
            assertThat(again.status()).isEqualTo("SENT");
            assertThat(again.attempts()).isEqualTo(2);
            assertThat(again.twilioSid()).isNotEqualTo(first.twilioSid());
        });
        // A late callback for the first message changes nothing.
        callback(first, "delivered", null);
        assertThat(row(purpose).deliveryStatus()).isEqualTo("queued");
        twilio.verify(2, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(formTo(to))));
    }

    @Test
    void theRateLimitSpacesTexts() {
        String batch = "rate" + System.nanoTime();
        for (int i = 0; i < 30; i++) {
            outbox.enqueue(new OutboundText(freshNumber(), "test:" + batch + ":" + i, "Lot " + batch, "fr", null));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(batch)))).hasSize(30));
        List<Instant> times = twilio.findAll(postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing(batch)))
                .stream().map(r -> r.getLoggedDate().toInstant()).sorted(Comparator.naturalOrder()).toList();
        // 10 a second with a one-second burst: 30 texts take at least two seconds.
        assertThat(Duration.between(times.getFirst(), times.getLast())).isGreaterThanOrEqualTo(Duration.ofMillis(1800));
        for (int i = 0; i + 20 < times.size(); i++) {
            assertThat(Duration.between(times.get(i), times.get(i + 20))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }
}
