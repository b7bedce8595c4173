package fr.guichet.speech;

import java.util.Optional;

/**
 * Listens to one prompt's answer in a telephone audio stream (G.711 mu-law, 8 kHz, as Twilio sends it): decodes,
 * upsamples to the model's 16 kHz, finds where the caller stops speaking, and reads what was said through the prompt's
 * grammar.
 *
 * <p>End of speech is decided here, not left to Vosk's endpointer (which waits up to a second): a frame is speech
 * when its energy stands well above the stream's noise floor; once speech was heard, {@code endSilence} of non-speech
 * ends the utterance and the recognizer is asked for its final result at once.
 *
 * <p>One audio stream feeds it, one frame after the other; {@link #close()} may come from another thread and is safe
 * to call more than once (the native recognizer is freed exactly once).
 */
public final class SpeechListener implements AutoCloseable {

    /** What the listener made of the audio so far. */
    public sealed interface Outcome {
        /** Still listening: no utterance has ended, or it held no words at all (a cough, line noise). */
        record Listening() implements Outcome {}

        /** An utterance read as one of the grammar's keys (or the digits of a number), confidently enough. */
        record Understood(String key, double confidence, String heard) implements Outcome {}

        /** An utterance ended that is no answer: only unknown words, two answers at once, or too unsure a match. */
        record NotUnderstood(String heard) implements Outcome {}
    }

    private static final Outcome LISTENING = new Outcome.Listening();
    /** 100 ms of 16 kHz audio: Vosk works best fed 0.1–0.2 s at a time. */
    private static final int CHUNK = 1_600;
    /** 20 ms at 8 kHz: the energy detector's frame, whatever size the caller's frames are. */
    private static final int FRAME = 160;
    /** Energy (RMS, 16-bit scale) below which a frame is never speech, however quiet the line. */
    private static final double MIN_SPEECH_LEVEL = 300;
    private static final int SPEECH_FRAMES_TO_START = 3;

    private final GrammarRecognizer recognizer;
    private final double minConfidence;
    private final int endSilenceFrames;
    private final int maxUtteranceFrames;
    private final Runnable onClose;
    private final Upsampler upsampler = new Upsampler();
    private final short[] pcm8 = new short[FRAME];
    private int pcm8Count;
    private final short[] pcm16 = new short[CHUNK + 2 * FRAME];
    private int pcm16Count;

    private double noiseFloor = -1;
    private int speechRun;
    private boolean inSpeech;
    private int silenceFrames;
    private int utteranceFrames;
    private long framesFed;
    private long speechEndedAtFrame = -1;
    private volatile boolean closed;

    SpeechListener(GrammarRecognizer recognizer, SpeechProperties properties, Runnable onClose) {
        this.recognizer = recognizer;
        this.minConfidence = properties.minConfidence();
        this.endSilenceFrames = (int) Math.max(1, properties.endSilence().toMillis() / 20);
        this.maxUtteranceFrames = (int) Math.max(1, properties.maxUtterance().toMillis() / 20);
        this.onClose = onClose;
    }

    /** Feeds mu-law audio (any length; Twilio sends 160 bytes = 20 ms). */
    public Outcome feed(byte[] mulaw) {
        if (closed || mulaw == null) {
            return LISTENING;
        }
        Outcome outcome = LISTENING;
        for (byte code : mulaw) {
            pcm8[pcm8Count++] = MuLaw.decode(code);
            if (pcm8Count == FRAME) {
                pcm8Count = 0;
                Outcome frame = frame();
                if (!(frame instanceof Outcome.Listening)) {
                    outcome = frame;
                }
            }
        }
        return outcome;
    }

    /** The stream stopped: what the words so far amount to. */
    public Outcome finish() {
        if (closed) {
            return LISTENING;
        }
        flushAudio();
        return decide(recognizer.finish());
    }

    /**
     * Audio time (ms of stream, counted from the first frame) when the last utterance was judged over by the silence
     * detector, or -1. For measuring the delay between the end of speech and a decision.
     */
    public long speechEndedAtMillis() {
        return speechEndedAtFrame < 0 ? -1 : speechEndedAtFrame * 20;
    }

    private Outcome frame() {
        framesFed++;
        upsampler.process(pcm8, FRAME, pcm16, pcm16Count);
        pcm16Count += 2 * FRAME;
        boolean speech = isSpeech(pcm8);
        if (speech) {
            speechRun++;
            silenceFrames = 0;
            if (speechRun >= SPEECH_FRAMES_TO_START) {
                inSpeech = true;
            }
        } else {
            speechRun = 0;
            silenceFrames++;
        }
        if (inSpeech) {
            utteranceFrames++;
        }
        if (inSpeech && (silenceFrames >= endSilenceFrames || utteranceFrames >= maxUtteranceFrames)) {
            // The caller stopped (or talks on and on): decide now rather than wait for Vosk's own endpoint.
            inSpeech = false;
            utteranceFrames = 0;
            speechEndedAtFrame = framesFed - silenceFrames;
            flushAudio();
            return decide(recognizer.finish());
        }
        if (pcm16Count >= CHUNK) {
            Optional<GrammarRecognizer.Heard> heard = flushAudio();
            if (heard.isPresent()) {
                // Vosk's endpointer closed an utterance first (a long pause inside speech).
                inSpeech = false;
                utteranceFrames = 0;
                speechEndedAtFrame = framesFed - silenceFrames;
                return decide(heard.get());
            }
        }
        return LISTENING;
    }

    private Optional<GrammarRecognizer.Heard> flushAudio() {
        int count = pcm16Count;
        pcm16Count = 0;
        return count == 0 ? Optional.empty() : recognizer.accept(pcm16, count);
    }

    /** A frame is speech when it is loud in absolute terms and well above the noise floor tracked on quiet frames. */
    private boolean isSpeech(short[] frame) {
        double sum = 0;
        for (short sample : frame) {
            sum += (double) sample * sample;
        }
        double rms = Math.sqrt(sum / frame.length);
        if (noiseFloor < 0) {
            noiseFloor = rms;
        }
        boolean speech = rms > MIN_SPEECH_LEVEL && rms > 3 * noiseFloor;
        if (!speech) {
            // Follows the floor down quickly and up slowly, so a long word does not become the floor.
            noiseFloor = rms < noiseFloor ? 0.8 * noiseFloor + 0.2 * rms : 0.99 * noiseFloor + 0.01 * rms;
        }
        return speech;
    }

    private Outcome decide(GrammarRecognizer.Heard heard) {
        if (!heard.spoken()) {
            return LISTENING;
        }
        Optional<CompiledGrammar.Reading> reading = heard.reading();
        if (reading.isPresent() && reading.get().confidence() >= minConfidence) {
            return new Outcome.Understood(reading.get().key(), reading.get().confidence(), heard.text());
        }
        return new Outcome.NotUnderstood(heard.text());
    }

    /** Frees the recognizer and its place under the concurrency cap; later calls do nothing. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            recognizer.close();
        } finally {
            onClose.run();
        }
    }
}
