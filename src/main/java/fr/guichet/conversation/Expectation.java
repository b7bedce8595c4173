package fr.guichet.conversation;

import java.util.List;

/**
 * What the conversation waits for next. For menus, {@code choices} lists each key (the digit to press) with the words
 * in the person's language that also select it; voice turns them into a speech grammar.
 * {@code maxDigits} tells voice how many keypad digits to gather (0: none expected).
 *
 * <p>{@link Kind#SECRET} is a code that must stay between the person and the service (a social worker's PIN): typed
 * on the keypad only, never streamed to speech recognition, never put in a URL, never read back.
 */
public record Expectation(Kind kind, List<Choice> choices, int maxDigits) {
    public Expectation {
        choices = List.copyOf(choices);
    }

    public enum Kind {
        NOTHING, MENU, YES_NO, DATE, TIME, NUMBER, PHONE, NAME, REFERENCE, FREE_TEXT,
        /** A secret code (PIN): keypad only, typed until #; channels must never listen to it, echo it or log it. */
        SECRET
    }

    /** Whether the answer is a secret: keypad only, no speech, nothing echoed. */
    public boolean secret() {
        return kind == Kind.SECRET;
    }

    public record Choice(String key, List<String> words) {
        public Choice {
            words = List.copyOf(words);
        }
    }

    public static Expectation nothing() {
        return new Expectation(Kind.NOTHING, List.of(), 0);
    }
}
