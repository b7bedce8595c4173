package fr.guichet.channel.voice;

import fr.guichet.conversation.Expectation;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.Languages;
import fr.guichet.speech.Grammar;
import fr.guichet.speech.NumberWords;
import fr.guichet.speech.SpeechListener;
import fr.guichet.speech.SpeechRecognition;
import com.ibm.icu.text.DateFormatSymbols;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@link SpeechGate} over {@code fr.guichet.speech}: turns what a prompt expects into a grammar in the caller's language
 * and the speech package's outcomes into the channel's.
 *
 * <p>A menu choice is heard by its words from the locale file (e.g. "book", "appointment") and by the number that
 * selects it ("two" for key 2), as the prompt says "press 2"; yes/no likewise ("yes", "okay", "one" for 1). A number
 * prompt accepts spoken digits and numbers. A word that two choices share is dropped: saying it must not pick one at
 * random. Only plain words go to the recognizer (one-letter words like "y" are left to the keypad).
 */
final class RecognizerSpeechGate implements SpeechGate {

    private static final Pattern PLAIN_PHRASE = Pattern.compile("[\\p{L}\\p{M}']{2,}(-[\\p{L}\\p{M}']+)*( [\\p{L}\\p{M}']+(-[\\p{L}\\p{M}']+)*)*");

    private final SpeechRecognition recognition;
    private final Languages languages;

    RecognizerSpeechGate(SpeechRecognition recognition, Languages languages) {
        this.recognition = recognition;
        this.languages = languages;
    }

    @Override
    public boolean canListen(String language, Expectation expect) {
        return grammar(language, expect).map(recognition::canListen).orElse(false);
    }

    @Override
    public Optional<Listener> listen(String language, Expectation expect) {
        return grammar(language, expect).flatMap(recognition::listen).map(Adapter::new);
    }

    /** The grammar for a prompt, or empty when the language has no model or the prompt is not a spoken kind of answer. */
    Optional<Grammar> grammar(String language, Expectation expect) {
        Optional<String> model = languages.byTag(language).map(LanguageProfile::speechModel).filter(m -> !m.isBlank());
        if (model.isEmpty()) {
            return Optional.empty();
        }
        NumberWords numbers = NumberWords.forModel(model.get());
        return switch (expect.kind()) {
            case MENU, YES_NO -> choices(model.get(), expect.choices(), numbers);
            case NUMBER -> numbers.words().isEmpty() ? Optional.empty() : Optional.of(new Grammar(model.get(), List.of(), true));
            // A day and a month (4 keypad digits): "fourteen march". A date with its year (birth, permit) stays on the keypad.
            case DATE -> expect.maxDigits() == 4 && !numbers.words().isEmpty()
                    ? Optional.of(Grammar.dayAndMonth(model.get(), monthNames(language)))
                    : Optional.empty();
            // A PIN is typed on the keypad only: no grammar, so no recogniser ever hears it.
            case SECRET -> Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The month names of the language in its own words, as written and as said alone ("mars"; Russian "марта", "март"). */
    private static List<List<String>> monthNames(String language) {
        ULocale locale = ULocale.forLanguageTag(language);
        DateFormatSymbols symbols = DateFormatSymbols.getInstance(locale);
        String[] written = symbols.getMonths(DateFormatSymbols.FORMAT, DateFormatSymbols.WIDE);
        String[] alone = symbols.getMonths(DateFormatSymbols.STANDALONE, DateFormatSymbols.WIDE);
        Locale lower = locale.toLocale();
        List<List<String>> months = new ArrayList<>();
        for (int m = 0; m < 12; m++) {
            Set<String> names = new LinkedHashSet<>();
            for (String name : List.of(written[m], alone[m])) {
                String n = name.toLowerCase(lower).replace('.', ' ').strip();
                if (PLAIN_PHRASE.matcher(n).matches()) names.add(n);
            }
            months.add(List.copyOf(names));
        }
        return months;
    }

    private static Optional<Grammar> choices(String model, List<Expectation.Choice> choices, NumberWords numbers) {
        Map<String, Set<String>> phrasesByKey = new HashMap<>();
        Map<String, Integer> owners = new HashMap<>();
        for (Expectation.Choice choice : choices) {
            Set<String> phrases = new LinkedHashSet<>();
            for (String word : choice.words()) {
                if (PLAIN_PHRASE.matcher(word).matches() && word.length() <= 100) phrases.add(word);
            }
            if (choice.key().matches("\\d{1,2}")) phrases.addAll(numbers.wordsFor(Integer.parseInt(choice.key())));
            phrasesByKey.put(choice.key(), phrases);
            phrases.forEach(p -> owners.merge(p, 1, Integer::sum));
        }
        List<Grammar.Choice> kept = new ArrayList<>();
        for (Expectation.Choice choice : choices) {
            List<String> own = phrasesByKey.get(choice.key()).stream().filter(p -> owners.get(p) == 1).toList();
            if (!own.isEmpty() && kept.stream().noneMatch(k -> k.key().equals(choice.key()))) {
                kept.add(new Grammar.Choice(choice.key(), own));
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(new Grammar(model, kept, false));
    }

    private record Adapter(SpeechListener listener) implements Listener {
        @Override
        public Heard feed(byte[] mulaw) {
            return heard(listener.feed(mulaw));
        }

        @Override
        public Heard finish() {
            return heard(listener.finish());
        }

        @Override
        public void close() {
            listener.close();
        }

        private static Heard heard(SpeechListener.Outcome outcome) {
            return switch (outcome) {
                case SpeechListener.Outcome.Listening ignored -> new Heard.Nothing();
                case SpeechListener.Outcome.Understood understood -> new Heard.Match(understood.key());
                case SpeechListener.Outcome.NotUnderstood ignored -> new Heard.Miss();
            };
        }
    }
}
