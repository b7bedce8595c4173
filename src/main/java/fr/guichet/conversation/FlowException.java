package fr.guichet.conversation;

/** A flow file that cannot be used; the message names the file and the node. */
public final class FlowException extends RuntimeException {
    FlowException(String file, String node, String problem) {
        super("voice-flows/" + file + (node == null ? "" : ", node '" + node + "'") + ": " + problem);
    }
}
