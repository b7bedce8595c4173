package fr.guichet.channel.sms;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Message;
import fr.guichet.language.Texts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Turns what the service wants to say into texts that fit: a reply over its segment budget is split into numbered
 * parts ("(1/2) …") between lines when that costs no extra part (a menu choice then stays in one text), otherwise
 * at spaces, never inside a word (a single "word" longer than a whole part, which no template produces, is the
 * only thing ever cut). Renders them as TwiML with the SDK builders
 * ({@link TwimlWriter}: the SDK's own rendering, with its XML machinery kept per thread).
 */
@Component
class SmsReplies {
    static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";
    private final Texts texts;
    private final int segmentsPerPart;

    SmsReplies(Texts texts, @Value("${app.sms.segments-per-part:2}") int segmentsPerPart) {
        this.texts = texts;
        this.segmentsPerPart = Math.max(1, segmentsPerPart);
    }

    /**
     * The text split into parts that each cost at most the budget, numbered when there are several: between lines
     * when that takes no more parts than splitting at any space, so that a menu choice stays in one text without
     * costing an extra one.
     */
    List<String> parts(String text, String language) {
        String whole = text.strip();
        if (whole.isEmpty()) return List.of();
        if (fits(whole)) return List.of(whole);
        List<String> byWords = packed(whole, language, false);
        if (whole.indexOf('\n') < 0) return byWords;  // one line: packing by lines would give the same parts
        List<String> byLines = packed(whole, language, true);
        return byLines.size() <= byWords.size() ? byLines : byWords;
    }

    private List<String> packed(String text, String language, boolean wholeLines) {
        int total = 2;
        List<String> parts = pack(text, language, total, wholeLines);
        // The prefix length depends on the total ("(9/9)" vs "(10/10)"): repack until the count is stable.
        for (int i = 0; i < 4 && parts.size() != total; i++) {
            total = parts.size();
            parts = pack(text, language, total, wholeLines);
        }
        return parts;
    }

    private List<String> pack(String text, String language, int total, boolean wholeLines) {
        // The prefix of a part is a localised template: rendered once per part, not once per word.
        Map<String, String> prefixes = new HashMap<>();
        BiFunction<Integer, Integer, String> prefixOf = (part, of) -> prefixes.computeIfAbsent(part + "/" + of, k -> prefix(language, part, of));
        Packing packing = new Packing(prefixOf, total);
        // Tokens keep their trailing space or line break, so joining them back gives the text as written. With
        // whole lines, a line that would not fit in a part of its own is split at spaces, filling the part it
        // starts in.
        for (String line : text.split("(?<=\\n)")) {
            if (wholeLines && (packing.takes(line) || packing.takesInNextPart(line))) continue;
            for (String word : line.split("(?<= )")) packing.add(word);
        }
        return packing.numbered();
    }

    /** The parts being filled: those done, and the current one. */
    private final class Packing {
        private final BiFunction<Integer, Integer, String> prefixOf;
        private final int total;
        private final List<String> bodies = new ArrayList<>();
        private final StringBuilder current = new StringBuilder();

        Packing(BiFunction<Integer, Integer, String> prefixOf, int total) {
            this.prefixOf = prefixOf;
            this.total = total;
        }

        private String prefix() {
            return prefixOf.apply(bodies.size() + 1, total);
        }

        /** Appends the token to the current part if the part still fits with it. */
        boolean takes(String token) {
            if (!fits(prefix() + (current + token).strip())) return false;
            current.append(token);
            return true;
        }

        /** Closes the current part and starts the next with the line, if the line fits in a part of its own. */
        boolean takesInNextPart(String line) {
            if (current.toString().isBlank() || !fits(prefixOf.apply(bodies.size() + 2, total) + line.strip())) return false;
            close();
            return takes(line);
        }

        void close() {
            if (!current.toString().isBlank()) bodies.add(current.toString().strip());
            current.setLength(0);
        }

        /** A word: in the current part, else in the next; cut only if it is longer than a whole part. */
        void add(String token) {
            if (takes(token)) return;
            close();
            String word = token;
            while (!fits(prefix() + word.strip()) && !word.isBlank()) {
                int cut = longestFittingPrefix(prefix(), word);
                bodies.add(word.substring(0, cut).strip());
                word = word.substring(cut);
            }
            current.append(word);
        }

        List<String> numbered() {
            close();
            List<String> numbered = new ArrayList<>(bodies.size());
            for (int i = 0; i < bodies.size(); i++) {
                numbered.add(bodies.size() == 1 ? bodies.get(i) : prefixOf.apply(i + 1, bodies.size()) + bodies.get(i));
            }
            return numbered;
        }
    }

    private int longestFittingPrefix(String prefix, String word) {
        int cut = 0;
        int next = 0;
        while (next < word.length()) {
            int after = word.offsetByCodePoints(next, 1);
            if (!fits(prefix + word.substring(0, after))) break;
            next = after;
            cut = after;
        }
        return Math.max(cut, word.offsetByCodePoints(0, 1));
    }

    private boolean fits(String text) {
        return SmsSegments.of(text).segments() <= segmentsPerPart;
    }

    private String prefix(String language, int part, int total) {
        return texts.text(language, "sms.part_prefix", Map.of("part", part, "total", total));
    }

    String text(String language, String key) {
        return texts.text(language, key, Map.of());
    }

    /** A TwiML document with one {@code <Message>} per part; an empty {@code <Response/>} for no parts. */
    String twiml(List<String> messages) {
        if (messages.isEmpty()) return EMPTY;
        MessagingResponse.Builder response = new MessagingResponse.Builder();
        for (String body : messages) {
            response.message(new Message.Builder(body).build());
        }
        try {
            return TwimlWriter.toXml(response.build());
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML rendering failed", e);
        }
    }
}
