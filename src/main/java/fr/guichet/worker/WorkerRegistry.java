package fr.guichet.worker;

import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The workers' tables: who is registered, with which numbers, PIN hash, lock and limit. */
@Component
class WorkerRegistry {
    private final JdbcClient jdbc;

    WorkerRegistry(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** A worker's row as the PIN check and the booking need it. */
    record Account(long id, String name, String organisation, String language, int dailyLimit, boolean active, String pinHash,
            int failedPins, Instant lockedUntil) {
        /** Neither the name nor the PIN hash, should this reach a log line. */
        @Override
        public String toString() {
            return "Account[id=" + id + ", active=" + active + ", failedPins=" + failedPins + "]";
        }
    }

    /** A number already belongs to a worker. */
    static final class PhoneTaken extends RuntimeException {
        final String phone;

        PhoneTaken(String phone) {
            super("phone already registered");
            this.phone = phone;
        }
    }

    /** Registers a worker; throws {@link PhoneTaken} (and registers nothing) if a number is someone else's. */
    long register(String name, String organisation, List<PhoneNumber> phones, String pinHash, String language, int dailyLimit, Instant now) {
        for (PhoneNumber phone : phones) {
            if (jdbc.sql("SELECT count(*) FROM worker_phones WHERE phone = ?").param(phone.e164()).query(Integer.class).single() > 0) {
                throw new PhoneTaken(phone.e164());
            }
        }
        long id = jdbc.sql("""
                        INSERT INTO workers (name, organisation, language, daily_limit, pin_hash, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(name, organisation, language, dailyLimit, pinHash, utc(now), utc(now))
                .query(Long.class)
                .single();
        for (PhoneNumber phone : phones) {
            // A concurrent registration of the same number fails here on the primary key: the transaction rolls back.
            jdbc.sql("INSERT INTO worker_phones (phone, worker_id) VALUES (?, ?)").params(phone.e164(), id).update();
        }
        return id;
    }

    List<Worker> list() {
        return workers("", null);
    }

    Optional<Worker> find(long id) {
        return workers(" WHERE w.id = :id", id).stream().findFirst();
    }

    /** Workers with their numbers, in one query (the convocation of a worker's queued request reads one). */
    private List<Worker> workers(String where, Long id) {
        JdbcClient.StatementSpec query = jdbc.sql("""
                SELECT w.id, w.name, w.organisation, w.language, w.daily_limit, w.active, w.locked_until, w.created_at,
                       COALESCE(array_agg(p.phone ORDER BY p.phone) FILTER (WHERE p.phone IS NOT NULL), '{}') AS phones
                FROM workers w LEFT JOIN worker_phones p ON p.worker_id = w.id""" + where + " GROUP BY w.id ORDER BY w.id");
        if (id != null) query = query.param("id", id);
        return query.query((rs, n) -> new Worker(rs.getLong("id"), rs.getString("name"), rs.getString("organisation"),
                        List.of((String[]) rs.getArray("phones").getArray()), rs.getString("language"), rs.getInt("daily_limit"),
                        rs.getBoolean("active"), instant(rs, "locked_until"), instant(rs, "created_at")))
                .list();
    }

    /** Deactivates and closes any open worker space; false for an unknown id. */
    boolean deactivate(long id, Instant now) {
        int changed = jdbc.sql("UPDATE workers SET active = FALSE, updated_at = ? WHERE id = ?").params(utc(now), id).update();
        jdbc.sql("DELETE FROM worker_sessions WHERE worker_id = ?").param(id).update();
        return changed == 1;
    }

    /** What erasing a worker found: the worker is unknown, still active, or was erased. */
    enum Erased { UNKNOWN, STILL_ACTIVE, ERASED }

    /**
     * Erases a deactivated worker's personal data: name, numbers, PIN hash, open spaces and the PIN audit. The row
     * stays, with its organisation, so the mandates recorded under it keep their author until retention erases them.
     */
    Erased erase(long id, Instant now) {
        Optional<Boolean> active = jdbc.sql("SELECT active FROM workers WHERE id = ? FOR UPDATE").param(id).query(Boolean.class).optional();
        if (active.isEmpty()) return Erased.UNKNOWN;
        if (active.get()) return Erased.STILL_ACTIVE;
        jdbc.sql("DELETE FROM worker_sessions WHERE worker_id = ?").param(id).update();
        jdbc.sql("DELETE FROM worker_phones WHERE worker_id = ?").param(id).update();
        jdbc.sql("DELETE FROM worker_pin_attempts WHERE worker_id = ?").param(id).update();
        jdbc.sql("UPDATE workers SET name = '', pin_hash = '', failed_pins = 0, locked_until = NULL, updated_at = ? WHERE id = ?")
                .params(utc(now), id).update();
        return Erased.ERASED;
    }

    /** A new PIN also clears the lock and the wrong attempts, and closes open worker spaces. */
    boolean resetPin(long id, String pinHash, Instant now) {
        int changed = jdbc.sql("UPDATE workers SET pin_hash = ?, failed_pins = 0, locked_until = NULL, updated_at = ? WHERE id = ?")
                .params(pinHash, utc(now), id)
                .update();
        jdbc.sql("DELETE FROM worker_sessions WHERE worker_id = ?").param(id).update();
        return changed == 1;
    }

    /** The worker this number belongs to, row-locked for the rest of the transaction (PIN count, daily limit). */
    Optional<Account> byPhoneForUpdate(PhoneNumber phone) {
        return jdbc.sql("""
                        SELECT w.id, w.name, w.organisation, w.language, w.daily_limit, w.active, w.pin_hash, w.failed_pins, w.locked_until
                        FROM workers w JOIN worker_phones p ON p.worker_id = w.id
                        WHERE p.phone = ? FOR UPDATE OF w""")
                .param(phone.e164())
                .query((rs, n) -> new Account(rs.getLong("id"), rs.getString("name"), rs.getString("organisation"), rs.getString("language"),
                        rs.getInt("daily_limit"), rs.getBoolean("active"), rs.getString("pin_hash"), rs.getInt("failed_pins"),
                        instant(rs, "locked_until")))
                .optional();
    }

    void recordPinOutcome(long workerId, int failedPins, Instant lockedUntil, Instant now) {
        jdbc.sql("UPDATE workers SET failed_pins = ?, locked_until = ?, updated_at = ? WHERE id = ?")
                .params(failedPins, utc(lockedUntil), utc(now), workerId)
                .update();
    }

    void audit(long workerId, PhoneNumber phone, String channel, String outcome, Instant now) {
        jdbc.sql("INSERT INTO worker_pin_attempts (worker_id, phone, channel, outcome, at) VALUES (?, ?, ?, ?, ?)")
                .params(workerId, phone.e164(), channel, outcome, utc(now))
                .update();
    }

    void openSession(PhoneNumber phone, long workerId, Instant until) {
        jdbc.sql("""
                        INSERT INTO worker_sessions (phone, worker_id, authenticated_until) VALUES (?, ?, ?)
                        ON CONFLICT (phone) DO UPDATE SET worker_id = EXCLUDED.worker_id, authenticated_until = EXCLUDED.authenticated_until""")
                .params(phone.e164(), workerId, utc(until))
                .update();
    }

    /** The worker whose space is open on this number at {@code now}. */
    Optional<Long> session(PhoneNumber phone, Instant now) {
        return jdbc.sql("""
                        SELECT s.worker_id FROM worker_sessions s JOIN workers w ON w.id = s.worker_id
                        WHERE s.phone = ? AND s.authenticated_until > ? AND w.active""")
                .params(phone.e164(), utc(now))
                .query(Long.class)
                .optional();
    }

    void recordMandate(long workerId, String reference, String initials, boolean hasPhone, String channel, Instant now) {
        jdbc.sql("""
                        INSERT INTO worker_mandates (worker_id, reference, person_initials, person_has_phone, channel, agreed_at)
                        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (reference) DO NOTHING""")
                .params(workerId, reference, initials, hasPhone, channel, utc(now))
                .update();
    }

    int mandatesSince(long workerId, Instant since) {
        return jdbc.sql("SELECT count(*) FROM worker_mandates WHERE worker_id = ? AND agreed_at >= ?")
                .params(workerId, utc(since))
                .query(Integer.class)
                .single();
    }

    /** Attempts for one worker, oldest first (for staff and tests). */
    List<String> attemptOutcomes(long workerId) {
        return new ArrayList<>(jdbc.sql("SELECT outcome FROM worker_pin_attempts WHERE worker_id = ? ORDER BY id")
                .param(workerId).query(String.class).list());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
