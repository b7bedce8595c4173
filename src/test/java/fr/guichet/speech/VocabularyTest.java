package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    @Test
    void readsTheWordsOfTheEnglishModelFromItsGrammarGraph() {
        Vocabulary english = Vocabulary.of(SpeechRecognitionTest.modelsDir().resolve("en"));

        assertThat(english.known()).isTrue();
        assertThat(english.words().size()).isGreaterThan(10_000);
        assertThat(english.contains("appointment")).isTrue();
        assertThat(english.contains("cancel")).isTrue();
        assertThat(english.contains("xyzzyq")).isFalse();
    }

    @Test
    void readsWordsTxtWhenTheModelHasOne(@TempDir Path model) throws Exception {
        Files.createDirectories(model.resolve("graph"));
        Files.writeString(model.resolve("graph/words.txt"), "<eps> 0\nbonjour 1\nété 2\n");

        Vocabulary vocabulary = Vocabulary.of(model);

        assertThat(vocabulary.contains("bonjour")).isTrue();
        assertThat(vocabulary.spelling("ete")).contains("été");
        assertThat(vocabulary.contains("merci")).isFalse();
    }

    @Test
    void aModelWithoutAWordListAcceptsEveryWord(@TempDir Path model) {
        Vocabulary vocabulary = Vocabulary.of(model);

        assertThat(vocabulary.known()).isFalse();
        assertThat(vocabulary.contains("anything")).isTrue();
    }
}
