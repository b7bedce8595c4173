package fr.guichet.booking.rdvsp;

import static fr.guichet.booking.rdvsp.RdvspAppointments.utc;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Bookings sent to the backend, by idempotency key ({@code rdvsp_attempts}; the migration says why). */
final class RdvspAttempts {
    enum State { IN_FLIGHT, PENDING, DONE, FAILED, ABANDONED }

    record Attempt(String key, String fingerprint, State state, long slotId, String site, String procedure, Instant start,
                   Applicant applicant, BookingChannel channel, String bookedBy, boolean override, Reference movesFrom,
                   Long userId, boolean posted, String outcome, Reference reference, int attempts, Instant updatedAt) {}

    private final JdbcClient jdbc;

    RdvspAttempts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Attempt> find(String key) {
        return jdbc.sql("SELECT * FROM rdvsp_attempts WHERE idempotency_key = ?").param(key).query(RdvspAttempts::map).optional();
    }

    /**
     * Whether another booking of this person for this procedure is still waiting for the backend (kept, or being
     * sent): a person without phone is the name and birth date, as in the one-active rule.
     */
    boolean keptFor(Applicant p, String procedure, String otherThanKey) {
        String person = p.phone() != null ? "phone = ?" : "phone IS NULL AND lower(btrim(applicant_name)) = lower(btrim(?))";
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM rdvsp_attempts
                          WHERE state IN ('IN_FLIGHT', 'PENDING') AND moves_from IS NULL AND procedure = ? AND birth_date = ?
                            AND idempotency_key <> ? AND\s""" + person + ")")
                .params(procedure, p.birthDate(), otherThanKey, p.phone() != null ? p.phone().e164() : p.name())
                .query(Boolean.class).single();
    }

    Optional<Attempt> findForUpdate(String key) {
        return jdbc.sql("SELECT * FROM rdvsp_attempts WHERE idempotency_key = ? FOR UPDATE").param(key).query(RdvspAttempts::map).optional();
    }

    /** Claims the key; false when it was claimed before (by a concurrent or an earlier attempt). */
    boolean claim(Attempt a, Instant now) {
        Applicant p = a.applicant();
        return jdbc.sql("""
                        INSERT INTO rdvsp_attempts (idempotency_key, fingerprint, state, slot_id, site, procedure, start_at,
                            applicant_name, birth_date, phone, language, channel, booked_by, override_duplicate, moves_from,
                            next_attempt_at, created_at, updated_at)
                        VALUES (?, ?, 'IN_FLIGHT', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""")
                .params(a.key(), a.fingerprint(), a.slotId(), a.site(), a.procedure(), utc(a.start()), p.name(), p.birthDate(),
                        p.phone() == null ? null : p.phone().e164(), p.language(), a.channel().name(), a.bookedBy(), a.override(),
                        a.movesFrom() == null ? null : a.movesFrom().value(), utc(now), utc(now), utc(now))
                .update() == 1;
    }

    void userCreated(String key, long userId, Instant now) {
        jdbc.sql("UPDATE rdvsp_attempts SET user_id = ?, updated_at = ? WHERE idempotency_key = ?")
                .params(userId, utc(now), key).update();
    }

    /** Set before a POST is sent (and committed), so a crash during the call is known to need a look-up. */
    void posting(String key, boolean posted, Instant now) {
        jdbc.sql("UPDATE rdvsp_attempts SET posted = ?, state = CASE WHEN state = 'PENDING' THEN 'IN_FLIGHT' ELSE state END, "
                        + "updated_at = ? WHERE idempotency_key = ?")
                .params(posted, utc(now), key).update();
    }

    void done(String key, String outcome, Reference reference, Instant now) {
        jdbc.sql("UPDATE rdvsp_attempts SET state = 'DONE', outcome = ?, reference = ?, posted = FALSE, updated_at = ? WHERE idempotency_key = ?")
                .params(outcome, reference == null ? null : reference.value(), utc(now), key).update();
    }

    void pending(String key, boolean posted, Instant nextAttempt, String error, Instant now) {
        jdbc.sql("""
                        UPDATE rdvsp_attempts SET state = 'PENDING', posted = ?, attempts = attempts + 1, next_attempt_at = ?,
                            last_error = ?, updated_at = ? WHERE idempotency_key = ?""")
                .params(posted, utc(nextAttempt), error, utc(now), key).update();
    }

    void end(String key, State state, String error, Instant now) {
        jdbc.sql("UPDATE rdvsp_attempts SET state = ?, last_error = ?, updated_at = ? WHERE idempotency_key = ?")
                .params(state.name(), error, utc(now), key).update();
    }

    /** Keys due for a replay or a reconciliation, locked so only one instance takes each. */
    List<String> due(Instant now, Instant interruptedBefore, int limit) {
        return jdbc.sql("""
                        SELECT idempotency_key FROM rdvsp_attempts
                        WHERE (state = 'PENDING' AND next_attempt_at <= ?) OR (state = 'IN_FLIGHT' AND updated_at <= ?)
                        ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED""")
                .params(utc(now), utc(interruptedBefore), limit).query(String.class).list();
    }

    record Counts(int pending, int inFlight, int failed) {}

    Counts counts() {
        return jdbc.sql("""
                        SELECT count(*) FILTER (WHERE state = 'PENDING'), count(*) FILTER (WHERE state = 'IN_FLIGHT'),
                               count(*) FILTER (WHERE state = 'FAILED') FROM rdvsp_attempts""")
                .query((rs, n) -> new Counts(rs.getInt(1), rs.getInt(2), rs.getInt(3))).single();
    }

    private static Attempt map(ResultSet rs, int n) throws SQLException {
        String phone = rs.getString("phone");
        String reference = rs.getString("reference");
        String movesFrom = rs.getString("moves_from");
        return new Attempt(rs.getString("idempotency_key"), rs.getString("fingerprint"), State.valueOf(rs.getString("state")),
                rs.getLong("slot_id"), rs.getString("site"), rs.getString("procedure"),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                new Applicant(rs.getString("applicant_name"), rs.getObject("birth_date", LocalDate.class),
                        phone == null ? null : new PhoneNumber(phone), rs.getString("language")),
                BookingChannel.valueOf(rs.getString("channel")), rs.getString("booked_by"), rs.getBoolean("override_duplicate"),
                movesFrom == null ? null : new Reference(movesFrom), (Long) rs.getObject("user_id"), rs.getBoolean("posted"),
                rs.getString("outcome"), reference == null ? null : new Reference(reference), rs.getInt("attempts"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
