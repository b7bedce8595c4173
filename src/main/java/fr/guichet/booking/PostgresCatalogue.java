package fr.guichet.booking;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sites and procedures change rarely and are read on every booking: they are read as one snapshot, read again in
 * the background every few seconds, and at once when this service changes them.
 *
 * <p>No reader ever waits for a load that another thread runs. Readers are mostly inside transactions, each
 * holding one of the pool's connections; a load outside a transaction needs one more. When the snapshot simply
 * expired, the first reader loaded it while the cache held back every other reader: under load, all the
 * connections were held by transactions waiting for that load, and the load waited for a connection, until the
 * pool's 30 s timeout failed it (every 30 s, bookings answered 503: BENCHMARKS.md). So an old snapshot is served
 * while one is read again in the background, and the first one is loaded by whoever needs it without the cache's
 * lock.
 */
@Component
class PostgresCatalogue implements Catalogue {
    private static final Duration SNAPSHOT_LIFETIME = Duration.ofSeconds(30);

    private record Snapshot(
            Map<String, Site> sites, Map<String, Procedure> procedures, Map<String, OpeningHours> openingHours) {}

    private final JdbcClient jdbc;
    private final LoadingCache<Boolean, Snapshot> snapshot;

    PostgresCatalogue(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.snapshot = Caffeine.newBuilder().refreshAfterWrite(SNAPSHOT_LIFETIME)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build(ignored -> load());
    }

    /** Called after the catalogue was changed in the database by this service (outside its transaction). */
    void refresh() {
        snapshot.put(Boolean.TRUE, load());
    }

    private Snapshot current() {
        // Present, even stale: returned at once (a stale one is read again in the background, on Caffeine's executor).
        Snapshot present = snapshot.getIfPresent(Boolean.TRUE);
        if (present != null) return present;
        Snapshot loaded = load();
        snapshot.asMap().putIfAbsent(Boolean.TRUE, loaded);
        return loaded;
    }

    private Snapshot load() {
        Map<String, Site> sites = new LinkedHashMap<>();
        jdbc.sql("SELECT code, name, address, phone, staff_phone, zone FROM sites ORDER BY position, code")
                .query((rs, n) -> new Site(rs.getString("code"), rs.getString("name"), rs.getString("address"),
                        rs.getString("phone"), rs.getString("staff_phone"), ZoneId.of(rs.getString("zone"))))
                .list()
                .forEach(site -> sites.put(site.code(), site));
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        jdbc.sql("""
                        SELECT code, anef, duration_minutes, worker_may_book, renewal, pan_procedure
                        FROM procedures ORDER BY position, code""")
                .query((rs, n) -> new Procedure(rs.getString("code"), rs.getBoolean("anef"),
                        Duration.ofMinutes(rs.getInt("duration_minutes")), rs.getBoolean("worker_may_book"),
                        rs.getBoolean("renewal"), rs.getString("pan_procedure")))
                .list()
                .forEach(p -> procedures.put(p.code(), p));
        Map<String, Map<DayOfWeek, List<OpeningHours.Period>>> weekly = new HashMap<>();
        jdbc.sql("SELECT site, weekday, opens, closes FROM site_opening_hours ORDER BY site, weekday, opens")
                .query(rs -> {
                    weekly.computeIfAbsent(rs.getString("site"), s -> new HashMap<>())
                            .computeIfAbsent(DayOfWeek.of(rs.getInt("weekday")), d -> new ArrayList<>())
                            .add(new OpeningHours.Period(rs.getObject("opens", LocalTime.class),
                                    rs.getObject("closes", LocalTime.class)));
                });
        Map<String, Set<LocalDate>> closed = new HashMap<>();
        jdbc.sql("SELECT site, day FROM site_closed_dates").query(rs -> {
            closed.computeIfAbsent(rs.getString("site"), s -> new HashSet<>()).add(rs.getObject("day", LocalDate.class));
        });
        Map<String, OpeningHours> hours = new HashMap<>();
        sites.values().forEach(site -> hours.put(site.code(), new OpeningHours(site.zone(),
                weekly.getOrDefault(site.code(), Map.of()), closed.getOrDefault(site.code(), Set.of()))));
        // Unmodifiable views of insertion-ordered maps: the catalogue order (position, code) is kept.
        return new Snapshot(java.util.Collections.unmodifiableMap(sites), java.util.Collections.unmodifiableMap(procedures), Map.copyOf(hours));
    }

    @Override
    public List<Site> sites() {
        return List.copyOf(current().sites().values());
    }

    @Override
    public Optional<Site> site(String code) {
        return Optional.ofNullable(code).map(current().sites()::get);
    }

    @Override
    public List<Procedure> procedures() {
        return List.copyOf(current().procedures().values());
    }

    @Override
    public Optional<Procedure> procedure(String code) {
        return Optional.ofNullable(code).map(current().procedures()::get);
    }

    @Override
    public Optional<OpeningHours> openingHours(String siteCode) {
        return Optional.ofNullable(siteCode).map(current().openingHours()::get);
    }
}
