package fr.guichet.queue;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.QueuedRequest;
import fr.guichet.booking.Requests;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.FlowActions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The flow action {@code queue_renewal} (voice-flows/renewal.yaml): a permit's expiry is registered now as a request
 * that enters the queue {@code renewal-lead} (four months) before it, with the promise of a convocation sent at
 * least {@code renewal-guarantee} (two months) before it. Outcomes: {@code success} (enters later), {@code soon}
 * (enters now: the expiry is near), {@code late} (the promise can no longer be kept: queued now, first in line, and
 * staff are alerted by the at-risk check).
 */
@Component
class RenewalActions implements FlowActions {
    static final String ACTION = "queue_renewal";

    private final Requests requests;
    private final QueueEntries entries;
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    RenewalActions(Requests requests, QueueEntries entries, QueueProperties properties, Clock clock,
                   @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.requests = requests;
        this.entries = entries;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public boolean handles(String action) {
        return ACTION.equals(action);
    }

    /** When a renewal of a permit expiring that day enters the queue, and by when its convocation is due. */
    record Dates(Instant queueFrom, Instant convokeBy) {}

    Dates dates(LocalDate expiry) {
        return new Dates(expiry.minus(properties.renewalLead()).atStartOfDay(zone).toInstant(),
                expiry.minus(properties.renewalGuarantee()).atStartOfDay(zone).toInstant());
    }

    @Override
    public Result run(Call call) {
        Map<String, String> v = call.vars();
        String procedure = v.get("procedure");
        String expiryText = v.get("expiry");
        if (procedure == null || procedure.isEmpty() || expiryText == null || expiryText.isEmpty() || v.get("birth_date") == null) {
            return Result.of("failure");
        }
        LocalDate expiry = LocalDate.parse(expiryText);
        String site = v.get("site") == null || v.get("site").isEmpty() ? null : v.get("site");
        Applicant applicant = new Applicant(v.getOrDefault("name", ""), LocalDate.parse(v.get("birth_date")), call.phone(), call.language());
        BookingChannel channel = call.channel() == Channel.VOICE ? BookingChannel.VOICE : BookingChannel.SMS;
        // The same turn of the same conversation makes the same key: a retried turn records nothing twice.
        QueuedRequest recorded = requests.submit(new NewRequest("renewal:" + call.phone().e164() + ":" + call.steps(), procedure, site,
                applicant, expiry, channel, null));
        Dates dates = dates(expiry);
        Instant now = clock.instant();
        entries.describe(recorded.reference(), QueueEntry.Kind.RENEWAL, dates.queueFrom().isAfter(now) ? dates.queueFrom() : null,
                dates.convokeBy(), null);
        Map<String, String> out = Map.of(
                "reference", recorded.reference().grouped(),
                "queue_from", dates.queueFrom().atZone(zone).toLocalDate().toString(),
                "convoke_by", dates.convokeBy().atZone(zone).toLocalDate().toString());
        if (dates.queueFrom().isAfter(now)) return new Result("success", out);
        if (dates.convokeBy().isAfter(now)) return new Result("soon", out);
        return new Result("late", out);
    }
}
