package fr.guichet.notify;

import fr.guichet.booking.Reference;
import fr.guichet.conversation.NoticeReplies;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The reply words of the reminders ({@code reminder.reply.confirm.words}, {@code .cancel.words}, {@code .move.words})
 * in every language at once — a person may answer an Arabic reminder in French — and the bare digits 1, 2, 3 the
 * text offers. A reply may name the reference ("ANNULER 482 915 306") when several reminders went to one number.
 */
@Component
class ReminderWords {
    enum Kind { CONFIRM, CANCEL, MOVE }

    /** What a message says: the kind of reply, whether it was a word (not a bare digit), and a reference if given. */
    record Parsed(Kind kind, boolean word, Optional<Reference> reference) {}

    private final Map<String, Kind> words = new HashMap<>();

    ReminderWords(LocaleFiles locales) {
        for (LanguageProfile p : locales.offered()) {
            Map<String, String> patterns = locales.patterns(p.tag());
            add(patterns.get("reminder.reply.confirm.words"), Kind.CONFIRM);
            add(patterns.get("reminder.reply.cancel.words"), Kind.CANCEL);
            add(patterns.get("reminder.reply.move.words"), Kind.MOVE);
        }
    }

    private void add(String synonyms, Kind kind) {
        if (synonyms == null) return;
        for (String w : synonyms.split("\\|")) {
            String n = NoticeReplies.normalise(w);
            if (!n.isEmpty()) words.putIfAbsent(n, kind);
        }
    }

    Map<String, Kind> all() {
        return Map.copyOf(words);
    }

    private static final java.util.regex.Pattern WORDS_AND_REFERENCE =
            java.util.regex.Pattern.compile("^(\\D+?)\\s+([0-9][0-9 .-]{7,14}[0-9])$|^([0-9][0-9 .-]{7,14}[0-9])\\s+(\\D+)$");

    /** {@code normalised} is the runtime's normalised form of the message ({@code NoticeReplies.Query.words}). */
    Optional<Parsed> parse(String normalised) {
        String text = normalised == null ? "" : normalised.strip();
        if (text.isEmpty() || text.length() > 80) return Optional.empty();
        Optional<Parsed> bare = digitOrWord(text, Optional.empty());
        if (bare.isPresent()) return bare;
        // "annuler 482 915 306", "482915306 confirmer": the reference is the run of digits at one end.
        java.util.regex.Matcher m = WORDS_AND_REFERENCE.matcher(text);
        if (!m.matches()) return Optional.empty();
        String words = m.group(1) != null ? m.group(1) : m.group(4);
        Optional<Reference> reference = Reference.parse(m.group(1) != null ? m.group(2) : m.group(3));
        if (reference.isEmpty()) return Optional.empty();
        return digitOrWord(words.strip(), reference).filter(Parsed::word);
    }

    private Optional<Parsed> digitOrWord(String text, Optional<Reference> reference) {
        switch (text) {
            case "1" -> { return Optional.of(new Parsed(Kind.CONFIRM, false, reference)); }
            case "2" -> { return Optional.of(new Parsed(Kind.CANCEL, false, reference)); }
            case "3" -> { return Optional.of(new Parsed(Kind.MOVE, false, reference)); }
            default -> { }
        }
        Kind kind = words.get(text);
        return kind == null ? Optional.empty() : Optional.of(new Parsed(kind, true, reference));
    }

}
