package fr.guichet.notify;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.Reference;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A notice by phone for a number texts do not reach (a landline, or a mobile that texted STOP): something happened
 * to the person's appointment that they do not know of yet, and the text that says it would be held by the outbox.
 * Each notice is one more reminder row of the appointment, due at {@code dueAt}, so the reminder dispatcher places it
 * like the others (a call, quiet hours, up to {@code app.reminder.call.attempts} attempts, once per appointment and
 * kind), and the call says what happened instead of "reminder":
 * <ul>
 *   <li>{@link #convocation}: the queue, a social worker or the outside backend gave the person this appointment
 *       ({@code offset_iso = CONVOCATION}; keys 1 confirm and 2 cancel, as in a reminder);</li>
 *   <li>{@link #cancellation}: someone else cancelled it, a social worker or the prefecture in the outside backend
 *       ({@code offset_iso = CANCELLATION}; read twice, no keys).</li>
 * </ul>
 * In the caller's transaction, after the booking planned the appointment's reminders (or the cancellation marked
 * them dropped). Each returns true when the person will be called about it (planned now or before: a notice is
 * planned once), false when the appointment has no reminders here (reminders off, sent by the outside backend, or
 * past). Callers with a text to send ask the {@code …InsteadOfText} forms, which call only when texts do not reach
 * the number: on false, they text.
 */
@Component
public class NoticeCalls {
    private static final Logger log = LoggerFactory.getLogger(NoticeCalls.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TextReach reach;

    public NoticeCalls(JdbcClient jdbc, Clock clock, TextReach reach) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.reach = reach;
    }

    /** The convocation of this appointment by a call, if texts do not reach its number: true when the call is planned. */
    public boolean convocationInsteadOfText(Appointment appointment, Instant dueAt) {
        return reach.textsMiss(appointment.applicant().phone()) && planned(appointment, convocation(appointment.reference(), dueAt));
    }

    /** The notice that this appointment is cancelled, by a call, if texts do not reach its number: true when planned. */
    public boolean cancellationInsteadOfText(Appointment appointment, Instant dueAt) {
        return reach.textsMiss(appointment.applicant().phone()) && planned(appointment, cancellation(appointment.reference(), dueAt));
    }

    public boolean convocation(Reference appointment, Instant dueAt) {
        return schedule(appointment, ReminderCalls.CONVOCATION, "BOOKED", dueAt);
    }

    public boolean cancellation(Reference appointment, Instant dueAt) {
        return schedule(appointment, ReminderCalls.CANCELLATION, "CANCELLED", dueAt);
    }

    private static boolean planned(Appointment appointment, boolean planned) {
        if (!planned) log.warn("Notice of {} to a number texts do not reach: no reminders here to call it, texted (it will not arrive)",
                appointment.reference());
        return planned;
    }

    private boolean schedule(Reference appointment, String kind, String appointmentStatus, Instant dueAt) {
        OffsetDateTime due = dueAt.atOffset(ZoneOffset.UTC);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return jdbc.sql("""
                        INSERT INTO reminders (reference, offset_iso, nominal_at, due_at, status, created_at, updated_at)
                        SELECT a.reference, :offset, :due, :due, 'SCHEDULED', :now, :now
                        FROM reminder_appointments a WHERE a.reference = :r AND a.status = :status AND a.start_at > :now
                        ON CONFLICT (reference, offset_iso) DO UPDATE SET updated_at = reminders.updated_at""")
                .param("offset", kind).param("due", due).param("now", now).param("status", appointmentStatus)
                .param("r", appointment.value())
                .update() == 1;
    }
}
