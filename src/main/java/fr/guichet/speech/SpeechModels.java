package fr.guichet.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;

/**
 * One shared Vosk {@link Model} per model id, loaded from {@code <models-dir>/<model-id>/} in the background: asking for
 * a model never waits. A prompt whose model is still loading, missing or broken is answered by keypad only.
 *
 * <p>A model is closed only when no recognizer uses it any more (closing a model under a live recognizer would crash
 * the JVM): recognizers take a lease, and {@link #close()} waits for the last lease to be returned.
 */
public final class SpeechModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpeechModels.class);
    private static final Pattern MODEL_ID = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{1,8})*");

    /** Where a model stands. */
    public enum Status { READY, LOADING, MISSING, FAILED }

    private final Path modelsDir;
    private final ExecutorService loader;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SpeechModels(Path modelsDir) {
        this.modelsDir = modelsDir;
        this.loader = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("speech-model-loader").daemon().factory());
        LibVosk.setLogLevel(LogLevel.WARNINGS);
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** Starts loading a model in the background if it is not loaded or loading; returns at once. */
    public Status warmUp(String modelId) {
        return entry(modelId).status;
    }

    /** Where the model stands now; starts loading it when it was never asked for. */
    public Status status(String modelId) {
        return entry(modelId).status;
    }

    /** A loaded model with a lease on it, or empty when it is not ready (loading, missing, failed). */
    Optional<Lease> lease(String modelId) {
        Entry entry = entry(modelId);
        synchronized (entry) {
            if (entry.status != Status.READY || entry.closing) {
                return Optional.empty();
            }
            entry.leases++;
            return Optional.of(new Lease(entry));
        }
    }

    private Entry entry(String modelId) {
        if (modelId == null || !MODEL_ID.matcher(modelId).matches()) {
            return Entry.MISSING_ENTRY;
        }
        return entries.computeIfAbsent(modelId, this::startLoading);
    }

    private Entry startLoading(String modelId) {
        Path dir = modelsDir.resolve(modelId);
        Entry entry = new Entry(modelId);
        if (closed || !Files.isDirectory(dir.resolve("am")) && !Files.isRegularFile(dir.resolve("final.mdl"))) {
            // Logged once: the entry stays MISSING for the life of the service.
            log.info("No speech model '{}' under {}: prompts in that language are keypad only", modelId, modelsDir);
            entry.status = Status.MISSING;
            return entry;
        }
        entry.status = Status.LOADING;
        loader.execute(() -> load(entry, dir));
        return entry;
    }

    private void load(Entry entry, Path dir) {
        long started = System.nanoTime();
        try {
            Vocabulary vocabulary = Vocabulary.of(dir);
            Model model = new Model(dir.toString());
            synchronized (entry) {
                entry.model = model;
                entry.vocabulary = vocabulary;
                entry.status = Status.READY;
                entry.closeIfUnused(); // closed while loading: release it at once
            }
            log.info("Speech model '{}' loaded in {} ms ({} words known)", entry.modelId,
                    (System.nanoTime() - started) / 1_000_000,
                    vocabulary.known() ? vocabulary.words().size() : "unknown number of");
        } catch (IOException | RuntimeException | Error e) {
            entry.status = Status.FAILED;
            log.error("Speech model '{}' could not be loaded from {}: keypad only", entry.modelId, dir, e);
        }
    }

    /** Closes every model once no recognizer uses it; models still leased are closed when their last lease ends. */
    @Override
    public void close() {
        closed = true;
        loader.shutdownNow();
        for (Entry entry : entries.values()) {
            synchronized (entry) {
                entry.closing = true;
                entry.closeIfUnused();
            }
        }
    }

    /** A recognizer's hold on a model: the model stays open until every lease is returned. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean returned;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        Model model() {
            return entry.model;
        }

        Vocabulary vocabulary() {
            return entry.vocabulary;
        }

        String modelId() {
            return entry.modelId;
        }

        @Override
        public void close() {
            synchronized (entry) {
                if (returned) {
                    return;
                }
                returned = true;
                entry.leases--;
                entry.closeIfUnused();
            }
        }
    }

    private static final class Entry {
        static final Entry MISSING_ENTRY = new Entry("-");

        static {
            MISSING_ENTRY.status = Status.MISSING;
        }

        final String modelId;
        volatile Status status = Status.LOADING;
        Model model;
        Vocabulary vocabulary = Vocabulary.UNKNOWN;
        int leases;
        boolean closing;

        Entry(String modelId) {
            this.modelId = modelId;
        }

        /** Called with the entry's lock held. */
        void closeIfUnused() {
            if (closing && leases == 0 && model != null) {
                Model toClose = model;
                model = null;
                status = Status.MISSING;
                toClose.close();
            }
        }
    }
}
