package fr.guichet.conversation;

import java.util.List;

/**
 * What one engine step produced: the new state, what to say, what comes next, and an action for the runtime to run
 * (then {@link ConversationEngine#resume} continues with its result).
 */
record Step(
        ConversationState state,
        List<Prompt> prompts,
        Expectation expect,
        ActionRequest action,
        boolean ended,
        Turn.OptOutChange optOut,
        boolean handover) {
    Step {
        prompts = List.copyOf(prompts);
    }
}
