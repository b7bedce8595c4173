package fr.guichet.queue;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.AppointmentMoved;
import fr.guichet.booking.BookedBy;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.Reference;
import fr.guichet.booking.RequestReceived;
import fr.guichet.booking.SlotsOpened;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the queue does when the booking backend reports a change, inside the backend's own transaction (the events
 * are published there): the convocation of every booked or moved appointment, a freed place to the queue first, the
 * acknowledgement of every recorded request, an allocation when places open.
 */
@Component
class QueueEvents {
    private final Allocator allocator;
    private final QueueEntries entries;
    private final Offers offers;
    private final QueueNotices notices;
    private final DelayEstimates estimates;
    private final AllocationTrigger trigger;
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    QueueEvents(Allocator allocator, QueueEntries entries, Offers offers, QueueNotices notices, DelayEstimates estimates,
                AllocationTrigger trigger, QueueProperties properties, Clock clock, @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.allocator = allocator;
        this.entries = entries;
        this.offers = offers;
        this.notices = notices;
        this.estimates = estimates;
        this.trigger = trigger;
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    private static boolean byWorker(Appointment a) {
        return BookedBy.byWorker(a.bookedBy());
    }

    /**
     * Every booked appointment gets its convocation, whoever booked it, except: social workers' bookings, which
     * WorkerNotices texts (same purpose key, so one text whatever the order), and the queue's own, texted by the
     * allocation with what only it knows (offer or convocation, another date allowed). It answers the person's own
     * booking, so it goes at once, even at night.
     */
    @EventListener
    void booked(AppointmentBooked event) {
        Appointment a = event.appointment();
        if (byWorker(a)) return;
        if (a.channel() == BookingChannel.QUEUE && a.bookedBy() != null && a.bookedBy().startsWith(Allocator.CONVOKE)) return;
        notices.convocation(a, false, false);
    }

    /** The place freed goes to the queue first; a person who cancels a place offered to them has turned it down. */
    @EventListener
    void cancelled(AppointmentCancelled event) {
        Appointment a = event.appointment();
        Instant now = clock.instant();
        Set<Long> excluded = new HashSet<>();
        Optional<Offers.Offer> offer = offers.openForAppointment(a.reference());
        offer.ifPresent(o -> {
            offers.decline(o.id(), now);
            excluded.add(o.requestId());
        });
        allocator.placeFreed(a.slotId(), excluded);
        offer.ifPresent(o -> entries.backToQueue(o.requestId(), now, false));
    }

    /**
     * A move: the request follows its appointment, moving a place offered is accepting it, the new appointment gets
     * its convocation (at once: the person moved it), and the old place goes to the queue.
     */
    @EventListener
    void moved(AppointmentMoved event) {
        Instant now = clock.instant();
        Appointment from = event.from();
        Appointment to = event.to();
        Optional<Offers.Offer> offer = offers.openForAppointment(from.reference());
        entries.appointmentMoved(from.reference(), to.reference(), now);
        offer.ifPresent(o -> {
            if (offers.accept(o.id(), now)) entries.offerAccepted(o.requestId(), now);
        });
        if (!byWorker(to)) notices.convocation(to, false, false);
        allocator.placeFreed(from.slotId(), Set.of());
    }

    @EventListener
    void slotsOpened(SlotsOpened event) {
        trigger.afterCommit();
    }

    /**
     * The acknowledgement of receipt, composed just before the request's transaction commits: the queue may still
     * describe the request in that transaction (a renewal, a récépissé follow-up), and a request rolled back
     * meanwhile gets nothing. Then an allocation, which serves it at once if a place is free.
     */
    @EventListener
    void requestReceived(RequestReceived event) {
        Reference reference = event.request().reference();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            acknowledge(reference);
        } else {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    acknowledge(reference);
                }
            });
        }
        trigger.afterCommit();
    }

    private void acknowledge(Reference reference) {
        Optional<QueueEntry> recorded = entries.byReference(reference);
        if (recorded.isEmpty()) return;
        QueueEntry entry = recorded.get();
        if (entry.documentExpiry() != null && entry.convokeBy() == null) {
            // A renewal's expiry given with the request: the same promise as a registered renewal.
            entries.deadlineIfRenewal(reference, entry.documentExpiry().minus(properties.renewalGuarantee()).atStartOfDay(zone).toInstant());
            entry = entries.byReference(reference).orElseThrow();
        }
        notices.acknowledge(entry, entry.kind() == QueueEntry.Kind.REQUEST ? estimates.estimate(entry) : null);
    }
}
