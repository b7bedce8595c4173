package fr.guichet.queue;

import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The queue's reads and writes of {@code requests}. The guarantees rest on SQL: the next request is taken with
 * {@code FOR UPDATE SKIP LOCKED} (two allocations at once, on one instance or two, never take the same request), and
 * every change of status is conditional on the status it leaves (a request is never convoked twice).
 */
@Component
class QueueEntries {
    private final JdbcClient jdbc;
    private final QueueOrder order;

    QueueEntries(JdbcClient jdbc, QueueOrder order) {
        this.jdbc = jdbc;
        this.order = order;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * Waiting, entered the queue, reachable by text (on the person's phone, or through the social worker who recorded
     * it for a person without one): what allocation may serve.
     */
    private static final String SERVABLE = " r.status = 'WAITING' AND (r.phone IS NOT NULL OR r.booked_by LIKE 'worker:%')"
            + " AND COALESCE(r.queued_at, r.received_at) <= :now ";

    /**
     * The first request in the order of service, locked for this transaction, skipping requests another allocation
     * holds, those of {@code exhausted} groups (procedure|site: no place left for them in this pass) and {@code skipped}.
     */
    Optional<QueueEntry> nextToServe(Instant now, Collection<String> exhausted, Collection<Long> skipped) {
        return first(" AND NOT (r.procedure || '|' || COALESCE(r.site_preference, '*') = ANY (:exhausted))"
                        + " AND NOT (r.id = ANY (:skipped))", " FOR UPDATE OF r SKIP LOCKED",
                spec -> spec.param("exhausted", exhausted.toArray(String[]::new)).param("skipped", skipped.toArray(Long[]::new)), now);
    }

    /**
     * The first request a place at this site, accepting these procedures, may go to, locked for this transaction.
     * It waits for a request another allocation holds rather than skipping it (the caller bounds the wait): a freed
     * place goes to the first in the order, not to whoever was not busy. A request changed meanwhile is no longer
     * returned, and the result may then be empty although others wait: the caller asks again.
     */
    Optional<QueueEntry> nextForPlace(String site, Collection<String> procedures, Instant now, Collection<Long> excluded) {
        return first(" AND r.procedure = ANY (:procedures) AND (r.site_preference IS NULL OR r.site_preference = :site)"
                        + " AND NOT (r.id = ANY (:excluded))", " FOR UPDATE OF r",
                spec -> spec.param("procedures", procedures.toArray(String[]::new)).param("site", site)
                        .param("excluded", excluded.toArray(Long[]::new)), now);
    }

    /**
     * The first servable request matching {@code filter}, in the order of service, in the index-friendly steps of
     * {@link QueueOrder#firstSteps}: each step reads the queue in index order and stops at the first row it can lock.
     */
    private Optional<QueueEntry> first(String filter, String lock,
                                       java.util.function.UnaryOperator<JdbcClient.StatementSpec> params, Instant now) {
        for (String step : order.firstSteps("r")) {
            Optional<QueueEntry> found = params.apply(jdbc.sql("SELECT " + QueueEntry.COLUMNS + " FROM requests r WHERE" + SERVABLE
                            + filter + step + " LIMIT 1" + lock))
                    .param("now", utc(now))
                    .param("window_end", order.windowEnd())
                    .query(QueueEntry::map)
                    .optional();
            if (found.isPresent()) return found;
        }
        return Optional.empty();
    }

    Optional<QueueEntry> byReference(Reference reference) {
        return jdbc.sql("SELECT " + QueueEntry.COLUMNS + " FROM requests r WHERE r.reference = :ref")
                .param("ref", reference.value())
                .query(QueueEntry::map)
                .optional();
    }

    Optional<QueueEntry> byAppointment(Reference appointment) {
        return jdbc.sql("SELECT " + QueueEntry.COLUMNS + " FROM requests r WHERE r.appointment = :ref ORDER BY r.id DESC LIMIT 1")
                .param("ref", appointment.value())
                .query(QueueEntry::map)
                .optional();
    }

    /** The person's latest request in one of these statuses, newest first. */
    Optional<QueueEntry> latestFor(PhoneNumber phone, Collection<String> statuses) {
        return jdbc.sql("SELECT " + QueueEntry.COLUMNS + " FROM requests r WHERE r.phone = :phone AND r.status = ANY (:statuses)"
                        + " ORDER BY r.received_at DESC, r.id DESC LIMIT 1")
                .param("phone", phone.e164())
                .param("statuses", statuses.toArray(String[]::new))
                .query(QueueEntry::map)
                .optional();
    }

    /** The place given to a request is a convocation: only from WAITING (or OFFERED, when the offer is accepted). */
    boolean convoked(long id, Reference appointment, Instant now) {
        return jdbc.sql("""
                        UPDATE requests SET status = 'CONVOKED', appointment = :appointment, convoked_at = :now,
                                            allocations = allocations + 1, updated_at = :now
                        WHERE id = :id AND status = 'WAITING'""")
                .param("appointment", appointment.value()).param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    boolean offered(long id, Reference appointment, Instant now) {
        return jdbc.sql("""
                        UPDATE requests SET status = 'OFFERED', appointment = :appointment, allocations = allocations + 1,
                                            updated_at = :now
                        WHERE id = :id AND status = 'WAITING'""")
                .param("appointment", appointment.value()).param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    boolean offerAccepted(long id, Instant now) {
        return jdbc.sql("""
                        UPDATE requests SET status = 'CONVOKED', convoked_at = :now, updated_at = :now
                        WHERE id = :id AND status = 'OFFERED'""")
                .param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    /** The person already holds an appointment for this procedure (booked it themselves): the request is served by it. */
    boolean servedBy(long id, Reference existing, Instant now) {
        return jdbc.sql("""
                        UPDATE requests SET status = 'CONVOKED', appointment = :appointment, convoked_at = :now, updated_at = :now
                        WHERE id = :id AND status = 'WAITING'""")
                .param("appointment", existing.value()).param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    /**
     * An offer went unanswered (or was turned down): the request waits again, behind those already waiting, which is
     * what "silence passes it to the next request" means for the order of arrival.
     */
    boolean backToQueue(long id, Instant now, boolean lapsed) {
        return jdbc.sql("""
                        UPDATE requests SET status = 'WAITING', appointment = NULL, queued_at = :now,
                                            offers_lapsed = offers_lapsed + :lapsed, updated_at = :now
                        WHERE id = :id AND status = 'OFFERED'""")
                .param("now", utc(now)).param("lapsed", lapsed ? 1 : 0).param("id", id)
                .update() == 1;
    }

    /** A convocation or an offer moved to another slot: the request follows its appointment's new reference. */
    void appointmentMoved(Reference from, Reference to, Instant now) {
        jdbc.sql("UPDATE requests SET appointment = :to, updated_at = :now WHERE appointment = :from")
                .param("to", to.value()).param("from", from.value()).param("now", utc(now))
                .update();
    }

    boolean markOtherAsked(long id, Instant now) {
        return jdbc.sql("UPDATE requests SET other_asked = TRUE, updated_at = :now WHERE id = :id AND NOT other_asked")
                .param("now", utc(now)).param("id", id)
                .update() == 1;
    }

    /** Sets what only the queue knows about a request it just recorded (kind, entry into the queue, deadline). */
    void describe(Reference reference, QueueEntry.Kind kind, Instant queuedAt, Instant convokeBy, Long recepisseFile) {
        jdbc.sql("""
                        UPDATE requests SET kind = :kind, queued_at = :queued, convoke_by = :by, recepisse_file = :file
                        WHERE reference = :ref""")
                .param("kind", kind.name()).param("queued", utc(queuedAt)).param("by", utc(convokeBy))
                .param("file", recepisseFile).param("ref", reference.value())
                .update();
    }

    /** A deadline for requests the person gave an expiry for, on a renewal procedure, when none is set yet. */
    void deadlineIfRenewal(Reference reference, Instant convokeBy) {
        jdbc.sql("""
                        UPDATE requests r SET convoke_by = :by FROM procedures p
                        WHERE r.reference = :ref AND p.code = r.procedure AND p.renewal AND r.convoke_by IS NULL
                          AND r.document_expiry IS NOT NULL""")
                .param("by", utc(convokeBy)).param("ref", reference.value())
                .update();
    }

    /**
     * Waiting requests served before this one in its group (same procedure and site preference), plus itself:
     * its place in the queue.
     */
    int position(QueueEntry entry, Instant now) {
        Integer ahead = jdbc.sql("SELECT count(*) FROM requests r, requests me WHERE me.id = :id AND" + SERVABLE
                        + " AND r.procedure = me.procedure AND r.site_preference IS NOT DISTINCT FROM me.site_preference"
                        + " AND " + order.key("r") + " < " + order.key("me"))
                .param("id", entry.id())
                .param("now", utc(now))
                .param("window_end", order.windowEnd())
                .query(Integer.class)
                .single();
        return ahead + 1;
    }

    /** How many requests of the group the queue served since then: the recent pace of service. */
    int servedSince(String procedure, String site, Instant since) {
        return jdbc.sql("""
                        SELECT count(*) FROM requests
                        WHERE procedure = :procedure AND site_preference IS NOT DISTINCT FROM :site AND convoked_at >= :since""")
                .param("procedure", procedure).param("site", site).param("since", utc(since))
                .query(Integer.class)
                .single();
    }

    /** One row of the queue with its place in its group. */
    record Ranked(QueueEntry entry, int position) {}

    /** Waiting or offered requests with a convocation deadline, in the queue now, each with its place in its group. */
    List<Ranked> withDeadline(Instant now) {
        return jdbc.sql("SELECT * FROM (SELECT " + QueueEntry.COLUMNS + ", ROW_NUMBER() OVER (PARTITION BY r.procedure, r.site_preference"
                        + " ORDER BY " + order.orderBy("r") + ") AS position FROM requests r WHERE" + SERVABLE.replace("r.status = 'WAITING'",
                        "r.status IN ('WAITING', 'OFFERED')") + ") q WHERE q.convoke_by IS NOT NULL ORDER BY q.convoke_by, q.id")
                .param("now", utc(now))
                .param("window_end", order.windowEnd())
                .query((rs, n) -> new Ranked(QueueEntry.map(rs, n), rs.getInt("position")))
                .list();
    }

    /** Marks requests as reported at risk; returns how many were not reported before. */
    int reportAtRisk(Collection<Long> ids, Instant now) {
        if (ids.isEmpty()) return 0;
        return jdbc.sql("UPDATE requests SET at_risk_since = :now WHERE id = ANY (:ids) AND at_risk_since IS NULL")
                .param("now", utc(now)).param("ids", ids.toArray(Long[]::new))
                .update();
    }

    int waiting() {
        return jdbc.sql("SELECT count(*) FROM requests WHERE status = 'WAITING'").query(Integer.class).single();
    }
}
