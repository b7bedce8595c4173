package fr.guichet.channel.sms;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The inbound messages seen, by MessageSid, with the answer given. The first delivery of a sid claims it (a primary
 * key insert, so two racing deliveries cannot both win) and counts against the sender's per-minute limit; a redelivery waits briefly for that answer and repeats it.
 */
@Component
class InboundMessages {
    private final JdbcClient jdbc;
    private final Clock clock;

    InboundMessages(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * The claim and the answer commit without waiting for the disk ({@code synchronous_commit} off for their own
     * transaction: {@code set_config(…, true)} in the statement, so no extra round trip). Nothing is lost by it: WAL is
     * flushed in order, so a crash can only undo them together with everything committed after them, the turn
     * included; and the turn of a step that books waits for the disk, which flushes the claim before it. A claim
     * undone by a crash leaves the redelivery to be processed afresh, as if never seen.
     */
    private static final String WITHOUT_WAITING_FOR_THE_DISK = "(SELECT set_config('synchronous_commit', 'off', true)) AS async";

    /**
     * Claims a MessageSid and, when this is its first delivery, counts it against the sender's current minute, in one
     * round trip (this runs on every inbound text). Returns 0 for a redelivery, else the sender's count so far.
     */
    int claimAndCount(String messageSid, PhoneNumber from) {
        OffsetDateTime now = now();
        return jdbc.sql(CLAIM_AND_COUNT).param("sid", messageSid).param("from", from.e164()).param("now", now)
                .param("window", now.truncatedTo(ChronoUnit.MINUTES)).query(Integer.class).single();
    }

    /** Built once: it runs on every inbound text. */
    private static final String CLAIM_AND_COUNT = """
                WITH claimed AS (
                  INSERT INTO sms_inbound (message_sid, from_number, received_at) VALUES (:sid, :from, :now)
                  ON CONFLICT (message_sid) DO NOTHING RETURNING 1),
                counted AS (
                  INSERT INTO sms_inbound_rate (phone, window_start, hits)
                  SELECT :from, :window, 1 WHERE EXISTS (SELECT 1 FROM claimed)
                  ON CONFLICT (phone, window_start) DO UPDATE SET hits = sms_inbound_rate.hits + 1
                  RETURNING hits)
                SELECT COALESCE((SELECT hits FROM counted), 0) FROM %s
                """.formatted(WITHOUT_WAITING_FOR_THE_DISK);

    void answer(String messageSid, String xml) {
        jdbc.sql("UPDATE sms_inbound SET answer_xml = :xml, answered_at = :now FROM " + WITHOUT_WAITING_FOR_THE_DISK
                        + " WHERE message_sid = :sid")
                .param("xml", xml).param("now", now()).param("sid", messageSid).update();
    }

    Optional<String> answerOf(String messageSid) {
        return jdbc.sql("SELECT answer_xml FROM sms_inbound WHERE message_sid = :sid AND answer_xml IS NOT NULL")
                .param("sid", messageSid).query(String.class).optional();
    }

    /** Waits for the first delivery's answer, polling the table (that delivery may run on another instance). */
    Optional<String> awaitAnswer(String messageSid, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> answer = answerOf(messageSid);
            if (answer.isPresent() || System.nanoTime() > deadline) return answer;
            Thread.sleep(25);
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
