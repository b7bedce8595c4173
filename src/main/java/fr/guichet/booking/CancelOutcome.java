package fr.guichet.booking;

/** What came of a cancellation. */
public sealed interface CancelOutcome {
    record Cancelled(Appointment appointment) implements CancelOutcome {}
    /** Unknown reference, or not booked with this phone number: the same answer, so references cannot be probed. */
    record NotFound() implements CancelOutcome {}
    /** Already attended, cancelled or past. */
    record NotActive(AppointmentStatus status) implements CancelOutcome {}
    record BackendUnavailable(String reason) implements CancelOutcome {}
}
