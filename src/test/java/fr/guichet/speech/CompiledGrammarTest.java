package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.guichet.speech.CompiledGrammar.HeardWord;
import fr.guichet.speech.CompiledGrammar.Reading;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledGrammarTest {

    static final Vocabulary ENGLISH = new Vocabulary(Set.of("book", "my", "appointment", "an", "cancel", "one", "two",
            "four", "forty", "yes", "no"));

    static List<HeardWord> heard(String text, double confidence) {
        return Arrays.stream(text.split(" ")).map(w -> new HeardWord(w, confidence)).toList();
    }

    final CompiledGrammar menu = CompiledGrammar.compile(Grammar.of("en",
            Grammar.Choice.of("1", "book", "appointment", "one", "xyzzy"),
            Grammar.Choice.of("2", "my appointment", "cancel", "two"),
            Grammar.Choice.of("3", "plugh")), ENGLISH).orElseThrow();

    @Test
    void keepsOnlyPhrasesTheModelKnowsAndAddsTheUnknownWord() {
        assertThat(menu.json()).isEqualTo("[\"book\",\"appointment\",\"one\",\"my appointment\",\"cancel\",\"two\",\"[unk]\"]");
        assertThat(menu.unreachableKeys()).containsExactly("3");
    }

    @Test
    void readsTheLongestPhraseAndTheLowestConfidenceOfItsWords() {
        assertThat(menu.read(heard("appointment", 1))).contains(new Reading("1", 1));
        assertThat(menu.read(List.of(new HeardWord("my", 0.9), new HeardWord("appointment", 0.7)))).contains(new Reading("2", 0.7));
        assertThat(menu.read(heard("[unk] two", 0.8))).contains(new Reading("2", 0.8));
    }

    @Test
    void unknownOnlyTwoAnswersOrStrayWordsReadAsNothing() {
        assertThat(menu.read(heard("[unk]", 1))).isEmpty();
        assertThat(menu.read(heard("book cancel", 1))).isEmpty();
        assertThat(menu.read(heard("book four", 1))).isEmpty();
        assertThat(menu.read(List.of())).isEmpty();
    }

    @Test
    void aNumberGrammarReadsDigits() {
        CompiledGrammar numbers = CompiledGrammar.compile(new Grammar("en", List.of(), true), ENGLISH).orElseThrow();

        assertThat(numbers.json()).contains("\"four\"", "\"forty\"", "\"[unk]\"").doesNotContain("eleven");
        assertThat(numbers.read(heard("forty two", 0.9))).contains(new Reading("42", 0.9));
        assertThat(numbers.read(heard("four [unk] two", 0.9))).contains(new Reading("42", 0.9));
    }

    @Test
    void aGrammarTheModelCannotHearAtAllIsNone() {
        assertThat(CompiledGrammar.compile(Grammar.of("en", Grammar.Choice.of("1", "plugh")), ENGLISH)).isEmpty();
    }

    @Test
    void wordsWithoutAccentsFindTheModelsAccentedSpelling() {
        Vocabulary french = new Vocabulary(Set.of("téléphone", "rendez-vous", "côte", "cote", "été", "ete"));

        CompiledGrammar grammar = CompiledGrammar.compile(Grammar.of("fr",
                Grammar.Choice.of("1", "telephone"), Grammar.Choice.of("2", "rendez-vous")), french).orElseThrow();

        assertThat(grammar.json()).isEqualTo("[\"téléphone\",\"rendez-vous\",\"[unk]\"]");
        assertThat(grammar.read(heard("téléphone", 1))).contains(new Reading("1", 1));
        assertThat(french.spelling("cote")).contains("cote");
        assertThat(french.spelling("telephone")).contains("téléphone");
        assertThat(new Vocabulary(Set.of("côté", "côte")).spelling("cote")).isEmpty(); // two candidates: no guess
    }

    @Test
    void grammarsRejectWhatCouldHarmTheNativeRecognizer() {
        assertThatThrownBy(() -> Grammar.Choice.of("1", "book\", \"x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Grammar.Choice.of("1", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Grammar.of("en", Grammar.Choice.of("1", "yes"), Grammar.Choice.of("2", "Yes")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Grammar("en", List.of(), false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Grammar.Choice.of("1", "  Book   An ").phrases()).containsExactly("book an");
    }

    @Test
    void aDayAndAMonthReadAsTheDateTheConversationReads() {
        Vocabulary words = new Vocabulary(Set.of("march", "april", "fourteen", "twenty", "one", "two", "thirty", "the", "of"));
        List<List<String>> months = new java.util.ArrayList<>();
        for (String m : List.of("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")) months.add(List.of(m));
        CompiledGrammar dates = CompiledGrammar.compile(Grammar.dayAndMonth("en", months), words).orElseThrow();

        assertThat(dates.json()).contains("\"march\"", "\"fourteen\"", "\"[unk]\"").doesNotContain("january");
        assertThat(dates.read(heard("fourteen march", 0.9))).contains(new Reading("14/03", 0.9));
        assertThat(dates.read(heard("april twenty one", 0.8))).contains(new Reading("21/04", 0.8));
        assertThat(dates.read(List.of(new HeardWord("march", 0.95), new HeardWord("two", 0.6)))).contains(new Reading("02/03", 0.6));
        // A month alone, a day alone, a day that no month has, two months: nothing.
        assertThat(dates.read(heard("march", 1))).isEmpty();
        assertThat(dates.read(heard("fourteen", 1))).isEmpty();
        assertThat(dates.read(heard("thirty two march", 1))).isEmpty();
        assertThat(dates.read(heard("march april", 1))).isEmpty();
        assertThatThrownBy(() -> Grammar.dayAndMonth("en", months.subList(0, 11))).isInstanceOf(IllegalArgumentException.class);
    }
}
