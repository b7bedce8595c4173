package fr.guichet.speech;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A language's spoken number words, from the data file {@code speech/number-words/<model-id>.yaml}, and the rule that
 * turns a recognised word sequence into digits. Recognisers give numbers as words ("four two"); callers read digits one
 * by one or as a number ("forty two"), and both must give 42.
 *
 * <p>Rule: values 0–9 and 10–19 are written as they are; a round tens value (20, 30 … 90) absorbs a following smaller
 * value below 20 ("forty two" = 42, French "soixante dix-sept" = 77), and ten a following digit (Turkish "on bir" = 11); the groups are
 * then written one after the other ("twenty twenty four" = 2024, "one four" = 14).
 */
public final class NumberWords {

    private static final NumberWords NONE = new NumberWords(Map.of());

    private final Map<String, Integer> values;

    NumberWords(Map<String, Integer> values) {
        this.values = Map.copyOf(values);
    }

    /** The number words of a model id; empty (no word is a number) when the language has no file. */
    public static NumberWords forModel(String modelId) {
        if (modelId == null || !modelId.matches("[a-z]{2,3}(-[a-z0-9]+)?")) {
            return NONE;
        }
        try (InputStream in = NumberWords.class.getResourceAsStream("/speech/number-words/" + modelId + ".yaml")) {
            if (in == null) {
                return NONE;
            }
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, Integer> values = new HashMap<>();
            if (document instanceof Map<?, ?> root && root.get("words") instanceof Map<?, ?> words) {
                words.forEach((word, value) -> {
                    if (value instanceof Integer number && number >= 0 && number < 100) {
                        values.put(String.valueOf(word).strip(), number);
                    } else {
                        throw new IllegalStateException("number word " + word + " of " + modelId + " must be 0-99");
                    }
                });
            }
            return new NumberWords(values);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read number words of " + modelId, e);
        }
    }

    /** Every number word of the language (for a grammar). */
    public List<String> words() {
        return values.keySet().stream().sorted().toList();
    }

    /** The words that say {@code value} on their own ("one" and "oh"… for 1 and 0), sorted; empty when none. */
    public List<String> wordsFor(int value) {
        return values.entrySet().stream().filter(e -> e.getValue() == value).map(Map.Entry::getKey).sorted().toList();
    }

    public boolean isNumber(String word) {
        return values.containsKey(word);
    }

    /**
     * The digits spoken in {@code words}, or empty when a word is not a number word or there is none. Words the
     * recognizer could not place ({@code [unk]}) must be removed by the caller first.
     */
    public Optional<String> digits(List<String> words) {
        if (words.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder digits = new StringBuilder();
        Integer pending = null;
        for (String word : words) {
            Integer value = values.get(word);
            if (value == null) {
                return Optional.empty();
            }
            boolean tensAbsorb = pending != null && pending >= 20 && pending % 10 == 0 && value < 20;
            // Turkish says 11-19 as "on bir" (ten one): ten absorbs a following digit.
            boolean tenAbsorbs = pending != null && pending == 10 && value >= 1 && value <= 9;
            if (tensAbsorb || tenAbsorbs) {
                pending = pending + value;
                digits.append(pending);
                pending = null;
                continue;
            }
            if (pending != null) {
                digits.append(pending);
            }
            pending = value;
        }
        if (pending != null) {
            digits.append(pending);
        }
        return Optional.of(digits.toString());
    }
}
