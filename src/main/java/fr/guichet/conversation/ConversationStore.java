package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
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

    private final JdbcClient jdbc;

    ConversationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits for other turns of this number to finish, then loads its state. */
    Optional<ConversationState> lock(PhoneNumber phone) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:phone, 7))").param("phone", phone.e164()).query().singleRow();
        return find(phone);
    }

    /** Reads without locking (language of a number, tests). */
    Optional<ConversationState> find(PhoneNumber phone) {
        return jdbc.sql("""
                        SELECT language, mode, flow, node, variables::text AS variables, retries, history::text AS history, updated_at
                        FROM conversation WHERE phone = :phone""")
                .param("phone", phone.e164())
                .query((rs, n) -> new ConversationState(
                        rs.getString("language"),
                        ConversationState.Mode.valueOf(rs.getString("mode")),
                        rs.getString("flow"),
                        rs.getString("node"),
                        JSON.readValue(rs.getString("variables"), VARS),
                        rs.getInt("retries"),
                        JSON.readValue(rs.getString("history"), HISTORY),
                        rs.getTimestamp("updated_at").toInstant()))
                .optional();
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
                .param("variables", JSON.writeValueAsString(state.vars()))
                .param("retries", state.retries())
                .param("history", JSON.writeValueAsString(state.history()))
                .param("updatedAt", Timestamp.from(state.updatedAt()))
                .update();
    }
}
