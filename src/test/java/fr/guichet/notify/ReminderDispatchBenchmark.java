package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.TwilioServiceTest;
import fr.guichet.Webhooks;
import fr.guichet.booking.Reference;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * 100,000 reminders due at the same minute (09:00 on a weekday: every reminder that waited out the night) dispatched
 * through the outbox at 500 texts/s to WireMock playing Twilio's Messages API over real HTTP. Counts what Twilio
 * received per number (duplicates must be 0, lost must be 0), the time from 09:00 until the last one was accepted,
 * and memory (peak heap used, RSS). Figures go to {@code target/reminder-dispatch-benchmark.txt} and, by hand, to
 * BENCHMARKS.md.
 */
@Tag("benchmark")
@SpringBootTest(classes = {GuichetApplication.class, ReminderServiceTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "twilio.account-sid=" + TwilioServiceTest.ACCOUNT,
                "twilio.auth-token=" + Webhooks.TOKEN,
                "twilio.phone-number=+33757000000",
                "app.sms.rate-per-second=${benchmark.rate:500}",
                "app.sms.sender-threads=${benchmark.sender-threads:64}",
                "app.sms.dispatch-interval=100ms",
                "app.reminder.dispatch-interval=100ms",
                "app.speech.enabled=false",
                "app.demo-data=true",
        })
class ReminderDispatchBenchmark {
    static final int REMINDERS = Integer.getInteger("benchmark.reminders", 100_000);
    static final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    static final AtomicLong lastAccepted = new AtomicLong();

    /** Counts every message Twilio accepted, by destination number, without keeping the requests in memory. */
    static final class Counter implements ServeEventListener {
        @Override
        public void afterComplete(ServeEvent event, Parameters parameters) {
            String body = event.getRequest().getBodyAsString();
            for (String pair : body.split("&")) {
                if (pair.startsWith("To=")) {
                    received.computeIfAbsent(URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8), k -> new AtomicInteger()).incrementAndGet();
                }
            }
            lastAccepted.set(System.nanoTime());
        }

        @Override
        public String getName() {
            return "count-messages";
        }
    }

    static final WireMockServer twilio = new WireMockServer(options().dynamicPort().disableRequestJournal().containerThreads(64)
            .extensions(new Counter()));

    static {
        twilio.start();
        twilio.stubFor(post(urlPathEqualTo(TwilioServiceTest.MESSAGES)).willReturn(TwilioServiceTest.created()));
    }

    @DynamicPropertySource
    static void twilioUrl(DynamicPropertyRegistry registry) {
        registry.add("twilio.api-base-url", twilio::baseUrl);
    }

    @AfterAll
    static void stop() {
        twilio.stop();
    }

    @Autowired JdbcClient jdbc;
    @Autowired JdbcTemplate jdbcTemplate;
    @Autowired TestClock clock;

    @Test
    void aHundredThousandRemindersDueAtNineAreSentOnceEachAtTheConfiguredRate() throws Exception {
        Instant nine = ReminderServiceTest.paris("2026-03-24T09:00");
        Instant start = ReminderServiceTest.paris("2026-03-25T10:00");
        clock.set(nine.minus(Duration.ofMinutes(1)));
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        // The reminders as planning leaves them, written straight into the tables (booking 100,000 appointments is the
        // booking benchmark's business): one appointment, one number and one reminder each, all due at 09:00.
        List<Object[]> appointments = new ArrayList<>(REMINDERS);
        List<Object[]> reminders = new ArrayList<>(REMINDERS);
        for (int i = 0; i < REMINDERS; i++) {
            String reference = Reference.fromPayload("%08d".formatted(10_000_000 + i)).value();
            String phone = "+33670%06d".formatted(i);
            appointments.add(new Object[] {reference, start.atOffset(ZoneOffset.UTC), phone, now});
            reminders.add(new Object[] {reference, nine.atOffset(ZoneOffset.UTC), now});
        }
        long loadStart = System.nanoTime();
        jdbcTemplate.batchUpdate("""
                INSERT INTO reminder_appointments (reference, status, site, start_at, phone, language, initials, created_at, updated_at)
                VALUES (?, 'BOOKED', 'GRENOBLE', ?, ?, 'fr', 'A. B.', ?, ?)""",
                appointments.stream().map(a -> new Object[] {a[0], a[1], a[2], a[3], a[3]}).toList());
        jdbcTemplate.batchUpdate("""
                INSERT INTO reminders (reference, offset_iso, nominal_at, due_at, status, created_at, updated_at)
                VALUES (?, 'PT25H', ?, ?, 'SCHEDULED', ?, ?)""",
                reminders.stream().map(r -> new Object[] {r[0], r[1], r[1], r[2], r[2]}).toList());
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        AtomicLong peakHeap = new AtomicLong();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peakHeap.accumulateAndGet(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 250, TimeUnit.MILLISECONDS);

        long t0 = System.nanoTime();
        List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        sampler.scheduleAtFixedRate(() -> progress.add("%.0fs texted=%d sent=%d".formatted((System.nanoTime() - t0) / 1e9,
                jdbc.sql("SELECT count(*) FROM reminders WHERE status = 'TEXTED'").query(Integer.class).single(),
                jdbc.sql("SELECT count(*) FROM sms_outbox WHERE status = 'SENT'").query(Integer.class).single())), 5, 5, TimeUnit.SECONDS);
        clock.set(nine);
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> jdbc.sql(
                "SELECT count(*) FROM sms_outbox WHERE purpose_key LIKE 'reminder:%' AND status = 'SENT'").query(Integer.class).single() == REMINDERS);
        double seconds = (lastAccepted.get() - t0) / 1e9;
        // Anything still on its way to Twilio would show up as a duplicate here.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        sampler.shutdownNow();

        int distinct = received.size();
        long duplicates = received.values().stream().mapToLong(c -> c.get() - 1L).sum();
        int lost = REMINDERS - distinct;
        int texted = jdbc.sql("SELECT count(*) FROM reminders WHERE status = 'TEXTED'").query(Integer.class).single();
        String status = Files.readString(Path.of("/proc/self/status"));
        String rss = line(status, "VmRSS");
        String hwm = line(status, "VmHWM");
        String result = ("%,d reminders due at 09:00, outbox at %s texts/s, sink WireMock over HTTP: all accepted by Twilio %.1f s after 09:00"
                + " (%.0f texts/s); duplicates %d; lost %d; reminders TEXTED %,d; peak heap used %d MiB (max heap %d MiB); RSS %s, peak RSS %s;"
                + " loading the rows took %.1f s")
                .formatted(REMINDERS, System.getProperty("benchmark.rate", "500"), seconds, REMINDERS / seconds, duplicates, lost, texted,
                        peakHeap.get() >> 20, Runtime.getRuntime().maxMemory() >> 20, rss, hwm, loadSeconds);
        System.out.println(result);
        progress.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/reminder-dispatch-benchmark.txt"), result + System.lineSeparator()
                + String.join(System.lineSeparator(), progress) + System.lineSeparator());
        assertThat(duplicates).isZero();
        assertThat(lost).isZero();
        assertThat(texted).isEqualTo(REMINDERS);
    }

    private static String line(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).strip()).findFirst().orElse("?");
    }
}
