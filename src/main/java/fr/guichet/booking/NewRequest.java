package fr.guichet.booking;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A demand to be convoked. {@code sitePreference} may be null (any site); {@code documentExpiry} is the expiry of
 * the permit or récépissé when known, which raises the request's priority as it nears.
 */
public record NewRequest(
        String idempotencyKey,
        String procedure,
        String sitePreference,
        Applicant applicant,
        LocalDate documentExpiry,
        BookingChannel channel,
        String bookedBy) {
    public NewRequest {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(procedure, "procedure");
        Objects.requireNonNull(applicant, "applicant");
        Objects.requireNonNull(channel, "channel");
    }
}
