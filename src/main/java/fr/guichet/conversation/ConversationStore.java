package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conversation state per phone number in PostgreSQL. {@link #lock} must run inside the turn's transaction: it takes a
 * transaction-scoped advisory lock on the number, so two messages from one person are processed one after the other
 * (the lock also covers a number's very first message, when there is no row yet to lock).
 */
@Repository
class ConversationStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> VARS = new TypeReference<>() {};
    private static final TypeReference<List<String>> HISTORY = new TypeReference<>() {};
    /** Resolved once: a turn reads and writes both. */
    private static final ObjectReader VARS_READER = JSON.readerFor(VARS);
    private static final ObjectReader HISTORY_READER = JSON.readerFor(HISTORY);
    private static final ObjectWriter WRITER = JSON.writer();

    private static final String SELECT_STATE = """
            SELECT language, mode, flow, node, variables::text AS variables, retries, history::text AS history, updated_at
            FROM conversation WHERE phone = ?""";
    /**
     * Two statements sent in one round trip (the driver sends both, then one Sync). They stay two statements: under
     * READ COMMITTED the second takes its snapshot when it starts, after the first has got the lock, so it sees what
     * the number's previous turn committed. One statement could not: its snapshot would predate the lock.
     */
    private static final String LOCK_THEN_SELECT_STATE = "SELECT pg_advisory_xact_lock(hashtextextended(?, 7)); " + SELECT_STATE;

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    ConversationStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Waits for other turns of this number to finish, then loads its state: one round trip to the database. */
    Optional<ConversationState> lock(PhoneNumber phone) {
        return template.execute(LOCK_THEN_SELECT_STATE, (PreparedStatement statement) -> {
            statement.setString(1, phone.e164());
            statement.setString(2, phone.e164());
            statement.execute();
            // The first result is the lock's row; the second, the state (no row for a number never seen).
            if (!statement.getMoreResults()) throw new IllegalStateException("no result for the conversation state");
            try (ResultSet rs = statement.getResultSet()) {
                return rs.next() ? Optional.of(state(rs)) : Optional.<ConversationState>empty();
            }
        });
    }

    /** Reads without locking (language of a number, tests). */
    Optional<ConversationState> find(PhoneNumber phone) {
        return template.query(SELECT_STATE, (rs, n) -> state(rs), phone.e164()).stream().findFirst();
    }

    private static ConversationState state(ResultSet rs) throws SQLException {
        return new ConversationState(
                rs.getString("language"),
                ConversationState.Mode.valueOf(rs.getString("mode")),
                rs.getString("flow"),
                rs.getString("node"),
                VARS_READER.readValue(rs.getString("variables")),
                rs.getInt("retries"),
                HISTORY_READER.readValue(rs.getString("history")),
                rs.getTimestamp("updated_at").toInstant());
    }

    void save(PhoneNumber phone, ConversationState state) {
        save(phone, state, true);
    }

    /**
     * {@code waitForTheDisk} false: this transaction's commit returns before its WAL reaches the disk (PostgreSQL
     * {@code synchronous_commit} off for it alone, set in this statement): for turns whose only change is the
     * conversation's position, which a crash may undo by one step.
     */
    void save(PhoneNumber phone, ConversationState state, boolean waitForTheDisk) {
        jdbc.sql("""
                        INSERT INTO conversation (phone, language, mode, flow, node, variables, retries, history, updated_at, version)
                        SELECT :phone, :language, :mode, :flow, :node, :variables::jsonb, :retries, :history::jsonb, :updatedAt, 1
                        """ + (waitForTheDisk ? "" : "FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async ") + """
                        WHERE true
                        ON CONFLICT (phone) DO UPDATE SET language = EXCLUDED.language, mode = EXCLUDED.mode, flow = EXCLUDED.flow,
                            node = EXCLUDED.node, variables = EXCLUDED.variables, retries = EXCLUDED.retries,
                            history = EXCLUDED.history, updated_at = EXCLUDED.updated_at, version = conversation.version + 1""")
                .param("phone", phone.e164())
                .param("language", state.language())
                .param("mode", state.mode().name())
                .param("flow", state.flow())
                .param("node", state.node())
                .param("variables", WRITER.writeValueAsString(state.vars()))
                .param("retries", state.retries())
                .param("history", WRITER.writeValueAsString(state.history()))
                .param("updatedAt", Timestamp.from(state.updatedAt()))
                .update();
    }
}
