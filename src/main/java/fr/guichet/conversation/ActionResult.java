package fr.guichet.conversation;

import java.util.Map;

/** What came of an action: the outcome names the exit to follow; {@code vars} are added to the conversation. */
record ActionResult(String outcome, Map<String, String> vars) {
    ActionResult {
        vars = Map.copyOf(vars);
    }

    static ActionResult of(String outcome) {
        return new ActionResult(outcome, Map.of());
    }
}
