package fr.guichet.conversation;

import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Procedure;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Checks, once the catalogue is loaded (after the demo data), that every procedure has its name and its documents
 * text in every language. The procedure menu and the documents answer format these keys for each procedure of the
 * database, so a missing one would break every booking in that language: the error names each missing key.
 * It logs rather than stops the service, because procedures live in the database and a service that answers the
 * other procedures is better than none; {@code CatalogueTextsTest} makes the demo catalogue fail the build instead.
 */
@Component
class CatalogueTexts {
    private static final Logger log = LoggerFactory.getLogger(CatalogueTexts.class);

    private final ObjectProvider<Catalogue> catalogue;
    private final LocaleFiles locales;

    CatalogueTexts(ObjectProvider<Catalogue> catalogue, LocaleFiles locales) {
        this.catalogue = catalogue;
        this.locales = locales;
    }

    /** Keys the catalogue needs that some language lacks, as {@code <tag>: <key>}; empty when all is there. */
    List<String> missing() {
        Catalogue c = catalogue.getIfAvailable();
        return c == null ? List.of() : missing(c.procedures());
    }

    /** Keys these procedures need that some language lacks. */
    List<String> missing(List<Procedure> procedures) {
        List<String> missing = new ArrayList<>();
        for (Procedure p : procedures) {
            for (String key : keysOf(p)) {
                for (LanguageProfile language : locales.offered()) {
                    if (!locales.patterns(language.tag()).containsKey(key)) missing.add(language.tag() + ": " + key);
                }
            }
        }
        return missing;
    }

    static List<String> keysOf(Procedure p) {
        return List.of("procedure." + p.code() + ".name", "procedure." + p.code() + ".documents");
    }

    @EventListener(ApplicationReadyEvent.class)
    void checkAtStartUp() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            log.error("The procedure catalogue lacks {} text(s) in locales/: {}. Booking in those languages fails until they are added.",
                    missing.size(), String.join(", ", missing));
        }
    }
}
