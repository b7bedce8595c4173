package fr.guichet.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases personal data once it is no longer needed (docs/retention.md). Rows are deleted, not blanked: nothing is
 * left to read back by mistake, and the booking references stay registered so a reference is never given twice.
 * Appointments go with everything that names or reaches their person (reminders, mandate, the request they served,
 * its offers), whichever backend booked them; whatever belongs to a récépissé file still open (no decision yet) is kept. Each batch is one
 * transaction of at most {@link #BATCH} appointments, so a large backlog never holds long locks.
 */
@Component
class Erasure {
    private static final Logger log = LoggerFactory.getLogger(Erasure.class);
    static final int BATCH = 500;

    /** Linked to a récépissé file without a decision: the file is open, its appointments and requests stay. */
    private static final String IN_OPEN_FILE = """
            (EXISTS (SELECT 1 FROM recepisses r JOIN recepisse_files f ON f.id = r.file_id
                     WHERE f.decided_at IS NULL AND (r.appointment = %1$s OR r.follow_up = %1$s))
             OR EXISTS (SELECT 1 FROM recepisse_files f WHERE f.decided_at IS NULL AND f.first_appointment = %1$s))""";

    /** What one run erased, for the log line and the tests. */
    record Erased(int appointments, int requests, int outsideAppointments, int conversations, int texts, int other) {
        int total() {
            return appointments + requests + outsideAppointments + conversations + texts + other;
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final RetentionProperties properties;
    private final ZoneId zone;

    Erasure(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, RetentionProperties properties,
            @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.properties = properties;
        this.zone = zone;
    }

    Erased run() {
        Instant now = clock.instant();
        // Periods in the local calendar: "6 months after" a 31 March appointment is 30 September, not 183 days.
        OffsetDateTime cutoff = utc(now.atZone(zone).minus(properties.afterAppointment()).toInstant());
        OffsetDateTime idleSince = utc(now.atZone(zone).minus(properties.conversations()).toInstant());
        int appointments = 0;
        for (int erased; (erased = eraseAppointments(cutoff)) > 0; ) appointments += erased;
        int requests = update("""
                WITH gone AS (
                  SELECT q.id FROM requests q
                  WHERE q.status = 'WITHDRAWN' AND q.updated_at < :cutoff AND NOT %s)
                , offers AS (DELETE FROM queue_offers WHERE request_id IN (SELECT id FROM gone))
                , mandates AS (DELETE FROM worker_mandates WHERE reference IN (SELECT reference FROM requests WHERE id IN (SELECT id FROM gone)))
                DELETE FROM requests WHERE id IN (SELECT id FROM gone)""".formatted(IN_OPEN_FILE.formatted("q.reference")), cutoff);
        int outside = update("DELETE FROM rdvsp_appointments a WHERE a.start_at < :cutoff AND NOT "
                + IN_OPEN_FILE.formatted("a.reference"), cutoff)
                + update("DELETE FROM rdvsp_attempts WHERE state IN ('DONE', 'FAILED', 'ABANDONED') AND updated_at < :cutoff", cutoff);
        // Reminders keep their own copy of the appointment (number, initials), whichever backend booked it.
        int reminders = update("""
                WITH gone AS (
                  SELECT a.reference FROM reminder_appointments a WHERE a.start_at < :cutoff AND NOT %s)
                , calls AS (DELETE FROM reminder_calls WHERE reminder_id IN (SELECT id FROM reminders WHERE reference IN (SELECT reference FROM gone)))
                , planned AS (DELETE FROM reminders WHERE reference IN (SELECT reference FROM gone))
                DELETE FROM reminder_appointments WHERE reference IN (SELECT reference FROM gone)""".formatted(IN_OPEN_FILE.formatted("a.reference")),
                cutoff);
        // Mandates whose appointment or request is gone (an outside backend's, or erased above).
        int mandates = update("""
                DELETE FROM worker_mandates m WHERE m.agreed_at < :cutoff
                  AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.reference = m.reference)
                  AND NOT EXISTS (SELECT 1 FROM requests q WHERE q.reference = m.reference)
                  AND NOT EXISTS (SELECT 1 FROM rdvsp_appointments r WHERE r.reference = m.reference)""", cutoff);
        int conversations = update("DELETE FROM conversation WHERE updated_at < :cutoff", idleSince);
        // A request still open keeps its acknowledgement of receipt: it is what the person's rights hang on (CRPA).
        int texts = update("""
                DELETE FROM sms_outbox o WHERE o.status NOT IN ('PENDING', 'SENDING') AND o.updated_at < :cutoff
                  AND NOT (o.purpose_key LIKE 'ack:%' AND EXISTS (SELECT 1 FROM requests q WHERE o.purpose_key = 'ack:' || q.reference))""", cutoff);
        int other = reminders + mandates + update("DELETE FROM idempotency_records WHERE created_at < :cutoff", cutoff)
                + update("DELETE FROM worker_pin_attempts WHERE at < :cutoff", cutoff)
                + update("DELETE FROM voice_callback_request WHERE requested_at < :cutoff", cutoff);
        Erased erased = new Erased(appointments, requests, outside, conversations, texts, other);
        if (erased.total() > 0) {
            log.info("Retention: erased {} appointments, {} requests, {} outside appointments, {} conversations, {} texts, {} other rows",
                    appointments, requests, outside, conversations, texts, other);
        }
        return erased;
    }

    /** One batch of appointments whose day is past the retention period, with what hangs on them. */
    private int eraseAppointments(OffsetDateTime cutoff) {
        Integer erased = transactions.execute(status -> {
            List<String> references = jdbc.sql("""
                            SELECT a.reference FROM appointments a JOIN slots s ON s.id = a.slot_id
                            WHERE s.start_at < :cutoff AND NOT %s
                              AND NOT EXISTS (SELECT 1 FROM requests q JOIN recepisse_files f ON f.id = q.recepisse_file
                                              WHERE f.decided_at IS NULL AND q.appointment = a.reference)
                            ORDER BY s.start_at LIMIT :batch FOR UPDATE OF a SKIP LOCKED""".formatted(IN_OPEN_FILE.formatted("a.reference")))
                    .param("cutoff", cutoff).param("batch", BATCH)
                    .query(String.class).list();
            if (references.isEmpty()) return 0;
            String[] refs = references.toArray(String[]::new);
            // The request each appointment served (a convocation of the queue), with its offers and the mandates.
            jdbc.sql("""
                    DELETE FROM queue_offers WHERE appointment = ANY (:refs)
                       OR request_id IN (SELECT id FROM requests WHERE appointment = ANY (:refs) AND status <> 'WAITING')""")
                    .param("refs", refs).update();
            jdbc.sql("""
                    DELETE FROM worker_mandates WHERE reference = ANY (:refs)
                       OR reference IN (SELECT reference FROM requests WHERE appointment = ANY (:refs) AND status <> 'WAITING')""")
                    .param("refs", refs).update();
            jdbc.sql("DELETE FROM requests WHERE appointment = ANY (:refs) AND status <> 'WAITING'").param("refs", refs).update();
            return jdbc.sql("DELETE FROM appointments WHERE reference = ANY (:refs)").param("refs", refs).update();
        });
        return erased == null ? 0 : erased;
    }

    private int update(String sql, OffsetDateTime cutoff) {
        Integer rows = transactions.execute(status -> jdbc.sql(sql).param("cutoff", cutoff).update());
        return rows == null ? 0 : rows;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
