package fr.guichet.booking.rdvsp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Free slots read from the backend: {@code …/creneaux/prochain} says on which day to start, then
 * {@code …/creneaux} is read in windows of 31 days (the most the backend accepts) until the query is answered.
 * Each answer is kept {@code app.rdvsp.slot-cache-ttl} (30 s) to shield the backend from a crowd asking for the same
 * lists; a booking never trusts it (the backend re-checks the slot), and a slot found gone drops the site's lists.
 */
final class RdvspSlots {
    /** The backend refuses windows longer than 31 days: {@code date_fin - date_debut ≤ 30} days covers 31 days. */
    static final int WINDOW_DAYS = 30;

    private record WindowKey(RdvspMapping.Target target, LocalDate from, LocalDate to) {}

    private record NextKey(RdvspMapping.Target target, LocalDate from) {}

    private final RdvspClient client;
    private final RdvspMapping mapping;
    private final ZoneId zone;
    private final Cache<WindowKey, List<RdvspClient.Creneau>> windows;
    private final Cache<NextKey, Optional<RdvspClient.Creneau>> next;

    RdvspSlots(RdvspClient client, RdvspMapping mapping, ZoneId zone, Duration ttl) {
        this.client = client;
        this.mapping = mapping;
        this.zone = zone;
        this.windows = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
        this.next = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(10_000).build();
    }

    /** @throws RdvspException when the backend does not answer */
    List<Slot> find(SlotQuery query, Instant now) {
        Instant from = query.from().isAfter(now) ? query.from() : now;
        if (!from.isBefore(query.to())) return List.of();
        List<RdvspMapping.Target> targets = query.site() == null
                ? mapping.targets(query.procedure())
                : mapping.target(query.site(), query.procedure()).map(List::of).orElse(List.of());
        List<Slot> found = new ArrayList<>();
        for (RdvspMapping.Target target : targets) found.addAll(find(target, query, from));
        found.sort(Comparator.comparing(Slot::start).thenComparing(Slot::id));
        return found.size() > query.limit() ? List.copyOf(found.subList(0, query.limit())) : List.copyOf(found);
    }

    private List<Slot> find(RdvspMapping.Target target, SlotQuery query, Instant from) {
        LocalDate firstDay = from.atZone(zone).toLocalDate();
        LocalDate lastDay = query.to().atZone(zone).toLocalDate();
        Optional<RdvspClient.Creneau> first = next.get(new NextKey(target, firstDay), k -> client.prochain(target, k.from()));
        if (first.isEmpty()) return List.of();
        LocalDate day = first.get().start().atZone(zone).toLocalDate();
        if (day.isBefore(firstDay)) day = firstDay;
        List<Slot> out = new ArrayList<>();
        while (!day.isAfter(lastDay) && out.size() < query.limit()) {
            LocalDate end = day.plusDays(WINDOW_DAYS).isAfter(lastDay) ? lastDay : day.plusDays(WINDOW_DAYS);
            List<RdvspClient.Creneau> creneaux = windows.get(new WindowKey(target, day, end), k -> client.creneaux(target, k.from(), k.to()));
            for (RdvspClient.Creneau c : creneaux) {
                if (c.start().isAfter(from) && c.start().isBefore(query.to()) && c.start().getEpochSecond() % 60 == 0) {
                    out.add(new Slot(SlotIds.encode(target.lieuId(), c.start()), target.site(), c.start(),
                            Duration.ofMinutes(c.durationMinutes()), 1, 1, Set.of(query.procedure())));
                }
            }
            day = end.plusDays(1);
        }
        return out;
    }

    /** A slot of this site was found taken: its lists are stale. */
    void forget(String site) {
        windows.asMap().keySet().removeIf(k -> k.target().site().equals(site));
        next.asMap().keySet().removeIf(k -> k.target().site().equals(site));
    }

    /** Drops every list (tests start from an empty cache). */
    void clear() {
        windows.invalidateAll();
        next.invalidateAll();
    }
}
