package fr.guichet.booking;

import java.util.Objects;

/**
 * The reference of an appointment or a queued request, as a person quotes it: nine digits, the last a Damm check digit, so it can be typed on any keypad,
 * said in any language, and a single mistyped digit or swapped pair is caught.
 * Printed in groups of three ({@code 482 915 306}).
 */
public record Reference(String value) {
    public Reference {
        Objects.requireNonNull(value, "value");
        if (!value.matches("[0-9]{9}") || !DammCheck.isValid(value)) {
            throw new IllegalArgumentException("Not a valid reference");
        }
    }

    /** Reads a reference as typed or said: spaces, dots, dashes, Arabic-Indic digits are accepted. */
    public static java.util.Optional<Reference> parse(String text) {
        if (text == null || text.length() > 64) return java.util.Optional.empty();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int d = Character.digit(cp, 10);
            if (d >= 0) digits.append((char) ('0' + d));
            else if (!Character.isWhitespace(cp) && cp != '-' && cp != '.' && cp != '/') return java.util.Optional.empty();
        }
        String candidate = digits.toString();
        return candidate.matches("[0-9]{9}") && DammCheck.isValid(candidate)
                ? java.util.Optional.of(new Reference(candidate))
                : java.util.Optional.empty();
    }

    /** Builds a reference from eight payload digits by appending the check digit. */
    public static Reference fromPayload(String eightDigits) {
        if (!eightDigits.matches("[0-9]{8}")) throw new IllegalArgumentException("payload must be 8 digits");
        return new Reference(eightDigits + DammCheck.checkDigit(eightDigits));
    }

    /** {@code 482 915 306}: how it is printed in texts and read back. */
    public String grouped() {
        return value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6);
    }

    @Override
    public String toString() {
        return value;
    }
}
