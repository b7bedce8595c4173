package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.Reference;
import fr.guichet.channel.sms.SmsSegments;
import fr.guichet.conversation.NoticeReplies;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reminders' texts in every language: SMS cost within 3 parts with the longest sample values (the conversation
 * package's budget test leaves {@code reminder.*} keys to this one), never the procedure, "free", the reply words the
 * text shows are the words understood, and no word means two things. Writes {@code docs/reminder-sms-segments.md}
 * (checked like docs/sms-segments.md: rerun with {@code -Dsms-segments.update=true} after changing texts).
 */
class ReminderTextsTest {
    static final LocaleFiles LOCALES = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
    static final Map<String, Object> SAMPLES = Map.of(
            "start", Instant.parse("2026-09-30T13:30:00Z"), "site", "Sous-préfecture de La Tour-du-Pin",
            "address", "16 boulevard Eugène Arnaud, 38200 Vienne", "reference", "482 915 306", "initials", "A. D. K.");
    private static final Path DOC = Path.of("docs/reminder-sms-segments.md");

    private static List<String> smsKeys() {
        return LOCALES.patterns("fr").keySet().stream().filter(k -> k.startsWith("reminder.") && k.endsWith(".sms")).sorted().toList();
    }

    @Test
    void everyReminderTextFitsThreeSmsPartsInEveryLanguage() throws IOException {
        List<String> over = new ArrayList<>();
        Map<String, Map<String, SmsSegments>> table = new TreeMap<>();
        for (String key : smsKeys()) {
            Map<String, SmsSegments> row = new LinkedHashMap<>();
            for (LanguageProfile p : LOCALES.offered()) {
                SmsSegments cost = SmsSegments.of(LOCALES.text(p.tag(), key, SAMPLES));
                row.put(p.tag(), cost);
                if (cost.segments() > 3) over.add(key + " in " + p.tag() + ": " + cost.segments() + " parts");
            }
            table.put(key, row);
        }
        assertThat(table).hasSizeGreaterThanOrEqualTo(10);
        assertThat(over).as("reminder texts over 3 SMS parts").isEmpty();
        String markdown = markdown(table);
        if (Boolean.getBoolean("sms-segments.update")) Files.writeString(DOC, markdown);
        assertThat(Files.exists(DOC) ? Files.readString(DOC) : "")
                .as("docs/reminder-sms-segments.md is stale: rerun with -Dsms-segments.update=true and commit it")
                .isEqualTo(markdown);
    }

    @Test
    void theReminderSaysReferenceDayTimePlaceAndFreeAndNeverTheProcedure() {
        for (LanguageProfile p : LOCALES.offered()) {
            for (String key : List.of("reminder.sms", "reminder.worker.sms")) {
                String text = LOCALES.text(p.tag(), key, SAMPLES);
                assertThat(text).as("%s in %s", key, p.tag())
                        .contains("482 915 306", "Sous-préfecture de La Tour-du-Pin", "16 boulevard Eugène Arnaud, 38200 Vienne")
                        // The day and time as this language writes them (Dari and Pashto with their own digits).
                        .contains(LOCALES.text(p.tag(), "slot.label", Map.of("start", SAMPLES.get("start"), "site", "")).replaceAll("[,،]\\s*$", "").split(" ")[0])
                        .contains("1", "2", "3");
                for (String procedureKey : LOCALES.patterns(p.tag()).keySet()) {
                    if (procedureKey.startsWith("procedure.") && procedureKey.endsWith(".name")) {
                        assertThat(text).doesNotContain(LOCALES.text(p.tag(), procedureKey, Map.of()));
                    }
                }
            }
            assertThat(LOCALES.text(p.tag(), "reminder.worker.sms", SAMPLES)).contains("A. D. K.");
        }
        assertThat(LOCALES.text("fr", "reminder.sms", SAMPLES))
                .startsWith("Rappel : rendez-vous le mercredi 30 septembre à 15:30, Sous-préfecture de La Tour-du-Pin")
                .contains("1 ou CONFIRMER", "2 ou ANNULER", "3 ou DÉPLACER", "gratuit");
        assertThat(LOCALES.text("en", "reminder.sms", SAMPLES)).contains("CONFIRM", "CANCEL", "MOVE", "Free service");
    }

    @Test
    void theReplyWordsEachTextShowsAreUnderstoodAndNoWordMeansTwoThings() {
        ReminderWords words = new ReminderWords(LOCALES);
        Map<String, String> seen = new HashMap<>();
        for (LanguageProfile p : LOCALES.offered()) {
            Map<String, String> patterns = LOCALES.patterns(p.tag());
            for (ReminderWords.Kind kind : ReminderWords.Kind.values()) {
                String list = patterns.get("reminder.reply." + kind.name().toLowerCase() + ".words");
                for (String w : list.split("\\|")) {
                    String n = NoticeReplies.normalise(w);
                    String before = seen.putIfAbsent(n, kind.name());
                    assertThat(before == null || before.equals(kind.name())).as("'%s' (%s) means %s and %s", w, p.tag(), before, kind).isTrue();
                    assertThat(n).doesNotMatch("[0-9 ]+");
                }
                // The first word of each list is the one the reminder shows (in capitals): it must read back as that reply.
                String shown = list.split("\\|")[0];
                String text = NoticeReplies.normalise(LOCALES.text(p.tag(), "reminder.sms", SAMPLES));
                assertThat(text).as("reminder.sms in %s shows %s", p.tag(), shown).contains(NoticeReplies.normalise(shown));
                assertThat(words.parse(NoticeReplies.normalise(shown.toUpperCase()))).as("%s (%s)", shown, p.tag()).get()
                        .extracting(ReminderWords.Parsed::kind).isEqualTo(kind);
            }
        }
        Reference reference = Reference.fromPayload("48291530");
        assertThat(words.parse("annuler " + reference.grouped())).get().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ReminderWords.Kind.CANCEL);
            assertThat(r.reference()).contains(reference);
        });
        assertThat(words.parse(reference.value() + " confirmer")).get().extracting(ReminderWords.Parsed::kind).isEqualTo(ReminderWords.Kind.CONFIRM);
        assertThat(words.parse("1")).get().satisfies(r -> assertThat(r.word()).isFalse());
        assertThat(words.parse("1 " + reference.grouped())).isEmpty();
        assertThat(words.parse("bonjour")).isEmpty();
        assertThat(words.parse("annuler 123 456 789")).isEmpty();
    }

    @Test
    void callPromptsSayTheKeysAndTheDetailsWithoutTheProcedure() {
        Pattern digit = Pattern.compile("[12]");
        for (LanguageProfile p : LOCALES.offered()) {
            String keys = LOCALES.text(p.tag(), "reminder.call.keys", SAMPLES);
            Matcher m = digit.matcher(keys);
            assertThat(m.results().map(r -> r.group()).toList()).as("keys in %s", p.tag()).containsExactly("1", "2");
            assertThat(LOCALES.text(p.tag(), "reminder.call.details", SAMPLES)).contains("482 915 306", "Sous-préfecture de La Tour-du-Pin");
        }
    }

    private String markdown(Map<String, Map<String, SmsSegments>> table) {
        StringBuilder md = new StringBuilder("""
                # SMS cost of the reminder texts

                Generated by `ReminderTextsTest` (do not edit by hand), like docs/sms-segments.md for the conversation texts.
                Each cell: encoding and number of SMS parts with the longest sample values (site "Sous-préfecture de La
                Tour-du-Pin", address "16 boulevard Eugène Arnaud, 38200 Vienne", a date in September, initials "A. D. K.").
                Budget: 3 parts; the build fails above it.

                """);
        List<String> tags = LOCALES.offered().stream().map(LanguageProfile::tag).toList();
        md.append("| text |");
        tags.forEach(t -> md.append(' ').append(t).append(" |"));
        md.append("\n|---|");
        tags.forEach(t -> md.append("---|"));
        md.append('\n');
        table.forEach((key, row) -> {
            md.append("| `").append(key).append("` |");
            for (String t : tags) {
                SmsSegments s = row.get(t);
                md.append(' ').append(s.encoding() == SmsSegments.Encoding.GSM_7 ? "GSM " : "UCS ").append(s.segments()).append(" |");
            }
            md.append('\n');
        });
        return md.toString();
    }
}
