package fr.guichet.notify;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The outbox table; {@link OutboxDispatcher} sends what is due. */
@Component
class PostgresOutbox implements Outbox {
    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Clock clock;

    PostgresOutbox(JdbcClient jdbc, JdbcTemplate batches, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.clock = clock;
    }

    @Override
    public boolean enqueue(OutboundText text) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        OffsetDateTime due = text.notBefore() == null ? now : OffsetDateTime.ofInstant(text.notBefore(), ZoneOffset.UTC);
        // The unique purpose key is the guarantee: a second enqueue for the same purpose, from any thread or instance,
        // inserts nothing.
        return jdbc.sql("""
                INSERT INTO sms_outbox (purpose_key, to_number, body, language, status, next_attempt_at, created_at, updated_at)
                VALUES (:purpose, :to, :body, :language, 'PENDING', :due, :now, :now)
                ON CONFLICT (purpose_key) DO NOTHING
                """)
                .param("purpose", text.purposeKey())
                .param("to", text.to().e164())
                .param("body", text.body())
                .param("language", text.language())
                .param("due", due)
                .param("now", now)
                .update() == 1;
    }

    /**
     * Queues many texts in batched round trips (a batch of reminders), with the guarantee of {@link #enqueue}: a purpose
     * already queued inserts nothing. In the caller's transaction. Returns how many were queued.
     */
    int enqueueAll(List<OutboundText> texts) {
        if (texts.isEmpty()) return 0;
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        int[][] counts = batches.batchUpdate("""
                INSERT INTO sms_outbox (purpose_key, to_number, body, language, status, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?)
                ON CONFLICT (purpose_key) DO NOTHING
                """, texts, 500, (ps, text) -> {
                    ps.setString(1, text.purposeKey());
                    ps.setString(2, text.to().e164());
                    ps.setString(3, text.body());
                    ps.setString(4, text.language());
                    ps.setObject(5, text.notBefore() == null ? now : OffsetDateTime.ofInstant(text.notBefore(), ZoneOffset.UTC));
                    ps.setObject(6, now);
                    ps.setObject(7, now);
                });
        int queued = 0;
        for (int[] batch : counts) for (int c : batch) queued += Math.max(c, 0);
        return queued;
    }
}
