package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentMoved;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.Reference;
import fr.guichet.booking.ReferenceRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What a webhook from the backend changes here. An rdv cancelled there (status excused or revoked, or destroyed)
 * is cancelled here ({@code AppointmentCancelled}: reminders stop, the person's conversation about it is freed) and
 * the person is texted; an rdv moved there to another time replaces the appointment with a new one, as a move in
 * Guichet does ({@code AppointmentMoved}: reminders follow the new time) and the person is texted; seen and noshow
 * mark it attended or absent. Deliveries are retried by the backend, so each change is applied once: a second
 * delivery finds nothing left to change. Rdvs Guichet did not book are ignored.
 */
final class RdvspWebhooks {
    private static final Logger log = LoggerFactory.getLogger(RdvspWebhooks.class);

    enum Result { APPLIED, UNCHANGED, NOT_OURS, IGNORED }

    private final RdvspAppointments appointments;
    private final RdvspBookingPort port;
    private final RdvspNotices notices;
    private final ReferenceRegistry references;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RdvspWebhooks(RdvspAppointments appointments, RdvspBookingPort port, RdvspNotices notices, ReferenceRegistry references,
                  ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.appointments = appointments;
        this.port = port;
        this.notices = notices;
        this.references = references;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** @param payload {@code {"data":{…rdv…},"meta":{"model":"Rdv","event":"created|updated|destroyed"}}} */
    Result apply(JsonNode payload) {
        JsonNode meta = payload.path("meta");
        if (!"Rdv".equals(meta.path("model").asString(""))) return Result.IGNORED;
        String event = meta.path("event").asString("");
        JsonNode data = payload.path("data");
        if (!data.path("id").isNumber()) return Result.IGNORED;
        long rdvId = data.path("id").asLong();
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Optional<RdvspAppointments.Held> held = appointments.activeByRdvForUpdate(rdvId);
            if (held.isEmpty()) {
                Optional<RdvspAppointments.Held> any = appointments.latestByRdv(rdvId);
                if (any.isEmpty()) return Result.NOT_OURS;
                return marked(any.get(), data.path("status").asString(""), now);
            }
            Appointment a = held.get().appointment();
            String rdvStatus = data.path("status").asString("");
            if ("destroyed".equals(event) || "excused".equals(rdvStatus) || "revoked".equals(rdvStatus)) {
                Appointment cancelled = port.cancelLocally(a, now);
                notices.cancelled(cancelled);
                log.info("An appointment was cancelled at RDV Service Public (rdv {}): cancelled here too", rdvId);
                return Result.APPLIED;
            }
            Optional<RdvspClient.Rdv> rdv = RdvspClient.rdvOf(data);
            if (rdv.isPresent() && !rdv.get().start().equals(a.start())) {
                moved(held.get(), rdv.get(), now);
                log.info("An appointment was moved at RDV Service Public (rdv {}): moved here too", rdvId);
                return Result.APPLIED;
            }
            return marked(held.get(), rdvStatus, now);
        });
    }

    private void moved(RdvspAppointments.Held held, RdvspClient.Rdv rdv, Instant now) {
        Appointment from = held.appointment();
        Reference reference = references.register(ReferenceRegistry.Kind.APPOINTMENT);
        appointments.markMoved(from.reference(), reference, now);
        long lieu = SlotIds.decode(from.slotId()).orElseThrow().lieuId();
        Appointment to = new Appointment(reference, AppointmentStatus.BOOKED, SlotIds.encode(lieu, rdv.start()), from.site(),
                rdv.start(), rdv.durationMinutes() > 0 ? java.time.Duration.ofMinutes(rdv.durationMinutes()) : from.duration(),
                from.procedure(), from.applicant(), from.channel(), from.bookedBy(), now);
        // The old row is MOVED now, so the one-active rule lets the new one in.
        appointments.insert(to, rdv.id(), held.userId(), appointments.overrides(from.reference()));
        Appointment old = new Appointment(from.reference(), AppointmentStatus.MOVED, from.slotId(), from.site(), from.start(),
                from.duration(), from.procedure(), from.applicant(), from.channel(), from.bookedBy(), from.createdAt());
        // Told first, so this text (which says the appointment was moved) is the one the convocation key keeps.
        notices.moved(to);
        events.publishEvent(new AppointmentMoved(old, to));
        notices.movedByCall(to);
    }

    /** seen → attended, noshow → absent; anything else changes nothing. */
    private Result marked(RdvspAppointments.Held held, String rdvStatus, Instant now) {
        AppointmentStatus mark = switch (rdvStatus) {
            case "seen" -> AppointmentStatus.ATTENDED;
            case "noshow" -> AppointmentStatus.NO_SHOW;
            default -> null;
        };
        AppointmentStatus current = held.appointment().status();
        if (mark == null || mark == current || current == AppointmentStatus.CANCELLED || current == AppointmentStatus.MOVED) {
            return Result.UNCHANGED;
        }
        appointments.setStatus(held.appointment().reference(), mark, now);
        return Result.APPLIED;
    }
}
