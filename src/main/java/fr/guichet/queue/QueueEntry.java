package fr.guichet.queue;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookedBy;
import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A request as the queue sees it: the row of {@code requests} with the columns of V40. {@code site} is the site
 * preference (null: any site); {@code appointment} the convocation or the held offer.
 */
record QueueEntry(
        long id,
        Reference reference,
        Kind kind,
        String status,
        String procedure,
        String site,
        Applicant applicant,
        LocalDate documentExpiry,
        Instant receivedAt,
        Instant queuedAt,
        Instant convokeBy,
        int allocations,
        int offersLapsed,
        boolean otherAsked,
        Reference appointment,
        Instant convokedAt,
        String bookedBy) {

    enum Kind { REQUEST, RENEWAL, RECEPISSE }

    static final String COLUMNS = """
            r.id, r.reference, r.kind, r.status, r.procedure, r.site_preference, r.applicant_name, r.birth_date, r.phone,
            r.language, r.document_expiry, r.received_at, r.queued_at, r.convoke_by, r.allocations, r.offers_lapsed,
            r.other_asked, r.appointment, r.convoked_at, r.booked_by""";

    /**
     * Recorded by a social worker for the person ({@code booked_by = worker:<id>}): convoked, never offered (the
     * person may have no phone to reply from), and the texts go through the worker's package.
     */
    boolean byWorker() {
        return BookedBy.byWorker(bookedBy);
    }

    /** Where the request stands in the order of arrival. */
    Instant arrival() {
        return queuedAt == null ? receivedAt : queuedAt;
    }

    /** The queue's own group for estimates: same procedure, same site preference. */
    String group() {
        return procedure + "|" + (site == null ? "*" : site);
    }

    static QueueEntry map(ResultSet rs, int row) throws SQLException {
        String phone = rs.getString("phone");
        String appointment = rs.getString("appointment");
        return new QueueEntry(
                rs.getLong("id"),
                new Reference(rs.getString("reference")),
                Kind.valueOf(rs.getString("kind")),
                rs.getString("status"),
                rs.getString("procedure"),
                rs.getString("site_preference"),
                new Applicant(rs.getString("applicant_name"), rs.getObject("birth_date", LocalDate.class),
                        phone == null ? null : new PhoneNumber(phone), rs.getString("language")),
                rs.getObject("document_expiry", LocalDate.class),
                instant(rs, "received_at"),
                instant(rs, "queued_at"),
                instant(rs, "convoke_by"),
                rs.getInt("allocations"),
                rs.getInt("offers_lapsed"),
                rs.getBoolean("other_asked"),
                appointment == null ? null : new Reference(appointment),
                instant(rs, "convoked_at"),
                rs.getString("booked_by"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
