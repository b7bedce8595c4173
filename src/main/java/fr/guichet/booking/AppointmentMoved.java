package fr.guichet.booking;

/**
 * An appointment was moved: {@code from} (now MOVED) was replaced by {@code to} (BOOKED, new reference) and the
 * old place is free again. Published inside the move's transaction, like {@link AppointmentBooked}.
 */
public record AppointmentMoved(Appointment from, Appointment to) {}
