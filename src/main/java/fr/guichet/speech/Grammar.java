package fr.guichet.speech;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a prompt expects to hear, in one language: a list of choices, each a key (what the conversation receives, e.g.
 * {@code "2"} or {@code "yes"}) and the phrases that say it in that language (e.g. {@code "two"}, or {@code "yes"},
 * {@code "yeah"}), and whether a spoken number is also accepted (then the key is its digits, e.g. {@code "42"}).
 *
 * <p>Phrases are checked here, before anything reaches the native recognizer (an invalid grammar can crash the JVM):
 * lower-case words made of letters, combining marks, apostrophes and inner hyphens, separated by single spaces.
 *
 * @param modelId  the model the words belong to ({@code en}, {@code fr}, {@code fa} …; {@code meta.speechModel})
 * @param choices  the choices, at least one unless {@code numbers}
 * @param numbers  whether a number (digits spoken one by one or as a number) is accepted
 */
public record Grammar(String modelId, List<Choice> choices, boolean numbers) {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}']+(-[\\p{L}\\p{M}']+)*");
    static final int MAX_PHRASES = 500;

    /**
     * One answer of a prompt.
     *
     * @param key     what the conversation receives when it is heard
     * @param phrases the ways to say it (one or more words each)
     */
    public record Choice(String key, List<String> phrases) {
        public Choice {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("a choice needs a key");
            }
            if (phrases == null || phrases.isEmpty()) {
                throw new IllegalArgumentException("choice " + key + " needs at least one phrase");
            }
            List<String> normalised = new ArrayList<>();
            for (String phrase : phrases) {
                normalised.add(normalise(phrase, key));
            }
            phrases = List.copyOf(normalised);
        }

        public static Choice of(String key, String... phrases) {
            return new Choice(key, List.of(phrases));
        }
    }

    public Grammar {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("a grammar needs a model id");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (choices.isEmpty() && !numbers) {
            throw new IllegalArgumentException("a grammar needs choices or numbers");
        }
        Set<String> keys = new HashSet<>();
        Set<String> phrases = new HashSet<>();
        int count = 0;
        for (Choice choice : choices) {
            if (!keys.add(choice.key())) {
                throw new IllegalArgumentException("choice key " + choice.key() + " appears twice");
            }
            for (String phrase : choice.phrases()) {
                if (!phrases.add(phrase)) {
                    throw new IllegalArgumentException("phrase \"" + phrase + "\" is given to two choices");
                }
                count++;
            }
        }
        if (count > MAX_PHRASES) {
            throw new IllegalArgumentException("a grammar has at most " + MAX_PHRASES + " phrases");
        }
    }

    public static Grammar of(String modelId, Choice... choices) {
        return new Grammar(modelId, List.of(choices), false);
    }

    /** Key prefix of the month choices of a {@link #dayAndMonth} grammar. */
    static final String MONTH_KEY = "month:";

    /**
     * A day and a month said in words ("fourteen march", "le quatorze mars", "march fourteen"): the day by the
     * language's number words, the month by its names. What is heard reads as {@code dd/MM} ({@code 14/03}), the form
     * the conversation reads a typed date in.
     *
     * @param monthNames for each month, January first, the ways to say it (twelve lists)
     */
    public static Grammar dayAndMonth(String modelId, List<List<String>> monthNames) {
        if (monthNames.size() != 12) throw new IllegalArgumentException("twelve months, not " + monthNames.size());
        List<Choice> months = new ArrayList<>();
        for (int m = 0; m < 12; m++) months.add(new Choice(MONTH_KEY + (m + 1), monthNames.get(m)));
        return new Grammar(modelId, months, true);
    }

    private static String normalise(String phrase, String key) {
        if (phrase == null) {
            throw new IllegalArgumentException("choice " + key + " has a null phrase");
        }
        String lower = phrase.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.length() > 100) {
            throw new IllegalArgumentException("choice " + key + " has an empty or too long phrase");
        }
        for (String word : lower.split(" ")) {
            if (!WORD.matcher(word).matches()) {
                throw new IllegalArgumentException("choice " + key + ": \"" + word + "\" is not a plain word");
            }
        }
        return lower;
    }
}
