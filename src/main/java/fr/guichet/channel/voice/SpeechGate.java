package fr.guichet.channel.voice;

import fr.guichet.conversation.Expectation;
import java.util.Optional;

/**
 * The integration point with {@code fr.guichet.speech}: whether to stream the caller's audio while a prompt plays, and a
 * listener fed with that audio. {@link RecognizerSpeechGate} is the bean when speech is enabled; {@link #KEYPAD_ONLY}
 * otherwise (no {@code <Start><Stream>} is written and calls are keypad only).
 */
interface SpeechGate {
    /** True when a recogniser for {@code language} is loaded, has capacity, and can listen for {@code expect}. */
    boolean canListen(String language, Expectation expect);

    /** A recogniser for one prompt, with a grammar made of {@code expect}'s choices in {@code language}; empty above capacity. */
    Optional<Listener> listen(String language, Expectation expect);

    /** What a listener made of the audio so far. */
    sealed interface Heard {
        /** Still listening. */
        record Nothing() implements Heard {}

        /** A confident match of one of the expected choices ({@code key} is the choice's key, e.g. "1"). */
        record Match(String key) implements Heard {}

        /** An utterance ended that matched nothing (or only {@code [unk]}). */
        record Miss() implements Heard {}
    }

    /** One prompt's recogniser. Not thread-safe: one media stream feeds it. Closed exactly once by the caller. */
    interface Listener extends AutoCloseable {
        /** Feeds 20 ms of G.711 mu-law audio at 8 kHz, as Twilio sends it. */
        Heard feed(byte[] mulaw);

        /** The stream stopped: what the last words amount to. */
        Heard finish();

        @Override
        void close();
    }

    SpeechGate KEYPAD_ONLY = new SpeechGate() {
        @Override
        public boolean canListen(String language, Expectation expect) {
            return false;
        }

        @Override
        public Optional<Listener> listen(String language, Expectation expect) {
            return Optional.empty();
        }
    };
}
