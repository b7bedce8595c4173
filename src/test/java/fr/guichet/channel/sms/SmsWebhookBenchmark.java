package fr.guichet.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import fr.guichet.TwilioSigner;
import fr.guichet.Webhooks;
import fr.guichet.conversation.Conversations;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Signed inbound webhooks carrying real conversation steps from 1,000 distinct numbers over loopback, against the
 * real conversation runtime; {@code /actuator/health} measured in the same run as the ceiling. Run with
 * {@code ./mvnw -B -Pbenchmark verify -Dtest=SmsWebhookBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@SpringBootTest(classes = GuichetApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "twilio.auth-token=" + Webhooks.TOKEN,
                // 1,000 numbers × a few steps in a few seconds stays under it; the limit itself is tested elsewhere.
                "app.sms.inbound-per-minute=100",
                "logging.level.fr.guichet=WARN",
        })
class SmsWebhookBenchmark {
    static final int NUMBERS = 1_000;
    static final int CLIENTS = 16;
    /**
     * Long enough for the JIT to settle: after 5 s the server still compiled (C2 used a core) and both endpoints ran at
     * a third of their steady rate. {@code -Dbenchmark.warmup=PT30S}.
     */
    static final Duration WARM_UP = Duration.parse(System.getProperty("benchmark.warmup", "PT30S"));
    static final Duration MEASURE = Duration.ofSeconds(15);
    /** A conversation as a person would text it: greeting, language, menu choices, then a question. */
    static final List<String> STEPS = List.of("Bonjour", "1", "1", "2", "aide", "1");

    @LocalServerPort int port;
    @Autowired ObjectProvider<Conversations> conversations;
    final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(CLIENTS)).build();

    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private String postmaster;

    /**
     * CPU per request, for a machine shared with other work: the throughput there depends on what else runs, the CPU a
     * request costs much less. {@code jvmCpu}: this whole JVM (server and the 16 clients); {@code postgresCpu}: the
     * embedded PostgreSQL's processes (Linux {@code /proc}; 0 elsewhere).
     */
    record Result(String name, long requests, long errors, double perSecond, double p50Millis, double p99Millis,
                  double jvmCpuMillis, double postgresCpuMillis) {
        @Override
        public String toString() {
            return "%s: %d requests, %d errors, %.0f/s, p50 %.2f ms, p99 %.2f ms, CPU per request: JVM %.3f ms, PostgreSQL %.3f ms".formatted(
                    name, requests, errors, perSecond, p50Millis, p99Millis, jvmCpuMillis, postgresCpuMillis);
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of the postmaster and its children, in nanoseconds (clock ticks of 10 ms). */
    private long postgresCpuNanos() {
        try {
            if (postmaster == null) {
                // The parent of a backend is the postmaster.
                int backend = jdbc.sql("SELECT pg_backend_pid()").query(Integer.class).single();
                String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(backend), "stat"));
                postmaster = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1];
            }
            long ticks = 0;
            try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
                for (java.nio.file.Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    String stat;
                    try {
                        stat = java.nio.file.Files.readString(proc.resolve("stat"));
                    } catch (java.io.IOException gone) {
                        continue;
                    }
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // After the command: f[0] state, f[1] ppid, … f[11] utime, f[12] stime.
                    if (proc.getFileName().toString().equals(postmaster) || f[1].equals(postmaster)) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks * 10_000_000L;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    @Test
    void signedWebhooksFromAThousandNumbers() throws Exception {
        assertThat(conversations.getIfAvailable())
                .as("the conversation runtime must be in the build: this benchmark measures real conversation steps")
                .isNotNull();
        AtomicInteger sidCounter = new AtomicInteger();
        AtomicInteger[] stepOf = new AtomicInteger[NUMBERS];
        for (int i = 0; i < NUMBERS; i++) stepOf[i] = new AtomicInteger();
        IntFunction<HttpRequest> webhook = n -> {
            int number = n % NUMBERS;
            String from = "+336%08d".formatted(10_000_000 + number);
            String sid = "SM%032d".formatted(sidCounter.incrementAndGet());
            String body = STEPS.get(stepOf[number].getAndIncrement() % STEPS.size());
            Map<String, String> params = Webhooks.sms(sid, from, body);
            String signature = TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/sms", params);
            String form = params.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/twilio/sms"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        };
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).GET().build();

        run("warm-up health", n -> health, WARM_UP, r -> r.statusCode() == 200);
        run("warm-up webhooks", webhook, WARM_UP, SmsWebhookBenchmark::isTwiml);
        Result ceiling = run("/actuator/health", n -> health, MEASURE, r -> r.statusCode() == 200);
        Result webhooks = run("/twilio/sms", webhook, MEASURE, SmsWebhookBenchmark::isTwiml);
        double ratio = webhooks.perSecond() / ceiling.perSecond();
        System.out.println("BENCHMARK " + ceiling);
        System.out.println("BENCHMARK " + webhooks);
        System.out.printf("BENCHMARK ratio webhooks/health = %.2f%n", ratio);

        assertThat(webhooks.errors()).isZero();
        assertThat(webhooks.perSecond()).isGreaterThanOrEqualTo(1_000);
        assertThat(webhooks.p99Millis()).isLessThan(50);
        assertThat(ratio).isGreaterThanOrEqualTo(0.3);
    }

    /** A conversation reply: TwiML with a message that is neither the apology nor the deferred-reply notice. */
    private static boolean isTwiml(HttpResponse<String> r) {
        String body = r.body();
        return r.statusCode() == 200 && body.startsWith("<?xml") && body.contains("<Message>")
                && !body.contains("Désolé, un problème technique") && !body.contains("Votre demande est bien enregistrée");
    }

    private Result run(String name, IntFunction<HttpRequest> requests, Duration length,
                       java.util.function.Predicate<HttpResponse<String>> ok) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[]>> latencies = new ArrayList<>();
        long jvmCpu = jvmCpuNanos();
        long postgresCpu = postgresCpuNanos();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            latencies.add(clients.submit(() -> {
                long[] seen = new long[1 << 16];
                int count = 0;
                while (System.nanoTime() < end) {
                    HttpRequest request = requests.apply(next.getAndIncrement());
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (!ok.test(response) && errors.incrementAndGet() <= 5) {
                            System.out.println("BENCHMARK error sample (" + name + "): " + response.statusCode() + " "
                                    + response.body().substring(0, Math.min(300, response.body().length())));
                        }
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 5) System.out.println("BENCHMARK error sample (" + name + "): " + e);
                    }
                    if (count == seen.length) seen = Arrays.copyOf(seen, count * 2);
                    seen[count++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(seen, count);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : latencies) all.add(f.get());
        double seconds = (System.nanoTime() - start) / 1e9;
        jvmCpu = jvmCpuNanos() - jvmCpu;
        postgresCpu = postgresCpuNanos() - postgresCpu;
        clients.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(name, merged.length, errors.get(), merged.length / seconds,
                merged[(int) (merged.length * 0.50)] / 1e6, merged[Math.min(merged.length - 1, (int) (merged.length * 0.99))] / 1e6,
                jvmCpu / 1e6 / merged.length, postgresCpu / 1e6 / merged.length);
    }
}
