package fr.guichet.queue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The order of service, as SQL over a {@code requests} alias, so that the same expression picks the next request,
 * counts who is ahead of a request and lists the queue. With {@code expiry-first}: requests whose document expires
 * within the window come first, soonest expiry first; then the others in order of arrival (entry into the queue).
 * With {@code arrival}: order of arrival only. The request id breaks ties, so the order is total and repeatable.
 * The SQL expects the parameter {@code :window_end} ({@link #windowEnd()}).
 */
@Component
class QueueOrder {
    private final QueueProperties properties;
    private final Clock clock;
    private final ZoneId zone;

    QueueOrder(QueueProperties properties, Clock clock, @Value("${app.time-zone:Europe/Paris}") ZoneId zone) {
        this.properties = properties;
        this.clock = clock;
        this.zone = zone;
    }

    /** When the request entered the queue (renewals: four months before the expiry; after a lapsed offer: then). */
    static String arrival(String alias) {
        return "COALESCE(" + alias + ".queued_at, " + alias + ".received_at)";
    }

    /** Expiries on or before this day put a request ahead. */
    LocalDate windowEnd() {
        return LocalDate.now(clock.withZone(zone)).plus(properties.expiryWindow());
    }

    private String urgent(String a) {
        return properties.policy() == QueueProperties.Policy.ARRIVAL
                ? "1"
                : "(CASE WHEN " + a + ".document_expiry IS NOT NULL AND " + a + ".document_expiry <= :window_end THEN 0 ELSE 1 END)";
    }

    private String expiry(String a) {
        return properties.policy() == QueueProperties.Policy.ARRIVAL
                ? "'infinity'::date"
                : "(CASE WHEN " + a + ".document_expiry IS NOT NULL AND " + a + ".document_expiry <= :window_end THEN "
                        + a + ".document_expiry ELSE 'infinity'::date END)";
    }

    /** The sort key as a row value: {@code key("r") < key("o")} when r is served before o. */
    String key(String alias) {
        return "(" + orderBy(alias) + ")";
    }

    String orderBy(String alias) {
        return urgent(alias) + ", " + expiry(alias) + ", " + arrival(alias) + ", " + alias + ".id";
    }

    boolean expiryFirst() {
        return properties.policy() == QueueProperties.Policy.EXPIRY_FIRST;
    }

    /**
     * The same order in two index-friendly steps, for taking the first request without sorting the whole queue:
     * first the requests whose expiry is within the window, soonest first (index on expiry, arrival, id); if none,
     * every request in order of arrival (index on arrival, id) — none of which is then within the window.
     */
    java.util.List<String> firstSteps(String alias) {
        String byArrival = " ORDER BY " + arrival(alias) + ", " + alias + ".id";
        if (!expiryFirst()) return java.util.List.of(byArrival);
        return java.util.List.of(
                " AND " + alias + ".document_expiry <= :window_end ORDER BY " + alias + ".document_expiry, " + arrival(alias) + ", " + alias + ".id",
                byArrival);
    }
}
