package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.phone.PhoneNumber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * With no Twilio SID or token nothing reaches Twilio: a reminder text stays in the outbox marked not sent, a reminder
 * call is recorded as not placed, and both are logged with the number masked.
 */
@SpringBootTest(classes = {GuichetApplication.class, ReminderServiceTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.admin-token=" + ReminderServiceTest.STAFF,
                "app.reminder.dispatch-interval=50ms",
                "app.sms.dispatch-interval=50ms",
                "app.speech.enabled=false",
        })
@ExtendWith(OutputCaptureExtension.class)
class ReminderNoCredentialsTest {
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    final HttpClient http = HttpClient.newHttpClient();

    String book(String phone, String start) throws Exception {
        clock.set(ReminderServiceTest.paris("2026-03-23T10:00"));
        HttpResponse<String> slot = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/admin/slots"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + ReminderServiceTest.STAFF)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"site":"GRENOBLE","start":"%s","durationMinutes":30,"capacity":4,"procedures":["AES_VIE_PRIVEE"]}"""
                        .formatted(ReminderServiceTest.paris(start)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(slot.statusCode()).as(slot.body()).isEqualTo(201);
        long slotId = JsonMapper.builder().build().readTree(slot.body()).get("slot").get("id").asLong();
        HttpResponse<String> booked = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/appointments"))
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Amina Diallo","birthDate":"1990-03-12","phone":"%s","language":"fr"}}"""
                        .formatted(slotId, phone))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
        return JsonMapper.builder().build().readTree(booked.body()).get("reference").asString();
    }

    @Test
    void nothingIsPlacedOrSentAndTheLogShowsOnlyMaskedNumbers(CapturedOutput output) throws Exception {
        String landline = "+33476123456";
        String mobile = "+33612349876";
        String called = book(landline, "2026-03-27T10:00");
        String texted = book(mobile, "2026-03-27T10:30");
        clock.set(ReminderServiceTest.paris("2026-03-25T10:30"));

        await().atMost(Duration.ofSeconds(15)).until(() -> "NOT_PLACED".equals(jdbc.sql(
                "SELECT status FROM reminders WHERE reference = :r AND offset_iso = 'P2D'").param("r", called).query(String.class).single()));
        assertThat(jdbc.sql("SELECT c.status FROM reminder_calls c JOIN reminders r ON r.id = c.reminder_id WHERE r.reference = :r")
                .param("r", called).query(String.class).list()).containsExactly("NOT_PLACED_NO_CREDENTIALS");
        await().atMost(Duration.ofSeconds(15)).until(() -> "NOT_SENT_NO_CREDENTIALS".equals(jdbc.sql(
                "SELECT status FROM sms_outbox WHERE purpose_key = :p").param("p", "reminder:" + texted + ":P2D").query(String.class)
                .optional().orElse("")));

        assertThat(output.getAll()).contains("reminder call", new PhoneNumber(landline).masked(), new PhoneNumber(mobile).masked())
                .doesNotContain(landline, mobile, "476123456", "612349876", "Amina", "Diallo");
    }
}
