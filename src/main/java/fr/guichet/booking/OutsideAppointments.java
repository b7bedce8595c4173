package fr.guichet.booking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Appointments an outside backend's adapter keeps a local record of, so the staff desk shows and marks them with
 * the embedded ones. Absent with the embedded backend.
 */
public interface OutsideAppointments {
    /** Every appointment at the site starting in [from, to), whatever its status. */
    List<Appointment> startingBetween(String site, Instant from, Instant to);

    /**
     * Marks an appointment attended or no-show with the rules of {@link StaffDesk#mark}; empty when the reference is
     * not one of this adapter's appointments.
     */
    Optional<StaffDesk.MarkOutcome> mark(Reference reference, AppointmentStatus mark, Instant now);
}
