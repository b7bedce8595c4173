package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Appointment;
import fr.guichet.booking.BookingOutcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the bookings kept while the backend was down, once it answers (a db-scheduler recurring task, so one
 * instance at a time; each attempt also under an advisory lock), and texts the person the result. Also settles
 * attempts interrupted mid-call (a crash, a rolled-back turn): a POST that may have booked is looked up, never sent
 * again blindly. A kept booking whose time has passed is given up and the person told.
 */
final class RdvspReplay {
    private static final Logger log = LoggerFactory.getLogger(RdvspReplay.class);
    private static final int BATCH = 20;

    private final RdvspAttempts attempts;
    private final RdvspBookingPort port;
    private final RdvspMapping mapping;
    private final RdvspAppointments appointments;
    private final RdvspNotices notices;
    private final BackendStatus status;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final RdvspProperties properties;

    RdvspReplay(RdvspAttempts attempts, RdvspBookingPort port, RdvspMapping mapping, RdvspAppointments appointments,
                RdvspNotices notices, BackendStatus status, JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
                RdvspProperties properties) {
        this.attempts = attempts;
        this.port = port;
        this.mapping = mapping;
        this.appointments = appointments;
        this.notices = notices;
        this.status = status;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
    }

    /** One pass: every due attempt, each in its own transaction. */
    void run() {
        Instant now = clock.instant();
        List<String> due = attempts.due(now, now.minus(properties.inFlightGrace()), BATCH);
        for (String key : due) {
            try {
                transactions.executeWithoutResult(tx -> replay(key));
            } catch (RuntimeException e) {
                log.warn("Replay of a kept booking failed ({}); tried again later", e.getClass().getSimpleName());
            }
            if (status.snapshot().state() == BackendStatus.State.RATE_LIMITED) break;
        }
    }

    private void replay(String key) {
        boolean mine = jdbc.sql("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 61))").param(key).query(Boolean.class).single();
        if (!mine) return;
        Optional<RdvspAttempts.Attempt> found = attempts.find(key);
        if (found.isEmpty()) return;
        RdvspAttempts.Attempt a = found.get();
        appointments.lockPerson(a.applicant(), a.procedure());
        a = attempts.find(key).orElseThrow();
        Instant now = clock.instant();
        boolean interrupted = a.state() == RdvspAttempts.State.IN_FLIGHT;
        if (!interrupted && a.state() != RdvspAttempts.State.PENDING) return;
        if (interrupted && a.updatedAt().isAfter(now.minus(properties.inFlightGrace()))) return;
        boolean replayable = !interrupted && a.movesFrom() == null;
        if (!a.posted() && !replayable) {
            // Nothing reached the backend and the person was not promised a text: nothing to settle.
            attempts.end(key, RdvspAttempts.State.ABANDONED, "interrupted before the backend was called", now);
            return;
        }
        if (!a.start().isAfter(now) && !a.posted()) {
            attempts.done(key, "SLOT_IN_PAST", null, now);
            if (replayable) notices.notBooked(a.applicant().phone(), a.applicant().language(), key);
            return;
        }
        Optional<RdvspMapping.Target> target = mapping.target(a.site(), a.procedure());
        if (target.isEmpty()) {
            attempts.end(key, RdvspAttempts.State.FAILED, "site or procedure no longer mapped", now);
            return;
        }
        if (!replayable) {
            // Only settle what may exist: a found booking is recorded (and convoked like any), otherwise the attempt ends here.
            port.send(a, target.get(), now, true);
            return;
        }
        BookingOutcome outcome = port.send(a, target.get(), now, false);
        switch (outcome) {
            case BookingOutcome.Booked b -> {
                // The person is texted by the convocation every booking gets (published with the booking).
                convokeQueuedRequest(b.appointment(), now);
                log.info("A booking kept while RDV Service Public was unavailable is now made");
            }
            case BookingOutcome.SlotFull f -> notices.notBooked(a.applicant().phone(), a.applicant().language(), key);
            default -> { }
        }
    }

    /**
     * The conversation queued the demand when the backend did not answer; now that it is booked, that request is
     * served (so the queue does not convoke the person a second time).
     */
    private void convokeQueuedRequest(Appointment a, Instant now) {
        if (a.applicant().phone() == null) return;
        jdbc.sql("""
                        UPDATE requests SET status = 'CONVOKED', appointment = ?, updated_at = ?
                        WHERE phone = ? AND birth_date = ? AND procedure = ? AND status = 'WAITING'
                          AND (site_preference IS NULL OR site_preference = ?)""")
                .params(a.reference().value(), RdvspAppointments.utc(now), a.applicant().phone().e164(), a.applicant().birthDate(),
                        a.procedure(), a.site())
                .update();
    }
}
