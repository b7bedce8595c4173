package fr.guichet.conversation;

import java.util.Map;

/**
 * One thing to say: the text key in {@code locales/}, its arguments, and the text rendered in the person's language.
 * Voice uses the key to find a recorded prompt ({@code voice-flows/audio/<locale>/<key>.wav}) for languages with no
 * text-to-speech. {@code readTwice} asks voice to repeat it (dates, times, addresses, references).
 */
public record Prompt(String key, Map<String, Object> args, String text, boolean readTwice) {
    public Prompt {
        args = Map.copyOf(args);
    }
}
