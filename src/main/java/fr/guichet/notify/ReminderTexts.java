package fr.guichet.notify;

import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Site;
import fr.guichet.language.Languages;
import fr.guichet.language.Texts;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The reminders' texts ({@code reminder.*} in {@code locales/}). Never the procedure: it can reveal health, asylum or
 * victim status. A text to a worker names the person by initials only.
 */
@Component
class ReminderTexts {
    private final Texts texts;
    private final Languages languages;
    private final Catalogue catalogue;

    ReminderTexts(Texts texts, Languages languages, Catalogue catalogue) {
        this.texts = texts;
        this.languages = languages;
        this.catalogue = catalogue;
    }

    /** A tag of an offered language; French (the first) for anything else, so a text is always written. */
    String offered(String language) {
        return language != null && languages.byTag(language).isPresent() ? language : languages.offered().getFirst().tag();
    }

    Map<String, Object> args(String reference, Instant start, String siteCode, String initials) {
        Optional<Site> site = catalogue.site(siteCode);
        Map<String, Object> args = new HashMap<>();
        args.put("reference", new Reference(reference).grouped());
        args.put("start", start);
        args.put("site", site.map(Site::name).orElse(siteCode));
        args.put("address", site.map(Site::address).orElse(""));
        args.put("initials", initials == null ? "" : initials);
        return args;
    }

    String text(String language, String key, Map<String, Object> args) {
        return texts.text(offered(language), key, args);
    }
}
