package fr.guichet.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where one person stands: their language, the node waited on, the answers so far. This is what the store keeps per
 * phone number, so a conversation survives restarts and carries over from SMS to voice.
 *
 * @param language tag of the person's language, null before the first guess
 * @param mode     what the next input answers
 * @param flow     current flow (meaningful in {@link Mode#IN_FLOW})
 * @param node     node waited on, or the action node being run
 * @param vars     answers and action results; names starting with {@code _} are the engine's own
 * @param retries  invalid answers in a row on the current node
 * @param history  nodes asked before, as {@code flow:node}, newest last (for BACK)
 * @param updatedAt when the person last wrote or called
 */
record ConversationState(
        String language,
        Mode mode,
        String flow,
        String node,
        Map<String, String> vars,
        int retries,
        List<String> history,
        Instant updatedAt) {

    ConversationState {
        Objects.requireNonNull(mode, "mode");
        vars = Map.copyOf(vars);
        history = List.copyOf(history);
    }

    enum Mode {
        /** A first guess at the language waits for "yes" or "another language". */
        LANGUAGE_CONFIRM,
        /** The list of languages is shown. */
        LANGUAGE_MENU,
        /** After inactivity or a new call in the middle of a flow: continue or start again. */
        RESUME_OFFER,
        /** A node of a flow waits for an answer, or an action is being run. */
        IN_FLOW,
        /** The last flow ended; the next input opens the main menu. */
        ENDED
    }
}
