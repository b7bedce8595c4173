package fr.guichet.booking.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Bookings through the HTTP API ({@code POST /api/v1/appointments}) over the embedded PostgreSQL:
 * (a) 10,000 bookings spread over 2,500 slots of four places by 32 concurrent clients;
 * (b) 64 clients fighting over 100 slots of two places until none is left.
 * Reports throughput, p50/p99 latency and over-booked slots (must be 0). Not a timed test: the figures go to
 * target/booking-api-benchmark.txt and, by hand, to BENCHMARKS.md.
 */
@Tag("benchmark")
@GuichetTest
@TestPropertySource(properties = "app.admin-token=" + ApiFixture.STAFF_TOKEN)
class BookingApiBenchmark {
    static final String PROCEDURE = "AES_VIE_PRIVEE";
    static final AtomicInteger phones = new AtomicInteger();

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** Slots created straight in the table, far in the future so they never meet the demo data. */
    private List<Long> slots(int count, int capacity, int dayOffset) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(dayOffset));
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(jdbc.sql("""
                            INSERT INTO slots (site, start_at, duration_minutes, capacity, procedures)
                            VALUES ('GRENOBLE', ?, 30, ?, ARRAY[?]) RETURNING id""")
                    .params(base.plus(Duration.ofMinutes(i)).atOffset(java.time.ZoneOffset.UTC), capacity, PROCEDURE)
                    .query(Long.class).single());
        }
        return ids;
    }

    private record Result(int status, long nanos) {}

    private Result book(long slotId) {
        String phone = "+3375%07d".formatted(phones.incrementAndGet());
        String body = """
                {"slotId":%d,"procedure":"%s","applicant":{"name":"Bench %s","birthDate":"1980-01-01","phone":"%s","language":"fr"}}"""
                .formatted(slotId, PROCEDURE, phone.substring(5), phone);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/appointments"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return new Result(status, System.nanoTime() - start);
        } catch (IOException e) {
            return new Result(-1, System.nanoTime() - start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-2, System.nanoTime() - start);
        }
    }

    /** Connections the service holds to PostgreSQL (its pool, sized by app.database.pool-size). */
    private int connections() {
        return jdbc.sql("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").query(Integer.class).single();
    }

    private int overBooked() {
        return jdbc.sql("""
                        SELECT count(*) FROM slots s
                        WHERE s.booked > s.capacity
                           OR (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED') > s.capacity
                           OR (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED') <> s.booked""")
                .query(Integer.class).single();
    }

    private static String summary(String name, int clients, long[] nanos, long wallNanos, String extra) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double seconds = wallNanos / 1e9;
        return "%s: %d requests by %d clients in %.2f s = %.0f req/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms; %s".formatted(
                name, sorted.length, clients, seconds, sorted.length / seconds, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6, sorted[sorted.length - 1] / 1e6, extra);
    }

    private static void report(String line) throws IOException {
        System.out.println(line);
        Files.writeString(Path.of("target/booking-api-benchmark.txt"), line + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void spreadBookingsAndAFightForFewSlots() throws Exception {
        int threads = Integer.getInteger("benchmark.clients", 32);
        // Warm-up on their own slots (JIT, connection pools), not measured: by default 6,000 bookings, about half a
        // minute here, since with 1,000 (5 s) the C2 compiler was still busy during the measured part.
        int warmup = Integer.getInteger("benchmark.warmup", 6000);
        List<Long> warm = slots((warmup + 3) / 4, 4, 200);
        run(threads, warmup, i -> warm.get(i % warm.size()));

        // (a) 10,000 bookings over 2,500 slots of 4 places: every booking finds a place.
        List<Long> spread = slots(2500, 4, 210);
        long start = System.nanoTime();
        List<Result> a = run(threads, 10_000, i -> spread.get(i % spread.size()));
        long wall = System.nanoTime() - start;
        long created = a.stream().filter(r -> r.status() == 201).count();
        report(summary("(a) spread", threads, a.stream().mapToLong(Result::nanos).toArray(), wall,
                "201: " + created + ", other: " + (a.size() - created) + ", over-booked slots: " + overBooked()
                        + ", database connections: " + connections()));
        assertThat(created).isEqualTo(10_000);

        // (b) 64 clients, 100 slots of 2 places: each client picks a random slot still shown free, until none is left.
        int fighters = Integer.getInteger("benchmark.fighters", 64);
        List<Long> few = slots(100, 2, 230);
        AtomicLong booked = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        java.util.Set<Long> full = java.util.concurrent.ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        long fightStart;
        try (ExecutorService pool = Executors.newFixedThreadPool(fighters)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < fighters; c++) {
                done.add(pool.submit(() -> {
                    go.await();
                    while (full.size() < few.size()) {
                        long slot = few.get(ThreadLocalRandom.current().nextInt(few.size()));
                        if (full.contains(slot)) continue;
                        Result r = book(slot);
                        latencies.add(r.nanos());
                        if (r.status() == 201) booked.incrementAndGet();
                        else if (r.status() == 409) {
                            refused.incrementAndGet();
                            full.add(slot);
                        } else throw new IllegalStateException("unexpected status " + r.status());
                    }
                    return null;
                }));
            }
            fightStart = System.nanoTime();
            go.countDown();
            for (Future<?> f : done) f.get();
        }
        long fightWall = System.nanoTime() - fightStart;
        report(summary("(b) fight", fighters, latencies.stream().mapToLong(Long::longValue).toArray(), fightWall,
                "201: " + booked.get() + " (places: 200), 409: " + refused.get() + ", over-booked slots: " + overBooked()));
        assertThat(booked.get()).isEqualTo(200);
        assertThat(overBooked()).isZero();
    }

    private List<Result> run(int threads, int count, java.util.function.IntFunction<Long> slotFor) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) results.add(book(slotFor.apply(i)));
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return new ArrayList<>(results);
    }
}
