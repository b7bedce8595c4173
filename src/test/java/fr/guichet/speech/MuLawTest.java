package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class MuLawTest {

    @Test
    void decodesTheG711CodeWordsToFullScaleSixteenBitValues() {
        assertThat(MuLaw.decode(0xFF)).isEqualTo((short) 0);     // positive zero
        assertThat(MuLaw.decode(0x7F)).isEqualTo((short) 0);     // negative zero
        assertThat(MuLaw.decode(0xFE)).isEqualTo((short) 8);     // smallest step
        assertThat(MuLaw.decode(0x7E)).isEqualTo((short) -8);
        assertThat(MuLaw.decode(0x80)).isEqualTo((short) 32124); // loudest, not the 14-bit 8031
        assertThat(MuLaw.decode(0x00)).isEqualTo((short) -32124);
        assertThat(MuLaw.decode(0xEF)).isEqualTo((short) 132);   // first value of segment 1
        assertThat(MuLaw.decode(0x8F)).isEqualTo((short) 16764); // first value of segment 7
    }

    @Test
    void agreesWithTheJdksOwnMuLawDecoderOnAll256CodeWords() throws IOException {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        AudioFormat ulaw = new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false);
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, 8000, 16, 1, 2, 8000, false);
        byte[] decodedByJdk;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(pcm, new AudioInputStream(new ByteArrayInputStream(all), ulaw, 256))) {
            decodedByJdk = in.readAllBytes();
        }
        ByteBuffer jdk = ByteBuffer.wrap(decodedByJdk).order(ByteOrder.LITTLE_ENDIAN);
        short[] ours = new short[256];
        MuLaw.decode(all, 0, 256, ours, 0);

        for (int i = 0; i < 256; i++) {
            assertThat(ours[i]).as("code word 0x%02X", i).isEqualTo(jdk.getShort(2 * i));
        }
    }

    @Test
    void isSymmetricAndMonotonic() {
        for (int code = 0; code < 128; code++) {
            assertThat(MuLaw.decode(code)).isEqualTo((short) -MuLaw.decode(code | 0x80));
        }
        for (int code = 0x80; code < 0xFF; code++) {
            assertThat(MuLaw.decode(code)).isGreaterThan(MuLaw.decode(code + 1));
        }
    }
}
