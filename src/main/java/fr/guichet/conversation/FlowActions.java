package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.util.Map;
import java.util.Objects;

/**
 * Actions that another capability runs for the flows (today the social workers' space, {@code fr.guichet.worker}).
 * The names and outcomes are declared in {@code Flows.CONTRIBUTED_ACTION_EXITS}, so flows are checked at build time
 * without the implementation. The runtime calls {@link #run} inside the turn's transaction, behind a savepoint, like
 * the booking actions: an exception becomes the action's {@code failure} exit.
 */
public interface FlowActions {
    /** Whether this implementation runs the action of this name. */
    boolean handles(String action);

    Result run(Call call);

    /**
     * One action to run: its name, the conversation's variables, and who asks.
     *
     * @param steps the conversation's turn counter: the same turn of the same conversation always has the same value,
     *              so it makes idempotency keys that survive a retried turn
     */
    record Call(String action, Map<String, String> vars, PhoneNumber phone, Channel channel, String language, String steps) {
        public Call {
            Objects.requireNonNull(action, "action");
            vars = Map.copyOf(vars);
        }

        /** Only the variables' names, should this be logged: they hold answers (name, birth date, PIN). */
        @Override
        public String toString() {
            return "Call[" + action + ", vars=" + new java.util.TreeSet<>(vars.keySet()) + ", phone=" + phone + ", channel=" + channel + "]";
        }
    }

    /** The outcome names the exit; {@code vars} are added to the conversation (an empty value blanks one). */
    record Result(String outcome, Map<String, String> vars) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            vars = Map.copyOf(vars);
        }

        public static Result of(String outcome) {
            return new Result(outcome, Map.of());
        }
    }
}
