package fr.guichet.queue;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.notify.QuietHours;
import fr.guichet.notify.TextReach;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives places to the queue: each request, in the order of service, gets the earliest free place that fits it
 * (procedure, site preference, far enough ahead for the text to arrive and the person to come). Every place is
 * booked through {@link BookingPort#book} (channel QUEUE) with a deterministic idempotency key, so the booking
 * guarantees hold (never a place twice) and a retried step never books twice; the request row is locked while it is
 * served and leaves WAITING by a conditional update (never convoked twice).
 *
 * <p>A freed place (cancellation, move) goes to the first matching request inside the transaction that freed it,
 * never back to first-come booking, unless it is too close to be given (then it stays free).
 */
@Component
class Allocator {
    private static final Logger log = LoggerFactory.getLogger(Allocator.class);
    /** Bookings tried per request per pass when places are taken under our feet. */
    private static final int CANDIDATES = 8;
    /** Requests tried for one freed place when the first ones already hold an appointment. */
    private static final int TRIES_PER_PLACE = 20;
    static final String CONVOKE = "queue";
    static final String OFFER = "queue:offer";

    private final BookingPort port;
    private final QueueEntries entries;
    private final Offers offers;
    private final QueueNotices notices;
    private final TextReach reach;
    private final DelayEstimates estimates;
    private final QueueProperties properties;
    private final QuietHours quiet;
    private final SweepLease lease;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final ZoneId zone;
    private final TransactionTemplate own;
    private final TransactionTemplate nested;

    Allocator(BookingPort port, QueueEntries entries, Offers offers, QueueNotices notices, DelayEstimates estimates,
              QueueProperties properties, QuietHours quiet, SweepLease lease, JdbcClient jdbc, Clock clock,
              @Value("${app.time-zone:Europe/Paris}") ZoneId zone, PlatformTransactionManager transactions, TextReach reach) {
        this.reach = reach;
        this.port = port;
        this.entries = entries;
        this.offers = offers;
        this.notices = notices;
        this.estimates = estimates;
        this.properties = properties;
        this.quiet = quiet;
        this.lease = lease;
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = zone;
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** What one pass did. */
    record Pass(int convoked, int offered, int alreadyHeld, int lapsed, int examined) {
        Pass plus(Pass o) {
            return new Pass(convoked + o.convoked, offered + o.offered, alreadyHeld + o.alreadyHeld, lapsed + o.lapsed, examined + o.examined);
        }
    }

    /**
     * The scheduled (and event-triggered) allocation: lapsed offers first, then every request that can be served.
     * One sweep at a time in the cluster; asked for while another runs, it becomes one more pass of that one.
     */
    Pass sweep() {
        String token = UUID.randomUUID().toString();
        if (!lease.acquire(token)) return new Pass(0, 0, 0, 0, 0);
        Pass total = new Pass(0, 0, 0, 0, 0);
        try {
            do {
                total = total.plus(pass(token));
            } while (lease.another(token));
        } catch (RuntimeException e) {
            lease.release(token);
            throw e;
        }
        return total;
    }

    /** One pass without the lease (the sweep's body; tests run two at once to check they never collide). */
    Pass pass(String token) {
        int lapsed = expireOffers();
        Instant now = clock.instant();
        Set<String> exhausted = new HashSet<>();
        Set<Long> skipped = new HashSet<>();
        int convoked = 0, offered = 0, held = 0, examined = 0;
        int bound = entries.waiting() + CANDIDATES;
        for (int i = 0; i < bound; i++) {
            if (token != null && i > 0 && i % 500 == 0) lease.renew(token);
            Served served;
            java.util.concurrent.atomic.AtomicLong current = new java.util.concurrent.atomic.AtomicLong(-1);
            try {
                served = own.execute(status -> {
                    Optional<QueueEntry> next = entries.nextToServe(now, exhausted, skipped);
                    if (next.isEmpty()) return null;
                    QueueEntry entry = next.get();
                    current.set(entry.id());
                    return new Served(entry, serve(entry, now));
                });
            } catch (BackendUnavailable e) {
                log.warn("Queue: the booking backend does not answer; allocation waits for the next sweep");
                break;
            } catch (RuntimeException e) {
                // A request that fails to be served waits for the next pass; the others go on.
                // The class and where, never the message: a database error can quote values (a phone number).
                log.error("Queue: a request could not be served this pass ({} at {})", e.getClass().getName(), where(e));
                if (current.get() < 0) break;
                skipped.add(current.get());
                continue;
            }
            if (served == null) break;
            examined++;
            switch (served.given()) {
                case CONVOKED -> convoked++;
                case OFFERED -> offered++;
                case ALREADY_HELD -> held++;
                case NO_PLACE -> exhausted.add(served.entry().group());
                case REFUSED -> skipped.add(served.entry().id());
                case FULL -> skipped.add(served.entry().id());
            }
        }
        if (convoked + offered + held + lapsed > 0) {
            log.info("Queue: {} convoked, {} offered, {} already held an appointment, {} offers lapsed ({} requests examined)",
                    convoked, offered, held, lapsed, examined);
        }
        return new Pass(convoked, offered, held, lapsed, examined);
    }

    private record Served(QueueEntry entry, Given given) {}

    /** The outside booking backend did not answer: no use trying the next requests now. */
    static final class BackendUnavailable extends RuntimeException {
        BackendUnavailable() {
            super("booking backend unavailable", null, false, false);
        }
    }

    enum Given { CONVOKED, OFFERED, ALREADY_HELD, FULL, NO_PLACE, REFUSED }

    /** The earliest place that fits the request, tried in start order (a place taken meanwhile: the next one). */
    private Given serve(QueueEntry entry, Instant now) {
        Instant from = estimates.earliest(entry.site(), now);
        Instant to = now.atZone(zone).plus(properties.allocationHorizon()).toInstant();
        if (!to.isAfter(from)) return Given.NO_PLACE;
        // Places taken by other bookings between the search and the booking: search again, a few times.
        for (int round = 0; round < 3; round++) {
            List<Slot> candidates = port.findSlots(new SlotQuery(entry.site(), entry.procedure(), from, to, CANDIDATES));
            if (candidates.isEmpty()) return Given.NO_PLACE;
            for (Slot slot : candidates) {
                if (slot.start().isBefore(estimates.earliest(slot.site(), now))) continue;
                Given given = give(entry, slot.id(), slot.site(), now);
                if (given != Given.FULL) return given;
            }
        }
        return Given.FULL;
    }

    /**
     * Books one place for the request, in the caller's transaction, with the request row locked. The key names the
     * request, how many places it was given before and the slot: the same step retried gets the same answer, a
     * place found full is not asked again under the same key.
     */
    private Given give(QueueEntry entry, long slotId, String site, Instant now) {
        // An offer is accepted by text: never to a worker's request (maybe no phone), a landline or a number that
        // stopped texts.
        boolean offer = !entry.byWorker() && reach.textsReach(entry.applicant().phone())
                && properties.mode(site) == QueueProperties.Mode.OFFER && entry.offersLapsed() < properties.maxLapsedOffers();
        String key = "queue:" + entry.reference().value() + ":" + (entry.allocations() + 1) + ":" + slotId;
        // A worker's request keeps the worker as who booked: they list, move and cancel it, and the worker's package
        // texts its convocation (to the worker for a person without a phone) when the booking is published.
        BookingCommand command = new BookingCommand(key, slotId, entry.procedure(), entry.applicant(), BookingChannel.QUEUE,
                entry.byWorker() ? entry.bookedBy() : offer ? OFFER : CONVOKE, false);
        // Behind a savepoint: a place found taken leaves no remembered refusal under this key, so the same request may
        // be given the same slot later, when a place frees up there.
        BookingOutcome outcome = nested.execute(status -> {
            BookingOutcome o = port.book(command);
            if (!(o instanceof BookingOutcome.Booked) && !(o instanceof BookingOutcome.AlreadyBooked)) status.setRollbackOnly();
            return o;
        });
        return switch (outcome) {
            case BookingOutcome.Booked b -> {
                Appointment a = b.appointment();
                if (offer) {
                    Instant sendAt = quiet.nextAllowed(now);
                    Instant until = sendAt.plus(properties.offerDelay());
                    offers.open(entry.id(), a.reference(), until, now);
                    if (!entries.offered(entry.id(), a.reference(), now)) throw new IllegalStateException("request left WAITING meanwhile");
                    notices.offer(a, sendAt, until);
                    yield Given.OFFERED;
                }
                if (!entries.convoked(entry.id(), a.reference(), now)) throw new IllegalStateException("request left WAITING meanwhile");
                if (!entry.byWorker()) notices.convocation(a, !entry.otherAsked(), true);
                yield Given.CONVOKED;
            }
            case BookingOutcome.AlreadyBooked already -> {
                // The person booked this procedure themselves meanwhile: that appointment serves the request.
                entries.servedBy(entry.id(), already.existing(), now);
                yield Given.ALREADY_HELD;
            }
            case BookingOutcome.SlotFull f -> Given.FULL;
            case BookingOutcome.SlotNotFound f -> Given.FULL;
            case BookingOutcome.SlotInPast f -> Given.FULL;
            case BookingOutcome.ProcedureNotAccepted f -> Given.FULL;
            case BookingOutcome.BackendUnavailable u -> throw new BackendUnavailable();
            default -> {
                log.warn("Queue: request {} refused by the booking backend ({})", entry.reference(), outcome.getClass().getSimpleName());
                yield Given.REFUSED;
            }
        };
    }

    /**
     * A place was freed in the current transaction: it goes to the first request it fits, behind a savepoint so that
     * a failure here never undoes the cancellation that freed it (the place then waits for the next sweep).
     */
    void placeFreed(long slotId, Collection<Long> excluded) {
        try {
            nested.executeWithoutResult(status -> giveFreedPlace(slotId, new HashSet<>(excluded)));
        } catch (RuntimeException e) {
            log.error("Queue: a freed place could not be given now ({} at {}); the next sweep will", e.getClass().getName(), where(e));
        }
    }

    private record FreedSlot(String site, Instant start, List<String> procedures, int free) {}

    private void giveFreedPlace(long slotId, Set<Long> excluded) {
        Optional<FreedSlot> slot = jdbc.sql("SELECT site, start_at, procedures, capacity - booked AS free FROM slots WHERE id = :id")
                .param("id", slotId)
                .query((rs, n) -> new FreedSlot(rs.getString("site"), rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                        Arrays.asList((String[]) rs.getArray("procedures").getArray()), rs.getInt("free")))
                .optional();
        if (slot.isEmpty() || slot.get().free() <= 0) return;
        Instant now = clock.instant();
        // Too close for a text to reach the person in time: it stays free, for whoever books it now.
        if (slot.get().start().isBefore(estimates.earliest(slot.get().site(), now))) return;
        // Waiting for the first request if an allocation holds it, but not for long: a cancellation never hangs on
        // the queue (on timeout the savepoint is rolled back and the next sweep gives the place).
        jdbc.sql("SET LOCAL lock_timeout = '2s'").update();
        for (int i = 0; i < TRIES_PER_PLACE; i++) {
            Optional<QueueEntry> next = entries.nextForPlace(slot.get().site(), slot.get().procedures(), now, excluded);
            if (next.isEmpty()) next = entries.nextForPlace(slot.get().site(), slot.get().procedures(), now, excluded);
            if (next.isEmpty()) break;
            Given given = give(next.get(), slotId, slot.get().site(), now);
            if (given == Given.CONVOKED || given == Given.OFFERED || given == Given.FULL) break;
            excluded.add(next.get().id());
        }
        jdbc.sql("SET LOCAL lock_timeout = DEFAULT").update();
    }

    /** The first frame of our own code in the failure, to find it without logging what the message may quote. */
    static String where(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("fr.guichet.")) return frame.toString();
        }
        return e.getStackTrace().length > 0 ? e.getStackTrace()[0].toString() : "?";
    }

    /**
     * Offers whose delay is over: the held place is released to the queue, the request waits again, and the person is
     * told so (out of quiet hours), rather than learning it only by replying too late.
     */
    int expireOffers() {
        Instant now = clock.instant();
        int lapsed = 0;
        for (Long id : offers.dueIds(now, 500)) {
            Boolean done = own.execute(status -> {
                Optional<Offers.Offer> offer = offers.lockDue(id, now);
                if (offer.isEmpty() || !offers.lapse(id, now)) return false;
                // Cancelled while the request is still OFFERED: the freed place goes to the next request, not back.
                CancelOutcome cancelled = port.cancelBookedBy(offer.get().appointment(), OFFER);
                if (cancelled instanceof CancelOutcome.Cancelled c) {
                    notices.offerLapsed(c.appointment(), quiet.nextAllowed(now));
                } else {
                    log.warn("Queue: the place of a lapsed offer was not active any more ({})", cancelled.getClass().getSimpleName());
                }
                entries.backToQueue(offer.get().requestId(), now, true);
                return true;
            });
            if (Boolean.TRUE.equals(done)) lapsed++;
        }
        return lapsed;
    }
}
