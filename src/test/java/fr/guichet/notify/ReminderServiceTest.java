package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.TwilioServiceTest;
import fr.guichet.Webhooks;
import fr.guichet.phone.PhoneNumber;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service with the real conversation runtime, Twilio credentials, signed webhooks, WireMock playing
 * Twilio's REST API (Messages and Calls), and a clock the tests set: reminders are due when the clock says so, never
 * after a sleep. Bookings go through {@code POST /api/v1/appointments} or by SMS, replies through
 * {@code POST /twilio/sms}, calls through the {@code /twilio/voice/reminder-call…} webhooks. Subclasses share one
 * started service (Spring's context cache) and use fresh phone numbers, so they do not see each other's rows.
 */
@SpringBootTest(classes = {GuichetApplication.class, ReminderServiceTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "twilio.account-sid=" + TwilioServiceTest.ACCOUNT,
                "twilio.auth-token=" + Webhooks.TOKEN,
                "twilio.phone-number=+33757000000",
                "app.admin-token=" + ReminderServiceTest.STAFF,
                "app.sms.reply-deadline=20s",
                "app.sms.inbound-per-minute=10000",
                "app.sms.rate-per-second=50",
                "app.sms.dispatch-interval=50ms",
                "app.reminder.dispatch-interval=50ms",
                "app.reminder.call.retry-after=PT1H",
                "app.reminder.call.per-second=20",
                "app.speech.enabled=false",
                "app.workers.pin-iterations=1000",
        })
abstract class ReminderServiceTest {
    static final String STAFF = "reminder-staff";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final String CALLS = "/2010-04-01/Accounts/" + TwilioServiceTest.ACCOUNT + "/Calls.json";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final WireMockServer twilio = new WireMockServer(options().dynamicPort().globalTemplating(false));
    private static final AtomicInteger numbers = new AtomicInteger((int) (System.nanoTime() % 100_000));
    private static final AtomicInteger sids = new AtomicInteger();

    static {
        // Stopped with the JVM: every subclass shares it, like the Spring context.
        twilio.start();
    }

    @DynamicPropertySource
    static void twilioUrl(DynamicPropertyRegistry registry) {
        registry.add("twilio.api-base-url", twilio::baseUrl);
    }


    @TestConfiguration
    static class Time {
        @Bean @Primary TestClock testClock() { return new TestClock(paris("2026-03-23T10:00")); }
    }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    @Autowired SmsNumbers smsNumbers;
    Webhooks webhooks;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void twilioAnswers() {
        webhooks = new Webhooks(port);
        twilio.resetAll();
        twilio.stubFor(post(urlPathEqualTo(TwilioServiceTest.MESSAGES)).willReturn(TwilioServiceTest.created()));
        twilio.stubFor(post(urlPathEqualTo(CALLS)).willReturn(callCreated()));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder callCreated() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"sid\":\"CA{{randomValue length=32 type='HEXADECIMAL'}}\",\"status\":\"queued\"}");
    }

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    static String freshMobile() {
        return "+3366%07d".formatted(numbers.incrementAndGet());
    }

    /** A Grenoble landline: cannot receive texts, so it gets a reminder call. */
    static String freshLandline() {
        return "+33476%06d".formatted(numbers.incrementAndGet() % 1_000_000);
    }

    /** Moves the service's clock, once nothing is mid-send (a jump past a send's lease would count it as lost). */
    void at(Instant instant) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
                SELECT (SELECT count(*) FROM sms_outbox WHERE status = 'SENDING') + (SELECT count(*) FROM reminder_calls WHERE status = 'PLACING')
                """).query(Long.class).single() == 0);
        clock.set(instant);
    }

    void at(String parisLocal) {
        at(paris(parisLocal));
    }

    // ---- booking -------------------------------------------------------------------------------------------------

    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer api(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) request.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A slot of four places at the site and start given, opened through the staff API (or the one already there). */
    long slot(String site, Instant start) {
        Answer opened = api("POST", "/api/v1/admin/slots", """
                {"site":"%s","start":"%s","durationMinutes":30,"capacity":4,"procedures":["AES_VIE_PRIVEE"]}""".formatted(site, start),
                "Authorization", "Bearer " + STAFF);
        if (opened.status() == 201) return opened.json().get("slot").get("id").asLong();
        return jdbc.sql("SELECT id FROM slots WHERE site = :site AND start_at = :start AND procedures = ARRAY['AES_VIE_PRIVEE']")
                .param("site", site).param("start", start.atOffset(java.time.ZoneOffset.UTC)).query(Long.class).single();
    }

    /** Books through the web API; returns the nine-digit reference. */
    String book(String site, Instant start, String phone, String language) {
        long slot = slot(site, start);
        Answer booked = api("POST", "/api/v1/appointments", """
                {"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Amina Diallo","birthDate":"1990-03-12","phone":"%s","language":"%s"}}"""
                .formatted(slot, phone, language), "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        return booked.json().get("reference").asString();
    }

    Answer cancel(String reference, String phone) {
        return api("DELETE", "/api/v1/appointments/" + reference + "?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
    }

    // ---- reminders -----------------------------------------------------------------------------------------------

    record Row(long id, String offsetIso, Instant nominalAt, Instant dueAt, String status, String reason, String channel,
               String recipient, String toNumber, String language) {}

    List<Row> reminders(String reference) {
        return jdbc.sql("""
                SELECT id, offset_iso, nominal_at, due_at, status, reason, channel, recipient, to_number, language
                FROM reminders WHERE reference = :r ORDER BY nominal_at
                """).param("r", reference)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), instant(rs.getObject(3, java.time.OffsetDateTime.class)),
                        instant(rs.getObject(4, java.time.OffsetDateTime.class)), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getString(8), rs.getString(9), rs.getString(10)))
                .list();
    }

    Row reminder(String reference, String offset) {
        return reminders(reference).stream().filter(r -> r.offsetIso().equals(offset)).findFirst().orElseThrow();
    }

    private static Instant instant(java.time.OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    String outboxStatus(String purpose) {
        return jdbc.sql("SELECT status FROM sms_outbox WHERE purpose_key = :p").param("p", purpose).query(String.class).optional().orElse(null);
    }

    /**
     * The bodies Twilio received for this number, oldest first, but the convocation every booking gets (the queue's,
     * docs/queue.md): these tests book to get reminders, and count the reminders and their answers.
     */
    List<String> textsTo(String phone) {
        List<LoggedRequest> requests = twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))
                .withRequestBody(containing("To=" + URLEncoder.encode(phone, StandardCharsets.UTF_8))));
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : requests) {
            Map<String, String> sent = form(r.getBodyAsString());
            String callback = sent.getOrDefault("StatusCallback", "");
            String outboxId = callback.replaceAll(".*[?&]outbox=(\\d+).*", "$1");
            boolean convocation = outboxId.matches("\\d+") && jdbc.sql("SELECT purpose_key LIKE 'convocation:%' FROM sms_outbox WHERE id = :id")
                    .param("id", Long.parseLong(outboxId)).query(Boolean.class).optional().orElse(false);
            if (!convocation) out.add(sent.get("Body"));
        }
        return out;
    }

    /** Waits for a text to this number that contains {@code needle}, and returns it. */
    String awaitText(String phone, String needle) {
        await().atMost(Duration.ofSeconds(20)).until(() -> textsTo(phone).stream().anyMatch(t -> t.contains(needle)));
        return textsTo(phone).stream().filter(t -> t.contains(needle)).toList().getLast();
    }

    /** Waits for the first text to this number (the tests' numbers get nothing but reminders) and returns it. */
    String awaitReminderText(String phone) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !textsTo(phone).isEmpty());
        return textsTo(phone).getLast();
    }

    static List<Map<String, String>> callsTo(String phone) {
        return twilio.findAll(postRequestedFor(urlPathEqualTo(CALLS))
                        .withRequestBody(containing("To=" + URLEncoder.encode(phone, StandardCharsets.UTF_8))))
                .stream().map(r -> form(r.getBodyAsString())).toList();
    }

    static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    // ---- SMS -----------------------------------------------------------------------------------------------------

    /** Texts {@code body} from {@code from} as Twilio would (signed); returns the reply, parts joined. */
    String sms(String from, String body) {
        String sid = "SM%032x".formatted(System.nanoTime() + sids.incrementAndGet());
        HttpResponse<String> response = webhooks.post("/twilio/sms", Webhooks.sms(sid, from, body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Webhooks.rejoined(Webhooks.messages(response.body()));
    }


    static String grouped(String reference) {
        return reference.substring(0, 3) + " " + reference.substring(3, 6) + " " + reference.substring(6);
    }

    Optional<String> confirmedVia(String reference) {
        return jdbc.sql("SELECT confirmed_via FROM reminder_appointments WHERE reference = :r AND confirmed_at IS NOT NULL")
                .param("r", reference).query(String.class).optional();
    }

    String appointmentStatus(String reference) {
        return jdbc.sql("SELECT status FROM appointments WHERE reference = :r").param("r", reference).query(String.class).single();
    }

    static PhoneNumber phone(String e164) {
        return new PhoneNumber(e164);
    }
}
