package fr.guichet.booking;

/**
 * A demand was recorded in the queue (whichever channel: SMS, voice, web, staff). Published inside the transaction
 * that inserted it, like {@link AppointmentBooked}, so the acknowledgement of receipt owed by law commits or rolls
 * back with the request itself. A replayed idempotency key publishes nothing.
 */
public record RequestReceived(QueuedRequest request) {}
