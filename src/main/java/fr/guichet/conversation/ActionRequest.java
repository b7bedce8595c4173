package fr.guichet.conversation;

import java.util.Map;

/** The engine asks the runtime to do something outside (book, cancel…); {@code vars} are the conversation's answers. */
record ActionRequest(String name, Map<String, String> vars) {
    ActionRequest {
        vars = Map.copyOf(vars);
    }
}
