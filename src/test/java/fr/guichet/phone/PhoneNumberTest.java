package fr.guichet.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PhoneNumberTest {

    @Test
    void frenchNationalInternationalAndDoubleZeroFormsGiveOneE164() {
        assertThat(PhoneNumber.parse("06 12 34 56 78").e164()).isEqualTo("+33612345678");
        assertThat(PhoneNumber.parse("+33612345678").e164()).isEqualTo("+33612345678");
        assertThat(PhoneNumber.parse("0033 6 12 34 56 78").e164()).isEqualTo("+33612345678");
        assertThat(PhoneNumber.parse("06.12.34.56.78").e164()).isEqualTo("+33612345678");
        assertThat(PhoneNumber.parse("06-12-34-56-78").e164()).isEqualTo("+33612345678");
    }

    @Test
    void anyCountryWithItsCountryAndLineType() {
        PhoneNumber moroccan = PhoneNumber.parse("+212 6 12 34 56 78");
        assertThat(moroccan.region()).isEqualTo("MA");
        assertThat(moroccan.countryCallingCode()).isEqualTo(212);
        assertThat(moroccan.lineType()).isEqualTo(LineType.MOBILE);
        assertThat(PhoneNumber.parse("+93 70 123 4567").region()).isEqualTo("AF");
        assertThat(PhoneNumber.parse("+380 50 123 4567").region()).isEqualTo("UA");
        PhoneNumber prefecture = PhoneNumber.parse("04 76 60 49 49");
        assertThat(prefecture.lineType()).isEqualTo(LineType.FIXED_LINE);
        assertThat(prefecture.canReceiveTexts()).isFalse();
        assertThat(PhoneNumber.parse("06 12 34 56 78").canReceiveTexts()).isTrue();
    }

    @Test
    void arabicIndicAndPersianDigitsAreRead() {
        assertThat(PhoneNumber.parse("٠٦١٢٣٤٥٦٧٨").e164()).isEqualTo("+33612345678");
        assertThat(PhoneNumber.parse("۰۶۱۲۳۴۵۶۷۸").e164()).isEqualTo("+33612345678");
    }

    @Test
    void theMaskedFormKeepsTheCountryTheFirstAndTheLastTwoDigits() {
        PhoneNumber number = PhoneNumber.parse("06 12 34 56 78");
        assertThat(number.masked()).isEqualTo("+33 6 •• •• •• 78");
        assertThat(number.toString()).isEqualTo(number.masked()).doesNotContain("12345678");
        assertThat(number.national()).isEqualTo("06 12 34 56 78");
    }

    @Test
    void wrongNumbersSayWhatIsWrong() {
        assertThatThrownBy(() -> PhoneNumber.parse("")).isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.EMPTY));
        assertThatThrownBy(() -> PhoneNumber.parse("06 12")).isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.TOO_SHORT));
        assertThatThrownBy(() -> PhoneNumber.parse("1".repeat(65))).isInstanceOfSatisfying(InvalidPhoneNumberException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidPhoneNumberException.Reason.TOO_LONG));
        assertThatThrownBy(() -> PhoneNumber.parse("bonjour")).isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> new PhoneNumber("0612345678")).isInstanceOf(InvalidPhoneNumberException.class);
    }
}
