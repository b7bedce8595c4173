package fr.guichet.notify;

import fr.guichet.phone.PhoneNumber;

/** Whether a text would reach a number; implemented by {@link SmsNumbers}, which knows the opted-out and unreachable ones. */
public interface TextReach {
    /**
     * A mobile, not opted out (STOP, or Twilio's 21610) and not known unable to receive texts. The outbox holds any
     * text to the others, so whatever matters to the person (a convocation, a reminder, a confirmation) must go another
     * way: a call, or read twice on the phone.
     */
    boolean textsReach(PhoneNumber phone);

    /** A number texts do not reach, so what matters must go another way; false with no number (nothing to reach). */
    default boolean textsMiss(PhoneNumber phone) {
        return phone != null && !textsReach(phone);
    }
}
