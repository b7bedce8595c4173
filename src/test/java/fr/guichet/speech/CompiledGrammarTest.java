package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import fr.guichet.speech.CompiledGrammar.Hypothesis;
import fr.guichet.speech.CompiledGrammar.Reading;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledGrammarTest {

    static final Vocabulary ENGLISH = new Vocabulary(Set.of("book", "my", "appointment", "an", "cancel", "one", "two",
            "four", "forty", "yes", "no"));

    static List<String> heard(String text) {
        return Arrays.stream(text.split(" ")).toList();
    }

    static Hypothesis hypothesis(String text, double score) {
        return new Hypothesis(text.isEmpty() ? List.of() : heard(text), score);
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
    void readsTheLongestPhrase() {
        assertThat(menu.meaning(heard("appointment"))).contains("1");
        assertThat(menu.meaning(heard("my appointment"))).contains("2");
        assertThat(menu.meaning(heard("[unk] two"))).contains("2");
    }

    @Test
    void theConfidenceOfAKeyIsItsShareOfTheSpokenHypotheses() {
        // Synonyms add up: "book" and "appointment" both say 1, against one [unk] e (2.718…) times less likely.
        Reading synonyms = menu.read(List.of(hypothesis("book", -10), hypothesis("appointment", -10), hypothesis("[unk]", -11))).orElseThrow();
        assertThat(synonyms.key()).isEqualTo("1");
        assertThat(synonyms.confidence()).isCloseTo(2 / (2 + Math.exp(-1)), within(1e-9));
        // Two answers equally likely: half each, which no sensible threshold accepts.
        assertThat(menu.read(List.of(hypothesis("book", 5), hypothesis("cancel", 5)))).get().extracting(Reading::confidence).isEqualTo(0.5);
        // Only unknown words: nothing.
        assertThat(menu.read(List.of(hypothesis("[unk]", 5), hypothesis("[unk] [unk]", 4)))).isEmpty();
    }

    @Test
    void theSilencePathCountsOnlyWhenItWinsByFar() {
        // A word nearly as likely as silence was said (the listener only asks after hearing speech energy) …
        assertThat(menu.read(List.of(hypothesis("", 100), hypothesis("cancel", 100 - CompiledGrammar.SILENCE_MARGIN + 0.1))))
                .contains(new Reading("2", 1.0));
        // … one far behind was not.
        assertThat(menu.read(List.of(hypothesis("", 100), hypothesis("cancel", 100 - CompiledGrammar.SILENCE_MARGIN - 0.1)))).isEmpty();
        assertThat(menu.read(List.of(hypothesis("", 100)))).isEmpty();
        assertThat(menu.read(List.of())).isEmpty();
    }

    @Test
    void unknownOnlyTwoAnswersOrStrayWordsReadAsNothing() {
        assertThat(menu.meaning(heard("[unk]"))).isEmpty();
        assertThat(menu.meaning(heard("book cancel"))).isEmpty();
        assertThat(menu.meaning(heard("book four"))).isEmpty();
        assertThat(menu.meaning(List.of())).isEmpty();
    }

    @Test
    void aNumberGrammarReadsDigits() {
        CompiledGrammar numbers = CompiledGrammar.compile(new Grammar("en", List.of(), true), ENGLISH).orElseThrow();

        assertThat(numbers.json()).contains("\"four\"", "\"forty\"", "\"[unk]\"").doesNotContain("eleven");
        assertThat(numbers.meaning(heard("forty two"))).contains("42");
        assertThat(numbers.meaning(heard("four [unk] two"))).contains("42");
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
        assertThat(grammar.meaning(heard("téléphone"))).contains("1");
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
        assertThat(dates.meaning(heard("fourteen march"))).contains("14/03");
        assertThat(dates.meaning(heard("april twenty one"))).contains("21/04");
        assertThat(dates.meaning(heard("march two"))).contains("02/03");
        // A month alone, a day alone, a day that no month has, two months: nothing.
        assertThat(dates.meaning(heard("march"))).isEmpty();
        assertThat(dates.meaning(heard("fourteen"))).isEmpty();
        assertThat(dates.meaning(heard("thirty two march"))).isEmpty();
        assertThat(dates.meaning(heard("march april"))).isEmpty();
        assertThatThrownBy(() -> Grammar.dayAndMonth("en", months.subList(0, 11))).isInstanceOf(IllegalArgumentException.class);
    }
}
