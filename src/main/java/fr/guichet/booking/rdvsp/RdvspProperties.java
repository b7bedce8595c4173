package fr.guichet.booking.rdvsp;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The adapter's settings ({@code app.rdvsp.*}, environment {@code APP_RDVSP_*}); docs/backends.md describes each.
 *
 * @param baseUrl        the backend ({@code https://rdv.anct.gouv.fr}); required
 * @param apiKey         sent as {@code X-VISIOPLAINTE-API-KEY} when set
 * @param bearerToken    sent as {@code Authorization: Bearer} when set (newer versions)
 * @param bookingPath    where the booking API lives ({@code /creneaux}, {@code /rdvs})
 * @param usersPath      where users are created
 * @param organisationId the RDV Service Public organisation of every site unless a site names its own
 * @param sites          Guichet site code → its lieu (and organisation, motifs) at the backend
 * @param motifs         Guichet procedure code → motif id, for every site unless the site overrides it
 * @param webhookSecret  the secret shared with the backend's webhook endpoint; unset: webhooks refused
 * @param maxConcurrentCalls bookings, moves and cancellations waiting on the backend at once, each holding one of the
 *                       service's pooled connections ({@link RdvspCallLimit}); keep it under {@code app.database.pool-size}
 */
@ConfigurationProperties("app.rdvsp")
record RdvspProperties(
        URI baseUrl,
        String apiKey,
        String bearerToken,
        @DefaultValue("/api/visioplainte") String bookingPath,
        @DefaultValue("/api/v1/users") String usersPath,
        Long organisationId,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("30s") Duration slotCacheTtl,
        @DefaultValue("30s") Duration replayInterval,
        @DefaultValue("15m") Duration replayMaxDelay,
        @DefaultValue("1m") Duration inFlightGrace,
        String webhookSecret,
        Map<String, SiteMapping> sites,
        Map<String, Long> motifs,
        @DefaultValue("8") int maxConcurrentCalls) {

    /** A Guichet site at the backend: its lieu (required, also the site's number in slot ids), organisation, motifs. */
    record SiteMapping(Long lieuId, Long organisationId, Map<String, Long> motifs) {}
}
