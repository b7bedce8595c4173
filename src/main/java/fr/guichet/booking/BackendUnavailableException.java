package fr.guichet.booking;

/**
 * An outside backend could not answer a read ({@link BookingPort#findSlots}): the web API answers 503, a
 * conversation takes the action's failure exit (the request goes to the queue). Carries no personal data.
 */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String reason) {
        super(reason, null, false, false);
    }
}
