package fr.guichet.notify;

import fr.guichet.booking.Reference;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A convocation by phone for a number that cannot receive texts (a landline): the queue gave the person an appointment
 * they do not know of yet. It is one more reminder of the appointment ({@code offset_iso = CONVOCATION}) due at
 * {@code dueAt}, so the reminder dispatcher places it like the others (fixed line → call, quiet hours, up to
 * {@code app.reminder.call.attempts} calls, keys 1 confirm and 2 cancel) and the call says "you are convoked" instead of
 * "reminder". In the caller's transaction, after the booking planned the appointment's reminders.
 */
@Component
public class ConvocationCalls {
    private final JdbcClient jdbc;
    private final Clock clock;

    ConvocationCalls(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** False when the appointment has no reminders here (reminders off, or sent by the outside backend). */
    public boolean schedule(Reference appointment, Instant dueAt) {
        OffsetDateTime due = dueAt.atOffset(ZoneOffset.UTC);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return jdbc.sql("""
                        INSERT INTO reminders (reference, offset_iso, nominal_at, due_at, status, created_at, updated_at)
                        SELECT a.reference, :offset, :due, :due, 'SCHEDULED', :now, :now
                        FROM reminder_appointments a WHERE a.reference = :r AND a.status = 'BOOKED'
                        ON CONFLICT (reference, offset_iso) DO NOTHING""")
                .param("offset", ReminderCalls.CONVOCATION).param("due", due).param("now", now)
                .param("r", appointment.value())
                .update() == 1;
    }
}
