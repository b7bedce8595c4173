package fr.guichet.notify;

import fr.guichet.booking.Reference;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * past): the caller then texts, as before.
 */
@Component
public class NoticeCalls {
    private final JdbcClient jdbc;
    private final Clock clock;

    NoticeCalls(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public boolean convocation(Reference appointment, Instant dueAt) {
        return schedule(appointment, ReminderCalls.CONVOCATION, "BOOKED", dueAt);
    }

    public boolean cancellation(Reference appointment, Instant dueAt) {
        return schedule(appointment, ReminderCalls.CANCELLATION, "CANCELLED", dueAt);
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
