package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NumberWordsTest {

    final NumberWords english = NumberWords.forModel("en");

    @Test
    void readsDigitsSaidOneByOneAndNumbersSaidAsNumbers() {
        assertThat(english.digits(List.of("four", "two"))).contains("42");
        assertThat(english.digits(List.of("forty", "two"))).contains("42");
        assertThat(english.digits(List.of("twenty", "twenty", "four"))).contains("2024");
        assertThat(english.digits(List.of("zero", "seven"))).contains("07");
        assertThat(english.digits(List.of("twelve"))).contains("12");
        assertThat(english.digits(List.of("thirty"))).contains("30");
    }

    @Test
    void anyOtherWordIsNoNumber() {
        assertThat(english.digits(List.of("four", "banana"))).isEmpty();
        assertThat(english.digits(List.of())).isEmpty();
    }

    @Test
    void givesTheWordsForOneValue() {
        assertThat(english.wordsFor(1)).containsExactly("one");
        assertThat(english.wordsFor(0)).containsExactly("zero");
        assertThat(english.wordsFor(100)).isEmpty();
    }

    @Test
    void frenchAndSpanishNumbersAreReadToo() {
        NumberWords french = NumberWords.forModel("fr");
        NumberWords spanish = NumberWords.forModel("es");

        assertThat(french.digits(List.of("quatre", "deux"))).contains("42");
        assertThat(french.digits(List.of("soixante", "dix-sept"))).contains("77");
        assertThat(french.digits(List.of("quatre-vingt", "douze"))).contains("92");
        assertThat(french.wordsFor(1)).containsExactly("un", "une");
        assertThat(spanish.digits(List.of("veintidós"))).contains("22");
        assertThat(spanish.digits(List.of("tres", "dos"))).contains("32");
    }

    @Test
    void aLanguageWithoutAFileHasNoNumberWords() {
        assertThat(NumberWords.forModel("xx").words()).isEmpty();
        assertThat(NumberWords.forModel("../en").words()).isEmpty();
        assertThat(NumberWords.forModel(null).digits(List.of("one"))).isEmpty();
    }
}
