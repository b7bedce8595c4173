package fr.guichet.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    final Random random = new Random(20261201);

    @Test
    void aReferenceIsNineDigitsWithACheckDigitAndIsPrintedInThrees() {
        Reference reference = Reference.fromPayload("48291530");
        assertThat(reference.value()).hasSize(9).startsWith("48291530");
        assertThat(reference.grouped()).matches("\\d{3} \\d{3} \\d{3}");
        assertThat(Reference.parse(reference.grouped())).contains(reference);
    }

    @Test
    void everySingleMistypedDigitIsCaught() {
        for (int n = 0; n < 200; n++) {
            String value = Reference.fromPayload("%08d".formatted(random.nextInt(100_000_000))).value();
            for (int i = 0; i < 9; i++) {
                for (char d = '0'; d <= '9'; d++) {
                    if (d == value.charAt(i)) continue;
                    String typo = value.substring(0, i) + d + value.substring(i + 1);
                    assertThat(Reference.parse(typo)).as(typo).isEmpty();
                }
            }
        }
    }

    @Test
    void everySwapOfTwoNeighbouringDigitsIsCaught() {
        for (int n = 0; n < 500; n++) {
            String value = Reference.fromPayload("%08d".formatted(random.nextInt(100_000_000))).value();
            for (int i = 0; i < 8; i++) {
                if (value.charAt(i) == value.charAt(i + 1)) continue;
                String swapped = value.substring(0, i) + value.charAt(i + 1) + value.charAt(i) + value.substring(i + 2);
                assertThat(Reference.parse(swapped)).as(swapped).isEmpty();
            }
        }
    }

    @Test
    void aReferenceIsReadAsTypedOrSaid() {
        Reference reference = Reference.fromPayload("12345678");
        String v = reference.value();
        assertThat(Reference.parse(v.substring(0, 3) + "." + v.substring(3, 6) + "-" + v.substring(6))).contains(reference);
        String arabicIndic = v.chars().mapToObj(c -> String.valueOf((char) ('٠' + (c - '0')))).reduce("", String::concat);
        assertThat(Reference.parse(arabicIndic)).contains(reference);
        assertThat(Reference.parse("12345678")).isEmpty();
        assertThat(Reference.parse("abc")).isEmpty();
        assertThat(Reference.parse(null)).isEmpty();
        assertThatThrownBy(() -> new Reference("123456780".equals(v) ? "123456781" : "123456780"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
