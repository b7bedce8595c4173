package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Allocation of 10,000 queued requests onto 5,000 places, over the embedded PostgreSQL, through the real code:
 * (a) freed places: 5,000 first-come appointments cancelled by 4 concurrent clients, each cancellation giving its
 * place to the first waiting request inside its own transaction; (b) one sweep serving 10,000 waiting requests with
 * 5,000 free places. A fifth of the requests carry a document expiring within the priority window. Checked after
 * each: no place used twice or beyond capacity, no request convoked twice, one convocation text per convocation, the
 * requests served are exactly the first 5,000 in the order of service, and (b) the earliest places went to the
 * first in that order. Figures go to target/queue-allocation-benchmark.txt and, by hand, to BENCHMARKS.md.
 */
@Tag("benchmark")
class QueueAllocationBenchmark extends QueueServiceTest {
    static final int REQUESTS = Integer.getInteger("benchmark.requests", 10_000);
    static final int PLACES = Integer.getInteger("benchmark.places", 5_000);
    static final int CANCELLERS = Integer.getInteger("benchmark.cancellers", 4);
    static final String PROCEDURE = "AES_VIE_PRIVEE";
    @Autowired JdbcTemplate jdbcTemplate;
    @Autowired org.springframework.transaction.PlatformTransactionManager transactions;
    @Autowired javax.sql.DataSource dataSource;

    /** One inserted request, with what decides its place in the order of service. */
    private record Seeded(long id, LocalDate expiry, Instant received) {}

    @Test
    void tenThousandRequestsOntoFiveThousandPlaces() throws Exception {
        clock.set(START);
        Instant now = clock.instant();
        LocalDate windowEnd = today().plusMonths(4);
        List<String> lines = new ArrayList<>();

        // The sweep run at start-up must be over, and nothing may see the data half seeded (free places for a
        // moment): each part is seeded in one transaction.
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> jdbc.sql(
                "SELECT running_until < clock_timestamp() FROM queue_sweep").query(Boolean.class).single());
        org.springframework.transaction.support.TransactionTemplate tx = new org.springframework.transaction.support.TransactionTemplate(transactions);

        // (a) Freed places.
        List<Seeded> freedQueue = tx.execute(t -> seedRequests("QA", "+33670%06d", now));
        List<long[]> booked = tx.execute(t -> seedFirstComeAppointments("QA", now));
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger cancelled = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CANCELLERS);
        List<Future<?>> running = new ArrayList<>();
        long startA = System.nanoTime();
        for (int t = 0; t < CANCELLERS; t++) {
            int worker = t;
            running.add(pool.submit(() -> {
                for (int i = worker; i < booked.size(); i += CANCELLERS) {
                    long[] row = booked.get(i);
                    long s = System.nanoTime();
                    CancelOutcome outcome = port_.cancel(Reference.fromPayload("%08d".formatted(row[0])),
                            new PhoneNumber("+33672%06d".formatted(row[1])));
                    latencies.add(System.nanoTime() - s);
                    if (outcome instanceof CancelOutcome.Cancelled) cancelled.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : running) f.get(30, TimeUnit.MINUTES);
        long elapsedA = System.nanoTime() - startA;
        pool.shutdown();
        assertThat(cancelled.get()).isEqualTo(PLACES);
        Check a = check("QA", freedQueue, windowEnd, false);
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        lines.add("(a) freed by %d concurrent cancellations: %d requests, %d places, %.1f s, %.0f cancellations+allocations/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms; %s"
                .formatted(CANCELLERS, REQUESTS, PLACES, elapsedA / 1e9, PLACES / (elapsedA / 1e9), ms(sorted, 0.50), ms(sorted, 0.99),
                        sorted[sorted.length - 1] / 1e6, a));

        // (b) One sweep.
        List<Seeded> sweepQueue = tx.execute(t -> {
            List<Seeded> seeded = seedRequests("QB", "+33671%06d", now);
            seedFreeSlots("QB", now);
            return seeded;
        });
        long startB = System.nanoTime();
        Allocator.Pass pass = allocator.pass(null);
        long elapsedB = System.nanoTime() - startB;
        Check b = check("QB", sweepQueue, windowEnd, true);
        lines.add("(b) one sweep: %d requests, %d places, %.1f s, %.0f convocations/s (%d examined); %s"
                .formatted(REQUESTS, PLACES, elapsedB / 1e9, pass.convoked() / (elapsedB / 1e9), pass.examined(), b));

        String stamp = Instant.now().toString() + " pool " + (dataSource instanceof com.zaxxer.hikari.HikariDataSource h ? h.getMaximumPoolSize() : -1)
                + ", load " + Files.readString(Path.of("/proc/loadavg")).strip();
        Files.createDirectories(Path.of("target"));
        for (String line : lines) {
            System.out.println(line);
            Files.writeString(Path.of("target/queue-allocation-benchmark.txt"), stamp + " " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        assertThat(a.ok()).as(a.toString()).isTrue();
        assertThat(b.ok()).as(b.toString()).isTrue();
        assertThat(pass.convoked()).isEqualTo(PLACES);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }

    /** Requests straight into the table, arrivals a second apart; one in five with an expiry within the window. */
    private List<Seeded> seedRequests(String site, String phoneFormat, Instant now) {
        Random random = new Random(42);
        List<Object[]> rows = new ArrayList<>();
        List<String[]> references = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int i = 0; i < REQUESTS; i++) {
            String reference;
            do {
                reference = Reference.fromPayload("%08d".formatted(random.nextInt(100_000_000))).value();
            } while (!used.add(reference) || exists(reference));
            references.add(new String[] {reference});
            LocalDate expiry = random.nextInt(5) == 0 ? today().plusDays(7 + random.nextInt(110)) : null;
            Instant received = now.minus(Duration.ofDays(30)).plusSeconds(i);
            rows.add(new Object[] {reference, "bench:" + reference, "bench", PROCEDURE, site, "Bench " + i, java.sql.Date.valueOf("1980-01-01"),
                    phoneFormat.formatted(i), "fr", expiry == null ? null : java.sql.Date.valueOf(expiry), received.atOffset(ZoneOffset.UTC),
                    received.atOffset(ZoneOffset.UTC)});
        }
        jdbcTemplate.batchUpdate("INSERT INTO booking_references (reference, kind) VALUES (?, 'REQUEST')", references);
        jdbcTemplate.batchUpdate("""
                INSERT INTO requests (reference, idempotency_key, fingerprint, status, procedure, site_preference, applicant_name,
                                      birth_date, phone, language, document_expiry, channel, received_at, updated_at)
                VALUES (?, ?, ?, 'WAITING', ?, ?, ?, ?, ?, ?, ?, 'WEB', ?, ?)""", rows);
        return jdbc.sql("SELECT id, document_expiry, received_at FROM requests WHERE site_preference = :site AND idempotency_key LIKE 'bench:%'")
                .param("site", site)
                .query((rs, n) -> new Seeded(rs.getLong(1), rs.getObject(2, LocalDate.class), rs.getObject(3, java.time.OffsetDateTime.class).toInstant()))
                .list();
    }

    private boolean exists(String reference) {
        return jdbc.sql("SELECT count(*) FROM booking_references WHERE reference = :r").param("r", reference).query(Integer.class).single() > 0;
    }

    /** Slot start times from three days on, every 30 minutes from 09:00 to 17:00. */
    private List<Instant> starts(int count, Instant now) {
        List<Instant> out = new ArrayList<>();
        LocalDate day = today().plusDays(3);
        while (out.size() < count) {
            for (LocalTime t = LocalTime.of(9, 0); t.isBefore(LocalTime.of(17, 0)) && out.size() < count; t = t.plusMinutes(30)) {
                out.add(day.atTime(t).atZone(PARIS).toInstant());
            }
            day = day.plusDays(1);
        }
        return out;
    }

    private void seedFreeSlots(String site, Instant now) {
        seedSlots(site, now, 0);
    }

    private void seedSlots(String site, Instant now, int booked) {
        int capacity = 4;
        List<Object[]> rows = new ArrayList<>();
        for (Instant start : starts(PLACES / capacity, now)) {
            rows.add(new Object[] {site, start.atOffset(ZoneOffset.UTC), capacity, booked});
        }
        jdbcTemplate.batchUpdate("INSERT INTO slots (site, start_at, duration_minutes, capacity, booked, procedures) VALUES (?, ?, 30, ?, ?, ARRAY['"
                + PROCEDURE + "'])", rows);
    }

    /** 5,000 places booked first-come (slots of 4, full), to be cancelled: [reference payload, phone number index]. */
    private List<long[]> seedFirstComeAppointments(String site, Instant now) {
        seedSlots(site, now, 4);
        List<Long> slots = jdbc.sql("SELECT id FROM slots WHERE site = :site ORDER BY start_at").param("site", site).query(Long.class).list();
        List<long[]> booked = new ArrayList<>();
        List<Object[]> references = new ArrayList<>();
        List<Object[]> appointments = new ArrayList<>();
        Random random = new Random(7);
        Set<Long> used = new HashSet<>();
        int n = 0;
        for (Long slot : slots) {
            for (int place = 0; place < 4; place++) {
                long payload;
                do {
                    payload = random.nextInt(100_000_000);
                } while (!used.add(payload) || exists(Reference.fromPayload("%08d".formatted(payload)).value()));
                String reference = Reference.fromPayload("%08d".formatted(payload)).value();
                references.add(new Object[] {reference});
                appointments.add(new Object[] {reference, slot, PROCEDURE, "Direct " + n, java.sql.Date.valueOf("1985-01-01"),
                        "+33672%06d".formatted(n), "fr", "direct:" + reference, now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)});
                booked.add(new long[] {payload, n});
                n++;
            }
        }
        jdbcTemplate.batchUpdate("INSERT INTO booking_references (reference, kind) VALUES (?, 'APPOINTMENT')", references);
        jdbcTemplate.batchUpdate("""
                INSERT INTO appointments (reference, status, slot_id, procedure, applicant_name, birth_date, phone, language, channel,
                                          idempotency_key, created_at, updated_at)
                VALUES (?, 'BOOKED', ?, ?, ?, ?, ?, ?, 'WEB', ?, ?, ?)""", appointments);
        // Cancelled in an order that has nothing to do with time: places free up anywhere in the calendar.
        java.util.Collections.shuffle(booked, new Random(11));
        return booked;
    }

    record Check(int convoked, int waiting, int overBooked, int freeLeft, int distinctAppointments, int texts, int outOfOrder,
                 int placesOutOfOrder) {
        boolean ok() {
            return convoked == PLACES && waiting == REQUESTS - PLACES && overBooked == 0 && freeLeft == 0 && distinctAppointments == PLACES
                    && texts == PLACES && outOfOrder == 0 && placesOutOfOrder == 0;
        }

        @Override
        public String toString() {
            return "convoked %d, waiting %d, places used twice or over capacity %d, places left free %d, distinct appointments %d, convocation texts %d, served out of the order of service %d, places out of order %d"
                    .formatted(convoked, waiting, overBooked, freeLeft, distinctAppointments, texts, outOfOrder, placesOutOfOrder);
        }
    }

    private Check check(String site, List<Seeded> seeded, LocalDate windowEnd, boolean placesInOrder) {
        int convoked = count("SELECT count(*) FROM requests WHERE site_preference = '" + site + "' AND status = 'CONVOKED'");
        int waiting = count("SELECT count(*) FROM requests WHERE site_preference = '" + site + "' AND status = 'WAITING'");
        int overBooked = count("""
                SELECT count(*) FROM slots s WHERE s.site = '%s' AND (s.booked > s.capacity OR s.booked <>
                  (SELECT count(*) FROM appointments a WHERE a.slot_id = s.id AND a.status = 'BOOKED'))""".formatted(site));
        if (overBooked > 0) {
            // What went wrong, for the record: each slot whose count differs from its appointments.
            jdbc.sql("""
                    SELECT s.id, s.capacity, s.booked, a.channel, a.status, count(*) FROM slots s JOIN appointments a ON a.slot_id = s.id
                    WHERE s.site = :site AND s.booked <> (SELECT count(*) FROM appointments b WHERE b.slot_id = s.id AND b.status = 'BOOKED')
                    GROUP BY s.id, s.capacity, s.booked, a.channel, a.status ORDER BY s.id""")
                    .param("site", site)
                    .query((rs, n) -> {
                        System.out.println("MISMATCH slot " + rs.getLong(1) + " capacity " + rs.getInt(2) + " booked " + rs.getInt(3) + " "
                                + rs.getString(4) + " " + rs.getString(5) + " x" + rs.getInt(6));
                        return 1;
                    }).list();
        }
        if (convoked != PLACES) {
            jdbc.sql("""
                    SELECT a.status, a.channel, a.booked_by, count(*) FROM requests r LEFT JOIN appointments a ON a.reference = r.appointment
                    WHERE r.site_preference = :site AND r.status = 'CONVOKED' GROUP BY a.status, a.channel, a.booked_by""")
                    .param("site", site)
                    .query((rs, n) -> {
                        System.out.println("CONVOKED-BY " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " x" + rs.getInt(4));
                        return 1;
                    }).list();
            jdbc.sql("SELECT status, channel, count(*) FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE s.site = :site GROUP BY status, channel")
                    .param("site", site)
                    .query((rs, n) -> {
                        System.out.println("APPOINTMENTS " + rs.getString(1) + " " + rs.getString(2) + " x" + rs.getInt(3));
                        return 1;
                    }).list();
        }
        int freeLeft = count("SELECT coalesce(sum(capacity - booked), 0) FROM slots WHERE site = '" + site + "'");
        int distinct = count("SELECT count(DISTINCT appointment) FROM requests WHERE site_preference = '" + site + "' AND status = 'CONVOKED'");
        int texts = count("""
                SELECT count(*) FROM sms_outbox o JOIN requests r ON o.purpose_key = 'convocation:' || r.appointment
                WHERE r.site_preference = '%s' AND r.status = 'CONVOKED'""".formatted(site));
        // The order of service, computed here from what was inserted: expiries within the window first, soonest
        // first, then arrival; the first PLACES of it must be exactly the ones convoked.
        List<Seeded> order = new ArrayList<>(seeded);
        order.sort(Comparator.<Seeded>comparingInt(s -> s.expiry() != null && !s.expiry().isAfter(windowEnd) ? 0 : 1)
                .thenComparing(s -> s.expiry() != null && !s.expiry().isAfter(windowEnd) ? s.expiry() : LocalDate.MAX)
                .thenComparing(Seeded::received).thenComparingLong(Seeded::id));
        Set<Long> convokedIds = new HashSet<>(jdbc.sql("SELECT id FROM requests WHERE site_preference = :site AND status = 'CONVOKED'")
                .param("site", site).query(Long.class).list());
        int outOfOrder = 0;
        for (int i = 0; i < order.size(); i++) {
            if ((i < PLACES) != convokedIds.contains(order.get(i).id())) outOfOrder++;
        }
        int placesOutOfOrder = 0;
        if (placesInOrder) {
            List<Long> starts = jdbc.sql("""
                            SELECT extract(epoch FROM s.start_at)::bigint FROM requests r JOIN appointments a ON a.reference = r.appointment
                            JOIN slots s ON s.id = a.slot_id WHERE r.id = ANY (:ids)""")
                    .param("ids", order.subList(0, PLACES).stream().map(Seeded::id).toArray(Long[]::new))
                    .query(Long.class).list();
            // Compare with the order: fetch each request's start in the order of service.
            java.util.Map<Long, Long> startOf = new java.util.HashMap<>();
            jdbc.sql("""
                            SELECT r.id, extract(epoch FROM s.start_at)::bigint FROM requests r JOIN appointments a ON a.reference = r.appointment
                            JOIN slots s ON s.id = a.slot_id WHERE r.site_preference = :site AND r.status = 'CONVOKED'""")
                    .param("site", site)
                    .query((rs, n) -> startOf.put(rs.getLong(1), rs.getLong(2))).list();
            long previous = Long.MIN_VALUE;
            for (Seeded s : order.subList(0, PLACES)) {
                Long start = startOf.get(s.id());
                if (start == null || start < previous) placesOutOfOrder++;
                else previous = start;
            }
            assertThat(starts).hasSize(PLACES);
        }
        return new Check(convoked, waiting, overBooked, freeLeft, distinct, texts, outOfOrder, placesOutOfOrder);
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }

}
