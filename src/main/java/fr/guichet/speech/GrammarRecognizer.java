package fr.guichet.speech;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vosk.Recognizer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Vosk recognizer for one prompt, restricted to the prompt's grammar.
 *
 * <p>Native safety: Vosk's recognizer is not thread-safe, a second {@code close} is a double free and closing during
 * {@code acceptWaveForm} can crash the JVM. Every method here is synchronized and checks {@link #closed}, so whatever
 * thread calls them the native object is used by one thread at a time and freed exactly once; the model lease is
 * returned after the recognizer is freed.
 */
final class GrammarRecognizer implements AutoCloseable {

    static final float SAMPLE_RATE = 16_000f;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CompiledGrammar grammar;
    private final SpeechModels.Lease lease;
    private final Recognizer recognizer;
    private boolean closed;

    /** Outcome of one utterance: what was heard and, if it means something, the reading. */
    record Heard(List<CompiledGrammar.HeardWord> words, Optional<CompiledGrammar.Reading> reading) {
        String text() {
            return String.join(" ", words.stream().map(CompiledGrammar.HeardWord::word).toList());
        }
    }

    /** Takes ownership of the lease: it is returned when this recognizer is closed (or if creation fails). */
    GrammarRecognizer(SpeechModels.Lease lease, CompiledGrammar grammar) {
        this.grammar = grammar;
        this.lease = lease;
        try {
            // The grammar JSON was built by Jackson from validated phrases and is never empty (see CompiledGrammar).
            Recognizer created = new Recognizer(lease.model(), SAMPLE_RATE, grammar.json());
            if (created.getPointer() == null) {
                // 0.3.45 does not check the native constructor: a null pointer here would crash the first call.
                throw new IllegalStateException("Vosk refused the grammar");
            }
            this.recognizer = created;
            recognizer.setWords(true);
        } catch (RuntimeException e) {
            lease.close();
            throw new IllegalStateException("speech recognizer could not be created", e);
        }
    }

    CompiledGrammar grammar() {
        return grammar;
    }

    /**
     * Feeds 16 kHz samples. Returns the heard utterance when the recognizer's own endpointer closed one with words in
     * it, otherwise empty (keep feeding).
     */
    synchronized Optional<Heard> accept(short[] samples, int count) {
        if (closed || count <= 0) {
            return Optional.empty();
        }
        if (recognizer.acceptWaveForm(samples, count)) {
            Heard heard = parse(recognizer.getResult());
            return heard.words().isEmpty() ? Optional.empty() : Optional.of(heard);
        }
        return Optional.empty();
    }

    /** Ends the utterance now (our own end of speech or time limit) and returns what was heard. */
    synchronized Heard finish() {
        if (closed) {
            return new Heard(List.of(), Optional.empty());
        }
        return parse(recognizer.getFinalResult());
    }

    private Heard parse(String resultJson) {
        List<CompiledGrammar.HeardWord> words = new ArrayList<>();
        JsonNode root = JSON.readTree(resultJson);
        JsonNode result = root.path("result");
        if (result.isArray() && !result.isEmpty()) {
            for (JsonNode word : result) {
                words.add(new CompiledGrammar.HeardWord(word.path("word").asString(""), word.path("conf").asDouble(0)));
            }
        } else {
            // Without word details Vosk still gives the text; its words then carry no confidence.
            String text = root.path("text").asString("").strip();
            if (!text.isEmpty()) {
                for (String word : text.split("\\s+")) {
                    words.add(new CompiledGrammar.HeardWord(word, 0));
                }
            }
        }
        return new Heard(List.copyOf(words), grammar.read(words));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recognizer.close();
        } finally {
            lease.close();
        }
    }
}
