package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Procedure;
import fr.guichet.booking.Site;
import fr.guichet.channel.sms.SmsSegments;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The catalogue the service really runs with (the Isère demo data, read back from PostgreSQL after start-up) against
 * the texts of every language: each procedure needs a name for the menus and a list of what to bring, each site the
 * values {@code site.line} says. Engine tests use a fixture catalogue, so without this a new procedure without texts
 * only fails when someone books it.
 */
@GuichetTest
class CatalogueTextsTest {
    /** A menu line: one SMS part on its own, and short enough to be said among seven others on the phone. */
    static final int NAME_MAX_CHARS = 45;
    /** The documents answer is sent once, on request: the budget of the other one-off texts. */
    static final int DOCUMENTS_MAX_PARTS = 3;

    @Autowired Catalogue catalogue;
    @Autowired LocaleFiles locales;
    @Autowired CatalogueTexts catalogueTexts;

    @Test
    void theDemoCatalogueIsWhatTheServiceRunsWith() {
        assertThat(catalogue.procedures()).extracting(Procedure::code)
                .contains("AES_VIE_PRIVEE", "AES_TRAVAIL", "VPF_LIENS_PERSONNELS", "SALARIE_PREMIERE", "SALARIE_RENOUVELLEMENT",
                        "CHANGEMENT_STATUT", "RECEPISSE_RENOUVELLEMENT", "REMISE_TITRE", "PAN_AIDE_ANEF", "ANEF_ETUDIANT");
        assertThat(catalogue.procedures()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(catalogue.sites()).extracting(Site::code).contains("GRENOBLE", "VIENNE", "LA_TOUR_DU_PIN");
    }

    @Test
    void everyProcedureHasANameAndDocumentsInEveryLanguage() {
        List<String> missing = new ArrayList<>();
        for (Procedure p : catalogue.procedures()) {
            for (LanguageProfile language : locales.offered()) {
                for (String key : List.of("procedure." + p.code() + ".name", "procedure." + p.code() + ".documents")) {
                    String pattern = locales.patterns(language.tag()).get(key);
                    if (pattern == null || pattern.isBlank()) missing.add(language.tag() + ": " + key);
                    else assertThat(locales.text(language.tag(), key, Map.of())).as("%s in %s", key, language.tag()).isNotBlank();
                }
            }
        }
        assertThat(missing).as("procedure texts missing from locales/").isEmpty();
        assertThat(catalogueTexts.missing()).isEmpty();
    }

    @Test
    void procedureNamesFitAMenuLineAndDocumentsTheirSmsBudget() {
        List<String> over = new ArrayList<>();
        for (Procedure p : catalogue.procedures()) {
            for (LanguageProfile language : locales.offered()) {
                String name = locales.text(language.tag(), "procedure." + p.code() + ".name", Map.of());
                if (name.length() > NAME_MAX_CHARS || SmsSegments.of(name).segments() > 1) {
                    over.add(language.tag() + " name of " + p.code() + ": " + name.length() + " chars");
                }
                SmsSegments documents = SmsSegments.of(locales.text(language.tag(), "procedure." + p.code() + ".documents", Map.of()));
                if (documents.segments() > DOCUMENTS_MAX_PARTS) {
                    over.add(language.tag() + " documents of " + p.code() + ": " + documents.segments() + " parts");
                }
            }
        }
        assertThat(over).isEmpty();
    }

    @Test
    void anefProceduresSayTheyAreFiledOnlineAndWhereHelpIs() {
        for (Procedure p : catalogue.procedures()) {
            if (!p.anef()) continue;
            assertThat(p.panProcedure()).as("help appointment of %s", p.code()).isNotBlank();
            assertThat(catalogue.procedure(p.panProcedure())).isPresent();
            for (LanguageProfile language : locales.offered()) {
                assertThat(locales.text(language.tag(), "procedure." + p.code() + ".documents", Map.of()))
                        .as("documents of %s in %s", p.code(), language.tag()).contains("ANEF");
            }
            assertThat(locales.text("fr", "procedure." + p.code() + ".documents", Map.of()))
                    .contains("en ligne", "point d'accueil numérique");
        }
    }

    @Test
    void everySiteHasWhatSiteLineSaysInEveryLanguage() {
        for (Site site : catalogue.sites()) {
            assertThat(site.name()).isNotBlank();
            assertThat(site.address()).isNotBlank();
            assertThat(site.phone()).isNotBlank();
            for (LanguageProfile language : locales.offered()) {
                assertThat(locales.text(language.tag(), "site.line",
                        Map.of("name", site.name(), "address", site.address(), "phone", site.phone())))
                        .contains(site.name(), site.address());
            }
        }
    }

    @Test
    void theStartUpCheckNamesEachMissingKey() {
        Procedure unknown = new Procedure("TEST_WITHOUT_TEXTS", false, Duration.ofMinutes(20), true, false, null);
        assertThat(catalogueTexts.missing(List.of(unknown)))
                .hasSize(2 * locales.offered().size())
                .contains("fr: procedure.TEST_WITHOUT_TEXTS.name", "ps: procedure.TEST_WITHOUT_TEXTS.documents");
    }
}
