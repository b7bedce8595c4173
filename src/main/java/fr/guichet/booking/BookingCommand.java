package fr.guichet.booking;

import java.util.Objects;

/**
 * A request to book {@code slotId} for {@code procedure}. The idempotency key makes retries safe: the same key
 * always returns the same outcome. {@code overrideDuplicate} is for staff only (a second active appointment for
 * the same person and procedure).
 */
public record BookingCommand(
        String idempotencyKey,
        long slotId,
        String procedure,
        Applicant applicant,
        BookingChannel channel,
        String bookedBy,
        boolean overrideDuplicate) {
    public BookingCommand {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(procedure, "procedure");
        Objects.requireNonNull(applicant, "applicant");
        Objects.requireNonNull(channel, "channel");
    }
}
