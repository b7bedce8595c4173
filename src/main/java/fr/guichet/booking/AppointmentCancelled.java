package fr.guichet.booking;

/**
 * An appointment was cancelled (by the person, a worker, staff or the outside backend); its place is free again.
 * Published inside the cancellation's transaction, like {@link AppointmentBooked}.
 */
public record AppointmentCancelled(Appointment appointment) {}
