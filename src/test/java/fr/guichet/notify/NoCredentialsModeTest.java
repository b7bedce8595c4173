package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.GuichetTest;
import fr.guichet.Webhooks;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A bare machine: no Twilio SID/token. Nothing is sent; webhooks are accepted from loopback only. */
@GuichetTest
class NoCredentialsModeTest {
    @Autowired Outbox outbox;
    @Autowired JdbcClient jdbc;
    @LocalServerPort int port;

    @Test
    void outboundTextsStayInTheOutboxMarkedNotSent() {
        PhoneNumber to = new PhoneNumber("+33612000001");
        assertThat(outbox.enqueue(new OutboundText(to, "test:no-credentials", "Bonjour", "fr", null))).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                jdbc.sql("SELECT status FROM sms_outbox WHERE purpose_key = 'test:no-credentials'").query(String.class).single())
                .isEqualTo("NOT_SENT_NO_CREDENTIALS"));
    }

    @Test
    void unsignedWebhooksFromLoopbackAreAccepted() {
        var response = new Webhooks(port).post("/twilio/sms/status", Map.of("MessageSid", "SMunknown", "MessageStatus", "delivered"), null);
        assertThat(response.statusCode()).isEqualTo(204);
    }

    @Test
    void theStaffApiIsClosedWithoutAnAdminToken() {
        assertThat(new Webhooks(port).get("/api/v1/admin/sms/numbers", "anything").statusCode()).isEqualTo(403);
    }
}
