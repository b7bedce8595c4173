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

    @Test
    void everyLanguageWithASpeechModelHasItsNumberWords() {
        for (String model : List.of("en", "fr", "es", "pt", "ru", "uk", "tr", "fa")) {
            NumberWords words = NumberWords.forModel(model);
            for (int digit = 0; digit <= 9; digit++) assertThat(words.wordsFor(digit)).as(model + " " + digit).isNotEmpty();
        }
        assertThat(NumberWords.forModel("ru").digits(List.of("сорок", "два"))).contains("42");
        assertThat(NumberWords.forModel("uk").digits(List.of("п'ять"))).contains("5");
        assertThat(NumberWords.forModel("pt").digits(List.of("vinte", "três"))).contains("23");
        assertThat(NumberWords.forModel("fa").digits(List.of("سی", "دو"))).contains("32");
    }

    @Test
    void turkishTeensAreTenAndADigit() {
        NumberWords turkish = NumberWords.forModel("tr");
        assertThat(turkish.digits(List.of("on", "bir"))).contains("11");
        assertThat(turkish.digits(List.of("on", "dokuz"))).contains("19");
        assertThat(turkish.digits(List.of("yirmi", "dört"))).contains("24");
        assertThat(turkish.digits(List.of("bir", "iki"))).contains("12");
    }
}
