package fr.guichet.queue;

import fr.guichet.booking.NewRequest;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Requests;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Registers a permit's expiry for its renewal, by the person (voice-flows/renewal.yaml) or by a social worker for
 * them: the request enters the queue {@code renewal-lead} (four months) before the expiry, with the promise of a
 * convocation sent at least {@code renewal-guarantee} (two months) before it.
 */
@Component
public class Renewals {
    /**
     * {@code LATER}: enters the queue on {@code queueFrom}. {@code NOW}: the expiry is near, it enters now.
     * {@code LATE}: the promise can no longer be kept; queued now, first in line, and staff are alerted by the
     * at-risk check. Each is the exit of the same name in the flows that register a renewal.
     */
    public enum Timing {
        LATER("success"), NOW("soon"), LATE("late");

        private final String exit;

        Timing(String exit) {
            this.exit = exit;
        }

        public String exit() {
            return exit;
        }
    }

    public record Registered(Reference reference, LocalDate queueFrom, LocalDate convokeBy, Timing timing) {
        /** What the flows read back: the reference, when it enters the queue and by when the convocation comes. */
        public Map<String, String> vars() {
            return Map.of("reference", reference.grouped(), "queue_from", queueFrom.toString(), "convoke_by", convokeBy.toString());
        }
    }

    /** When a renewal of a permit expiring that day enters the queue, and by when its convocation is due. */
    record Dates(Instant queueFrom, Instant convokeBy) {}

    private final Requests requests;
    private final QueueEntries entries;
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    Renewals(Requests requests, QueueEntries entries, QueueProperties properties, Clock clock,
             @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.requests = requests;
        this.entries = entries;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    Dates dates(LocalDate expiry) {
        return new Dates(expiry.minus(properties.renewalLead()).atStartOfDay(zone).toInstant(),
                expiry.minus(properties.renewalGuarantee()).atStartOfDay(zone).toInstant());
    }

    /** In the caller's transaction; the request's idempotency key makes a retried turn record nothing twice. */
    public Registered register(NewRequest request) {
        LocalDate expiry = Objects.requireNonNull(request.documentExpiry(), "documentExpiry");
        QueuedRequest recorded = requests.submit(request);
        Dates dates = dates(expiry);
        Instant now = clock.instant();
        boolean later = dates.queueFrom().isAfter(now);
        entries.describe(recorded.reference(), QueueEntry.Kind.RENEWAL, later ? dates.queueFrom() : null, dates.convokeBy(), null);
        Timing timing = later ? Timing.LATER : dates.convokeBy().isAfter(now) ? Timing.NOW : Timing.LATE;
        return new Registered(recorded.reference(), dates.queueFrom().atZone(zone).toLocalDate(),
                dates.convokeBy().atZone(zone).toLocalDate(), timing);
    }
}
