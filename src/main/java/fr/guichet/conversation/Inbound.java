package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.util.Objects;

/**
 * One input from a person: an SMS body, keypad digits, or recognised speech ({@code text}, may be empty).
 * {@code countryHint} is the ISO country Twilio reports for the number (may be null); it helps guess the language.
 * {@code newCall} marks the first turn of a phone call (the runtime greets and may offer to continue).
 * {@code chosenLanguage} is a language tag the person already picked on the channel itself (the phone's own language
 * menu, spoken before the conversation starts); null when the channel does not know. The runtime should take it as
 * the person's choice rather than guess or ask again.
 */
public record Inbound(PhoneNumber from, Channel channel, String text, String countryHint, boolean newCall, String chosenLanguage) {
    public Inbound {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(channel, "channel");
        text = text == null ? "" : text;
    }

    public Inbound(PhoneNumber from, Channel channel, String text, String countryHint, boolean newCall) {
        this(from, channel, text, countryHint, newCall, null);
    }
}
