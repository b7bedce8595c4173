package fr.guichet.booking.rdvsp;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.channel.sms.SmsSegments;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The texts the RDV Service Public adapter sends ({@code backend.*}: a kept booking made or not, a cancellation or a
 * move made on the backend's side) exist in every language and cost at most 3 SMS parts with the longest values.
 * (The conversation package's budget test leaves {@code backend.*} keys to this one.)
 */
class RdvspTextsTest {
    static final List<String> KEYS = List.of("backend.not_booked", "backend.cancelled", "backend.moved");
    private static final Map<String, Object> SAMPLES = Map.of(
            "start", Instant.parse("2026-09-30T13:30:00Z"),
            "site", "Sous-préfecture de La Tour-du-Pin",
            "reference", "482 915 306");

    @Test
    void adapterTextsExistInEveryLanguageWithinThreeParts() {
        LocaleFiles locales = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
        List<String> over = new ArrayList<>();
        for (LanguageProfile p : locales.offered()) {
            for (String key : KEYS) {
                assertThat(locales.patterns(p.tag())).as("%s in %s", key, p.tag()).containsKey(key);
                String text = locales.text(p.tag(), key, SAMPLES);
                assertThat(text).doesNotContain("{");
                SmsSegments cost = SmsSegments.of(text);
                if (cost.segments() > 3) over.add(key + " in " + p.tag() + ": " + cost.segments() + " parts");
            }
        }
        assertThat(locales.offered()).hasSize(11);
        assertThat(over).isEmpty();
    }
}
