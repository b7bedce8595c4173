package fr.guichet.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Twilio's delivery reports (status callbacks) applied to the outbox. Callbacks arrive out of order, so a state only
 * moves forward (queued &lt; sending &lt; sent &lt; delivered/undelivered/failed). A terminal error decides the
 * number's flags and whether the text is tried again.
 */
@Component
public class DeliveryReports {
    private static final Logger log = LoggerFactory.getLogger(DeliveryReports.class);
    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("accepted", 1), Map.entry("scheduled", 1), Map.entry("queued", 1),
            Map.entry("sending", 2), Map.entry("sent", 3),
            Map.entry("delivered", 4), Map.entry("undelivered", 4), Map.entry("failed", 4),
            Map.entry("canceled", 4), Map.entry("partially_delivered", 4), Map.entry("read", 5));

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final SmsNumbers numbers;
    private final Clock clock;
    private final OutboxRetryPolicy retries;

    DeliveryReports(JdbcClient jdbc, TransactionTemplate tx, SmsNumbers numbers, Clock clock, OutboxRetryPolicy retries) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.numbers = numbers;
        this.clock = clock;
        this.retries = retries;
    }

    /** The rank of a Twilio message status; unknown statuses rank 0 and never overwrite a known one. */
    static int rank(String status) {
        return status == null ? 0 : RANK.getOrDefault(status.toLowerCase(java.util.Locale.ROOT), 0);
    }

    /**
     * Applies one callback. {@code outboxId} and {@code attempt} come from the callback URL the outbox gave Twilio:
     * they tie a callback to its message even when the process died between Twilio's 201 and our commit.
     */
    public void record(String messageSid, String status, Integer errorCode, Long outboxId, Integer attempt) {
        if (messageSid == null || messageSid.isBlank() || status == null) return;
        String newStatus = status.toLowerCase(java.util.Locale.ROOT);
        tx.executeWithoutResult(s -> {
            Optional<Row> found = jdbc.sql("""
                    SELECT id, to_number, attempts, delivery_status, status FROM sms_outbox WHERE twilio_sid = :sid FOR UPDATE
                    """).param("sid", messageSid).query(Row.class).optional();
            if (found.isEmpty() && outboxId != null && attempt != null) {
                found = jdbc.sql("""
                        SELECT id, to_number, attempts, delivery_status, status FROM sms_outbox
                        WHERE id = :id AND attempts = :attempt AND status = 'SENDING' AND twilio_sid IS NULL FOR UPDATE
                        """).param("id", outboxId).param("attempt", attempt).query(Row.class).optional();
                found.ifPresent(row -> jdbc.sql("""
                        UPDATE sms_outbox SET twilio_sid = :sid, status = 'SENT', updated_at = :now WHERE id = :id
                        """).param("sid", messageSid).param("now", now()).param("id", row.id()).update());
            }
            if (found.isEmpty()) {
                log.debug("Status callback for a message the outbox does not know ({}), ignored", status);
                return;
            }
            Row row = found.get();
            if (rank(newStatus) <= rank(row.deliveryStatus())) {
                return; // late or repeated callback: never move backwards
            }
            jdbc.sql("UPDATE sms_outbox SET delivery_status = :st, error_code = COALESCE(:code, error_code), updated_at = :now WHERE id = :id")
                    .param("st", newStatus).param("code", errorCode).param("now", now()).param("id", row.id()).update();
            if (errorCode != null && (newStatus.equals("undelivered") || newStatus.equals("failed"))) {
                applyError(row, errorCode);
            }
        });
    }

    private void applyError(Row row, int errorCode) {
        switch (TwilioSender.classify(errorCode, 400)) {
            case OPTED_OUT -> {
                numbers.markOptedOutByTwilio(row.toNumber());
                setFailed(row.id());
            }
            case NOT_SMS_CAPABLE -> {
                numbers.markNotSmsCapable(row.toNumber(), errorCode);
                setFailed(row.id());
            }
            case RETRY -> {
                if (row.attempts() >= retries.maxAttempts()) {
                    setFailed(row.id());
                } else {
                    // A new attempt is a new Twilio message: forget the old sid so its late callbacks no longer match.
                    Duration wait = retries.backoff(row.attempts());
                    jdbc.sql("""
                            UPDATE sms_outbox SET status = 'PENDING', twilio_sid = NULL, delivery_status = NULL,
                                   next_attempt_at = :next, updated_at = :now WHERE id = :id
                            """).param("next", now().plus(wait)).param("now", now()).param("id", row.id()).update();
                }
            }
            default -> setFailed(row.id());
        }
    }

    private void setFailed(long id) {
        jdbc.sql("UPDATE sms_outbox SET status = 'FAILED', updated_at = :now WHERE id = :id")
                .param("now", now()).param("id", id).update();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    record Row(long id, String toNumber, int attempts, String deliveryStatus, String status) {}
}
