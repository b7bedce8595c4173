package fr.guichet.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UpsamplerTest {

    static final int DELAY = Upsampler.HALF_TAPS; // input samples

    static short[] upsample(short[] input, int chunk) {
        Upsampler upsampler = new Upsampler();
        short[] output = new short[2 * input.length];
        for (int at = 0; at < input.length; at += chunk) {
            int count = Math.min(chunk, input.length - at);
            short[] part = new short[count];
            System.arraycopy(input, at, part, 0, count);
            upsampler.process(part, count, output, 2 * at);
        }
        return output;
    }

    static short[] tone(double hertz, int samples, double amplitude) {
        short[] out = new short[samples];
        for (int n = 0; n < samples; n++) out[n] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hertz * n / 8000));
        return out;
    }

    /** Amplitude of one frequency in 16 kHz audio (Goertzel), over the samples from {@code from}. */
    static double amplitudeAt(short[] audio, int from, double hertz) {
        double w = 2 * Math.PI * hertz / 16000, re = 0, im = 0;
        int n = audio.length - from;
        for (int i = 0; i < n; i++) {
            re += audio[from + i] * Math.cos(w * i);
            im -= audio[from + i] * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / n;
    }

    @Test
    void givesTwoOutputSamplesPerInputSampleAndKeepsTheInputSamplesAfterAFixedDelay() {
        short[] input = new short[400];
        for (int i = 0; i < input.length; i++) input[i] = (short) ((i * 7919) % 20000 - 10000);

        short[] output = upsample(input, 160);

        assertThat(output).hasSize(800);
        for (int i = DELAY; i < input.length; i++) {
            assertThat(output[2 * i]).as("output %d", 2 * i).isEqualTo(input[i - DELAY]);
        }
    }

    @Test
    void passesAConstantLevelUnchanged() {
        short[] input = new short[200];
        java.util.Arrays.fill(input, (short) 1000);

        short[] output = upsample(input, 160);

        for (int m = 4 * DELAY; m < output.length; m++) assertThat(output[m]).isBetween((short) 999, (short) 1001);
    }

    @Test
    void interpolatesAToneAtTheMidpointsAsTheContinuousSignalWouldBe() {
        short[] input = tone(1000, 800, 10_000);

        short[] output = upsample(input, 160);

        for (int m = 4 * DELAY + 1; m < output.length; m += 2) {
            double t = m / 2.0 - DELAY; // in input samples
            double expected = 10_000 * Math.sin(2 * Math.PI * 1000 * t / 8000);
            assertThat((double) output[m]).as("output %d", m).isCloseTo(expected, within(60.0));
        }
    }

    @Test
    void doesNotCreateTheMirrorImageAboveFourKilohertzThatLinearInterpolationLeaves() {
        short[] input = tone(3000, 1600, 10_000);

        short[] output = upsample(input, 160);

        double wanted = amplitudeAt(output, 4 * DELAY, 3000);
        double mirror = amplitudeAt(output, 4 * DELAY, 5000); // 8 kHz - 3 kHz
        assertThat(wanted).isCloseTo(10_000, within(100.0));
        // Linear interpolation leaves the 5 kHz image at about 20 % of the tone (and the tone at 60 %); this filter under 0.5 %.
        assertThat(mirror).isLessThan(50);
    }

    @Test
    void chunkSizesDoNotChangeTheResult() {
        short[] input = tone(700, 1000, 8_000);

        assertThat(upsample(input, 7)).isEqualTo(upsample(input, 160)).isEqualTo(upsample(input, 1000));
    }
}
