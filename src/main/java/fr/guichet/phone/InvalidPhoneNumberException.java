package fr.guichet.phone;

/** A text that is not a valid phone number; the reason lets each channel explain it in the person's language. */
public final class InvalidPhoneNumberException extends IllegalArgumentException {
    public enum Reason { EMPTY, NOT_A_NUMBER, TOO_SHORT, TOO_LONG, UNKNOWN_COUNTRY, NOT_VALID }

    private final Reason reason;

    public InvalidPhoneNumberException(Reason reason) {
        super("Invalid phone number: " + reason);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
