package fr.guichet.conversation;

import java.util.Map;

/**
 * One thing to say: the text key in {@code locales/}, its arguments, and the text rendered in the person's language.
 * Voice uses the key to find a recorded prompt ({@code voice-flows/audio/<locale>/<key>.wav}) for languages with no
 * text-to-speech. {@code readTwice} asks voice to repeat it (dates, times, addresses, references).
 * {@code language} is the tag the text is written in when it differs from the turn's language (a language menu names
 * each language in its own tongue, and voice speaks each line with that language's voice); null means the turn's.
 */
public record Prompt(String key, Map<String, Object> args, String text, boolean readTwice, String language) {
    public Prompt {
        args = Map.copyOf(args);
    }

    /** A prompt in the turn's language. */
    public Prompt(String key, Map<String, Object> args, String text, boolean readTwice) {
        this(key, args, text, readTwice, null);
    }
}
