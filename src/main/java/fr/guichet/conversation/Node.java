package fr.guichet.conversation;

import java.util.List;
import java.util.Map;

/**
 * One step of a flow, as read from {@code voice-flows/<flow>.yaml}. Which fields matter depends on {@link #kind()};
 * the loader checks that each kind has what it needs. Targets are node ids of the same flow, or {@code flow:<name>}
 * for the start of another flow.
 *
 * @param say        text key said on entering the node; may contain {@code {var}} (e.g. {@code procedure.{procedure}.documents})
 * @param sayVoice   variant of {@code say} for voice (null: same as {@code say})
 * @param saySms     variant of {@code say} for SMS (null: same as {@code say})
 * @param help       text key given after {@code retries} invalid answers and on HELP (null: the generic help)
 * @param options    fixed menu choices
 * @param optionsFrom dynamic menu choices: {@code procedures}, {@code sites} or {@code slots}; stored in {@code store}
 * @param list       message only: a catalogue list read out after {@code say} ({@code sites})
 * @param validator  question only: what answer is expected
 * @param store      variable that receives the answer
 * @param action     action only: what the runtime must do
 * @param exits      action and question (yes/no): outcome → target
 * @param cases      branch only: tested in order
 * @param next       where to go after a message, a valid answer, or a branch with no matching case
 * @param set        variables to set on entering the node; values may contain {@code {var}}
 * @param retries    invalid answers before the help text and the offer of a person
 * @param readTwice  {@code read_twice: true}: the voice channel says the node's text twice (dates, times, addresses,
 *                   references); SMS ignores it
 */
record Node(
        String id,
        Kind kind,
        String say,
        String sayVoice,
        String saySms,
        String help,
        List<Option> options,
        String optionsFrom,
        String list,
        Validator validator,
        String store,
        String action,
        Map<String, String> exits,
        List<Case> cases,
        String next,
        Map<String, String> set,
        int retries,
        boolean readTwice) {

    enum Kind { MESSAGE, MENU, QUESTION, ACTION, BRANCH, END }

    /** A fixed menu choice: its number is its position; {@code words} is a text key of {@code |}-separated synonyms. */
    record Option(String say, String words, String next, Map<String, String> set) {}

    /** {@code when} variable equals {@code equals} (a missing variable equals the empty string). */
    record Case(String variable, String equals, String next) {}

    String say(Channel channel) {
        String variant = channel == Channel.VOICE ? sayVoice : saySms;
        return variant != null ? variant : say;
    }

    boolean waitsForAnswer() {
        return kind == Kind.MENU || kind == Kind.QUESTION;
    }
}
