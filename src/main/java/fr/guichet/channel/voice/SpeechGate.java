package fr.guichet.channel.voice;

import fr.guichet.conversation.Expectation;

/**
 * Whether the caller's audio should be streamed to the speech recogniser while a prompt plays. The integration point
 * with {@code fr.guichet.speech}: until that package is on main, {@link #KEYPAD_ONLY} is used and no
 * {@code <Start><Stream>} is ever written.
 */
interface SpeechGate {
    /** True when a recogniser for {@code language} is loaded, has capacity, and can listen for {@code expect}. */
    boolean canListen(String language, Expectation expect);

    SpeechGate KEYPAD_ONLY = (language, expect) -> false;
}
