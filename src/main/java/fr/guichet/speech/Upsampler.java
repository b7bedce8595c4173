package fr.guichet.speech;

/**
 * Streaming 8 kHz → 16 kHz upsampler: a polyphase half-band windowed-sinc filter. Each input sample is passed through
 * unchanged (the half-band filter's even phase is a pure delay) and a sample half-way to the next one is interpolated
 * from {@value #HALF_TAPS} neighbours on each side, weighted by a Kaiser-windowed sinc. Compared with linear
 * interpolation this removes most of the 4–8 kHz mirror image that the 16 kHz model would otherwise hear as noise.
 *
 * <p>Exactly two output samples per input sample; the output lags the input by {@value #HALF_TAPS} input samples
 * (1.5 ms). Not thread-safe: one per audio stream.
 */
final class Upsampler {

    static final int HALF_TAPS = 12;
    private static final double KAISER_BETA = 6.0;
    private static final float[] COEFFICIENTS = coefficients();

    /** The last 2 × HALF_TAPS input samples, oldest first (a sliding window; zeros before the stream starts). */
    private final float[] window = new float[2 * HALF_TAPS];

    /**
     * Upsamples {@code count} samples of {@code input} into {@code output} (which must hold {@code 2 * count} from
     * {@code outputOffset}).
     */
    void process(short[] input, int count, short[] output, int outputOffset) {
        int out = outputOffset;
        int last = window.length - 1;
        for (int i = 0; i < count; i++) {
            System.arraycopy(window, 1, window, 0, last);
            window[last] = input[i];
            // The window now holds x[m-H+1 .. m+H] where m = newest - H: emit x[m], then the point between x[m] and x[m+1].
            float mid = 0;
            for (int k = 0; k < HALF_TAPS; k++) {
                mid += COEFFICIENTS[k] * (window[HALF_TAPS - 1 - k] + window[HALF_TAPS + k]);
            }
            output[out++] = (short) Math.round(window[HALF_TAPS - 1]);
            output[out++] = clip(mid);
        }
    }

    private static short clip(float value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value)));
    }

    /** Half-sample sinc weights for distances 0.5, 1.5, … input samples, windowed, normalised so DC passes at gain 1. */
    private static float[] coefficients() {
        double[] raw = new double[HALF_TAPS];
        double sum = 0;
        for (int k = 0; k < HALF_TAPS; k++) {
            double distance = k + 0.5;
            double sinc = Math.sin(Math.PI * distance) / (Math.PI * distance);
            double position = distance / (HALF_TAPS + 0.5); // 0..1 across the window's half-width
            double kaiser = bessel0(KAISER_BETA * Math.sqrt(1 - position * position)) / bessel0(KAISER_BETA);
            raw[k] = sinc * kaiser;
            sum += 2 * raw[k];
        }
        float[] result = new float[HALF_TAPS];
        for (int k = 0; k < HALF_TAPS; k++) {
            result[k] = (float) (raw[k] / sum);
        }
        return result;
    }

    private static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 30; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }
}
