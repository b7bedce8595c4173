package fr.guichet.conversation;

import java.util.Map;

/** One flow file: its nodes by id and where it starts. */
record Flow(String name, String file, String start, Map<String, Node> nodes) {
    Node node(String id) {
        Node node = nodes.get(id);
        if (node == null) throw new IllegalStateException(file + ": no node '" + id + "'");
        return node;
    }
}
