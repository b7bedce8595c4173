package fr.guichet.conversation;

import fr.guichet.booking.Procedure;
import fr.guichet.booking.Site;
import java.util.List;
import java.util.Optional;

/** The procedures and sites at the time of a turn, handed to the pure engine so it reads nothing itself. */
record CatalogueSnapshot(List<Procedure> procedures, List<Site> sites) {
    CatalogueSnapshot {
        procedures = List.copyOf(procedures);
        sites = List.copyOf(sites);
    }

    Optional<Site> site(String code) {
        return sites.stream().filter(s -> s.code().equals(code)).findFirst();
    }

    Optional<Procedure> procedure(String code) {
        return procedures.stream().filter(p -> p.code().equals(code)).findFirst();
    }
}
