package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Replies to a text the service sent on its own (a reminder, an offer of a slot, an acknowledgement of receipt),
 * understood before the flows see the message: even when no conversation is open (the person may never have
 * written before: a worker booked for them), and without breaking one in progress. Implemented by the capabilities
 * that send such texts; the runtime asks each in turn, inside the turn's transaction, and the first answer wins.
 * An implementation that does not take a message writes nothing. An exception is logged and the message goes to the
 * flows as if no implementation had taken it.
 */
public interface NoticeReplies {

    Optional<Reply> reply(Query query);

    /**
     * Whether {@link #reply} could take this message at all, decided from the query alone (no I/O): false only when it
     * certainly returns empty and writes nothing, e.g. the words are none of this capability's reply words. The
     * runtime asks only the implementations that may take it, and sets no savepoint when none may (a greeting, a
     * digit answering a question): two round trips to the database fewer in such a turn.
     */
    default boolean mayTake(Query query) {
        return true;
    }

    /**
     * The normalisation of {@link Query#words}, for an implementation's own reply words, so both sides match: lower
     * case, no accents or Arabic vowel marks, Persian forms of yeh and kaf, ASCII digits, single spaces.
     */
    static String normalise(String text) {
        return Answers.normalise(text);
    }

    /**
     * When this capability last texted the number something a bare digit answers (an offer: 1 to accept; a reminder:
     * 1, 2, 3). A bare digit is offered only to the implementations that texted such a thing since the person last
     * wrote, newest first, so "1" answers the last text the person received. Empty: nothing open that a digit answers.
     */
    default Optional<Instant> digitAnswerableSince(PhoneNumber phone) {
        return Optional.empty();
    }

    /**
     * One inbound message. A bare digit while a question is in progress is never offered: it answers the question.
     *
     * @param words           the text normalised for matching: lower case, no accents, ASCII digits, single spaces
     * @param language        the conversation's language, or null for a number that never wrote (the notice knows its own)
     * @param inConversation  the person is answering a question of a flow: only an explicit reply word (CONFIRMER,
     *                        ANNULER…) may be taken then
     * @param previousMessage when the person last wrote or called before this message; null for a number never seen
     */
    record Query(PhoneNumber from, Channel channel, String text, String words, String language, boolean inConversation,
                 Instant previousMessage) {
        public Query {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(channel, "channel");
        }
    }

    /**
     * What to answer. {@code texts} are already in {@code language}. Then either the conversation goes on where it
     * was ({@code continueAt} null: a question in progress is asked again after the texts), or it continues at
     * {@code continueAt} ({@code flow:node}, e.g. {@code appointment:move_find}) with {@code vars} set — which the
     * implementation must offer only outside a conversation in progress.
     */
    record Reply(String language, List<String> texts, String continueAt, Map<String, String> vars) {
        public Reply {
            Objects.requireNonNull(language, "language");
            texts = List.copyOf(texts);
            vars = vars == null ? Map.of() : Map.copyOf(vars);
        }

        public static Reply say(String language, String... texts) {
            return new Reply(language, List.of(texts), null, Map.of());
        }
    }
}
