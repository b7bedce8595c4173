package fr.guichet.booking;

import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Which inventory the {@link BookingPort} books in ({@code app.booking.backend}, {@code APP_BOOKING_BACKEND}):
 * {@value #EMBEDDED} (this service's own PostgreSQL slots, the default) or {@value #RDV_SERVICE_PUBLIC} (an outside
 * RDV Service Public, package {@code booking.rdvsp}). Any other value stops the start-up with a clear message instead
 * of a missing-bean error; and it builds {@link TextsSentBy}.
 */
@Configuration(proxyBeanMethods = false)
public class BookingBackend {
    public static final String PROPERTY = "app.booking.backend";
    public static final String EMBEDDED = "embedded";
    public static final String RDV_SERVICE_PUBLIC = "rdv-service-public";
    private static final Set<String> KNOWN = Set.of(EMBEDDED, RDV_SERVICE_PUBLIC);
    private static final Logger log = LoggerFactory.getLogger(BookingBackend.class);

    @Bean
    TextsSentBy textsSentBy(@Value("${" + PROPERTY + ":" + EMBEDDED + "}") String backend,
                            @Value("${" + TextsSentBy.PROPERTY + ":guichet}") String sentBy) {
        if (!KNOWN.contains(backend)) {
            throw new IllegalStateException(PROPERTY + " (APP_BOOKING_BACKEND) must be one of " + KNOWN + ", not '" + backend + "'");
        }
        TextsSentBy.Side side = switch (sentBy.strip().toLowerCase(Locale.ROOT)) {
            case "guichet" -> TextsSentBy.Side.GUICHET;
            case "backend" -> TextsSentBy.Side.BACKEND;
            default -> throw new IllegalStateException(TextsSentBy.PROPERTY + " (APP_BOOKING_TEXTS_SENT_BY) must be 'guichet' or 'backend', not '" + sentBy + "'");
        };
        if (side == TextsSentBy.Side.BACKEND && EMBEDDED.equals(backend)) {
            // No outside backend to send them: nobody would text the person. Guichet keeps sending.
            log.warn("{}=backend is ignored with the embedded backend: Guichet sends the texts", TextsSentBy.PROPERTY);
            side = TextsSentBy.Side.GUICHET;
        }
        log.info("Booking backend: {}; appointment texts (convocations, reminders, changes) sent by {}", backend,
                side.name().toLowerCase(Locale.ROOT));
        return new TextsSentBy(side);
    }
}
