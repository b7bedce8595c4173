package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.Webhooks;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.AppointmentMoved;
import fr.guichet.language.LocaleFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service booking in RDV Service Public ({@code APP_BOOKING_BACKEND=rdv-service-public}), over the embedded
 * PostgreSQL and the Isère demo catalogue, with WireMock playing the backend and a clock that moves only when a test
 * moves it. Every subclass shares this one started service and WireMock.
 */
@SpringBootTest(classes = {GuichetApplication.class, RdvspServiceTest.Runtime.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.booking.backend=rdv-service-public",
                "app.rdvsp.api-key=" + RdvspStubs.KEY,
                "app.rdvsp.organisation-id=234",
                "app.rdvsp.sites[GRENOBLE].lieu-id=5",
                "app.rdvsp.sites[VIENNE].lieu-id=6",
                "app.rdvsp.motifs[AES_VIE_PRIVEE]=102",
                "app.rdvsp.motifs[PAN_AIDE_ANEF]=103",
                "app.rdvsp.motifs[SALARIE_RENOUVELLEMENT]=104",
                "app.rdvsp.timeout=2s",
                "app.rdvsp.replay-interval=100ms",
                "app.rdvsp.replay-max-delay=1s",
                "app.rdvsp.webhook-secret=" + RdvspServiceTest.WEBHOOK_SECRET,
                "app.admin-token=" + RdvspServiceTest.STAFF_TOKEN,
                "app.quiet-hours=",
                "db-scheduler.polling-interval=100ms",
                // The replay runs every 100 ms here: at JVM exit do not wait for a run caught mid-way.
                "db-scheduler.shutdown-max-wait=1s",
                "management.endpoint.health.show-components=always",
        })
abstract class RdvspServiceTest {
    static final String WEBHOOK_SECRET = "lapin-secret";
    static final String STAFF_TOKEN = "staff-secret";
    /** Wednesday 10 March 2027, 10:00 in Paris: a working day, five days before the backend's slots. */
    static final Instant START = Instant.parse("2027-03-10T09:00:00Z");
    static final Pattern REFERENCE = Pattern.compile("\\b(\\d{3} \\d{3} \\d{3})\\b");
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final WireMockServer backend = new WireMockServer(options().dynamicPort());
    private static final AtomicInteger sids = new AtomicInteger();
    private static final AtomicInteger numbers = new AtomicInteger();

    static {
        // Stopped with the JVM: every subclass shares it, like the Spring context.
        backend.start();
        // One request first: a cold WireMock can take longer than the adapter's timeout to answer its very first call.
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(backend.baseUrl() + "/__admin/mappings")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("WireMock did not start", e);
        }
    }

    @DynamicPropertySource
    static void backendUrl(DynamicPropertyRegistry registry) {
        registry.add("app.rdvsp.base-url", backend::baseUrl);
    }

    @TestConfiguration
    static class Runtime {
        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock(START);
        }

        @Bean
        Events bookingEvents() {
            return new Events();
        }
    }

    /** The booking events the service published, in order. */
    static final class Events {
        final List<Object> seen = Collections.synchronizedList(new ArrayList<>());

        @EventListener
        void booked(AppointmentBooked e) {
            seen.add(e);
        }

        @EventListener
        void cancelled(AppointmentCancelled e) {
            seen.add(e);
        }

        @EventListener
        void moved(AppointmentMoved e) {
            seen.add(e);
        }
    }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    @Autowired RdvspSlots slots;
    @Autowired LocaleFiles locales;
    @Autowired Events events;
    @Autowired Clock anyClock;
    RdvspStubs stubs;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void freshBackend() {
        backend.resetAll();
        slots.clear();
        stubs = new RdvspStubs(backend);
        // Past any Retry-After or backoff an earlier test left behind; the slots stay days ahead.
        clock.advance(Duration.ofHours(1));
        assertThat(anyClock.instant()).isEqualTo(clock.instant());
    }

    /** A fresh French mobile number per use. */
    static String freshNumber() {
        return "+3367100%04d".formatted(numbers.incrementAndGet());
    }

    // ---- SMS ------------------------------------------------------------------------------------------------------

    /** Sends one text as Twilio would (no auth token configured: loopback, unsigned) and returns the reply. */
    String text(String from, String body) {
        String sid = "SM" + "%032x".formatted(System.nanoTime() + sids.incrementAndGet());
        Map<String, String> params = new LinkedHashMap<>(Webhooks.sms(sid, from, body));
        HttpResponse<String> response = new Webhooks(port).post("/twilio/sms", params, null);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> messages = Webhooks.messages(response.body());
        if (messages.size() == 1 && messages.getFirst().equals(locales.text("fr", "sms.reply_deferred", Map.of()))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !outboxReplies(sid).isEmpty());
            messages = outboxReplies(sid);
        }
        return Webhooks.rejoined(messages);
    }

    private List<String> outboxReplies(String sid) {
        return jdbc.sql("SELECT body FROM sms_outbox WHERE purpose_key LIKE :k ORDER BY purpose_key").param("k", "reply:" + sid + "%")
                .query(String.class).list();
    }


    static String reference(String reply) {
        Matcher m = REFERENCE.matcher(reply);
        assertThat(m.find()).as("a reference in: %s", reply).isTrue();
        return m.group(1).replace(" ", "");
    }

    /** Greets, picks French, the main menu's "book", the first procedure (AES_VIE_PRIVEE) and Grenoble; name, birth date. */
    String upToTheSlots(String from, String birthDate) {
        text(from, "Bonjour");
        text(from, "1");
        text(from, "1");
        text(from, "1");
        assertThat(text(from, "1")).contains("Écrivez votre nom et votre prénom.");
        text(from, "Amina Diallo");
        return text(from, birthDate);
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------------

    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Answer call(String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) builder.header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) builder.header(headers[i], headers[i + 1]);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The free slots of the web API for AES_VIE_PRIVEE at Grenoble. */
    List<Long> slotIds() {
        Answer answer = call("GET", "/api/v1/slots?procedure=AES_VIE_PRIVEE&site=GRENOBLE", null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        for (JsonNode slot : answer.json()) ids.add(slot.path("id").asLong());
        return ids;
    }

    Answer bookOnTheWeb(String key, long slotId, String phone, String language, String birthDate) {
        String body = JSON.writeValueAsString(Map.of("slotId", slotId, "procedure", "AES_VIE_PRIVEE",
                "applicant", Map.of("name", "Olena Koval", "birthDate", birthDate, "phone", phone, "language", language)));
        return call("POST", "/api/v1/appointments", body, "Idempotency-Key", key);
    }

    // ---- database -------------------------------------------------------------------------------------------------

    record Local(String reference, long rdvId, long userId, String status, Instant start, String site, String phone, String language) {}

    Optional<Local> local(String reference) {
        return jdbc.sql("SELECT reference, rdv_id, user_id, status, start_at, site, phone, language FROM rdvsp_appointments WHERE reference = ?")
                .param(reference)
                .query((rs, n) -> new Local(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8)))
                .optional();
    }

    List<Local> localFor(String phone) {
        return jdbc.sql("SELECT reference, rdv_id, user_id, status, start_at, site, phone, language FROM rdvsp_appointments WHERE phone = ? ORDER BY created_at")
                .param(phone)
                .query((rs, n) -> new Local(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list();
    }

    String attemptState(String key) {
        return jdbc.sql("SELECT state FROM rdvsp_attempts WHERE idempotency_key = ?").param(key).query(String.class).single();
    }

    Optional<String> outboxBody(String purpose) {
        return jdbc.sql("SELECT body FROM sms_outbox WHERE purpose_key = ?").param(purpose).query(String.class).optional();
    }

    /** Moves the clock so a kept booking is due, and waits for the replay to settle it. */
    void replayDue(String key) {
        clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(20)).until(() -> !List.of("PENDING", "IN_FLIGHT").contains(attemptState(key)));
    }
}
