package fr.guichet.conversation;

import java.util.List;

/**
 * What a channel renders after a turn: the prompts (already in the person's language), what input comes next,
 * and the signals a channel acts on.
 *
 * @param language   tag of the person's language ({@code fr}, {@code ar}, {@code fa-AF}…)
 * @param prompts    what to say or text, in order
 * @param expect     what the next input should be (voice builds its keypad gather and speech grammar from it)
 * @param ended      the conversation is over: voice hangs up after the prompts
 * @param optOut     the person asked to stop or resume texts: the SMS channel records it
 * @param handover   the person asked for a human: voice transfers or records a call-back request
 */
public record Turn(String language, List<Prompt> prompts, Expectation expect, boolean ended, OptOutChange optOut, boolean handover) {
    public Turn {
        prompts = List.copyOf(prompts);
    }

    public enum OptOutChange { NONE, STOP, START }
}
