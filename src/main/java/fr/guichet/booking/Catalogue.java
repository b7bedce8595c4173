package fr.guichet.booking;

import java.util.List;
import java.util.Optional;

/** Sites and procedures offered; the texts for their names and documents live in {@code locales/}. */
public interface Catalogue {
    List<Site> sites();

    Optional<Site> site(String code);

    List<Procedure> procedures();

    Optional<Procedure> procedure(String code);
}
