package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PinHasherTest {
    private final PinHasher hasher = new PinHasher(1000);

    @Test
    void aHashMatchesOnlyItsPinAndIsSaltedEachTime() {
        String first = hasher.hash("048213");
        String second = hasher.hash("048213");
        assertThat(first).isNotEqualTo(second).startsWith("pbkdf2-sha256$1000$").doesNotContain("048213");
        assertThat(hasher.matches("048213", first)).isTrue();
        assertThat(hasher.matches("48213", first)).isFalse();
        assertThat(hasher.matches("048214", second)).isFalse();
        assertThat(hasher.matches("048213", "not-a-hash")).isFalse();
    }

    @Test
    void theIterationCountTravelsWithTheHash() {
        String old = new PinHasher(1000).hash("250913");
        assertThat(new PinHasher(5000).matches("250913", old)).isTrue();
    }

    @Test
    void weakOrMalformedPinsAreRefusedWithAReason() {
        assertThat(PinHasher.weakness("250913")).isNull();
        assertThat(PinHasher.weakness("0482")).isNull();
        assertThat(PinHasher.weakness("123")).contains("4 to 8 digits");
        assertThat(PinHasher.weakness("123456789")).contains("4 to 8 digits");
        assertThat(PinHasher.weakness("12a4")).contains("4 to 8 digits");
        assertThat(PinHasher.weakness(null)).contains("4 to 8 digits");
        assertThat(PinHasher.weakness("٢٥٠٩")).contains("4 to 8 digits");
        assertThat(PinHasher.weakness("0000")).contains("repeat");
        assertThat(PinHasher.weakness("3456")).contains("consecutive");
        assertThat(PinHasher.weakness("87654")).contains("consecutive");
    }
}
