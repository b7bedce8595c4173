package fr.guichet.speech;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Telephone audio of spoken words for tests, made at test time with espeak-ng and sox: 8 kHz G.711 mu-law, raw, with
 * leading and trailing silence, optionally with white noise mixed in (flite too, for the speech benchmark's second
 * set of voices). Fails (never skips) when the tools are missing:
 * {@code .ci/run} installs them, {@code apt-get install espeak-ng sox} does on a workstation. sox runs with {@code -R}
 * (repeatable): the same noise every run, so tests and benchmark figures do not depend on a random draw.
 */
public final class SpokenAudio {

    /** mu-law silence (the code word for 0). */
    public static final byte SILENCE = (byte) 0xFF;

    private SpokenAudio() {}

    /**
     * A synthetic speaker: espeak-ng's voice (formant synthesis, robotic), or flite's when the name starts with
     * {@code flite:} ({@code flite:slt}, {@code flite:awb} …: recorded-speech models, closer to a human voice); speed in
     * words per minute (flite: 150 is its natural pace, its duration stretched by 150 / speed); noise level (0 for none;
     * 0.02 is a quiet line hiss).
     */
    public record Voice(String name, int wordsPerMinute, double noise) {
        public static final Voice PLAIN = new Voice("en-us", 150, 0);
        static final String FLITE = "flite:";

        String engine() {
            return name.startsWith(FLITE) ? "flite" : "espeak-ng";
        }
    }

    public static byte[] say(String words, Voice voice) {
        try {
            Path dir = Files.createTempDirectory("spoken-audio");
            try {
                Path spoken = dir.resolve("spoken.wav");
                if (voice.name().startsWith(Voice.FLITE)) {
                    run("flite", "-voice", voice.name().substring(Voice.FLITE.length()), "--setf",
                            "duration_stretch=" + 150.0 / voice.wordsPerMinute(), "-t", words, "-o", spoken.toString());
                } else {
                    run("espeak-ng", "-v", voice.name(), "-s", String.valueOf(voice.wordsPerMinute()), "-w", spoken.toString(), words);
                }
                Path phone = dir.resolve("phone.wav");
                // Telephone band and rate; half a second of silence before, 0.8 s after (the caller stops talking).
                run("sox", "-R", spoken.toString(), "-r", "8000", "-c", "1", "-b", "16", phone.toString(),
                        "highpass", "300", "lowpass", "3400", "pad", "0.5", "0.8");
                Path mixed = phone;
                if (voice.noise() > 0) {
                    Path noise = dir.resolve("noise.wav");
                    run("sox", "-R", phone.toString(), noise.toString(), "synth", "whitenoise", "vol", String.valueOf(voice.noise()));
                    mixed = dir.resolve("mixed.wav");
                    run("sox", "-R", "-m", phone.toString(), noise.toString(), mixed.toString());
                }
                return mulaw(mixed, dir);
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code seconds} of white noise at {@code level} (0–1), as mu-law: line noise with no words in it. */
    public static byte[] noise(double seconds, double level) {
        try {
            Path dir = Files.createTempDirectory("noise-audio");
            Path noise = dir.resolve("noise.wav");
            run("sox", "-R", "-n", "-r", "8000", "-c", "1", "-b", "16", noise.toString(), "synth", String.valueOf(seconds),
                    "whitenoise", "vol", String.valueOf(level));
            byte[] audio = mulaw(noise, dir);
            Files.deleteIfExists(noise);
            Files.deleteIfExists(dir);
            return audio;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Silence, as mu-law. */
    public static byte[] silence(double seconds) {
        byte[] audio = new byte[(int) (seconds * 8000)];
        java.util.Arrays.fill(audio, SILENCE);
        return audio;
    }

    /** Cuts audio into Twilio's 20 ms frames of 160 bytes (the last one padded with silence). */
    public static List<byte[]> frames(byte[] mulaw) {
        List<byte[]> frames = new ArrayList<>();
        for (int at = 0; at < mulaw.length; at += 160) {
            byte[] frame = new byte[160];
            java.util.Arrays.fill(frame, SILENCE);
            System.arraycopy(mulaw, at, frame, 0, Math.min(160, mulaw.length - at));
            frames.add(frame);
        }
        return frames;
    }

    private static byte[] mulaw(Path wav, Path dir) throws IOException {
        Path raw = dir.resolve("audio.ul");
        run("sox", "-R", wav.toString(), "-t", "raw", "-r", "8000", "-c", "1", "-e", "mu-law", "-b", "8", raw.toString());
        byte[] bytes = Files.readAllBytes(raw);
        Files.delete(raw);
        return bytes;
    }

    private static void run(String... command) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(command[0] + " is needed to make test audio and was not found: install espeak-ng"
                    + " and sox (apt-get install espeak-ng sox; .ci/run does it), and flite for the speech benchmark", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
