package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The English model from Maven Central, unpacked by the build, listening to audio made by espeak-ng and sox. */
class SpeechRecognitionTest {

    static SpeechModels models;
    static SpeechRecognition recognition;

    static Path modelsDir() {
        return Path.of(System.getProperty("app.speech.models-dir", "target/speech-models"));
    }

    @BeforeAll
    static void loadEnglish() {
        models = new SpeechModels(modelsDir());
        recognition = new SpeechRecognition(models, new SpeechProperties(modelsDir(), List.of("en"), 2, null, null, 0));
        models.warmUp("en");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> models.status("en") == SpeechModels.Status.READY);
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    static final Grammar MENU = Grammar.of("en",
            Grammar.Choice.of("1", "book", "appointment", "one"),
            Grammar.Choice.of("2", "cancel", "two"),
            Grammar.Choice.of("3", "information", "three"));

    static SpeechListener.Outcome hear(Grammar grammar, byte[] audio) {
        try (SpeechListener listener = recognition.listen(grammar).orElseThrow()) {
            for (byte[] frame : SpokenAudio.frames(audio)) {
                SpeechListener.Outcome outcome = listener.feed(frame);
                if (!(outcome instanceof SpeechListener.Outcome.Listening)) return outcome;
            }
            return listener.finish();
        }
    }

    @Test
    void probe() {
        for (String w : List.of("book", "cancel", "two", "three", "information", "one", "hello there", "banana")) {
            System.out.println(w + " -> " + hear(MENU, SpokenAudio.say(w, SpokenAudio.Voice.PLAIN)));
        }
        System.out.println("noise -> " + hear(MENU, SpokenAudio.noise(2, 0.3)));
        assertThat(models.status("en")).isEqualTo(SpeechModels.Status.READY);
    }
}
