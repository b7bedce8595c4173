package fr.guichet.notify;

import fr.guichet.phone.PhoneNumber;
import java.util.Optional;

/**
 * Who gets the reminder of a person without a phone: the social worker who booked for them (docs/workers.md).
 * Implemented by the workers' capability, which owns its registry; asked when the reminder is due, so a worker's
 * number or language changed since the booking is taken into account. Without an implementation such reminders are
 * skipped (reason {@code NO_RECIPIENT}).
 */
public interface ReminderContacts {

    /** The worker's number and language for {@code bookedBy} ({@code worker:<id>}); empty for an unknown or deactivated worker. */
    Optional<Contact> worker(String bookedBy);

    record Contact(PhoneNumber phone, String language) {}
}
