package fr.guichet.queue;

import java.time.Duration;
import java.time.Period;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the queue ({@code app.queue.*}, env {@code APP_QUEUE_*}); docs/queue.md says what each does.
 *
 * @param policy             order of service: {@code expiry-first} (documents expiring within {@code expiryWindow}
 *                           first, soonest first, then order of arrival) or {@code arrival}
 * @param expiryWindow       how close an expiry must be to put a request ahead of the order of arrival
 * @param minNotice          least time between the convocation text going out and the appointment
 * @param allocationHorizon  how far ahead the queue looks for places
 * @param offerDelay         how long an offer waits for its answer, from the moment the text goes out
 * @param maxLapsedOffers    unanswered offers after which the request is convoked instead of offered
 * @param interval           how often the scheduled allocation runs (it also runs when places open or free up)
 * @param renewalLead        a registered renewal enters the queue this long before the permit expires
 * @param renewalGuarantee   its convocation goes out at least this long before the expiry
 * @param recepisseMargin    a récépissé's follow-up convocation goes out at least this long before it expires
 *                           (the follow-up enters the queue twice this long before)
 * @param recepisseProcedure the procedure of récépissé follow-ups (the appointment's own procedure if unknown)
 * @param rateWindow         the recent weeks whose pace of service gives the expected delay
 * @param atRiskNotice       a request still waiting this close to its deadline is at risk whatever the estimate
 * @param sites              per site code: {@code mode} = {@code convoke} (default) or {@code offer}
 */
@ConfigurationProperties("app.queue")
record QueueProperties(
        @DefaultValue("expiry-first") Policy policy,
        @DefaultValue("P4M") Period expiryWindow,
        @DefaultValue("P2D") Duration minNotice,
        @DefaultValue("P6M") Period allocationHorizon,
        @DefaultValue("PT24H") Duration offerDelay,
        @DefaultValue("3") int maxLapsedOffers,
        @DefaultValue("PT5M") Duration interval,
        @DefaultValue("P4M") Period renewalLead,
        @DefaultValue("P2M") Period renewalGuarantee,
        @DefaultValue("P21D") Period recepisseMargin,
        @DefaultValue("RECEPISSE_RENOUVELLEMENT") String recepisseProcedure,
        @DefaultValue("P28D") Period rateWindow,
        @DefaultValue("P14D") Duration atRiskNotice,
        Map<String, SiteSettings> sites) {

    enum Policy { EXPIRY_FIRST, ARRIVAL }

    enum Mode { CONVOKE, OFFER }

    record SiteSettings(@DefaultValue("convoke") Mode mode) {}

    QueueProperties {
        sites = sites == null ? Map.of() : Map.copyOf(sites);
        if (maxLapsedOffers < 1) throw new IllegalArgumentException("app.queue.max-lapsed-offers must be at least 1");
        if (offerDelay.isNegative() || offerDelay.isZero()) throw new IllegalArgumentException("app.queue.offer-delay must be positive");
    }

    /** The mode of a site; keys from environment variables arrive in lower case, site codes are upper case. */
    Mode mode(String site) {
        if (site == null) return Mode.CONVOKE;
        for (Map.Entry<String, SiteSettings> e : sites.entrySet()) {
            if (e.getKey().toUpperCase(Locale.ROOT).equals(site.toUpperCase(Locale.ROOT)) && e.getValue() != null && e.getValue().mode() != null) {
                return e.getValue().mode();
            }
        }
        return Mode.CONVOKE;
    }
}
