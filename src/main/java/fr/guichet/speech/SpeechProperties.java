package fr.guichet.speech;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Speech recognition settings ({@code app.speech.*}, or the environment variables {@code APP_SPEECH_…}).
 *
 * @param modelsDir                 folder holding one Vosk model folder per model id ({@code en/}, {@code fr/} …)
 * @param warmUp                    model ids loaded in the background at start, so no call waits for a model
 * @param maxConcurrentRecognitions recognizers open at once; above it new prompts are keypad only
 * @param endSilence                silence after speech that ends an utterance
 * @param maxUtterance              longest utterance listened to before a decision is forced
 * @param minConfidence             lowest word confidence accepted for a match; below it the answer is a miss
 */
@ConfigurationProperties("app.speech")
public record SpeechProperties(
        Path modelsDir,
        List<String> warmUp,
        int maxConcurrentRecognitions,
        Duration endSilence,
        Duration maxUtterance,
        double minConfidence) {

    public SpeechProperties {
        modelsDir = modelsDir == null ? Path.of("target/speech-models") : modelsDir;
        warmUp = warmUp == null ? List.of("en", "fr", "es", "pt", "ru", "tr", "fa", "uk") : List.copyOf(warmUp);
        maxConcurrentRecognitions = maxConcurrentRecognitions <= 0 ? 20 : maxConcurrentRecognitions;
        endSilence = endSilence == null ? Duration.ofMillis(400) : endSilence;
        maxUtterance = maxUtterance == null ? Duration.ofSeconds(6) : maxUtterance;
        minConfidence = minConfidence <= 0 ? 0.8 : minConfidence;
    }

    /** Defaults, with a models folder. */
    public static SpeechProperties defaults(Path modelsDir) {
        return new SpeechProperties(modelsDir, null, 0, null, null, 0);
    }
}
