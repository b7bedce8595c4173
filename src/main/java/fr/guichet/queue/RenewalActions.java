package fr.guichet.queue;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.NewRequest;
import fr.guichet.conversation.Channel;
import fr.guichet.conversation.FlowActions;
import java.time.LocalDate;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The flow action {@code queue_renewal} (voice-flows/renewal.yaml): the person registers their permit's expiry
 * ({@link Renewals}). Outcomes: {@code success} (enters the queue later), {@code soon} (enters now: the expiry is
 * near), {@code late} (the promise can no longer be kept: first in line, staff alerted).
 */
@Component
class RenewalActions implements FlowActions {
    static final String ACTION = "queue_renewal";

    private final Renewals renewals;

    RenewalActions(Renewals renewals) {
        this.renewals = renewals;
    }

    @Override
    public boolean handles(String action) {
        return ACTION.equals(action);
    }

    @Override
    public Result run(Call call) {
        Map<String, String> v = call.vars();
        String procedure = v.get("procedure");
        String expiry = v.get("expiry");
        if (procedure == null || procedure.isEmpty() || expiry == null || expiry.isEmpty() || v.get("birth_date") == null) {
            return Result.of("failure");
        }
        String site = v.get("site") == null || v.get("site").isEmpty() ? null : v.get("site");
        Applicant applicant = new Applicant(v.getOrDefault("name", ""), LocalDate.parse(v.get("birth_date")), call.phone(), call.language());
        BookingChannel channel = call.channel() == Channel.VOICE ? BookingChannel.VOICE : BookingChannel.SMS;
        // The same turn of the same conversation makes the same key: a retried turn records nothing twice.
        Renewals.Registered registered = renewals.register(new NewRequest("renewal:" + call.phone().e164() + ":" + call.steps(),
                procedure, site, applicant, LocalDate.parse(expiry), channel, null));
        return new Result(registered.timing().exit(), registered.vars());
    }
}
