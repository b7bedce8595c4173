package fr.guichet.speech;

import java.util.ArrayList;
import java.util.Comparator;
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

    /**
     * One entry of the recognizer's n-best list: the words of a hypothesis ({@code [unk]} included; none for the
     * silence path) and its score (Vosk's log-likelihood: higher is likelier, differences are what count).
     */
    record Hypothesis(List<String> words, double score) {}

    /** What the heard words mean: a key and the recognizer's confidence in it (0–1). */
    record Reading(String key, double confidence) {}

    /**
     * How far (log-likelihood) a spoken hypothesis may trail the silence path and still count: the word must be at
     * least 1/e as likely as silence. The silence path can absorb a short word that is quiet, fast or band-limited (a
     * telephone cuts the fricatives of "six" and "five"): on the benchmark's phone audio it often wins by a hair over
     * the word actually said. The recognizer is only asked after the listener heard speech energy, so a word nearly
     * as likely is taken; one far behind is not, which keeps line noise from being forced onto a choice. In the
     * benchmark of 2026-12-01 the right answers trailed silence by at most 1.35 and the wrong ones up to 1.47.
     */
    static final double SILENCE_MARGIN = 1.0;

    /**
     * Reads the n-best list of one utterance: the confidence of a key is the share of the spoken hypotheses' likelihood
     * that means it. Synonyms ("yes", "yeah") add up instead of splitting the confidence; {@code [unk]}, stray words
     * and hypotheses with two answers count against every key. Empty when nothing was spoken (see
     * {@link #SILENCE_MARGIN}) or when no spoken hypothesis means a key.
     */
    Optional<Reading> read(List<Hypothesis> nbest) {
        Optional<Hypothesis> spoken = likeliestSpoken(nbest);
        if (spoken.isEmpty()) {
            return Optional.empty();
        }
        double bestSpoken = spoken.get().score();
        Map<String, Double> likelihoodByKey = new HashMap<>();
        double total = 0;
        for (Hypothesis hypothesis : nbest) {
            if (hypothesis.words().isEmpty()) continue;
            double likelihood = Math.exp(hypothesis.score() - bestSpoken);
            total += likelihood;
            meaning(hypothesis.words()).ifPresent(key -> likelihoodByKey.merge(key, likelihood, Double::sum));
        }
        double all = total;
        return likelihoodByKey.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> new Reading(e.getKey(), e.getValue() / all));
    }

    /** The likeliest hypothesis with words in it, unless the silence path beats it by more than {@link #SILENCE_MARGIN}. */
    static Optional<Hypothesis> likeliestSpoken(List<Hypothesis> nbest) {
        double best = nbest.stream().mapToDouble(Hypothesis::score).max().orElse(0);
        return nbest.stream().filter(h -> !h.words().isEmpty())
                .max(Comparator.comparingDouble(Hypothesis::score))
                .filter(h -> best - h.score() <= SILENCE_MARGIN);
    }

    /**
     * The key of one hypothesis: phrases are matched longest first; {@code [unk]} and stray words are set aside. The
     * answer is a choice key when all matched phrases agree on one key, or the digits when only number words were
     * heard; two different keys (the caller said "yes no") read as nothing.
     */
    Optional<String> meaning(List<String> heard) {
        List<String> words = heard.stream().filter(w -> !UNKNOWN_WORD.equals(w)).toList();
        if (words.isEmpty()) {
            return Optional.empty();
        }
        Set<String> keys = new LinkedHashSet<>();
        List<String> rest = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            for (int length = Math.min(longestPhrase, words.size() - i); length >= 1 && matched == 0; length--) {
                String key = keyByPhrase.get(String.join(" ", words.subList(i, i + length)));
                if (key != null) {
                    keys.add(key);
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
            return dayOfMonth(keys.iterator().next(), rest);
        }
        if (!keys.isEmpty()) {
            return keys.size() == 1 && rest.isEmpty() ? Optional.of(keys.iterator().next()) : Optional.empty();
        }
        if (asksDayAndMonth()) return Optional.empty(); // a day without its month is no date
        return numbers.digits(rest);
    }

    private boolean asksDayAndMonth() {
        return !grammar.choices().isEmpty() && grammar.choices().stream().allMatch(c -> c.key().startsWith(Grammar.MONTH_KEY));
    }

    /** A month heard with the words of one day (1–31) reads as {@code dd/MM}; a month alone, or a bad day, as nothing. */
    private Optional<String> dayOfMonth(String monthKey, List<String> dayWords) {
        Optional<Integer> day = numbers.digits(dayWords)
                .filter(d -> d.length() <= 2).map(Integer::parseInt).filter(d -> d >= 1 && d <= 31);
        int month = Integer.parseInt(monthKey.substring(Grammar.MONTH_KEY.length()));
        return day.map(d -> "%02d/%02d".formatted(d, month));
    }
}
