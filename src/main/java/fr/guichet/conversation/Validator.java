package fr.guichet.conversation;

import java.util.Locale;
import java.util.Optional;

/** What a question accepts. Each has a re-ask text {@code invalid.<name>} that shows what is expected. */
enum Validator {
    DATE(Expectation.Kind.DATE, 4),
    BIRTH_DATE(Expectation.Kind.DATE, 8),
    EXPIRY_DATE(Expectation.Kind.DATE, 8),
    TIME(Expectation.Kind.TIME, 4),
    NUMBER(Expectation.Kind.NUMBER, 6),
    YES_NO(Expectation.Kind.YES_NO, 1),
    PHONE(Expectation.Kind.PHONE, 15),
    NAME(Expectation.Kind.NAME, 0),
    REFERENCE(Expectation.Kind.REFERENCE, 9),
    /**
     * A secret code of 4 to 8 digits (social workers); on voice typed on the keypad until # (no fixed length, so no
     * hint of it), never heard by speech recognition ({@link Expectation.Kind#SECRET}).
     */
    PIN(Expectation.Kind.SECRET, 0);

    final Expectation.Kind expects;
    final int maxDigits;

    Validator(Expectation.Kind expects, int maxDigits) {
        this.expects = expects;
        this.maxDigits = maxDigits;
    }

    String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    String invalidKey() {
        return "invalid." + yamlName();
    }

    /**
     * On the phone, answers typed on the keypad are re-asked with keys to press, not characters to write:
     * {@code invalid.<name>.voice} for these validators.
     */
    boolean keypadWording() {
        return this == DATE || this == BIRTH_DATE || this == EXPIRY_DATE || this == PHONE || this == PIN;
    }

    String invalidKey(Channel channel) {
        return channel == Channel.VOICE && keypadWording() ? invalidKey() + ".voice" : invalidKey();
    }

    static Optional<Validator> byName(String name) {
        for (Validator v : values()) if (v.yamlName().equals(name)) return Optional.of(v);
        return Optional.empty();
    }
}
