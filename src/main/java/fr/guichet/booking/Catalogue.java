package fr.guichet.booking;

import java.util.List;
import java.util.Optional;

/** Sites and procedures offered; the texts for their names and documents live in {@code locales/}. */
public interface Catalogue {
    List<Site> sites();

    Optional<Site> site(String code);

    List<Procedure> procedures();

    Optional<Procedure> procedure(String code);

    /** Weekly hours, computed public holidays and extra closed days of a site; empty for an unknown site. */
    Optional<OpeningHours> openingHours(String siteCode);

    /** Whether the site is within its opening hours at this instant (false for an unknown site). */
    default boolean isOpen(String siteCode, java.time.Instant instant) {
        return openingHours(siteCode).map(hours -> hours.isOpen(instant)).orElse(false);
    }
}
