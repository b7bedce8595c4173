package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.util.Objects;

/**
 * One input from a person: an SMS body, keypad digits, or recognised speech ({@code text}, may be empty).
 * {@code countryHint} is the ISO country Twilio reports for the number (may be null); it helps guess the language.
 * {@code newCall} marks the first turn of a phone call (the runtime greets and may offer to continue).
 */
public record Inbound(PhoneNumber from, Channel channel, String text, String countryHint, boolean newCall) {
    public Inbound {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(channel, "channel");
        text = text == null ? "" : text;
    }
}
