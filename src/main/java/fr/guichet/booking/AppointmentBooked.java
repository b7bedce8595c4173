package fr.guichet.booking;

/**
 * An appointment was booked, whoever booked it (SMS, voice, web, worker, queue allocation). Published inside the
 * booking's transaction: a listener that writes to the database (convocation, reminders) commits or rolls back with
 * the booking itself, so nothing is sent for a booking that did not happen and nothing is lost for one that did.
 * A replayed idempotency key publishes nothing.
 */
public record AppointmentBooked(Appointment appointment) {}
