package fr.guichet.speech;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speech package's entry point: whether a prompt can be listened to, and a {@link SpeechListener} for it.
 *
 * <p>Nothing here waits: a model still loading, missing or broken, a grammar the model cannot hear, or the cap on
 * concurrent recognitions reached all answer "no" at once, and the caller uses the keypad.
 */
public final class SpeechRecognition {

    private static final Logger log = LoggerFactory.getLogger(SpeechRecognition.class);

    private final SpeechModels models;
    private final SpeechProperties properties;
    private final Semaphore capacity;

    public SpeechRecognition(SpeechModels models, SpeechProperties properties) {
        this.models = models;
        this.properties = properties;
        this.capacity = new Semaphore(properties.maxConcurrentRecognitions());
    }

    /** True when the model is loaded, there is room for one more recognition and the grammar has words the model knows. */
    public boolean canListen(Grammar grammar) {
        if (capacity.availablePermits() == 0 || models.status(grammar.modelId()) != SpeechModels.Status.READY) {
            return false;
        }
        try (SpeechModels.Lease lease = models.lease(grammar.modelId()).orElse(null)) {
            return lease != null && CompiledGrammar.compile(grammar, lease.vocabulary()).isPresent();
        }
    }

    /** A listener for one prompt, or empty (keypad only) when {@link #canListen} would say no. The caller closes it. */
    public Optional<SpeechListener> listen(Grammar grammar) {
        if (!capacity.tryAcquire()) {
            log.debug("Speech: {} recognitions running, the cap; keypad only for this prompt", properties.maxConcurrentRecognitions());
            return Optional.empty();
        }
        boolean handedOver = false;
        try {
            Optional<SpeechModels.Lease> lease = models.lease(grammar.modelId());
            if (lease.isEmpty()) {
                return Optional.empty();
            }
            Optional<CompiledGrammar> compiled = CompiledGrammar.compile(grammar, lease.get().vocabulary());
            if (compiled.isEmpty()) {
                lease.get().close();
                return Optional.empty();
            }
            GrammarRecognizer recognizer = new GrammarRecognizer(lease.get(), compiled.get());
            handedOver = true;
            return Optional.of(new SpeechListener(recognizer, properties, capacity::release));
        } catch (RuntimeException e) {
            log.warn("Speech: no recognizer for this prompt ({}); keypad only", e.getClass().getSimpleName());
            return Optional.empty();
        } finally {
            if (!handedOver) {
                capacity.release();
            }
        }
    }

    /** Recognitions running now. */
    public int active() {
        return properties.maxConcurrentRecognitions() - capacity.availablePermits();
    }

    public SpeechModels models() {
        return models;
    }
}
