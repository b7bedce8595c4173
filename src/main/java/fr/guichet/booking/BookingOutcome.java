package fr.guichet.booking;

/** What came of a booking or a move. Every case is an answer a channel can put into words. */
public sealed interface BookingOutcome {
    record Booked(Appointment appointment) implements BookingOutcome {}
    /** No free capacity left on the slot. */
    record SlotFull(long slotId) implements BookingOutcome {}
    record SlotNotFound(long slotId) implements BookingOutcome {}
    record SlotInPast(long slotId) implements BookingOutcome {}
    record ProcedureNotAccepted(long slotId, String procedure) implements BookingOutcome {}
    record UnknownProcedure(String procedure) implements BookingOutcome {}
    /** The person already holds an active appointment for this procedure. */
    record AlreadyBooked(Reference existing) implements BookingOutcome {}
    /** The idempotency key was used before for a different request. */
    record KeyReused(String idempotencyKey) implements BookingOutcome {}
    /** Move only: no appointment with this reference and phone number, or it is no longer active. */
    record AppointmentNotFound() implements BookingOutcome {}
    /** An outside backend did not answer; the caller queues the request and tells the person a text will follow. */
    record BackendUnavailable(String reason) implements BookingOutcome {}
}
