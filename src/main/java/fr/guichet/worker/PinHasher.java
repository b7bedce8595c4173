package fr.guichet.worker;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PINs hashed with PBKDF2-HMAC-SHA256 from the JDK: a slow, salted hash, so a copy of the table does not give the
 * PINs away by brute force in minutes (a 4–8 digit PIN has few values). Stored as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}; the iteration count travels with the hash.
 */
final class PinHasher {
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private final SecureRandom random = new SecureRandom();
    private final int iterations;

    PinHasher(int iterations) {
        if (iterations < 1000) throw new IllegalArgumentException("app.workers.pin-iterations must be at least 1000");
        this.iterations = iterations;
    }

    String hash(String pin) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(derive(pin, salt, iterations));
    }

    boolean matches(String pin, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) return false;
        Base64.Decoder b64 = Base64.getDecoder();
        byte[] expected = b64.decode(parts[3]);
        return MessageDigest.isEqual(expected, derive(pin, b64.decode(parts[2]), Integer.parseInt(parts[1])));
    }

    private static byte[] derive(String pin, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(pin.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * Why a PIN is refused, or null when it is acceptable: 4 to 8 digits, not one digit repeated, not a run of
     * consecutive digits (1234, 9876), the first codes anyone tries.
     */
    static String weakness(String pin) {
        if (pin == null || !pin.matches("[0-9]{4,8}")) return "must be 4 to 8 digits";
        if (pin.chars().distinct().count() == 1) return "must not repeat one digit";
        boolean up = true;
        boolean down = true;
        for (int i = 1; i < pin.length(); i++) {
            int step = pin.charAt(i) - pin.charAt(i - 1);
            up &= step == 1;
            down &= step == -1;
        }
        if (up || down) return "must not be a run of consecutive digits";
        return null;
    }
}
