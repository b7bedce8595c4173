package fr.guichet.booking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of what a request asked for, stored with its idempotency key: a retry has the same fingerprint, a
 * different request under a reused key does not. A digest rather than the fields, so no name or number is copied.
 */
final class Fingerprint {
    private Fingerprint() {}

    static String of(Object... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                String text = part == null ? "\u0000null" : part.toString();
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0x1f); // unit separator: ("ab","c") and ("a","bc") differ
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
