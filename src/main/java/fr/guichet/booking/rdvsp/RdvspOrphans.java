package fr.guichet.booking.rdvsp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Backend rdvs Guichet no longer uses (the old rdv of a move, the spare of a lost race) that the backend did not cancel
 * when asked: kept in {@code rdvsp_orphans} and cancelled again by the replay task, after 1, 2, 4 … minutes (at most
 * an hour apart), until the backend takes it or says it no longer has it. Until then the place stays taken there:
 * nobody is double-booked, one place is lost for a while.
 */
final class RdvspOrphans {
    private static final Logger log = LoggerFactory.getLogger(RdvspOrphans.class);
    private static final int BATCH = 20;
    private static final Duration FIRST_WAIT = Duration.ofMinutes(1);
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final RdvspClient client;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RdvspOrphans(JdbcClient jdbc, RdvspClient client, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.client = client;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Asks the backend to cancel; if it does not, keeps the rdv to cancel later. In the caller's transaction. */
    void cancel(long rdvId) {
        try {
            client.cancel(rdvId);
        } catch (RdvspException e) {
            if (e.kind() == RdvspException.Kind.NOT_FOUND) return;
            Instant now = clock.instant();
            log.warn("RDV Service Public rdv {} is no longer used by Guichet but could not be cancelled ({}): tried again later",
                    rdvId, e.kind());
            jdbc.sql("""
                    INSERT INTO rdvsp_orphans (rdv_id, next_attempt_at, last_error, created_at, updated_at)
                    VALUES (:id, :next, :error, :now, :now) ON CONFLICT (rdv_id) DO NOTHING""")
                    .param("id", rdvId).param("next", utc(now.plus(FIRST_WAIT))).param("error", e.kind().name())
                    .param("now", utc(now)).update();
        }
    }

    /** Cancels the orphans that are due, each in its own transaction; returns how many the backend took. */
    int retryDue() {
        Instant now = clock.instant();
        List<Long> due = jdbc.sql("SELECT rdv_id FROM rdvsp_orphans WHERE next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :n")
                .param("now", utc(now)).param("n", BATCH).query(Long.class).list();
        int cancelled = 0;
        for (long rdvId : due) {
            Boolean done = transactions.execute(tx -> retry(rdvId, clock.instant()));
            if (Boolean.TRUE.equals(done)) cancelled++;
        }
        return cancelled;
    }

    private boolean retry(long rdvId, Instant now) {
        Integer attempts = jdbc.sql("SELECT attempts FROM rdvsp_orphans WHERE rdv_id = :id AND next_attempt_at <= :now FOR UPDATE SKIP LOCKED")
                .param("id", rdvId).param("now", utc(now)).query(Integer.class).optional().orElse(null);
        if (attempts == null) return false;
        try {
            client.cancel(rdvId);
        } catch (RdvspException e) {
            if (e.kind() != RdvspException.Kind.NOT_FOUND) {
                Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(attempts, 6));
                jdbc.sql("""
                        UPDATE rdvsp_orphans SET attempts = attempts + 1, next_attempt_at = :next, last_error = :error, updated_at = :now
                        WHERE rdv_id = :id""")
                        .param("next", utc(now.plus(wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait)))
                        .param("error", e.kind().name()).param("now", utc(now)).param("id", rdvId).update();
                if (attempts + 1 >= 10) {
                    log.error("RDV Service Public rdv {} still not cancelled after {} attempts ({}): cancel it there", rdvId, attempts + 1, e.kind());
                }
                return false;
            }
        }
        jdbc.sql("DELETE FROM rdvsp_orphans WHERE rdv_id = :id").param("id", rdvId).update();
        log.info("RDV Service Public rdv {}, no longer used by Guichet, is cancelled there", rdvId);
        return true;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
