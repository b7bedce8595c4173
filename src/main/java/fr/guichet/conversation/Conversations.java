package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.util.Optional;

/**
 * The conversation runtime that channels call. One conversation per phone number across SMS and voice.
 *
 * <p>A turn loads the person's state, steps the pure engine with the input, runs the booking actions the engine asks
 * for, feeds their results back, and saves the new state in the same transaction as any booking made. Two turns for
 * the same number run one after the other. Bad input never throws: it gets a re-ask in the person's language.
 */
public interface Conversations {
    Turn handle(Inbound inbound);

    /** The language this number last used; empty for a number never seen. */
    Optional<String> languageOf(PhoneNumber phone);
}
