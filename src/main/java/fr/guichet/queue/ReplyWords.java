package fr.guichet.queue;

import fr.guichet.conversation.NoticeReplies;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
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
                    String n = NoticeReplies.normalise(w);
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

}
