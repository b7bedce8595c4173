package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.conversation.Expectation;
import fr.guichet.language.LocaleFiles;
import fr.guichet.speech.Grammar;
import fr.guichet.speech.SpeechModels;
import fr.guichet.speech.SpeechProperties;
import fr.guichet.speech.SpeechRecognition;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a prompt's expectation becomes a speech grammar (no model needed: nothing is recognised here). */
class RecognizerSpeechGateTest {

    final SpeechModels models = new SpeechModels(Path.of("target/no-speech-models-here"));
    final RecognizerSpeechGate gate = new RecognizerSpeechGate(
            new SpeechRecognition(models, SpeechProperties.defaults(Path.of("target/no-speech-models-here"))),
            LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris")));

    @AfterEach
    void close() {
        models.close();
    }

    static Expectation menu(Expectation.Choice... choices) {
        return new Expectation(Expectation.Kind.MENU, List.of(choices), 1);
    }

    @Test
    void aMenuChoiceIsHeardByItsWordsAndByItsNumberAndSharedOrOneLetterWordsAreLeftOut() {
        Grammar grammar = gate.grammar("en", menu(
                new Expectation.Choice("1", List.of("book", "appointment", "other", "y")),
                new Expectation.Choice("2", List.of("my appointment", "other", "12/03")))).orElseThrow();

        assertThat(grammar.modelId()).isEqualTo("en");
        assertThat(grammar.choices()).containsExactly(
                new Grammar.Choice("1", List.of("book", "appointment", "one")),
                new Grammar.Choice("2", List.of("my appointment", "two")));
    }

    @Test
    void aNumberPromptListensForNumbersAndOtherPromptsAreKeypadOnly() {
        assertThat(gate.grammar("en", new Expectation(Expectation.Kind.NUMBER, List.of(), 3))).hasValueSatisfying(g -> {
            assertThat(g.numbers()).isTrue();
            assertThat(g.choices()).isEmpty();
        });
        // A date with its year (birth, permit expiry: 8 keypad digits) stays on the keypad.
        assertThat(gate.grammar("en", new Expectation(Expectation.Kind.DATE, List.of(), 8))).isEmpty();
        assertThat(gate.grammar("en", Expectation.nothing())).isEmpty();
        // A social worker's PIN: digits too, but never heard.
        assertThat(gate.grammar("en", new Expectation(Expectation.Kind.SECRET, List.of(), 0))).isEmpty();
    }

    @Test
    void aLanguageWithoutASpeechModelOrAModelNotInstalledIsKeypadOnly() {
        Expectation yesNo = new Expectation(Expectation.Kind.YES_NO,
                List.of(new Expectation.Choice("1", List.of("نعم")), new Expectation.Choice("2", List.of("لا"))), 1);

        assertThat(gate.grammar("ar", yesNo)).isEmpty(); // meta.speechModel: null
        assertThat(gate.canListen("ar", yesNo)).isFalse();
        assertThat(gate.canListen("en", menu(new Expectation.Choice("1", List.of("book"))))).isFalse(); // no model folder
        assertThat(gate.listen("en", menu(new Expectation.Choice("1", List.of("book"))))).isEmpty();
    }

    @Test
    void aDayAndMonthPromptHearsTheDayNumbersAndTheMonthNamesOfTheLanguage() {
        Grammar english = gate.grammar("en", new Expectation(Expectation.Kind.DATE, List.of(), 4)).orElseThrow();
        assertThat(english.numbers()).isTrue();
        assertThat(english.choices()).hasSize(12);
        assertThat(english.choices().get(2).phrases()).containsExactly("march");
        Grammar french = gate.grammar("fr", new Expectation(Expectation.Kind.DATE, List.of(), 4)).orElseThrow();
        assertThat(french.choices().get(1).phrases()).containsExactly("février");
        Grammar russian = gate.grammar("ru", new Expectation(Expectation.Kind.DATE, List.of(), 4)).orElseThrow();
        assertThat(russian.choices().get(2).phrases()).contains("марта", "март");
    }
}
