package fr.guichet.notify;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The outbox table; {@link OutboxDispatcher} sends what is due. */
@Component
class PostgresOutbox implements Outbox {
    private final JdbcClient jdbc;
    private final Clock clock;

    PostgresOutbox(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
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
}
