package fr.guichet.speech;

/**
 * ITU-T G.711 mu-law to 16-bit linear PCM, by a table of the 256 code words. The output is on the full 16-bit scale
 * (0x00 decodes to -32124); some published decoders give 14-bit values, four times smaller, which the recognizer
 * would hear as very quiet audio.
 */
final class MuLaw {

    private static final short[] TABLE = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            int u = ~code & 0xFF;
            int t = ((u & 0x0F) << 3) + 0x84;
            t <<= (u & 0x70) >> 4;
            TABLE[code] = (short) ((u & 0x80) != 0 ? (0x84 - t) : (t - 0x84));
        }
    }

    private MuLaw() {}

    static short decode(int codeWord) {
        return TABLE[codeWord & 0xFF];
    }

    /** Decodes {@code length} mu-law bytes from {@code source[offset]} into {@code target[targetOffset]}. */
    static void decode(byte[] source, int offset, int length, short[] target, int targetOffset) {
        for (int i = 0; i < length; i++) {
            target[targetOffset + i] = TABLE[source[offset + i] & 0xFF];
        }
    }
}
