package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.channel.sms.SmsSegments;
import fr.guichet.conversation.NoticeReplies;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The queue's texts in every language: each within its SMS budget with the longest real values (the site of La
 * Tour-du-Pin, its address and phone, a date in September, the longest delay sentence of the language), none naming
 * a procedure, every text that matters saying the service is free, and reply words that can never be taken for the
 * answer to a question of a flow. (The conversation package's budget test leaves {@code queue.*} keys to this one.)
 */
class QueueTextsTest {
    private static final LocaleFiles LOCALES = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
    static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("reference", "482 915 306"),
            Map.entry("site", "Sous-préfecture de La Tour-du-Pin"),
            Map.entry("address", "Sous-préfecture, 38110 La Tour-du-Pin"),
            Map.entry("phone", "04 76 60 49 49"),
            Map.entry("start", Instant.parse("2026-09-30T13:30:00Z")),
            Map.entry("received", Instant.parse("2026-09-30T18:45:00Z")),
            Map.entry("until", Instant.parse("2026-09-30T18:45:00Z")),
            Map.entry("expiry", LocalDate.parse("2027-09-30")),
            Map.entry("convoke_by", LocalDate.parse("2027-07-30")),
            Map.entry("queue_from", LocalDate.parse("2027-05-30")),
            Map.entry("weeks", 12));
    /** Sent on their own, once: the budget of one-off texts. */
    private static final int BUDGET = 3;
    /** Said at the end of a flow, as the TwiML answer. */
    private static final Set<String> DELAYS = Set.of("queue.delay.soon", "queue.delay.weeks", "queue.delay.unknown");

    private static String text(String tag, String key) {
        Map<String, Object> args = new HashMap<>(SAMPLES);
        if (key.equals("queue.ack")) {
            // The acknowledgement with the longest delay sentence of the language.
            String longest = "";
            for (String delay : DELAYS) {
                String d = LOCALES.text(tag, delay, SAMPLES);
                if (d.length() > longest.length()) longest = d;
            }
            args.put("delay", longest);
        }
        return LOCALES.text(tag, key, args);
    }

    private static List<String> keys() {
        return new TreeSet<>(LOCALES.patterns("fr").keySet()).stream()
                .filter(k -> k.startsWith("queue.") && !k.endsWith(".words") && !DELAYS.contains(k)).toList();
    }

    @Test
    void everyQueueTextFitsItsSmsBudgetInEveryLanguage() {
        List<String> over = new ArrayList<>();
        int checked = 0;
        for (LanguageProfile p : LOCALES.offered()) {
            for (String key : keys()) {
                SmsSegments cost = SmsSegments.of(text(p.tag(), key));
                checked++;
                if (Boolean.getBoolean("queue.texts.print")) System.out.println(p.tag() + " " + key + " " + cost.encoding() + " " + cost.segments());
                int budget = key.equals("queue.option.renewal") ? 1 : BUDGET;
                if (cost.segments() > budget) {
                    over.add(key + " in " + p.tag() + ": " + cost.segments() + " parts, " + text(p.tag(), key).length() + " chars");
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(11 * 18);
        assertThat(over).isEmpty();
    }

    @Test
    void noQueueTextNamesAProcedure() {
        List<String> names = new ArrayList<>();
        for (LanguageProfile p : LOCALES.offered()) {
            LOCALES.patterns(p.tag()).forEach((k, v) -> {
                if (k.startsWith("procedure.") && k.endsWith(".name")) names.add(LOCALES.text(p.tag(), k, Map.of()));
            });
            for (String key : keys()) {
                String text = text(p.tag(), key);
                for (String name : names) assertThat(text).as("%s in %s", key, p.tag()).doesNotContain(name);
            }
        }
    }

    @Test
    void theTextsThatReachPeopleUnaskedSayTheServiceIsFree() {
        // Checked in the two languages the tests read; translators keep the sentence (docs/queue.md).
        for (String key : List.of("queue.ack", "queue.ack.renewal", "queue.ack.recepisse", "queue.convocation", "queue.convocation.queue",
                "queue.offer", "queue.renewal.intro", "queue.renewal.registered", "queue.info.rights", "queue.recepisse.closed")) {
            assertThat(text("fr", key)).as(key).containsIgnoringCase("gratuit");
            assertThat(text("en", key)).as(key).containsIgnoringCase("free");
        }
    }

    @Test
    void theAcknowledgementCarriesTheMentionsOfTheLaw() {
        for (LanguageProfile p : LOCALES.offered()) {
            for (String key : List.of("queue.ack", "queue.info.receipt")) {
                String text = text(p.tag(), key);
                assertThat(text).as("%s in %s", key, p.tag())
                        .contains("482 915 306", "Sous-préfecture de La Tour-du-Pin", "Sous-préfecture, 38110 La Tour-du-Pin", "04 76 60 49 49");
            }
            assertThat(text(p.tag(), "queue.ack")).contains("INFO");
            assertThat(text(p.tag(), "queue.convocation")).contains("DOCS", "MENU", "482 915 306", "38110 La Tour-du-Pin");
        }
        assertThat(text("fr", "queue.ack")).contains("30 septembre", "20:45");
        assertThat(LOCALES.text("fr", "queue.delay.weeks", Map.of("weeks", 12))).isEqualTo("environ 12 semaines");
        assertThat(LOCALES.text("fr", "queue.delay.weeks", Map.of("weeks", 1))).isEqualTo("environ 1 semaine");
    }

    /**
     * A reply word taken inside a conversation must not be an answer a question there expects: no queue word may be a
     * word of a menu option, a yes/no word or a command, in any language (the main menu's own words are left out: at
     * the main menu no conversation is in progress, and INFO there is the answer the acknowledgement asks for).
     */
    @Test
    void replyWordsCannotBeTakenForAnAnswerInAConversation() {
        Map<String, String> answers = new HashMap<>();
        for (LanguageProfile p : LOCALES.offered()) {
            LOCALES.patterns(p.tag()).forEach((key, pattern) -> {
                if (!key.endsWith(".words") || key.startsWith("queue.") || key.startsWith("main.option.") || key.equals("language.hello.words")) return;
                for (String w : pattern.split("\\|")) answers.put(NoticeReplies.normalise(w), p.tag() + " " + key);
            });
        }
        List<String> clashes = new ArrayList<>();
        for (LanguageProfile p : LOCALES.offered()) {
            for (ReplyWords.Kind kind : ReplyWords.Kind.values()) {
                String pattern = LOCALES.patterns(p.tag()).get(ReplyWords.key(kind));
                assertThat(pattern).as("%s in %s", ReplyWords.key(kind), p.tag()).isNotBlank();
                for (String w : pattern.split("\\|")) {
                    String n = NoticeReplies.normalise(w);
                    if (answers.containsKey(n)) clashes.add(p.tag() + " " + ReplyWords.key(kind) + " '" + n + "' = " + answers.get(n));
                    if (n.matches("[0-9]+")) clashes.add(p.tag() + " " + ReplyWords.key(kind) + " '" + n + "' is a digit");
                }
            }
        }
        assertThat(clashes).isEmpty();
    }
}
