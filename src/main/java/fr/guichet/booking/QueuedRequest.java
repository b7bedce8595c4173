package fr.guichet.booking;

import java.time.Instant;
import java.time.LocalDate;

/** A recorded demand and where it stands; {@code appointment} is set once it has been convoked. */
public record QueuedRequest(
        Reference reference,
        Instant receivedAt,
        String procedure,
        String sitePreference,
        Applicant applicant,
        LocalDate documentExpiry,
        RequestStatus status,
        Reference appointment) {
    public enum RequestStatus { WAITING, OFFERED, CONVOKED, WITHDRAWN }
}
