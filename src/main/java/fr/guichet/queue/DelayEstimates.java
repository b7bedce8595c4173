package fr.guichet.queue;

import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.notify.QuietHours;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The expected delay before a request is convoked, computed from the queue and the capacity, never invented:
 * its place in its group (same procedure, same site preference), less the free places already open for it, divided
 * by the pace at which the queue served that group over the recent weeks ({@code app.queue.rate-window}).
 * No free place and no request served recently: the delay is unknown, and the texts say so.
 */
@Component
class DelayEstimates {
    sealed interface Estimate {
        /** Places are free now: the next allocation (minutes) serves it. */
        record Soon() implements Estimate {}
        record Weeks(int weeks) implements Estimate {}
        /** Nothing to compute it from: no free place and nobody of the group served recently. */
        record Unknown() implements Estimate {}
    }

    /** The numbers behind an estimate, for the staff list and the logs. */
    record Basis(int position, int freePlaces, int servedInWindow, double perWeek, Estimate estimate) {
        /** When the convocation may be expected; null when unknown. */
        Instant expectedBy(Instant now) {
            return switch (estimate) {
                case Estimate.Soon s -> now;
                case Estimate.Weeks w -> now.plus(Duration.ofDays(7L * w.weeks()));
                case Estimate.Unknown u -> null;
            };
        }
    }

    private static final int FREE_PLACES_LOOKED_AT = 500;

    private final QueueEntries entries;
    private final BookingPort port;
    private final QueueProperties properties;
    private final QuietHours quiet;
    private final Clock clock;
    private final ZoneId zone;

    DelayEstimates(QueueEntries entries, BookingPort port, QueueProperties properties, QuietHours quiet, Clock clock,
                   @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.entries = entries;
        this.port = port;
        this.properties = properties;
        this.quiet = quiet;
        this.clock = clock;
        this.zone = zone;
    }

    Basis estimate(QueueEntry entry) {
        Instant now = clock.instant();
        return estimate(entry, entries.position(entry, now), now);
    }

    Basis estimate(QueueEntry entry, int position, Instant now) {
        return estimate(entry, position, now, new java.util.HashMap<>());
    }

    /** {@code capacity}: free places and recent service per group, computed once for many requests of a group. */
    Basis estimate(QueueEntry entry, int position, Instant now, java.util.Map<String, int[]> capacity) {
        Instant windowStart = now.atZone(zone).minus(properties.rateWindow()).toInstant();
        int[] group = capacity.computeIfAbsent(entry.group(), g -> new int[] {
                freePlaces(entry.procedure(), entry.site(), now), entries.servedSince(entry.procedure(), entry.site(), windowStart)});
        int free = group[0];
        int served = group[1];
        double weeks = Math.max(1.0, Duration.between(windowStart, now).toHours() / (24.0 * 7));
        double perWeek = served / weeks;
        Estimate estimate;
        if (position <= free) estimate = new Estimate.Soon();
        else if (served > 0) estimate = new Estimate.Weeks((int) Math.ceil((position - free) / perWeek));
        else estimate = new Estimate.Unknown();
        return new Basis(position, free, served, perWeek, estimate);
    }

    /** Free places the queue could give this group now (from the earliest a convocation may be for). */
    int freePlaces(String procedure, String site, Instant now) {
        Instant from = earliest(site, now);
        Instant to = now.atZone(zone).plus(properties.allocationHorizon()).toInstant();
        if (!to.isAfter(from)) return 0;
        int free = 0;
        for (Slot slot : port.findSlots(new SlotQuery(site, procedure, from, to, FREE_PLACES_LOOKED_AT))) free += slot.free();
        return free;
    }

    /**
     * The earliest start a place given now may have: the text goes out at the end of quiet hours, the person needs
     * {@code min-notice} after it, and an offer may wait {@code offer-delay} for its answer first.
     */
    Instant earliest(String site, Instant now) {
        Instant sent = quiet.nextAllowed(now);
        Instant from = sent.plus(properties.minNotice());
        return properties.mode(site) == QueueProperties.Mode.OFFER ? from.plus(properties.offerDelay()) : from;
    }
}
