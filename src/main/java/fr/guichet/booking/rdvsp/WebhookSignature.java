package fr.guichet.booking.rdvsp;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RDV Service Public signs each webhook delivery: {@code X-Lapin-Signature} is the hex HMAC-SHA256 of the raw body
 * with the secret given when the webhook endpoint was registered. Compared in constant time, on bytes, so the
 * comparison says nothing about how much of a forged signature was right.
 */
final class WebhookSignature {
    static final String HEADER = "X-Lapin-Signature";
    private final byte[] secret;

    WebhookSignature(String secret) {
        this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
    }

    boolean configured() {
        return secret.length > 0;
    }

    String sign(byte[] body) {
        return HexFormat.of().formatHex(mac(body));
    }

    boolean matches(byte[] body, String signature) {
        if (!configured() || signature == null) return false;
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.strip().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(mac(body), given);
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
