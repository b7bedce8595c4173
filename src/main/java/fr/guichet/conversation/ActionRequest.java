package fr.guichet.conversation;

import java.util.Map;

/** The engine asks the runtime to do something outside (book, cancel…); {@code vars} are the conversation's answers. */
record ActionRequest(String name, Map<String, String> vars) {
    ActionRequest {
        vars = Map.copyOf(vars);
    }

    /** The variables hold answers (name, birth date, PIN before it is blanked): only their names, should this be logged. */
    @Override
    public String toString() {
        return "ActionRequest[" + name + ", vars=" + new java.util.TreeSet<>(vars.keySet()) + "]";
    }
}
