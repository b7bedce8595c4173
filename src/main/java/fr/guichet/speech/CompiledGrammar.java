package fr.guichet.speech;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Grammar} checked against one model's vocabulary: the phrases the model can hear, the JSON handed to Vosk,
 * and the reading of a recognised word sequence back into a choice key.
 */
final class CompiledGrammar {

    static final String UNKNOWN_WORD = "[unk]";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Grammar grammar;
    private final NumberWords numbers;
    private final Map<String, String> keyByPhrase;
    private final int longestPhrase;
    private final List<String> unreachableKeys;
    private final String json;

    private CompiledGrammar(Grammar grammar, NumberWords numbers, Map<String, String> keyByPhrase,
                            List<String> unreachableKeys, String json) {
        this.grammar = grammar;
        this.numbers = numbers;
        this.keyByPhrase = Map.copyOf(keyByPhrase);
        this.longestPhrase = keyByPhrase.keySet().stream().mapToInt(p -> p.split(" ").length).max().orElse(1);
        this.unreachableKeys = List.copyOf(unreachableKeys);
        this.json = json;
    }

    /**
     * Keeps the phrases whose every word is in the model (Vosk would silently drop the others' missing words and
     * could then hear "book" for "book xyzzy"). Empty when nothing at all can be heard.
     */
    static Optional<CompiledGrammar> compile(Grammar grammar, Vocabulary vocabulary) {
        NumberWords numbers = grammar.numbers() ? NumberWords.forModel(grammar.modelId()) : NumberWords.forModel(null);
        Map<String, String> keyByPhrase = new HashMap<>();
        List<String> unreachable = new ArrayList<>();
        Set<String> phrases = new LinkedHashSet<>();
        for (Grammar.Choice choice : grammar.choices()) {
            boolean reachable = false;
            for (String phrase : choice.phrases()) {
                Optional<String> spelled = spelled(phrase, vocabulary);
                if (spelled.isPresent() && !keyByPhrase.containsKey(spelled.get())) {
                    keyByPhrase.put(spelled.get(), choice.key());
                    phrases.add(spelled.get());
                    reachable = true;
                }
            }
            if (!reachable) {
                unreachable.add(choice.key());
            }
        }
        boolean anyNumber = false;
        for (String word : numbers.words()) {
            if (vocabulary.contains(word) && !keyByPhrase.containsKey(word)) {
                phrases.add(word);
                anyNumber = true;
            }
        }
        if (phrases.isEmpty() || (keyByPhrase.isEmpty() && !anyNumber)) {
            return Optional.empty();
        }
        List<String> vosk = new ArrayList<>(phrases);
        vosk.add(UNKNOWN_WORD);
        return Optional.of(new CompiledGrammar(grammar, numbers, keyByPhrase, unreachable, JSON.writeValueAsString(vosk)));
    }

    /** The phrase in the model's spelling, or empty when one of its words is not in the model. */
    private static Optional<String> spelled(String phrase, Vocabulary vocabulary) {
        List<String> words = new ArrayList<>();
        for (String word : phrase.split(" ")) {
            Optional<String> spelling = vocabulary.spelling(word);
            if (spelling.isEmpty()) {
                return Optional.empty();
            }
            words.add(spelling.get());
        }
        return Optional.of(String.join(" ", words));
    }

    Grammar grammar() {
        return grammar;
    }

    /** The JSON array of phrases (plus {@code [unk]}) for Vosk's grammar constructor. */
    String json() {
        return json;
    }

    /** Choice keys none of whose phrases the model knows: these can only be answered with the keypad. */
    List<String> unreachableKeys() {
        return unreachableKeys;
    }

    /** A recognised word with the recognizer's confidence in it (0–1). */
    record HeardWord(String word, double confidence) {}

    /** What the heard words mean: a key and the lowest confidence of the words that gave it. */
    record Reading(String key, double confidence) {}

    /**
     * Reads heard words: phrases are matched longest first; {@code [unk]} and stray words are set aside. The answer is a
     * choice key when all matched phrases agree on one key, or the digits when only number words were heard; two
     * different keys (the caller said "yes no", or the recognizer hesitated) read as nothing.
     */
    Optional<Reading> read(List<HeardWord> heard) {
        List<HeardWord> words = heard.stream().filter(w -> !UNKNOWN_WORD.equals(w.word())).toList();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        Set<String> keys = new LinkedHashSet<>();
        double confidence = 1.0;
        List<HeardWord> rest = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            for (int length = Math.min(longestPhrase, words.size() - i); length >= 1 && matched == 0; length--) {
                String phrase = String.join(" ", words.subList(i, i + length).stream().map(HeardWord::word).toList());
                String key = keyByPhrase.get(phrase);
                if (key != null) {
                    keys.add(key);
                    for (HeardWord word : words.subList(i, i + length)) {
                        confidence = Math.min(confidence, word.confidence());
                    }
                    matched = length;
                }
            }
            if (matched == 0) {
                rest.add(words.get(i));
                i++;
            } else {
                i += matched;
            }
        }
        if (keys.size() == 1 && keys.iterator().next().startsWith(Grammar.MONTH_KEY)) {
            return dayOfMonth(keys.iterator().next(), rest, confidence);
        }
        if (!keys.isEmpty()) {
            return keys.size() == 1 && rest.isEmpty()
                    ? Optional.of(new Reading(keys.iterator().next(), confidence))
                    : Optional.empty();
        }
        if (asksDayAndMonth()) return Optional.empty(); // a day without its month is no date
        Optional<String> digits = numbers.digits(rest.stream().map(HeardWord::word).toList());
        return digits.map(d -> new Reading(d, rest.stream().mapToDouble(HeardWord::confidence).min().orElse(0)));
    }

    private boolean asksDayAndMonth() {
        return !grammar.choices().isEmpty() && grammar.choices().stream().allMatch(c -> c.key().startsWith(Grammar.MONTH_KEY));
    }

    /** A month heard with the words of one day (1–31) reads as {@code dd/MM}; a month alone, or a bad day, as nothing. */
    private Optional<Reading> dayOfMonth(String monthKey, List<HeardWord> dayWords, double monthConfidence) {
        Optional<Integer> day = numbers.digits(dayWords.stream().map(HeardWord::word).toList())
                .filter(d -> d.length() <= 2).map(Integer::parseInt).filter(d -> d >= 1 && d <= 31);
        if (day.isEmpty()) return Optional.empty();
        int month = Integer.parseInt(monthKey.substring(Grammar.MONTH_KEY.length()));
        double confidence = Math.min(monthConfidence, dayWords.stream().mapToDouble(HeardWord::confidence).min().orElse(0));
        return Optional.of(new Reading("%02d/%02d".formatted(day.get(), month), confidence));
    }

}
