package fr.guichet.conversation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The flows of {@code voice-flows/*.yaml}, parsed and checked: every target exists, every exit is there, every text
 * key exists in every language, every node is reachable, every validator and action is known. A broken flow stops
 * the start-up with a message naming the file and the node.
 */
public final class Flows {
    /** The flow a conversation starts in and returns to. */
    static final String MAIN = "main";
    static final String FLOW_PREFIX = "flow:";

    /** Each action's outcomes; a flow must route every one of them. */
    static final Map<String, List<String>> ACTION_EXITS = Map.of(
            "find_slots", List.of("success", "none", "failure", "timeout"),
            "book", List.of("success", "full", "already_booked", "limit", "max_active", "failure", "timeout"),
            "cancel", List.of("success", "not_found", "failure", "timeout"),
            "move", List.of("success", "full", "not_found", "failure", "timeout"),
            "look_up", List.of("success", "not_found", "failure", "timeout"),
            "find_mine", List.of("success", "several", "not_found", "failure", "timeout"),
            "queue", List.of("success", "limit", "failure", "timeout"));
    /**
     * Actions run outside this package through {@link FlowActions} (the social workers' space, package
     * {@code fr.guichet.worker}); kept apart from {@link #ACTION_EXITS} so each capability adds its own.
     */
    static final Map<String, List<String>> CONTRIBUTED_ACTION_EXITS = Map.of(
            "worker_enter", List.of("signed_in", "pin", "locked", "unknown", "failure", "timeout"),
            "worker_check_pin", List.of("accepted", "wrong", "locked", "unknown", "failure", "timeout"),
            "worker_check_phone", List.of("mobile", "not_mobile", "failure", "timeout"),
            "worker_book", List.of("success", "success_call", "full", "already_booked", "limit", "signed_out", "failure", "timeout"),
            "worker_list", List.of("success", "none", "signed_out", "failure", "timeout"),
            "worker_cancel", List.of("success", "not_found", "signed_out", "failure", "timeout"),
            "worker_move", List.of("success", "full", "not_found", "signed_out", "failure", "timeout"),
            "worker_queue", List.of("success", "success_call", "limit", "signed_out", "failure", "timeout"),
            "worker_renewal", List.of("success", "soon", "success_call", "soon_call", "late", "limit", "signed_out", "failure", "timeout"),
            // fr.guichet.queue: a permit's expiry registered for its renewal (voice-flows/renewal.yaml).
            "queue_renewal", List.of("success", "soon", "late", "failure", "timeout"));
    static final Set<String> OPTION_SOURCES = Set.of("procedures", "sites", "slots", "languages", "worker_procedures", "bookings");
    static final Set<String> LISTS = Set.of("sites");

    private final Map<String, Flow> flows;

    private Flows(Map<String, Flow> flows) {
        this.flows = Map.copyOf(flows);
    }

    /** A flow file's name and content. */
    public record Source(String fileName, InputStream content) {}

    /** Loads {@code classpath:voice-flows/*.yaml} and checks them against the text keys of every language. */
    public static Flows loadFromClasspath(Map<String, Set<String>> keysByLanguage) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:voice-flows/*.yaml");
            List<Source> sources = new ArrayList<>();
            for (Resource r : resources) sources.add(new Source(r.getFilename(), r.getInputStream()));
            try {
                return of(sources, keysByLanguage);
            } finally {
                for (Source s : sources) s.content().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read voice-flows/", e);
        }
    }

    public static Flows of(List<Source> sources, Map<String, Set<String>> keysByLanguage) {
        Map<String, Flow> flows = new TreeMap<>();
        for (Source source : sources) {
            Flow flow = parse(source.fileName(), source.content());
            if (flows.put(flow.name(), flow) != null) {
                throw new FlowException(source.fileName(), null, "a second flow named '" + flow.name() + "'");
            }
        }
        if (!flows.containsKey(MAIN)) throw new FlowException(MAIN + ".yaml", null, "the main flow is missing");
        if (!flows.get(MAIN).nodes().containsKey(ConversationEngine.MAIN_MENU)) {
            throw new FlowException(MAIN + ".yaml", ConversationEngine.MAIN_MENU, "unknown node: the main flow needs a 'menu' node (MENU leads there)");
        }
        for (Flow flow : flows.values()) check(flow, flows, keysByLanguage);
        return new Flows(flows);
    }

    /** The outcomes of an action, built in or contributed; null for an unknown action. */
    static List<String> outcomesOf(String action) {
        if (action == null) return null;
        List<String> builtIn = ACTION_EXITS.get(action);
        return builtIn != null ? builtIn : CONTRIBUTED_ACTION_EXITS.get(action);
    }

    Flow flow(String name) {
        Flow flow = flows.get(name);
        if (flow == null) throw new IllegalStateException("No flow " + name);
        return flow;
    }

    boolean has(String flow, String node) {
        Flow f = flows.get(flow);
        return f != null && f.nodes().containsKey(node);
    }

    /** Names of the flows, for documentation and tests. */
    public Set<String> names() {
        return flows.keySet();
    }

    // ---- parsing -------------------------------------------------------------------------------------------------

    private static Flow parse(String file, InputStream in) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new FlowException(file, null, "not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (!(root instanceof Map<?, ?> map)) throw new FlowException(file, null, "a flow file is a YAML map");
        if (!Integer.valueOf(1).equals(map.get("spec"))) throw new FlowException(file, null, "unsupported or missing 'spec' (expected 1)");
        String name = text(map, "flow");
        if (name == null || !file.equals(name + ".yaml")) throw new FlowException(file, null, "'flow' must be the file name without .yaml");
        String start = text(map, "start");
        if (!(map.get("nodes") instanceof Map<?, ?> rawNodes) || rawNodes.isEmpty()) throw new FlowException(file, null, "no 'nodes'");
        Map<String, Node> nodes = new LinkedHashMap<>();
        rawNodes.forEach((id, raw) -> nodes.put(String.valueOf(id), node(file, String.valueOf(id), raw)));
        if (start == null || !nodes.containsKey(start)) throw new FlowException(file, start, "unknown node as 'start'");
        return new Flow(name, file, start, nodes);
    }

    private static Node node(String file, String id, Object raw) {
        if (!(raw instanceof Map<?, ?> m)) throw new FlowException(file, id, "a node is a YAML map");
        String kindName = text(m, "kind");
        Node.Kind kind;
        try {
            kind = Node.Kind.valueOf(String.valueOf(kindName).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FlowException(file, id, "unknown kind '" + kindName + "'");
        }
        Map<?, ?> voice = m.get("voice") instanceof Map<?, ?> v ? v : Map.of();
        Map<?, ?> sms = m.get("sms") instanceof Map<?, ?> s ? s : Map.of();
        List<Node.Option> options = new ArrayList<>();
        if (m.get("options") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> om)) throw new FlowException(file, id, "a menu option is a YAML map");
                options.add(new Node.Option(text(om, "say"), text(om, "words"), text(om, "next"), strings(om.get("set"))));
            }
        }
        Validator validator = null;
        if (m.get("validator") != null) {
            validator = Validator.byName(text(m, "validator"))
                    .orElseThrow(() -> new FlowException(file, id, "unknown validator '" + m.get("validator") + "'"));
        }
        List<Node.Case> cases = new ArrayList<>();
        if (m.get("cases") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> cm)) throw new FlowException(file, id, "a case is a YAML map");
                cases.add(new Node.Case(text(cm, "when"), text(cm, "equals") == null ? "" : text(cm, "equals"), text(cm, "next")));
            }
        }
        int retries = m.get("retries") instanceof Integer r ? r : 2;
        Object twice = m.get("read_twice");
        if (twice != null && !(twice instanceof Boolean)) throw new FlowException(file, id, "read_twice must be true or false");
        boolean readTwice = Boolean.TRUE.equals(twice);
        if (readTwice && (kind == Node.Kind.ACTION || kind == Node.Kind.BRANCH)) {
            throw new FlowException(file, id, "read_twice on a node that says nothing (" + kind.name().toLowerCase(Locale.ROOT) + ")");
        }
        return new Node(id, kind, text(m, "say"), text(voice, "say"), text(sms, "say"), text(m, "help"), List.copyOf(options),
                text(m, "options_from"), text(m, "list"), validator, text(m, "store"), text(m, "action"),
                strings(m.get("exits")), List.copyOf(cases), text(m, "next"), strings(m.get("set")), retries, readTwice);
    }

    private static String text(Map<?, ?> map, String key) {
        Object v = map.get(key);
        return v == null ? null : String.valueOf(v);
    }

    private static Map<String, String> strings(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }

    // ---- checks --------------------------------------------------------------------------------------------------

    private static void check(Flow flow, Map<String, Flow> all, Map<String, Set<String>> keys) {
        for (Node node : flow.nodes().values()) {
            String file = flow.file();
            List<String> targets = targets(node);
            switch (node.kind()) {
                case MESSAGE -> {
                    require(file, node, node.say() != null, "a message needs 'say'");
                    require(file, node, node.next() != null, "missing exit 'next'");
                    if (node.list() != null) require(file, node, LISTS.contains(node.list()), "unknown list '" + node.list() + "'");
                }
                case MENU -> {
                    require(file, node, node.say() != null, "a menu needs 'say'");
                    require(file, node, !node.options().isEmpty() || node.optionsFrom() != null, "a menu needs 'options' or 'options_from'");
                    for (Node.Option o : node.options()) {
                        require(file, node, o.say() != null, "a menu option needs 'say'");
                        require(file, node, o.next() != null, "missing exit 'next' on option '" + o.say() + "'");
                    }
                    if (node.optionsFrom() != null) {
                        require(file, node, OPTION_SOURCES.contains(node.optionsFrom()), "unknown options_from '" + node.optionsFrom() + "'");
                        require(file, node, node.next() != null, "missing exit 'next'");
                        require(file, node, node.store() != null, "options_from needs 'store'");
                    }
                }
                case QUESTION -> {
                    require(file, node, node.validator() != null, "a question needs a 'validator'");
                    require(file, node, node.say() != null, "a question needs 'say'");
                    if (node.validator() == Validator.YES_NO) {
                        require(file, node, node.exits().containsKey("yes"), "missing exit 'yes'");
                        require(file, node, node.exits().containsKey("no"), "missing exit 'no'");
                    } else {
                        require(file, node, node.next() != null, "missing exit 'next'");
                        require(file, node, node.store() != null, "a question needs 'store'");
                    }
                }
                case ACTION -> {
                    List<String> outcomes = outcomesOf(node.action());
                    require(file, node, outcomes != null, "unknown action '" + node.action() + "'");
                    for (String outcome : outcomes) {
                        require(file, node, node.exits().containsKey(outcome), "missing exit '" + outcome + "'");
                    }
                    for (String exit : node.exits().keySet()) {
                        require(file, node, outcomes.contains(exit), "action '" + node.action() + "' has no outcome '" + exit + "'");
                    }
                }
                case BRANCH -> {
                    require(file, node, !node.cases().isEmpty(), "a branch needs 'cases'");
                    for (Node.Case c : node.cases()) require(file, node, c.variable() != null && c.next() != null, "a case needs 'when' and 'next'");
                    require(file, node, node.next() != null, "missing exit 'next' (when no case matches)");
                }
                case END -> require(file, node, node.say() != null, "an end needs 'say'");
            }
            for (String target : targets) {
                if (target.startsWith(FLOW_PREFIX)) {
                    String[] at = target.substring(FLOW_PREFIX.length()).split(":", 2);
                    require(file, node, all.containsKey(at[0]), "unknown flow '" + at[0] + "'");
                    require(file, node, at.length == 1 || all.get(at[0]).nodes().containsKey(at[1]), "unknown node '" + target + "'");
                } else {
                    require(file, node, flow.nodes().containsKey(target), "unknown node '" + target + "'");
                }
            }
            for (String key : textKeys(node)) {
                if (key.contains("{")) continue; // built from a variable at run time (procedure.{procedure}.documents)
                keys.forEach((language, present) ->
                        require(file, node, present.contains(key), "missing text key '" + key + "' in locales/" + language + ".yaml"));
            }
        }
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(flow.start()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!reached.add(id)) continue;
            for (String t : targets(flow.node(id))) if (!t.startsWith(FLOW_PREFIX)) todo.push(t);
        }
        for (String id : flow.nodes().keySet()) {
            if (!reached.contains(id)) throw new FlowException(flow.file(), id, "unreachable node");
        }
    }

    private static List<String> targets(Node node) {
        List<String> out = new ArrayList<>();
        if (node.next() != null) out.add(node.next());
        node.options().forEach(o -> { if (o.next() != null) out.add(o.next()); });
        out.addAll(node.exits().values());
        node.cases().forEach(c -> { if (c.next() != null) out.add(c.next()); });
        return out;
    }

    private static List<String> textKeys(Node node) {
        List<String> out = new ArrayList<>();
        for (String k : new String[] {node.say(), node.sayVoice(), node.saySms(), node.help()}) if (k != null) out.add(k);
        node.options().forEach(o -> {
            out.add(o.say());
            if (o.words() != null) out.add(o.words());
        });
        return out;
    }

    private static void require(String file, Node node, boolean ok, String problem) {
        if (!ok) throw new FlowException(file, node.id(), problem);
    }
}
