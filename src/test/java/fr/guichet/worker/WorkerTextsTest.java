package fr.guichet.worker;

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
 * The social workers' texts in every language stay within their SMS cost: the worker's copy of a booking at most
 * 2 parts, the convocations (with an organisation name of 30 characters) and everything said in the space at most 3. (The conversation
 * package's budget test leaves {@code worker.*} keys to this one.)
 */
class WorkerTextsTest {
    private static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("start", Instant.parse("2026-09-30T13:30:00Z")), Map.entry("slot_start", Instant.parse("2026-09-30T13:30:00Z")),
            Map.entry("site", "Sous-préfecture de La Tour-du-Pin"), Map.entry("slot_site_name", "Sous-préfecture de La Tour-du-Pin"),
            Map.entry("reference", "482 915 306"), Map.entry("booking", "482 915 306"), Map.entry("initials", "A. D. K."),
            Map.entry("person_initials", "A. D. K."), Map.entry("booking_initials", "A. D. K."), Map.entry("attempts_left", "4"),
            Map.entry("daily_limit", "10"), Map.entry("unlock_at", Instant.parse("2026-09-30T13:45:00Z")),
            Map.entry("person_phone_spoken", "+212 6 12 34 56 78"), Map.entry("organisation", "Association La Cimade Grenoble"),
            Map.entry("birth_date", java.time.LocalDate.of(1990, 3, 12)), Map.entry("convoke_by", java.time.LocalDate.of(2027, 9, 30)));

    @Test
    void workerTextsStayWithinTheirSegmentBudgetInEveryLanguage() {
        LocaleFiles locales = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
        List<String> over = new ArrayList<>();
        int checked = 0;
        for (LanguageProfile p : locales.offered()) {
            for (String key : locales.patterns(p.tag()).keySet()) {
                if (!key.startsWith("worker.") || key.endsWith(".voice")) continue;
                int budget = key.equals("worker.copy") ? 2 : 3;
                String text = locales.text(p.tag(), key, SAMPLES);
                assertThat(text).as(key + " in " + p.tag() + ": every argument has a sample").doesNotContain("{");
                SmsSegments cost = SmsSegments.of(text);
                checked++;
                if (cost.segments() > budget) over.add(key + " in " + p.tag() + ": " + cost.segments() + " parts (budget " + budget + ")");
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(11 * 40);
        assertThat(over).isEmpty();
    }

    @Test
    void aPersonBookedByPhoneWithoutANameIsNamedByBirthDateWithinTheSameBudget() {
        LocaleFiles locales = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
        List<String> over = new ArrayList<>();
        for (LanguageProfile p : locales.offered()) {
            String who = locales.text(p.tag(), "worker.person.unnamed", SAMPLES);
            assertThat(who).as(p.tag()).doesNotContain("{").isNotBlank();
            Map<String, Object> args = new java.util.HashMap<>(SAMPLES);
            args.put("initials", who);
            args.put("person_initials", who);
            args.put("booking_initials", who);
            for (String key : List.of("worker.copy", "worker.convocation.no_phone", "worker.cancellation.no_phone", "worker.booked", "worker.booked.call",
                    "worker.queued", "worker.queued.call", "worker.renewal.registered", "worker.renewal.registered.call",
                    "worker.renewal.late")) {
                int budget = key.equals("worker.copy") ? 2 : 3;
                SmsSegments cost = SmsSegments.of(locales.text(p.tag(), key, args));
                if (cost.segments() > budget) over.add(key + " in " + p.tag() + ": " + cost.segments() + " parts (budget " + budget + ")");
            }
        }
        assertThat(locales.text("fr", "worker.person.unnamed", SAMPLES)).isEqualTo("la personne née le 12/03/1990");
        assertThat(over).isEmpty();
    }
}
