package fr.guichet.queue;

import static fr.guichet.queue.QueueEntries.utc;

import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Offers of held places ({@code queue_offers}). Accepting and lapsing are one conditional update each on the open
 * offer, so a reply that arrives as the offer lapses ends one way only.
 */
@Component
class Offers {
    record Offer(long id, long requestId, Reference appointment, String status, Instant expiresAt, Instant decidedAt) {}

    private static final String COLUMNS = "o.id, o.request_id, o.appointment, o.status, o.expires_at, o.decided_at";

    private final JdbcClient jdbc;

    Offers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private static Offer map(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        OffsetDateTime decided = rs.getObject("decided_at", OffsetDateTime.class);
        return new Offer(rs.getLong("id"), rs.getLong("request_id"), new Reference(rs.getString("appointment")), rs.getString("status"),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(), decided == null ? null : decided.toInstant());
    }

    void open(long requestId, Reference appointment, Instant expiresAt, Instant now) {
        jdbc.sql("""
                        INSERT INTO queue_offers (request_id, appointment, status, expires_at, created_at)
                        VALUES (:request, :appointment, 'OPEN', :expires, :now)""")
                .param("request", requestId).param("appointment", appointment.value())
                .param("expires", utc(expiresAt)).param("now", utc(now))
                .update();
    }

    /** The open offer to this number (a person has at most one request offered at a time in practice; newest first). */
    Optional<Offer> openFor(PhoneNumber phone) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM queue_offers o JOIN requests r ON r.id = o.request_id"
                        + " WHERE r.phone = :phone AND o.status = 'OPEN' ORDER BY o.created_at DESC LIMIT 1")
                .param("phone", phone.e164())
                .query(Offers::map)
                .optional();
    }

    /** When the person's open offer was made, if one is open. */
    Optional<Instant> openSince(PhoneNumber phone) {
        return jdbc.sql("SELECT o.created_at FROM queue_offers o JOIN requests r ON r.id = o.request_id"
                        + " WHERE r.phone = :phone AND o.status = 'OPEN' ORDER BY o.created_at DESC LIMIT 1")
                .param("phone", phone.e164())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
                .optional().map(OffsetDateTime::toInstant);
    }

    /** The person's latest offer that is no longer open, to answer a late "accept". */
    Optional<Offer> lastClosedFor(PhoneNumber phone) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM queue_offers o JOIN requests r ON r.id = o.request_id"
                        + " WHERE r.phone = :phone AND o.status <> 'OPEN' ORDER BY o.created_at DESC LIMIT 1")
                .param("phone", phone.e164())
                .query(Offers::map)
                .optional();
    }

    Optional<Offer> openForAppointment(Reference appointment) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM queue_offers o WHERE o.appointment = :a AND o.status = 'OPEN' FOR UPDATE")
                .param("a", appointment.value())
                .query(Offers::map)
                .optional();
    }

    /** Accepts an open offer that has not run out; false if it lapsed, was accepted or turned down meanwhile. */
    boolean accept(long id, Instant now) {
        return close(id, "ACCEPTED", now, true);
    }

    boolean lapse(long id, Instant now) {
        return close(id, "LAPSED", now, false);
    }

    boolean decline(long id, Instant now) {
        return close(id, "DECLINED", now, false);
    }

    private boolean close(long id, String status, Instant now, boolean onlyBeforeExpiry) {
        return jdbc.sql("UPDATE queue_offers SET status = :status, decided_at = :now WHERE id = :id AND status = 'OPEN'"
                        + (onlyBeforeExpiry ? " AND expires_at > :now" : ""))
                .param("status", status).param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    /** The ids of due offers, without locking (each is then lapsed in its own transaction). */
    List<Long> dueIds(Instant now, int limit) {
        return jdbc.sql("SELECT id FROM queue_offers WHERE status = 'OPEN' AND expires_at <= :now ORDER BY expires_at, id LIMIT :limit")
                .param("now", utc(now)).param("limit", limit)
                .query(Long.class)
                .list();
    }

    /** Locks one due offer; empty when another instance has it or it was decided meanwhile. */
    Optional<Offer> lockDue(long id, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM queue_offers o WHERE o.id = :id AND o.status = 'OPEN' AND o.expires_at <= :now"
                        + " FOR UPDATE SKIP LOCKED")
                .param("id", id).param("now", utc(now))
                .query(Offers::map)
                .optional();
    }
}
