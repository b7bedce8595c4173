package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswersTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 2);

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "12/03;fr;2026-03-12", "12 mars;fr;2026-03-12", "1203;fr;2026-03-12", "2026-03-12;fr;2026-03-12", "12.03;fr;2026-03-12",
            "1er mars;fr;2027-03-01", "12 March;en;2026-03-12", "١٢/٠٣;ar;2026-03-12", "۱۲/۰۳;fa-AF;2026-03-12",
            "12 марта;ru;2026-03-12", "12 березня;uk;2026-03-12", "12 Mart;tr;2026-03-12", "12 de marzo;es;2026-03-12",
            "12 março;pt;2026-03-12", "el 15 de diciembre;es;2026-12-15", "le 15 mars;fr;2026-03-15",
            "à partir du 20/03 si possible;fr;2026-03-20", "on the 3rd of May;en;2026-05-03", "am liebsten 15 heures;fr;"})
    void readsDaysToCome(String text, String language, String expected) {
        Optional<LocalDate> date = Answers.date(text, language, TODAY, Answers.DateKind.FUTURE);
        if (expected == null) assertThat(date).isEmpty();
        else assertThat(date).contains(LocalDate.parse(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "12.03.1990;1990-03-12", "12/03/90;1990-03-12", "1990-03-12;1990-03-12", "12031990;1990-03-12",
            "12 mars 1990;1990-03-12", "١٢.٠٣.١٩٩٠;1990-03-12", "12/03/05;2005-03-12"})
    void readsBirthDates(String text, String expected) {
        assertThat(Answers.date(text, "fr", TODAY, Answers.DateKind.BIRTH)).contains(LocalDate.parse(expected));
    }

    @Test
    void refusesWhatIsNotADateOfTheRightKind() {
        for (String text : new String[] {"", " ", "31/02", "12/03", "hier", "🙂", "99.99.9999", "12.03.2030", "1".repeat(500)}) {
            assertThat(Answers.date(text, "fr", TODAY, Answers.DateKind.BIRTH)).as(text).isEmpty();
        }
        assertThat(Answers.date("01/01", "fr", TODAY, Answers.DateKind.FUTURE)).contains(LocalDate.of(2027, 1, 1));
        assertThat(Answers.date("03/2027", "fr", TODAY, Answers.DateKind.EXPIRY)).contains(LocalDate.of(2027, 3, 31));
    }

    @Test
    void readsNumbersAsDigitsOfAnyScriptOrAsWords() {
        List<String> french = Answers.words("un,une,premier|deux|trois");
        assertThat(Answers.number("٣", french)).contains(3);
        assertThat(Answers.number("۳", french)).contains(3);
        assertThat(Answers.number(" 2. ", french)).contains(2);
        assertThat(Answers.number("Premier", french)).contains(1);
        assertThat(Answers.number("deux", french)).contains(2);
        assertThat(Answers.number("12345678901", french)).isEmpty();
        assertThat(Answers.number("🙂", french)).isEmpty();
    }

    @Test
    void readsYesAndNo() {
        List<String> yes = Answers.words("oui|o|d'accord");
        List<String> no = Answers.words("non|n");
        assertThat(Answers.yesNo("OUI", yes, no, List.of())).contains(true);
        assertThat(Answers.yesNo("d’accord", yes, no, List.of())).contains(true); // phones type either apostrophe
        assertThat(Answers.yesNo("d'accord", yes, no, List.of())).contains(true);
        assertThat(Answers.yesNo("2", yes, no, List.of())).contains(false);
        assertThat(Answers.yesNo("peut-être", yes, no, List.of())).isEmpty();
    }

    @Test
    void readsTimesNamesReferencesAndPhones() {
        assertThat(Answers.time("14h30")).contains(LocalTime.of(14, 30));
        assertThat(Answers.time("9h")).contains(LocalTime.of(9, 0));
        assertThat(Answers.time("25:00")).isEmpty();
        assertThat(Answers.name("Amina Diallo")).contains("Amina Diallo");
        assertThat(Answers.name("محمد الأمين")).isPresent();
        assertThat(Answers.name("Jean-Pierre N'Diaye")).isPresent();
        assertThat(Answers.name("12345")).isEmpty();
        assertThat(Answers.name("🙂🙂")).isEmpty();
        assertThat(Answers.name("x".repeat(200))).isEmpty();
        assertThat(Answers.phone("06 12 34 56 78")).isPresent();
        assertThat(Answers.phone("hello")).isEmpty();
        assertThat(Answers.reference("123")).isEmpty();
    }

    @Test
    void cleansControlCharactersAndCapsLength() {
        assertThat(Answers.clean("\u0000a\u0007b\u200Bc ")).isEqualTo("a b c");
        assertThat(Answers.clean("x".repeat(100_000))).hasSize(Answers.MAX_INPUT);
        assertThat(Answers.clean(null)).isEmpty();
    }
}
