package fr.guichet.notify;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.AppointmentMoved;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Plans reminders when appointments are booked or moved, and drops them when appointments are cancelled or moved.
 *
 * <p>The booking events are published inside the booking's transaction and these listeners run synchronously in it,
 * so the reminders commit or roll back with the booking: none for a booking that failed, none lost for one that
 * committed, none left behind by a cancellation. Planning runs behind a savepoint: if it fails, the booking still
 * commits with its appointment marked {@code schedule_pending}, and the dispatcher plans it on its next pass.
 */
@Component
class ReminderScheduler {
    private static final Logger log = LoggerFactory.getLogger(ReminderScheduler.class);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final QuietHours quiet;
    private final ReminderSettings settings;
    private final TransactionTemplate transaction;

    ReminderScheduler(JdbcClient jdbc, Clock clock, QuietHours quiet, ReminderSettings settings, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.quiet = quiet;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
    }

    @EventListener
    void booked(AppointmentBooked event) {
        plan(event.appointment());
    }

    @EventListener
    void cancelled(AppointmentCancelled event) {
        if (!settings.sentByGuichet()) return;
        Instant now = clock.instant();
        String reference = event.appointment().reference().value();
        jdbc.sql("UPDATE reminder_appointments SET status = 'CANCELLED', cancel_asked_at = NULL, updated_at = :now WHERE reference = :r")
                .param("now", utc(now)).param("r", reference).update();
        drop(reference, "CANCELLED", now);
    }

    @EventListener
    void moved(AppointmentMoved event) {
        if (!settings.sentByGuichet()) return;
        Instant now = clock.instant();
        String from = event.from().reference().value();
        jdbc.sql("""
                UPDATE reminder_appointments SET status = 'MOVED', moved_to = :to, cancel_asked_at = NULL, updated_at = :now
                WHERE reference = :r""")
                .param("to", event.to().reference().value()).param("now", utc(now)).param("r", from).update();
        drop(from, "MOVED", now);
        plan(event.to());
    }

    /**
     * Records the appointment and its reminders; on any failure, only the appointment, for the dispatcher to plan.
     * Inside a transaction (every booking's), the savepoint, both inserts and its release go in one round trip: they
     * are a third of a booking's round trips otherwise.
     */
    private void plan(Appointment appointment) {
        if (!settings.enabled()) return;
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            transaction.executeWithoutResult(status -> plan(appointment));
            return;
        }
        Statement planned;
        try {
            planned = recorded(appointment, false).then(planned(appointment.reference().value(), appointment.start()));
        } catch (RuntimeException e) {
            keptForLater(appointment, e);
            return;
        }
        try {
            new Statement("SAVEPOINT reminder_plan", List.of()).then(planned)
                    .then(new Statement("RELEASE SAVEPOINT reminder_plan", List.of())).run(jdbc);
        } catch (RuntimeException e) {
            jdbc.sql("ROLLBACK TO SAVEPOINT reminder_plan").update();
            keptForLater(appointment, e);
        }
    }

    private void keptForLater(Appointment appointment, RuntimeException e) {
        log.error("Reminders: planning failed for an appointment; it is kept for the next pass of the dispatcher", e);
        recorded(appointment, true).run(jdbc);
    }

    /** SQL with its positional parameters; several are sent as one (PostgreSQL's driver runs them in one round trip). */
    private record Statement(String sql, List<Object> params) {
        Statement then(Statement next) {
            if (next == null) return this;
            List<Object> all = new java.util.ArrayList<>(params);
            all.addAll(next.params);
            return new Statement(sql + ";\n" + next.sql, all);
        }

        void run(JdbcClient jdbc) {
            jdbc.sql(sql).params(params).update();
        }
    }

    private Statement recorded(Appointment a, boolean pending) {
        OffsetDateTime now = utc(clock.instant());
        return new Statement("""
                INSERT INTO reminder_appointments (reference, status, site, start_at, phone, language, booked_by, initials,
                                                   schedule_pending, created_at, updated_at)
                VALUES (?, 'BOOKED', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (reference) DO UPDATE SET status = 'BOOKED', site = EXCLUDED.site, start_at = EXCLUDED.start_at,
                       phone = EXCLUDED.phone, language = EXCLUDED.language, booked_by = EXCLUDED.booked_by,
                       initials = EXCLUDED.initials, schedule_pending = EXCLUDED.schedule_pending, updated_at = EXCLUDED.updated_at""",
                java.util.Arrays.asList(a.reference().value(), a.site(), utc(a.start()),
                        a.applicant().phone() == null ? null : a.applicant().phone().e164(), a.applicant().language(),
                        a.bookedBy(), a.applicant().initials(), pending, now, now));
    }

    /**
     * Plans the reminders of an appointment already in {@code reminder_appointments} (the back-fill and failed
     * listeners). Offsets planned before keep their row: planning twice adds nothing.
     */
    void planStored(String reference, Instant start) {
        Statement planned = planned(reference, start);
        if (planned != null) planned.run(jdbc);
        jdbc.sql("UPDATE reminder_appointments SET schedule_pending = FALSE WHERE reference = :r AND schedule_pending")
                .param("r", reference).update();
    }

    /** One statement for all the offsets (null when none is due): planning runs inside every booking's transaction. */
    private Statement planned(String reference, Instant start) {
        Instant now = clock.instant();
        List<ReminderPlan.Planned> plan = ReminderPlan.plan(start, now, settings.offsets(), quiet, settings.minLead(), settings.zone());
        if (plan.isEmpty()) return null;
        StringBuilder sql = new StringBuilder(
                "INSERT INTO reminders (reference, offset_iso, nominal_at, due_at, status, reason, created_at, updated_at) VALUES ");
        List<Object> params = new java.util.ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            ReminderPlan.Planned p = plan.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?)");
            params.addAll(java.util.Arrays.asList(reference, p.offset().iso(), utc(p.nominal()), p.due() == null ? null : utc(p.due()),
                    p.skip() == null ? "SCHEDULED" : "SKIPPED", p.skip() == null ? null : p.skip().name(), utc(now), utc(now)));
        }
        sql.append(" ON CONFLICT (reference, offset_iso) DO NOTHING");
        return new Statement(sql.toString(), params);
    }

    /**
     * Reminders not yet sent are dropped; a call not yet placed is dropped too, so nobody is called about a cancelled
     * appointment, except by the notice that tells of the cancellation ({@link NoticeCalls#cancellation}).
     */
    private void drop(String reference, String reason, Instant now) {
        jdbc.sql("""
                UPDATE reminder_calls SET status = 'DROPPED', updated_at = :now
                WHERE status = 'PENDING' AND reminder_id IN (SELECT id FROM reminders WHERE reference = :r AND offset_iso <> 'CANCELLATION')
                """).param("now", utc(now)).param("r", reference).update();
        jdbc.sql("""
                UPDATE reminders SET status = 'DROPPED', reason = :reason, updated_at = :now
                WHERE reference = :r AND status IN ('SCHEDULED', 'CALLING') AND offset_iso <> 'CANCELLATION'
                """).param("reason", reason).param("now", utc(now)).param("r", reference).update();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
