package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.TwilioServiceTest;
import fr.guichet.Webhooks;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service is killed ({@code kill -9}, no shutdown of any kind) between planning a reminder and sending it, then
 * started again: the reminder goes out exactly once. The first run is a separate JVM on an outside PostgreSQL (as in
 * production, the database outlives the process); the second runs here, on a clock set to the reminder's time.
 */
class ReminderRestartTest {
    static final WireMockServer twilio = new WireMockServer(options().dynamicPort());
    static EmbeddedPostgres postgres;
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        twilio.start();
        twilio.stubFor(post(urlPathEqualTo(TwilioServiceTest.MESSAGES)).willReturn(TwilioServiceTest.created()));
        postgres = EmbeddedPostgres.builder().setDataDirectory(Files.createTempDirectory("guichet-kill-pg")).setCleanDataDirectory(true).start();
        logs = Files.createDirectories(Path.of("target", "reminder-restart"));
    }

    @AfterAll
    static void stop() throws Exception {
        twilio.stop();
        postgres.close();
    }

    static List<String> arguments(int port) {
        return List.of(
                "--server.port=" + port,
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--app.demo-data=true",
                "--app.speech.enabled=false",
                "--app.admin-token=" + ReminderServiceTest.STAFF,
                "--app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "--twilio.account-sid=" + TwilioServiceTest.ACCOUNT,
                "--twilio.auth-token=" + Webhooks.TOKEN,
                "--twilio.phone-number=+33757000000",
                "--twilio.api-base-url=" + twilio.baseUrl(),
                "--app.sms.dispatch-interval=50ms",
                "--app.reminder.dispatch-interval=50ms");
    }

    /** The service in a JVM of its own, with the tests' class path. */
    static Process child(int port) throws Exception {
        // Each entry once: the flows and texts are found by scanning the class path, and a duplicate would be a second copy.
        String classPath = String.join(File.pathSeparator, new java.util.LinkedHashSet<>(List.of(
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")).split(File.pathSeparator))));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classPath, GuichetApplication.class.getName()));
        command.addAll(arguments(port));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logs.resolve("first-run.log").toFile()).start();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aReminderPlannedBeforeAKillIsSentExactlyOnceAfterTheRestart() throws Exception {
        int port = freePort();
        Process first = child(port);
        String reference;
        String phone = "+33612098765";
        Instant start = Instant.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.HOURS);
        try {
            String base = "http://localhost:" + port;
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(first.isAlive()).as("the first run died; see target/reminder-restart/first-run.log").isTrue();
                HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET().build());
                return health != null && health.statusCode() == 200;
            });
            HttpResponse<String> slot = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/slots"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + ReminderServiceTest.STAFF)
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"site":"VIENNE","start":"%s","durationMinutes":30,"capacity":2,"procedures":["AES_VIE_PRIVEE"]}""".formatted(start)))
                    .build());
            // A public holiday or a closed day refuses the slot: the next day then.
            if (slot.statusCode() == 422) {
                start = start.plus(Duration.ofDays(1));
                slot = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/slots"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + ReminderServiceTest.STAFF)
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"site":"VIENNE","start":"%s","durationMinutes":30,"capacity":2,"procedures":["AES_VIE_PRIVEE"]}""".formatted(start)))
                        .build());
            }
            assertThat(slot.statusCode()).as(slot.body()).isEqualTo(201);
            long slotId = JsonMapper.builder().build().readTree(slot.body()).get("slot").get("id").asLong();
            HttpResponse<String> booked = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/appointments"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Taras Shevchenko","birthDate":"1990-03-09","phone":"%s","language":"uk"}}"""
                            .formatted(slotId, phone))).build());
            assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
            reference = JsonMapper.builder().build().readTree(booked.body()).get("reference").asString();
        } finally {
            // SIGKILL: no shutdown hook, no lifecycle stop, no connection closed cleanly.
            first.destroyForcibly();
            first.waitFor();
        }
        JdbcClient db = JdbcClient.create(postgres.getPostgresDatabase());
        record Planned(String offsetIso, java.time.OffsetDateTime dueAt, String status) {}
        List<Planned> planned = db.sql("SELECT offset_iso, due_at, status FROM reminders WHERE reference = :r ORDER BY due_at")
                .param("r", reference).query(Planned.class).list();
        assertThat(planned).extracting(Planned::status).containsOnly("SCHEDULED");
        assertThat(db.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key LIKE :p").param("p", "reminder:" + reference + ":%")
                .query(Integer.class).single()).isZero();

        List<String> again = new ArrayList<>(arguments(0));
        try (ConfigurableApplicationContext second = new SpringApplicationBuilder(GuichetApplication.class, ReminderServiceTest.Time.class)
                .run(again.toArray(String[]::new))) {
            TestClock clock = second.getBean(TestClock.class);
            for (Planned p : planned) {
                clock.set(p.dueAt().toInstant());
                String purpose = "reminder:" + reference + ":" + p.offsetIso();
                await().atMost(Duration.ofSeconds(20)).until(() -> "SENT".equals(db.sql("SELECT status FROM sms_outbox WHERE purpose_key = :p")
                        .param("p", purpose).query(String.class).optional().orElse("")));
            }
            clock.set(start.minus(Duration.ofMinutes(30)));
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> remindersSent(db, reference) == planned.size());
        }
        assertThat(remindersSent(db, reference)).isEqualTo(planned.size());
        assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))).getFirst().getBodyAsString())
                .contains(URLEncoder.encode(reference.substring(0, 3) + " " + reference.substring(3, 6), StandardCharsets.UTF_8));
    }

    /**
     * The texts Twilio received for the reminders of this appointment (its convocation, which every booking gets, is
     * not counted): each request's status callback names the outbox row it was sent for.
     */
    static int remindersSent(JdbcClient db, String reference) {
        List<Long> reminderRows = db.sql("SELECT id FROM sms_outbox WHERE purpose_key LIKE :p")
                .param("p", "reminder:" + reference + ":%").query(Long.class).list();
        return (int) twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))).stream()
                .map(r -> java.net.URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8).replaceAll("(?s).*[?&]outbox=(\\d+).*", "$1"))
                .filter(id -> id.matches("\\d+") && reminderRows.contains(Long.parseLong(id)))
                .count();
    }
}
