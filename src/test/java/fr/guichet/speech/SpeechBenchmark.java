package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Speech figures for BENCHMARKS.md, with the English model from Maven Central and espeak-ng/sox phone audio:
 * accuracy and wrong matches on synthesized utterances, real-time factor, concurrent streams, end of speech to
 * decision, memory of a loaded model. Run:
 * {@code ./mvnw -B -Pbenchmark verify -Dtest=SpeechBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * Results are printed to target/surefire-reports/fr.guichet.speech.SpeechBenchmark-output.txt.
 */
@Tag("benchmark")
class SpeechBenchmark {

    static final List<SpokenAudio.Voice> VOICES = List.of(
            new SpokenAudio.Voice("en-us", 130, 0), new SpokenAudio.Voice("en-us", 175, 0.02),
            new SpokenAudio.Voice("en-gb", 130, 0.02), new SpokenAudio.Voice("en-gb", 175, 0),
            new SpokenAudio.Voice("en-us+f3", 150, 0.01), new SpokenAudio.Voice("en-gb-scotland", 150, 0.03),
            new SpokenAudio.Voice("en-029", 140, 0.01), new SpokenAudio.Voice("en-us+m3", 160, 0.03),
            new SpokenAudio.Voice("flite:kal16", 150, 0), new SpokenAudio.Voice("flite:kal16", 185, 0.02),
            new SpokenAudio.Voice("flite:awb", 150, 0.02), new SpokenAudio.Voice("flite:awb", 175, 0),
            new SpokenAudio.Voice("flite:rms", 150, 0.01), new SpokenAudio.Voice("flite:rms", 125, 0.03),
            new SpokenAudio.Voice("flite:slt", 150, 0.01), new SpokenAudio.Voice("flite:slt", 175, 0.03));

    static final List<String> DIGITS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
    static final Grammar DIGIT_GRAMMAR = new Grammar("en", List.of(), true);
    static final Grammar YES_NO = Grammar.of("en",
            Grammar.Choice.of("1", "yes", "yeah", "okay", "sure", "confirm", "one"),
            Grammar.Choice.of("2", "no", "nope", "no thanks", "two"));
    static final Grammar MAIN_MENU = Grammar.of("en",
            Grammar.Choice.of("1", "book", "appointment", "new appointment", "booking", "one"),
            Grammar.Choice.of("2", "my appointment", "cancel", "change", "see", "two"),
            Grammar.Choice.of("3", "information", "info", "documents", "address", "opening hours", "three"));
    static final Map<String, String> MENU_WORDS = Map.of("book", "1", "appointment", "1", "cancel", "2", "change", "2",
            "information", "3", "documents", "3");
    static final List<String> OUT_OF_GRAMMAR = List.of("hello there", "banana", "tomorrow morning", "I don't know",
            "what", "the weather is nice", "excuse me", "repeat please", "hmm", "uh", "ah", "er");
    /** Sounds that are no words at all (a knock, a breath, a hiss on the line): white-noise bursts, by length and level. */
    static final Map<String, byte[]> NOISE_BURSTS = Map.of("noise burst 0.3 s at 0.3", burst(0.3, 0.3),
            "noise burst 0.15 s at 0.5", burst(0.15, 0.5), "noise burst 0.6 s at 0.1", burst(0.6, 0.1),
            "noise burst 1 s at 0.2", burst(1, 0.2));

    record Case(String category, String words, String expected, Grammar grammar, SpokenAudio.Voice voice) {}

    record Result(Case c, SpeechListener.Outcome outcome, long decideNanos, long audioMillis) {
        boolean right() {
            return outcome instanceof SpeechListener.Outcome.Understood u && u.key().equals(c.expected());
        }

        boolean wrong() {
            return outcome instanceof SpeechListener.Outcome.Understood u && !u.key().equals(c.expected());
        }
    }

    static Path modelsDir() {
        return SpeechRecognitionTest.modelsDir();
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        return -1;
    }

    @Test
    void measure() throws Exception {
        StringBuilder report = new StringBuilder();
        long before = rssKb();
        SpeechModels models = new SpeechModels(modelsDir());
        long loadStart = System.nanoTime();
        models.warmUp("en");
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> models.status("en") == SpeechModels.Status.READY);
        long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
        System.gc();
        long afterLoad = rssKb();
        report.append("model load (background, wall): ").append(loadMillis).append(" ms\n");
        report.append("RSS before/after loading the English model: ").append(before / 1024).append(" MB / ")
                .append(afterLoad / 1024).append(" MB (+").append((afterLoad - before) / 1024).append(" MB)\n");

        // Listens with a near-zero threshold so the table below can judge every threshold on the same utterances; the
        // "right/wrong" lines above it are at min-confidence 0.01 too (the default, 0.8, is one row of the table).
        SpeechRecognition recognition = new SpeechRecognition(models, new SpeechProperties(modelsDir(), List.of(), 200, null, null, 0.01));

        // ---- accuracy ----
        List<Case> cases = new ArrayList<>();
        for (SpokenAudio.Voice voice : VOICES) {
            for (int d = 0; d < DIGITS.size(); d++) cases.add(new Case("digit", DIGITS.get(d), String.valueOf(d), DIGIT_GRAMMAR, voice));
            cases.add(new Case("yes/no", "yes", "1", YES_NO, voice));
            cases.add(new Case("yes/no", "no", "2", YES_NO, voice));
            MENU_WORDS.forEach((word, key) -> cases.add(new Case("menu", word, key, MAIN_MENU, voice)));
        }
        List<Case> unknown = new ArrayList<>();
        for (int i = 0; i < OUT_OF_GRAMMAR.size(); i++) {
            unknown.add(new Case("out of grammar", OUT_OF_GRAMMAR.get(i), "none", i % 2 == 0 ? MAIN_MENU : YES_NO,
                    VOICES.get(i % VOICES.size())));
        }
        new java.util.TreeSet<>(NOISE_BURSTS.keySet()).forEach(name -> unknown.add(new Case("noise", name, "none",
                unknown.size() % 2 == 0 ? MAIN_MENU : YES_NO, null)));
        List<Result> results = new ArrayList<>();
        List<Result> unknownResults = new ArrayList<>();
        long audioMillisTotal = 0;
        long decodeNanosTotal = 0;
        List<Long> decideMillis = new ArrayList<>();
        for (List<Case> set : List.of(cases, unknown)) {
            for (Case c : set) {
                byte[] audio = c.voice() != null ? SpokenAudio.say(c.words(), c.voice()) : NOISE_BURSTS.get(c.words());
                Result r = run(recognition, c, audio);
                (set == cases ? results : unknownResults).add(r);
                audioMillisTotal += r.audioMillis();
                decodeNanosTotal += r.decideNanos();
            }
        }
        report.append("\naccuracy at the default min-confidence (").append(DEFAULT_THRESHOLD).append("), by synthesizer:\n");
        for (String engine : List.of("espeak-ng", "flite")) {
            for (String category : List.of("digit", "yes/no", "menu")) {
                List<Result> of = results.stream().filter(r -> r.c().category().equals(category) && r.c().voice().engine().equals(engine)).toList();
                long rightAt = of.stream().filter(r -> r.right() && confident(r, DEFAULT_THRESHOLD)).count();
                long wrongAt = of.stream().filter(r -> r.wrong() && confident(r, DEFAULT_THRESHOLD)).count();
                report.append("  %-9s %-7s right %3d/%3d (%.1f %%), wrong %d%n".formatted(engine, category, rightAt, of.size(),
                        100.0 * rightAt / of.size(), wrongAt));
            }
        }
        report.append("\naccuracy at min-confidence 0.01 (").append(results.size()).append(" utterances, ").append(VOICES.size())
                .append(" voices/speeds of espeak-ng and flite, noise 0-0.03):\n");
        for (String category : List.of("digit", "yes/no", "menu")) {
            List<Result> of = results.stream().filter(r -> r.c().category().equals(category)).toList();
            report.append("  %-7s right %3d/%3d (%.1f %%), wrong %d, missed (keypad) %d%n".formatted(category,
                    of.stream().filter(Result::right).count(), of.size(), 100.0 * of.stream().filter(Result::right).count() / of.size(),
                    of.stream().filter(Result::wrong).count(), of.stream().filter(r -> !r.right() && !r.wrong()).count()));
        }
        long right = results.stream().filter(Result::right).count();
        long wrong = results.stream().filter(Result::wrong).count();
        report.append("  all     right %d/%d (%.1f %%), wrong %d (%.1f %%)%n".formatted(right, results.size(),
                100.0 * right / results.size(), wrong, 100.0 * wrong / results.size()));
        long falseAccepts = unknownResults.stream().filter(r -> r.outcome() instanceof SpeechListener.Outcome.Understood).count();
        report.append("  out-of-grammar phrases and noise bursts accepted as an answer: ").append(falseAccepts).append("/").append(unknownResults.size()).append('\n');
        List<Double> rightConfidence = results.stream().filter(Result::right)
                .map(r -> ((SpeechListener.Outcome.Understood) r.outcome()).confidence()).sorted().toList();
        report.append("  confidence of right answers: min %.2f, 5th percentile %.2f, median %.2f; right answers below 0.9: %d%n".formatted(
                rightConfidence.getFirst(), rightConfidence.get(rightConfidence.size() / 20), rightConfidence.get(rightConfidence.size() / 2),
                rightConfidence.stream().filter(c -> c < 0.9).count()));
        // The same utterances judged at other thresholds (a match below the threshold becomes a keypad fallback).
        for (double threshold : List.of(0.6, 0.7, 0.8, 0.85, 0.9)) {
            java.util.function.Predicate<Result> accepted = r -> confident(r, threshold);
            report.append("  min-confidence %.2f: right %d/%d, wrong %d, out-of-grammar accepted %d/%d%n".formatted(threshold,
                    results.stream().filter(accepted.and(Result::right)).count(), results.size(),
                    results.stream().filter(accepted.and(Result::wrong)).count(),
                    unknownResults.stream().filter(accepted).count(), unknownResults.size()));
        }
        for (Result r : results) {
            if (!r.right()) report.append("    ").append(r.c().voice()).append(" '").append(r.c().words()).append("' -> ").append(r.outcome()).append('\n');
        }
        for (Result r : unknownResults) {
            if (r.outcome() instanceof SpeechListener.Outcome.Understood) report.append("    false accept: '").append(r.c().words()).append("' -> ").append(r.outcome()).append('\n');
        }
        report.append("\nreal-time factor, one stream, grammar (decode time / audio time, incl. silence): %.4f%n"
                .formatted(decodeNanosTotal / 1e6 / audioMillisTotal));

        // ---- end of speech to decision ----
        List<Long> decisionAfterSpeech = new ArrayList<>();
        List<Long> lastFeedMicros = new ArrayList<>();
        for (Case c : cases.subList(0, 40)) {
            byte[] audio = SpokenAudio.say(c.words(), c.voice());
            try (SpeechListener listener = recognition.listen(c.grammar()).orElseThrow()) {
                int fed = 0;
                for (byte[] frame : SpokenAudio.frames(audio)) {
                    fed++;
                    long t0 = System.nanoTime();
                    SpeechListener.Outcome o = listener.feed(frame);
                    long t1 = System.nanoTime();
                    if (!(o instanceof SpeechListener.Outcome.Listening)) {
                        decisionAfterSpeech.add(fed * 20L - listener.speechEndedAtMillis());
                        lastFeedMicros.add((t1 - t0) / 1000);
                        break;
                    }
                }
            }
        }
        Collections.sort(decisionAfterSpeech);
        Collections.sort(lastFeedMicros);
        report.append("end of speech to decision (%d utterances): audio waited after the last loud frame median %d ms, max %d ms;"
                .formatted(decisionAfterSpeech.size(), decisionAfterSpeech.get(decisionAfterSpeech.size() / 2), decisionAfterSpeech.getLast()))
                .append(" compute of the deciding frame median %.1f ms, max %.1f ms%n".formatted(
                        lastFeedMicros.get(lastFeedMicros.size() / 2) / 1000.0, lastFeedMicros.getLast() / 1000.0));

        // ---- concurrency ----
        List<byte[]> clips = new ArrayList<>();
        for (Case c : cases.subList(0, 30)) clips.add(SpokenAudio.say(c.words(), c.voice()));
        for (int streams : List.of(10, 20, 30)) {
            report.append(paced(recognition, clips, streams, 10_000));
        }
        long rssStreams = rssKb();
        report.append("RSS after the concurrency runs: ").append(rssStreams / 1024).append(" MB\n");

        models.close();
        String text = report.toString();
        System.out.println("=== SpeechBenchmark ===\n" + text);
        Files.writeString(Path.of("target/speech-benchmark.txt"), text);
        assertThat(results.size()).isGreaterThanOrEqualTo(100);
    }

    /** The service's own {@code app.speech.min-confidence}. */
    static final double DEFAULT_THRESHOLD = SpeechProperties.defaults(null).minConfidence();

    static boolean confident(Result r, double threshold) {
        return r.outcome() instanceof SpeechListener.Outcome.Understood u && u.confidence() >= threshold;
    }

    /** Half a second of silence, a noise burst, 0.8 s of silence: framed like the spoken clips. */
    static byte[] burst(double seconds, double level) {
        java.io.ByteArrayOutputStream audio = new java.io.ByteArrayOutputStream();
        audio.writeBytes(SpokenAudio.silence(0.5));
        audio.writeBytes(SpokenAudio.noise(seconds, level));
        audio.writeBytes(SpokenAudio.silence(0.8));
        return audio.toByteArray();
    }

    static Result run(SpeechRecognition recognition, Case c, byte[] audio) {
        long nanos = 0;
        SpeechListener.Outcome outcome = new SpeechListener.Outcome.Listening();
        try (SpeechListener listener = recognition.listen(c.grammar()).orElseThrow()) {
            for (byte[] frame : SpokenAudio.frames(audio)) {
                long t0 = System.nanoTime();
                SpeechListener.Outcome o = listener.feed(frame);
                nanos += System.nanoTime() - t0;
                if (!(o instanceof SpeechListener.Outcome.Listening)) {
                    outcome = o;
                    if (o instanceof SpeechListener.Outcome.Understood) break;
                }
            }
            if (outcome instanceof SpeechListener.Outcome.Listening) {
                long t0 = System.nanoTime();
                outcome = listener.finish();
                nanos += System.nanoTime() - t0;
            }
        }
        return new Result(c, outcome, nanos, audio.length / 8);
    }

    /**
     * {@code streams} listeners fed one 20 ms frame every 20 ms of wall time (a scheduler, as Twilio's frames arrive), for
     * {@code millis}; lateness is how long after its due time a frame was fed and decoded.
     */
    static String paced(SpeechRecognition recognition, List<byte[]> clips, int streams, int millis) throws InterruptedException {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(Math.max(4, streams / 2));
        ConcurrentLinkedQueue<Long> lateness = new ConcurrentLinkedQueue<>();
        AtomicInteger decisions = new AtomicInteger();
        int frames = millis / 20;
        CountDownLatch done = new CountDownLatch(streams);
        List<ScheduledFuture<?>> futures = new ArrayList<>();
        List<SpeechListener> listeners = new ArrayList<>();
        long start = System.nanoTime() + 50_000_000L;
        for (int s = 0; s < streams; s++) {
            SpeechListener listener = recognition.listen(s % 2 == 0 ? MAIN_MENU : DIGIT_GRAMMAR).orElseThrow();
            listeners.add(listener);
            List<byte[]> audio = new ArrayList<>();
            for (int i = 0; audio.size() < frames; i++) audio.addAll(SpokenAudio.frames(clips.get((s + i) % clips.size())));
            int[] next = {0};
            long offset = (s * 20_000_000L / streams); // streams do not all tick at the same instant
            futures.add(scheduler.scheduleAtFixedRate(() -> {
                int k = next[0];
                if (k >= frames) return;
                SpeechListener.Outcome o = listener.feed(audio.get(k));
                if (!(o instanceof SpeechListener.Outcome.Listening)) decisions.incrementAndGet();
                lateness.add((System.nanoTime() - (start + offset + k * 20_000_000L)) / 1_000_000);
                next[0] = k + 1;
                if (k + 1 == frames) done.countDown();
            }, start + offset - System.nanoTime(), 20_000_000L, TimeUnit.NANOSECONDS));
        }
        boolean finished = done.await(millis * 4L, TimeUnit.MILLISECONDS);
        futures.forEach(f -> f.cancel(false));
        scheduler.shutdown();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        listeners.forEach(SpeechListener::close);
        List<Long> sorted = new ArrayList<>(lateness);
        Collections.sort(sorted);
        long p50 = sorted.get(sorted.size() / 2);
        long p99 = sorted.get((int) (sorted.size() * 0.99));
        long max = sorted.getLast();
        return "%2d concurrent streams, %d s each, paced at real time: %s; frame done after its due time p50 %d ms, p99 %d ms, max %d ms; %d decisions%n"
                .formatted(streams, millis / 1000, finished && p99 < 100 ? "kept up" : "FELL BEHIND", p50, p99, max, decisions.get());
    }
}
