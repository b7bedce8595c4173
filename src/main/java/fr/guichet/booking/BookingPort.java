package fr.guichet.booking;

import fr.guichet.phone.PhoneNumber;
import java.util.List;
import java.util.Optional;

/**
 * The inventory every channel shares: the embedded PostgreSQL implementation, or an outside backend
 * (RDV Service Public) chosen by configuration.
 *
 * <p>Guarantees of every implementation: never more bookings on a slot than its capacity, whatever the
 * concurrency; one active appointment per person (phone + birth date) and procedure unless staff override;
 * the same idempotency key always returns the same outcome.
 */
public interface BookingPort {

    /** Slots with free capacity that accept the procedure, earliest first. */
    List<Slot> findSlots(SlotQuery query);

    BookingOutcome book(BookingCommand command);

    /** Cancels an appointment; only with the phone number it was booked with. */
    CancelOutcome cancel(Reference reference, PhoneNumber phone);

    /** Moves an appointment to another slot atomically: the old place is freed only if the new one is taken. */
    BookingOutcome move(Reference reference, PhoneNumber phone, long newSlotId, String idempotencyKey);

    /** Finds an appointment by reference; empty unless the phone number is the one it was booked with. */
    Optional<Appointment> find(Reference reference, PhoneNumber phone);

    /** Appointments still to come (status booked) held by this phone number, earliest first. */
    List<Appointment> upcoming(PhoneNumber phone);

    /**
     * Appointments still to come (status booked) booked by {@code bookedBy} (a social worker's
     * {@code worker:<id>}), earliest first, whoever they are for.
     */
    List<Appointment> upcomingBookedBy(String bookedBy);

    /** Cancels an appointment only if {@code bookedBy} booked it; otherwise not found (no probing of references). */
    CancelOutcome cancelBookedBy(Reference reference, String bookedBy);

    /** Moves an appointment only if {@code bookedBy} booked it, with the guarantees of {@link #move}. */
    BookingOutcome moveBookedBy(Reference reference, String bookedBy, long newSlotId, String idempotencyKey);
}
