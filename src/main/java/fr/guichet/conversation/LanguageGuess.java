package fr.guichet.conversation;

import fr.guichet.language.LanguageProfile;
import fr.guichet.phone.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A first guess at a person's language from the script and words of their first message and from their number's
 * country. Only a guess: the engine always confirms it in one short line, or asks among the candidates.
 */
final class LanguageGuess {
    /** Countries whose people most often write in these languages, first the likeliest. */
    private static final Map<String, List<String>> BY_COUNTRY = Map.ofEntries(
            Map.entry("AF", List.of("fa-AF", "ps")), Map.entry("IR", List.of("fa-AF")), Map.entry("TJ", List.of("fa-AF", "ru")),
            Map.entry("MA", List.of("ar", "fr")), Map.entry("DZ", List.of("ar", "fr")), Map.entry("TN", List.of("ar", "fr")),
            Map.entry("EG", List.of("ar")), Map.entry("SD", List.of("ar")), Map.entry("SY", List.of("ar")), Map.entry("IQ", List.of("ar")),
            Map.entry("LY", List.of("ar")), Map.entry("JO", List.of("ar")), Map.entry("LB", List.of("ar", "fr")), Map.entry("YE", List.of("ar")),
            Map.entry("SA", List.of("ar")), Map.entry("PS", List.of("ar")), Map.entry("MR", List.of("ar", "fr")), Map.entry("TD", List.of("fr", "ar")),
            Map.entry("UA", List.of("uk", "ru")), Map.entry("RU", List.of("ru")), Map.entry("BY", List.of("ru")), Map.entry("KZ", List.of("ru")),
            Map.entry("GE", List.of("ru")), Map.entry("AM", List.of("ru")), Map.entry("MD", List.of("ru")),
            Map.entry("TR", List.of("tr")), Map.entry("BD", List.of("bn")),
            Map.entry("ES", List.of("es")), Map.entry("MX", List.of("es")), Map.entry("CO", List.of("es")), Map.entry("VE", List.of("es")),
            Map.entry("PE", List.of("es")), Map.entry("AR", List.of("es")), Map.entry("CU", List.of("es")), Map.entry("BO", List.of("es")),
            Map.entry("PT", List.of("pt")), Map.entry("BR", List.of("pt")), Map.entry("AO", List.of("pt")), Map.entry("CV", List.of("pt")),
            Map.entry("GW", List.of("pt")), Map.entry("MZ", List.of("pt")),
            Map.entry("GB", List.of("en")), Map.entry("US", List.of("en")), Map.entry("NG", List.of("en")), Map.entry("GH", List.of("en")),
            Map.entry("SL", List.of("en")), Map.entry("LR", List.of("en")), Map.entry("GM", List.of("en")), Map.entry("IN", List.of("en")),
            Map.entry("PK", List.of("en")), Map.entry("ER", List.of("en", "ar")), Map.entry("SO", List.of("ar", "en")),
            Map.entry("FR", List.of("fr")), Map.entry("SN", List.of("fr")), Map.entry("CI", List.of("fr")), Map.entry("ML", List.of("fr")),
            Map.entry("GN", List.of("fr")), Map.entry("CM", List.of("fr", "en")), Map.entry("CD", List.of("fr")), Map.entry("CG", List.of("fr")),
            Map.entry("HT", List.of("fr")), Map.entry("BF", List.of("fr")), Map.entry("NE", List.of("fr")), Map.entry("BJ", List.of("fr")),
            Map.entry("TG", List.of("fr")), Map.entry("GA", List.of("fr")), Map.entry("CF", List.of("fr")), Map.entry("MG", List.of("fr")),
            Map.entry("BE", List.of("fr")), Map.entry("CH", List.of("fr")), Map.entry("LU", List.of("fr")));

    private LanguageGuess() {}

    /**
     * Candidate languages, likeliest first; one candidate is a guess to confirm, several a short menu, none the full
     * menu. {@code words} gives a language's normalised words for a text key (greetings: {@code language.hello.words}).
     */
    static List<String> candidates(String text, String countryHint, PhoneNumber from,
            BiFunction<String, String, List<String>> words, List<LanguageProfile> offered) {
        String region = countryHint != null && countryHint.matches("[A-Za-z]{2}") ? countryHint.toUpperCase() : from.region();
        List<String> byCountry = BY_COUNTRY.getOrDefault(region, List.of());
        List<String> byText = fromText(text, byCountry, words, offered);
        List<String> out = byText.isEmpty() ? byCountry : byText;
        return out.stream().filter(tag -> offered.stream().anyMatch(p -> p.tag().equals(tag))).toList();
    }

    /** Languages among {@code tags} whose greeting words ({@code language.hello.words}) appear in the text. */
    private static List<String> byWords(String text, List<String> tags, BiFunction<String, String, List<String>> words,
            List<LanguageProfile> offered) {
        String normalised = " " + Answers.normalise(text) + " ";
        List<String> found = new ArrayList<>();
        for (String tag : tags) {
            if (offered.stream().noneMatch(p -> p.tag().equals(tag))) continue;
            for (String word : words.apply(tag, "language.hello.words")) {
                if (normalised.contains(" " + word + " ") && !found.contains(tag)) found.add(tag);
            }
        }
        return found;
    }

    private static List<String> fromText(String text, List<String> byCountry, BiFunction<String, String, List<String>> words,
            List<LanguageProfile> offered) {
        int arabic = 0, cyrillic = 0, bengali = 0, latin = 0;
        boolean pashto = false, persian = false, ukrainian = false, russian = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script;
            try {
                script = Character.UnicodeScript.of(cp);
            } catch (IllegalArgumentException e) {
                continue;
            }
            switch (script) {
                case ARABIC -> {
                    arabic++;
                    if ("ټډړښږګڼۍېځڅ".indexOf(cp) >= 0) pashto = true;
                    if ("پچژگکی".indexOf(cp) >= 0) persian = true; // letters or letter forms Arabic does not use
                }
                case CYRILLIC -> {
                    cyrillic++;
                    if ("іїєґІЇЄҐ".indexOf(cp) >= 0) ukrainian = true;
                    if ("ыэъёЫЭЪЁ".indexOf(cp) >= 0) russian = true;
                }
                case BENGALI -> bengali++;
                case LATIN -> latin++;
                default -> { }
            }
        }
        if (arabic > 0 && arabic >= latin) {
            if (pashto) return List.of("ps");
            if (persian) return List.of("fa-AF", "ps");
            if (byCountry.contains("fa-AF")) return List.of("fa-AF", "ps", "ar");
            return List.of("ar");
        }
        if (cyrillic > 0 && cyrillic >= latin) {
            if (ukrainian && !russian) return List.of("uk");
            if (russian && !ukrainian) return List.of("ru");
            List<String> both = byCountry.contains("uk") ? List.of("uk", "ru") : List.of("ru", "uk");
            List<String> named = byWords(text, both, words, offered);
            return named.size() == 1 ? named : both;
        }
        if (bengali > 0) return List.of("bn");
        if (latin == 0) return List.of();
        List<String> found = byWords(text, offered.stream().map(LanguageProfile::tag).toList(), words, offered);
        if (found.size() == 1) return found;
        if (found.size() > 1) {
            List<String> both = found.stream().filter(byCountry::contains).toList();
            return both.size() == 1 ? both : found;
        }
        String lower = text.toLowerCase();
        if (lower.matches(".*[ğşı].*")) return List.of("tr");
        if (lower.matches(".*[ãõ].*")) return List.of("pt");
        if (lower.matches(".*[ñ¿¡].*")) return List.of("es");
        // Latin letters with no known word: from a country of a non-Latin script, French is the safest guess in France.
        if (byCountry.isEmpty() || byCountry.stream().noneMatch(t -> List.of("fr", "en", "es", "pt", "tr").contains(t))) return List.of("fr");
        return byCountry.stream().filter(t -> List.of("fr", "en", "es", "pt", "tr").contains(t)).limit(1).toList();
    }
}
