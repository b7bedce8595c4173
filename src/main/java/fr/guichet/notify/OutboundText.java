package fr.guichet.notify;

import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.util.Objects;

/**
 * A text to send later. {@code purposeKey} names why it is sent ({@code convocation:482915306},
 * {@code reply:SM…}) so it goes out once; {@code notBefore} delays it (quiet hours); null means now.
 */
public record OutboundText(PhoneNumber to, String purposeKey, String body, String language, Instant notBefore) {
    public OutboundText {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(purposeKey, "purposeKey");
        Objects.requireNonNull(body, "body");
    }
}
