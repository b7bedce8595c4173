package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.ibm.icu.text.MessagePattern;
import fr.guichet.channel.sms.SmsSegments;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every text in every language: same keys everywhere, patterns that parse, only known arguments, and an SMS cost
 * within bounds. Writes the cost table to {@code target/sms-segments.md}; the committed {@code docs/sms-segments.md}
 * must match it (run with {@code -Dsms-segments.update=true} to rewrite it after changing texts).
 */
class ConversationTextsTest {
    /** Arguments the conversation texts may use, with the sample values that cost the most. */
    static final Map<String, Object> SAMPLES = Map.ofEntries(
            Map.entry("number", "3"), Map.entry("max", "12"), Map.entry("name", "Amina Diallo"),
            Map.entry("label", "Sous-préfecture de La Tour-du-Pin"),
            Map.entry("start", Instant.parse("2026-09-30T13:30:00Z")), Map.entry("slot_start", Instant.parse("2026-09-30T13:30:00Z")),
            Map.entry("site", "Sous-préfecture de La Tour-du-Pin"), Map.entry("site_name", "Sous-préfecture de La Tour-du-Pin"),
            Map.entry("slot_site_name", "Sous-préfecture de La Tour-du-Pin"),
            Map.entry("address", "16 boulevard Eugène Arnaud, 38200 Vienne"), Map.entry("phone", "04 74 53 26 25"),
            Map.entry("reference", "482 915 306"),
            // The social workers' space (voice-flows/worker.yaml).
            Map.entry("initials", "A. D."), Map.entry("person_initials", "A. D."), Map.entry("booking_initials", "A. D."),
            Map.entry("booking", "482 915 306"), Map.entry("attempts_left", "4"), Map.entry("daily_limit", "10"),
            Map.entry("unlock_at", Instant.parse("2026-09-30T13:45:00Z")), Map.entry("person_phone_spoken", "+212 6 12 34 56 78"),
            Map.entry("organisation", "Association d'accueil des migrants de l'Isère"));
    /** Texts sent at nearly every step (questions, menus, re-asks): at most two parts. */
    private static final Pattern EVERY_STEP = Pattern.compile(
            "invalid\\..*|language\\.(confirm|choose|option|other)|menu\\..*|slot\\.label|resume\\.ask|main\\.menu|.*\\.option\\.[a-z_]+"
                    + "|booking\\.(procedure|site|expiry|name|birth_date|pick|pick\\.voice|other_day|readback|none)"
                    + "|appointment\\.(reference|details|cancel\\.confirm|move\\.confirm)|info\\.(menu|more|documents\\.which)");
    private static final Path DOC = Path.of("docs/sms-segments.md");

    private final LocaleFiles locales = LocaleFiles.of(EngineFixture.localeFiles(false), EngineFixture.PARIS);
    private final LocaleFiles withProcedures = EngineFixture.locales();

    /** Keys of the conversation: the engine's own and those named in the flows. */
    private Set<String> conversationKeys() {
        Set<String> keys = new TreeSet<>(ConversationEngine.ownKeys());
        for (String key : locales.patterns("fr").keySet()) {
            if (!key.startsWith("procedure.") && !key.startsWith("sms.") && !key.startsWith("voice.") && !key.startsWith("notify.")
                    && !key.startsWith("api.") && !key.startsWith("worker.") && !key.startsWith("queue.") && !key.startsWith("reminder.")
                    && !key.startsWith("backend.")) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Test
    void everyFileHasExactlyTheKeysOfTheFrenchFile() {
        Set<String> french = locales.patterns("fr").keySet();
        for (LanguageProfile p : locales.offered()) {
            Set<String> keys = locales.patterns(p.tag()).keySet();
            assertThat(new TreeSet<>(keys)).as("keys of locales/%s.yaml", p.tag()).isEqualTo(new TreeSet<>(french));
        }
        assertThat(locales.offered()).extracting(LanguageProfile::tag)
                .containsExactlyInAnyOrder("fr", "ar", "en", "fa-AF", "ps", "ru", "uk", "tr", "bn", "es", "pt");
        assertThat(french).containsAll(ConversationEngine.ownKeys());
    }

    @Test
    void everyPatternParsesAndUsesOnlyTheArgumentsOfTheFrenchText() {
        for (LanguageProfile p : locales.offered()) {
            locales.patterns(p.tag()).forEach((key, pattern) -> {
                Set<String> used = arguments(pattern);
                Set<String> french = arguments(locales.patterns("fr").get(key));
                assertThat(used).as("arguments of %s in %s", key, p.tag()).isSubsetOf(french);
                if (conversationKeys().contains(key)) {
                    assertThat(used).as("arguments of %s", key).isSubsetOf(SAMPLES.keySet());
                    assertThat(withProcedures.text(p.tag(), key, SAMPLES)).isNotBlank();
                }
            });
        }
    }

    @Test
    void noAnswerWordIsAlsoAGlobalCommandInAnyLanguage() {
        // Commands are matched before any flow, in every language: an answer word equal to one would never arrive.
        Map<String, String> commands = new HashMap<>();
        for (LanguageProfile p : locales.offered()) {
            locales.patterns(p.tag()).forEach((key, pattern) -> {
                if (key.startsWith("command.")) Answers.words(pattern).forEach(w -> commands.put(w, p.tag() + " " + key));
            });
        }
        List<String> clashes = new ArrayList<>();
        for (LanguageProfile p : locales.offered()) {
            locales.patterns(p.tag()).forEach((key, pattern) -> {
                if (key.endsWith(".words") && !key.startsWith("command.") && !key.equals("language.hello.words")) {
                    for (String word : Answers.words(pattern)) {
                        if (commands.containsKey(word)) clashes.add(p.tag() + " " + key + " '" + word + "' = " + commands.get(word));
                    }
                }
            });
        }
        assertThat(clashes).isEmpty();
    }

    private static Set<String> arguments(String pattern) {
        MessagePattern parsed = new MessagePattern(pattern); // throws on a pattern that does not parse
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < parsed.countParts(); i++) {
            MessagePattern.Part part = parsed.getPart(i);
            if (part.getType() == MessagePattern.Part.Type.ARG_NAME) names.add(parsed.getSubstring(part));
        }
        return names;
    }

    @Test
    void smsTextsStayWithinTheirSegmentBudget() throws IOException {
        Map<String, Map<String, SmsSegments>> table = new TreeMap<>();
        List<String> overBudget = new ArrayList<>();
        for (String key : conversationKeys()) {
            if (key.endsWith(".words") || key.endsWith(".voice") || key.startsWith("handover.voice") || key.equals("command")) continue;
            int budget = EVERY_STEP.matcher(key).matches() ? 2 : 3;
            Map<String, SmsSegments> row = new java.util.LinkedHashMap<>();
            for (LanguageProfile p : locales.offered()) {
                SmsSegments cost = SmsSegments.of(withProcedures.text(p.tag(), key, SAMPLES));
                row.put(p.tag(), cost);
                if (cost.segments() > budget) overBudget.add(key + " in " + p.tag() + ": " + cost.segments() + " parts (budget " + budget + ")");
            }
            table.put(key + (budget == 2 ? " (every step)" : ""), row);
        }
        // Whole menus as one SMS: the question and its numbered lines.
        for (String menu : List.of("main:menu", "information:menu", "information:more", "appointment:show")) {
            Map<String, SmsSegments> row = new java.util.LinkedHashMap<>();
            for (LanguageProfile p : locales.offered()) {
                SmsSegments cost = SmsSegments.of(composedMenu(menu, p.tag()));
                row.put(p.tag(), cost);
                if (cost.segments() > 2) overBudget.add("menu " + menu + " in " + p.tag() + ": " + cost.segments() + " parts (budget 2)");
            }
            table.put("menu " + menu + " (every step)", row);
        }
        String markdown = markdown(table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/sms-segments.md"), markdown);
        assertThat(overBudget).as("SMS texts over budget").isEmpty();
        if (Boolean.getBoolean("sms-segments.update")) Files.writeString(DOC, markdown);
        assertThat(Files.exists(DOC) ? Files.readString(DOC) : "")
                .as("docs/sms-segments.md is stale: rerun with -Dsms-segments.update=true and commit it")
                .isEqualTo(markdown);
    }

    private String composedMenu(String at, String tag) {
        String[] parts = at.split(":");
        Flows flows = EngineFixture.flows(withProcedures);
        Node node = flows.flow(parts[0]).node(parts[1]);
        StringBuilder text = new StringBuilder(withProcedures.text(tag, node.say(), SAMPLES));
        int n = 1;
        for (Node.Option o : node.options()) {
            Map<String, Object> args = new HashMap<>(SAMPLES);
            args.put("number", String.valueOf(n++));
            args.put("label", withProcedures.text(tag, o.say(), SAMPLES));
            text.append('\n').append(withProcedures.text(tag, "menu.line.sms", args));
        }
        return text.toString();
    }

    private String markdown(Map<String, Map<String, SmsSegments>> table) {
        StringBuilder md = new StringBuilder("""
                # SMS cost of every conversation text

                Generated by `ConversationTextsTest` (do not edit by hand). Each cell: encoding and number of SMS parts,
                with the longest sample values (site "Sous-préfecture de La Tour-du-Pin", a date in September).
                GSM-7 fits 160 characters in one part (153 per part when split); one character outside GSM-7 (ê, ç, ’, any
                Arabic, Cyrillic or Bengali letter) makes the whole text UCS-2: 70 characters, 67 per part.
                Budget: 2 parts for texts sent at nearly every step (questions, menus, re-asks), 3 for the others;
                the build fails above it.

                """);
        List<String> tags = locales.offered().stream().map(LanguageProfile::tag).toList();
        md.append("| text |");
        tags.forEach(t -> md.append(' ').append(t).append(" |"));
        md.append("\n|---|");
        tags.forEach(t -> md.append("---|"));
        md.append('\n');
        table.forEach((key, row) -> {
            md.append("| `").append(key.replace(" (every step)", "`*")).append(key.contains("every step") ? "" : "`").append(" |");
            for (String t : tags) {
                SmsSegments s = row.get(t);
                md.append(' ').append(s.encoding() == SmsSegments.Encoding.GSM_7 ? "GSM " : "UCS ").append(s.segments()).append(" |");
            }
            md.append('\n');
        });
        md.append("\n`*` sent at nearly every step (budget 2 parts).\n");
        return md.toString();
    }
}
