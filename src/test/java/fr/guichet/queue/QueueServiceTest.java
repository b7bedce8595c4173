package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.Webhooks;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Requests;
import fr.guichet.booking.Slot;
import fr.guichet.booking.StaffDesk;
import fr.guichet.phone.PhoneNumber;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole service over real HTTP and the embedded PostgreSQL, with the queue's test sites (QA… QCONC, one per test
 * class, from {@code db/queue-test}) and a clock the tests move, starting on a Monday morning. QOFFER is in
 * {@code offer} mode. No Twilio credentials: webhooks are accepted from loopback and texts stay in the outbox, where
 * the tests read them (status NOT_SENT_NO_CREDENTIALS once due). The scheduled sweep runs hourly; places are given
 * when they open or free up, as in production.
 */
@SpringBootTest(classes = {GuichetApplication.class, QueueServiceTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "spring.flyway.locations=classpath:db/migration,classpath:db/queue-test",
                "app.admin-token=" + QueueServiceTest.STAFF,
                "app.sms.inbound-per-minute=10000",
                "app.sms.reply-deadline=20s",
                "app.queue.interval=PT1H",
                "app.queue.sites.QOFFER.mode=offer",
        })
abstract class QueueServiceTest {
    static final String STAFF = "staff-secret";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Monday 1 March 2027, 09:30 in Paris: inside opening hours, outside quiet hours. */
    static final Instant START = LocalDateTime.of(2027, 3, 1, 9, 30).atZone(PARIS).toInstant();
    private static final AtomicInteger numbers = new AtomicInteger();
    private static final AtomicInteger sids = new AtomicInteger();


    @TestConfiguration
    static class Time {
        @Bean @Primary TestClock testClock() { return new TestClock(START); }
    }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    @Autowired fr.guichet.notify.SmsNumbers smsNumbers;
    @Autowired Requests requests;
    @Autowired BookingPort port_;
    @Autowired StaffDesk desk;
    @Autowired Allocator allocator;
    final HttpClient http = HttpClient.newHttpClient();

    static PhoneNumber freshMobile() {
        return new PhoneNumber("+3366%07d".formatted(numbers.incrementAndGet()));
    }

    /** A local date and time in Paris. */
    static Instant at(LocalDate day, int hour, int minute) {
        return day.atTime(hour, minute).atZone(PARIS).toInstant();
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), PARIS);
    }

    /** A demand recorded as any channel would (the web API's way: an idempotency key of its own). */
    QueuedRequest queue(String site, String procedure, PhoneNumber phone, String language, LocalDate expiry) {
        return requests.submit(new NewRequest("test:" + UUID.randomUUID(), procedure, site,
                new Applicant("Personne " + phone.e164().substring(8), LocalDate.of(1990, 3, 12), phone, language), expiry,
                BookingChannel.WEB, null));
    }

    /** One slot, opened as staff do (which publishes SlotsOpened, so the queue may serve it at once). */
    Slot open(String site, Instant start, int capacity) {
        return desk.openSlot(site, start, Duration.ofMinutes(30), capacity, List.of("AES_VIE_PRIVEE", "SALARIE_RENOUVELLEMENT",
                "RECEPISSE_RENOUVELLEMENT", "REMISE_TITRE")).orElseThrow();
    }

    BookingOutcome.Booked bookFirstCome(long slotId, PhoneNumber phone) {
        BookingOutcome outcome = port_.book(new BookingCommand("test:" + UUID.randomUUID(), slotId, "AES_VIE_PRIVEE",
                new Applicant("Client Direct", LocalDate.of(1985, 1, 1), phone, "fr"), BookingChannel.WEB, null, false));
        assertThat(outcome).isInstanceOf(BookingOutcome.Booked.class);
        return (BookingOutcome.Booked) outcome;
    }

    String status(QueuedRequest request) {
        return jdbc.sql("SELECT status FROM requests WHERE reference = :r").param("r", request.reference().value()).query(String.class).single();
    }

    String appointmentOf(QueuedRequest request) {
        return jdbc.sql("SELECT appointment FROM requests WHERE reference = :r").param("r", request.reference().value())
                .query(String.class).optional().orElse(null);
    }

    record OutboxRow(String to, String body, String language, Instant due, String status) {}

    java.util.Optional<OutboxRow> outbox(String purpose) {
        return jdbc.sql("SELECT to_number, body, language, next_attempt_at, status FROM sms_outbox WHERE purpose_key = :p")
                .param("p", purpose)
                .query((rs, n) -> new OutboxRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, java.time.OffsetDateTime.class).toInstant(), rs.getString(5)))
                .optional();
    }

    Instant slotStart(String appointmentReference) {
        return jdbc.sql("SELECT s.start_at FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.reference = :r")
                .param("r", appointmentReference)
                .query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).single();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------------

    HttpResponse<String> api(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return send(request.build());
    }

    /** Texts {@code body} from {@code from} through the SMS webhook; returns the reply's messages joined. */
    String sms(PhoneNumber from, String body) {
        return sms(from, "FR", body);
    }

    String sms(PhoneNumber from, String country, String body) {
        Map<String, String> params = new LinkedHashMap<>(Webhooks.sms("SM%032x".formatted(System.nanoTime() + sids.incrementAndGet()),
                from.e164(), body));
        params.put("FromCountry", country);
        HttpResponse<String> response = new Webhooks(port).post("/twilio/sms", params, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Webhooks.rejoined(Webhooks.messages(response.body()));
    }


    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
