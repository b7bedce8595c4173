package fr.guichet.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.channel.sms.SmsSegments.Encoding;
import org.junit.jupiter.api.Test;

class SmsSegmentsTest {
    @Test
    void plainFrenchWithoutCircumflexIsGsm7() {
        assertThat(SmsSegments.of("Votre rendez-vous est confirmé à 10h.")).isEqualTo(new SmsSegments(Encoding.GSM_7, 37, 1));
    }

    @Test
    void aCircumflexTurnsTheWholeTextIntoUcs2() {
        assertThat(SmsSegments.of("Répondez ARRÊT").encoding()).isEqualTo(Encoding.UCS_2);
    }

    @Test
    void extensionCharactersCountTwice() {
        assertThat(SmsSegments.of("€").units()).isEqualTo(2);
    }

    @Test
    void splitsAtTheConcatenatedSizes() {
        assertThat(SmsSegments.of("a".repeat(160)).segments()).isEqualTo(1);
        assertThat(SmsSegments.of("a".repeat(161)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("ب".repeat(70)).segments()).isEqualTo(1);
        assertThat(SmsSegments.of("ب".repeat(71)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("ب".repeat(134)).segments()).isEqualTo(2);
        assertThat(SmsSegments.of("ب".repeat(135)).segments()).isEqualTo(3);
    }

    @Test
    void emojiOutsideTheBasicPlaneCostsTwoUnits() {
        assertThat(SmsSegments.of("👍")).isEqualTo(new SmsSegments(Encoding.UCS_2, 2, 1));
    }
}
