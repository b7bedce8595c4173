package fr.guichet.queue;

import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The words that answer the queue's texts (INFO, DOCS, accept an offer, ask for another date), in every language at
 * once: a person may reply in French to a text in Arabic. From {@code queue.notice.<kind>.words} in every locale
 * file, matched on the whole message, the way the conversation matches its commands.
 */
@Component
class ReplyWords {
    enum Kind { INFO, DOCS, ACCEPT, OTHER }

    private final java.util.Map<Kind, Set<String>> words = new java.util.EnumMap<>(Kind.class);

    ReplyWords(LocaleFiles locales) {
        for (Kind kind : Kind.values()) {
            Set<String> all = new HashSet<>();
            for (LanguageProfile p : locales.offered()) {
                String synonyms = locales.patterns(p.tag()).get(key(kind));
                if (synonyms == null) continue;
                for (String w : synonyms.split("\\|")) {
                    String n = normalise(w);
                    if (!n.isEmpty()) all.add(n);
                }
            }
            words.put(kind, Set.copyOf(all));
        }
    }

    static String key(Kind kind) {
        return "queue.notice." + kind.name().toLowerCase(Locale.ROOT) + ".words";
    }

    /** Whether the normalised message is one of the words of this kind. */
    boolean is(Kind kind, String normalised) {
        return normalised != null && words.get(kind).contains(normalised);
    }

    /**
     * The conversation's normalisation ({@code NoticeReplies.Query.words}): lower case, no accents or Arabic vowel
     * marks, ASCII digits, one space between words. Repeated here for the words of the locale files, which the
     * query does not normalise for us.
     */
    static String normalise(String text) {
        if (text == null) return "";
        String decomposed = Normalizer.normalize(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.NON_SPACING_MARK) return;
            int digit = Character.isDigit(cp) ? Character.digit(cp, 10) : -1;
            if (digit >= 0) out.append((char) ('0' + digit));
            else if (cp == 'ي' || cp == 'ى') out.append('ی');
            else if (cp == 'ك') out.append('ک');
            else if (cp == 'ة') out.append('ه');
            else if (Character.isLetter(cp) || cp == '*' || cp == '#') out.appendCodePoint(cp);
            else if (cp == '/' || cp == '-' || cp == '.' || cp == ':') out.appendCodePoint(cp);
            else out.append(' ');
        });
        return out.toString().strip().replaceAll("\\s+", " ");
    }
}
