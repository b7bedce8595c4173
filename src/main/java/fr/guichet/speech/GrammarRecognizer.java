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
    record Heard(String text, Optional<CompiledGrammar.Reading> reading) {
        /** True when the recognizer heard words (known or {@code [unk]}), not only silence or line noise. */
        boolean spoken() {
            return !text.isEmpty();
        }
    }

    /**
     * Length of the n-best list asked of Vosk. Only hypotheses inside the model's lattice beam come back (usually one
     * to four with the small models); ten leaves room for grammars of many synonyms.
     */
    static final int ALTERNATIVES = 10;

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
            recognizer.setMaxAlternatives(ALTERNATIVES);
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
            return heard.spoken() ? Optional.of(heard) : Optional.empty();
        }
        return Optional.empty();
    }

    /** Ends the utterance now (our own end of speech or time limit) and returns what was heard. */
    synchronized Heard finish() {
        if (closed) {
            return new Heard("", Optional.empty());
        }
        return parse(recognizer.getFinalResult());
    }

    /**
     * Reads Vosk's n-best answer ({@code {"alternatives": [{"confidence": score, "text": "..."}, ...]}}, likeliest
     * first). What was heard is the likeliest spoken hypothesis, unless the silence path wins by far.
     */
    private Heard parse(String resultJson) {
        List<CompiledGrammar.Hypothesis> nbest = new ArrayList<>();
        for (JsonNode alternative : JSON.readTree(resultJson).path("alternatives")) {
            String text = alternative.path("text").asString("").strip();
            List<String> words = text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
            nbest.add(new CompiledGrammar.Hypothesis(words, alternative.path("confidence").asDouble(0)));
        }
        String heard = CompiledGrammar.likeliestSpoken(nbest).map(h -> String.join(" ", h.words())).orElse("");
        return new Heard(heard, grammar.read(nbest));
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
