package fr.guichet.conversation;

import fr.guichet.booking.Procedure;
import fr.guichet.booking.Site;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conversation engine: (state, input) → (new state, prompts, action to run). Pure and deterministic: it reads
 * the flows, the texts and the injected clock, and nothing else. Any input gets an answer; nothing here throws for
 * what a person types.
 */
final class ConversationEngine {
    static final String MAIN_MENU = "menu";
    private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_0-9]+)}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MAX_HOPS = 64;
    private static final int MAX_HISTORY = 12;
    /** Set by STOP sent by text, removed by START: while set, texts get only how to resume. */
    private static final String TEXTS_STOPPED = "_texts_stopped";

    /** Global commands; WORKER opens the social workers' space (flow {@value #WORKER_FLOW}) from anywhere. */
    enum Command { HELP, MENU, BACK, LANGUAGE, STOP, START, PERSON, REPEAT, WORKER }

    static final String WORKER_FLOW = "worker";

    private final Flows flows;
    private final LocaleFiles texts;
    private final Clock clock;
    private final Duration idleTimeout;
    private final ZoneId zone;
    private final Map<String, Command> commandWords = new HashMap<>();
    private final Map<String, Map<String, List<String>>> synonyms = new HashMap<>();
    private final String defaultLanguage;

    ConversationEngine(Flows flows, LocaleFiles texts, Clock clock, Duration idleTimeout, ZoneId zone) {
        this.flows = flows;
        this.texts = texts;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.zone = zone;
        this.defaultLanguage = texts.offered().getFirst().tag();
        // Commands are recognised in every language: a person may type STOP or ARRÊT whatever language is set.
        for (LanguageProfile language : texts.offered()) {
            for (Command command : Command.values()) {
                for (String word : words(language.tag(), "command." + command.name().toLowerCase() + ".words")) {
                    commandWords.putIfAbsent(word, command);
                }
            }
        }
    }

    /** Text keys the engine itself uses (besides those named in flows); a build test checks them in every language. */
    static Set<String> ownKeys() {
        Set<String> keys = new java.util.TreeSet<>(Set.of(
                "language.confirm", "language.choose", "language.option", "language.other", "language.hello.words",
                "resume.ask", "help.generic", "help.question", "handover.voice", "handover.sms", "handover.offer.voice",
                "handover.offer.sms",
                "optout.stopped", "optout.started", "optout.still_stopped", "invalid.birth_date.range",
                "invalid.birth_date.range.voice", "invalid.menu", "menu.line.sms", "menu.line.voice", "menu.more",
                "slot.label", "site.line", "menu.more.words", "error.sorry", "answer.yes.words", "answer.no.words", "number.words", "error.later",
                "worker.booking.label"));
        for (Command c : Command.values()) keys.add("command." + c.name().toLowerCase() + ".words");
        for (Validator v : Validator.values()) {
            keys.add(v.invalidKey(Channel.SMS));
            keys.add(v.invalidKey(Channel.VOICE));
        }
        return keys;
    }

    // ---- entry points -------------------------------------------------------------------------------------------

    /** One input from the person; {@code state} is null for a number never seen. */
    Step handle(ConversationState state, PhoneNumber from, Channel channel, String rawText, String countryHint, boolean newCall,
            CatalogueSnapshot catalogue) {
        Instant now = clock.instant();
        String text = Answers.clean(rawText);
        Out out = new Out(channel, catalogue);
        if (state == null) {
            List<String> guess = LanguageGuess.candidates(text, countryHint, from, this::words, texts.offered());
            Work w = new Work(guess.size() == 1 ? guess.getFirst() : null, ConversationState.Mode.ENDED, Flows.MAIN, MAIN_MENU,
                    new HashMap<>(), 0, new ArrayList<>(), now);
            Command first = newCall ? null : command(text, channel);
            if (first == Command.STOP || first == Command.START || first == Command.WORKER) {
                if (w.language == null) w.language = guess.isEmpty() ? defaultLanguage : guess.getFirst();
                return command(first, w, out);
            }
            offerLanguage(w, out, guess);
            return out.done(w);
        }
        Work w = new Work(state);
        w.vars.merge("_steps", "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
        boolean idle = state.updatedAt() != null && Duration.between(state.updatedAt(), now).compareTo(idleTimeout) > 0;
        w.updatedAt = now;
        if (newCall) {
            if (w.mode == ConversationState.Mode.IN_FLOW && !atMainMenu(w)) {
                w.mode = ConversationState.Mode.RESUME_OFFER;
                say(w, out, "resume.ask", Map.of());
                out.expect = yesNoExpectation(w.language);
                return out.done(w);
            }
            if (w.mode == ConversationState.Mode.ENDED || w.mode == ConversationState.Mode.IN_FLOW) {
                goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN);
                return out.done(w);
            }
            reprompt(w, out);
            return out.done(w);
        }
        Command command = command(text, channel);
        if (channel == Channel.SMS && w.vars.containsKey(TEXTS_STOPPED) && command != Command.START && command != Command.STOP) {
            // Texts stay stopped until START: the only answer is how to resume, and the conversation waits where it
            // was. Otherwise a booking made now would get no convocation and no reminder (the outbox sends nothing).
            say(w, out, "optout.still_stopped", Map.of());
            out.expect = Expectation.nothing();
            return out.done(w);
        }
        if (command != null) return command(command, w, out);
        switch (w.mode) {
            case LANGUAGE_CONFIRM -> answerLanguageConfirm(w, out, text);
            case LANGUAGE_MENU -> answerLanguageMenu(w, out, text);
            case RESUME_OFFER -> answerResume(w, out, text);
            case ENDED -> afterEnd(w, out, text);
            case IN_FLOW -> {
                if (idle && !atMainMenu(w)) {
                    w.mode = ConversationState.Mode.RESUME_OFFER;
                    say(w, out, "resume.ask", Map.of());
                    out.expect = yesNoExpectation(w.language);
                } else {
                    answer(w, out, text);
                }
            }
        }
        return out.done(w);
    }

    /**
     * Whether the person is answering a question of a flow (or of the language or resume menus) right now: then a bare
     * digit belongs to that question, not to a reply to a notice. An idle conversation is not in progress.
     */
    boolean inConversation(ConversationState state) {
        if (state == null) return false;
        boolean idle = state.updatedAt() != null && Duration.between(state.updatedAt(), clock.instant()).compareTo(idleTimeout) > 0;
        return switch (state.mode()) {
            case LANGUAGE_CONFIRM, LANGUAGE_MENU, RESUME_OFFER -> !idle;
            case IN_FLOW -> !idle && !(Flows.MAIN.equals(state.flow()) && MAIN_MENU.equals(state.node()));
            case ENDED -> false;
        };
    }

    /**
     * After a reply to a notice ({@link NoticeReplies}) was answered: the conversation continues at {@code continueAt}
     * with {@code vars}, or, when null, asks its question in progress again (nothing more outside a conversation).
     * {@code state} is null for a number that never wrote; it then starts in {@code language} at the main menu's door.
     */
    Step afterNotice(ConversationState state, String language, Channel channel, String continueAt, Map<String, String> vars,
            CatalogueSnapshot catalogue) {
        Instant now = clock.instant();
        Out out = new Out(channel, catalogue);
        boolean inConversation = inConversation(state);
        Work w = state == null
                ? new Work(language, ConversationState.Mode.ENDED, Flows.MAIN, MAIN_MENU, new HashMap<>(), 0, new ArrayList<>(), now)
                : new Work(state);
        if (w.language == null) w.language = language;
        w.vars.merge("_steps", "1", (a, b) -> String.valueOf(Integer.parseInt(a) + 1));
        // A reply that neither continues nor re-asks leaves an idle conversation idle: its next message gets "continue
        // where you were?" rather than answering, unasked, a question put to the person hours ago.
        if (continueAt != null || inConversation || state == null) w.updatedAt = now;
        if (continueAt != null) {
            w.vars.putAll(vars);
            goTo(w, out, Flows.FLOW_PREFIX + continueAt);
        } else if (inConversation) {
            reprompt(w, out);
        }
        return out.done(w);
    }

    /** Continues after the runtime ran the action the last step asked for. */
    Step resume(ConversationState state, Channel channel, ActionResult result, CatalogueSnapshot catalogue) {
        Work w = new Work(state);
        Out out = new Out(channel, catalogue);
        Node node = flows.flow(w.flow).node(w.node);
        w.vars.putAll(result.vars());
        String target = node.exits().getOrDefault(result.outcome(), node.exits().get("failure"));
        goTo(w, out, target);
        return out.done(w);
    }

    // ---- commands ------------------------------------------------------------------------------------------------

    Command command(String text, Channel channel) {
        String n = Answers.normalise(text);
        if (channel == Channel.VOICE) {
            switch (n) {
                case "*" -> { return Command.REPEAT; }
                case "0" -> { return Command.PERSON; }
                case "9" -> { return Command.BACK; }
                default -> { }
            }
        }
        return commandWords.get(n);
    }

    private Step command(Command command, Work w, Out out) {
        switch (command) {
            case STOP -> {
                out.optOut = Turn.OptOutChange.STOP;
                if (out.channel == Channel.SMS) w.vars.put(TEXTS_STOPPED, "1");
                say(w, out, "optout.stopped", Map.of());
                out.expect = Expectation.nothing();
                return out.done(w);
            }
            case START -> {
                out.optOut = Turn.OptOutChange.START;
                w.vars.remove(TEXTS_STOPPED);
                say(w, out, "optout.started", Map.of());
                reprompt(w, out);
            }
            case HELP -> {
                String help = help(waitingNode(w), out.channel);
                say(w, out, help != null ? help : "handover.offer.voice", Map.of());
                reprompt(w, out);
            }
            case MENU -> {
                forgetAnswers(w);
                w.history.clear();
                goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
            }
            case BACK -> back(w, out);
            case LANGUAGE -> {
                if (w.mode == ConversationState.Mode.IN_FLOW) {
                    w.vars.put("_return", w.flow + ":" + w.node);
                }
                showLanguages(w, out, List.of());
            }
            case PERSON -> {
                if (out.channel == Channel.VOICE) {
                    out.handover = true;
                    say(w, out, "handover.voice", Map.of());
                    out.expect = Expectation.nothing();
                    return out.done(w);
                }
                say(w, out, "handover.sms", Map.of());
                reprompt(w, out);
            }
            case REPEAT -> reprompt(w, out);
            case WORKER -> {
                // Like MENU, whatever was in progress is left; the worker flow recognises the number (or says how an
                // organisation registers, then shows the main menu).
                if (w.language == null) w.language = defaultLanguage;
                forgetAnswers(w);
                w.history.clear();
                goTo(w, out, Flows.FLOW_PREFIX + (flows.names().contains(WORKER_FLOW) ? WORKER_FLOW : Flows.MAIN + ":" + MAIN_MENU));
            }
        }
        return out.done(w);
    }

    private void back(Work w, Out out) {
        if (w.mode != ConversationState.Mode.IN_FLOW || w.history.size() < 2) {
            w.history.clear();
            goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
            return;
        }
        w.history.removeLast();
        String[] previous = w.history.removeLast().split(":", 2);
        w.flow = previous[0];
        w.retries = 0;
        ask(w, out, previous[1]);
    }

    // ---- language ------------------------------------------------------------------------------------------------

    private void offerLanguage(Work w, Out out, List<String> guess) {
        if (guess.size() == 1) {
            w.language = guess.getFirst();
            w.mode = ConversationState.Mode.LANGUAGE_CONFIRM;
            say(w, out, "language.confirm", Map.of());
            out.expect = yesNoExpectation(w.language);
        } else {
            showLanguages(w, out, guess);
        }
    }

    /** The menu of languages, each named in its own script; {@code among} narrows it (plus "other languages"). */
    private void showLanguages(Work w, Out out, List<String> among) {
        w.mode = ConversationState.Mode.LANGUAGE_MENU;
        w.vars.put("_languages", String.join(",", among));
        List<LanguageProfile> shown = languagesShown(among);
        String header = w.language != null ? w.language : among.isEmpty() ? defaultLanguage : among.getFirst();
        out.prompts.add(prompt(header, "language.choose", Map.of(), false));
        if (w.language == null && among.isEmpty()) {
            // Nobody knows the language yet: say it in English too, the second most read language of the senders.
            out.prompts.add(prompt("en", "language.choose", Map.of(), false));
        }
        List<Expectation.Choice> choices = new ArrayList<>();
        int number = 1;
        for (LanguageProfile p : shown) {
            out.prompts.add(prompt(p.tag(), "language.option", Map.of("number", String.valueOf(number), "name", p.ownName()), false));
            choices.add(new Expectation.Choice(String.valueOf(number), List.of(Answers.normalise(p.ownName()))));
            number++;
        }
        if (!among.isEmpty()) {
            out.prompts.add(prompt(header, "language.other", Map.of("number", String.valueOf(number)), false));
            choices.add(new Expectation.Choice(String.valueOf(number), List.of()));
        }
        out.expect = new Expectation(Expectation.Kind.MENU, choices, 2);
    }

    private List<LanguageProfile> languagesShown(List<String> among) {
        if (among.isEmpty()) return texts.offered();
        return among.stream().map(texts::byTag).flatMap(Optional::stream).toList();
    }

    private void answerLanguageConfirm(Work w, Out out, String text) {
        Optional<Boolean> yes = Answers.yesNo(text, words(w.language, "answer.yes.words"), words(w.language, "answer.no.words"),
                words(w.language, "number.words"));
        if (yes.isEmpty()) {
            // Maybe the person answered in another language: show the whole list rather than insist.
            showLanguages(w, out, List.of());
        } else if (yes.get()) {
            languageChosen(w, out);
        } else {
            showLanguages(w, out, List.of());
        }
    }

    private void answerLanguageMenu(Work w, Out out, String text) {
        String among = w.vars.getOrDefault("_languages", "");
        List<LanguageProfile> shown = languagesShown(among.isEmpty() ? List.of() : List.of(among.split(",")));
        String n = Answers.normalise(text);
        Optional<Integer> number = Answers.number(text, words(w.language == null ? defaultLanguage : w.language, "number.words"));
        LanguageProfile picked = null;
        if (number.isPresent() && number.get() >= 1 && number.get() <= shown.size()) picked = shown.get(number.get() - 1);
        if (picked == null) {
            for (LanguageProfile p : texts.offered()) {
                if (Answers.normalise(p.ownName()).equals(n) || p.tag().equalsIgnoreCase(n)) picked = p;
            }
        }
        if (picked == null && number.isPresent() && number.get() == shown.size() + 1 && !among.isEmpty()) {
            showLanguages(w, out, List.of());
            return;
        }
        if (picked == null) {
            showLanguages(w, out, among.isEmpty() ? List.of() : List.of(among.split(",")));
            return;
        }
        w.language = picked.tag();
        languageChosen(w, out);
    }

    private void languageChosen(Work w, Out out) {
        w.vars.remove("_languages");
        String back = w.vars.remove("_return");
        if (back != null) {
            String[] at = back.split(":", 2);
            if (flows.has(at[0], at[1])) {
                w.flow = at[0];
                w.mode = ConversationState.Mode.IN_FLOW;
                ask(w, out, at[1]);
                return;
            }
        }
        goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN);
    }

    private void answerResume(Work w, Out out, String text) {
        Optional<Boolean> yes = Answers.yesNo(text, words(w.language, "answer.yes.words"), words(w.language, "answer.no.words"),
                words(w.language, "number.words"));
        if (yes.isEmpty()) {
            say(w, out, "resume.ask", Map.of());
            out.expect = yesNoExpectation(w.language);
        } else if (yes.get()) {
            w.mode = ConversationState.Mode.IN_FLOW;
            ask(w, out, w.node);
        } else {
            forgetAnswers(w);
            w.history.clear();
            goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
        }
    }

    /** After a flow ended, an answer that is a main-menu choice ("2" for my appointment) is taken as one. */
    private void afterEnd(Work w, Out out, String text) {
        Node menu = flows.flow(Flows.MAIN).node(MAIN_MENU);
        w.flow = Flows.MAIN;
        w.node = MAIN_MENU;
        w.mode = ConversationState.Mode.IN_FLOW;
        if (!text.isEmpty() && pick(choices(menu, w, out), text, w.language) != null) {
            answer(w, out, text);
        } else {
            goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN);
        }
    }

    // ---- flows ---------------------------------------------------------------------------------------------------

    private boolean atMainMenu(Work w) {
        return Flows.MAIN.equals(w.flow) && MAIN_MENU.equals(w.node);
    }

    /**
     * What helps with this node: its own help; else, by text, how to answer a menu ("the number of your choice") or a
     * question (the useful words, since a number is not the answer); by phone, none (null): the text's words cannot
     * be typed, and the question asked again says which keys to press.
     */
    private static String help(Node node, Channel channel) {
        if (node != null && node.help() != null) return node.help();
        if (channel == Channel.VOICE) return null;
        return node != null && node.kind() == Node.Kind.QUESTION ? "help.question" : "help.generic";
    }

    private Node waitingNode(Work w) {
        if (w.mode != ConversationState.Mode.IN_FLOW || !flows.has(w.flow, w.node)) return null;
        Node node = flows.flow(w.flow).node(w.node);
        return node.waitsForAnswer() ? node : null;
    }

    private void reprompt(Work w, Out out) {
        switch (w.mode) {
            case LANGUAGE_CONFIRM -> {
                say(w, out, "language.confirm", Map.of());
                out.expect = yesNoExpectation(w.language);
            }
            case LANGUAGE_MENU -> {
                String among = w.vars.getOrDefault("_languages", "");
                showLanguages(w, out, among.isEmpty() ? List.of() : List.of(among.split(",")));
            }
            case RESUME_OFFER -> {
                say(w, out, "resume.ask", Map.of());
                out.expect = yesNoExpectation(w.language);
            }
            case ENDED -> goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
            case IN_FLOW -> {
                if (waitingNode(w) != null) ask(w, out, w.node);
                else goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
            }
        }
    }

    /** The variable a branch reads; {@value #CHANNEL_VARIABLE} is this turn's channel (sms, voice), never stored. */
    static final String CHANNEL_VARIABLE = "_channel";

    private static String branchValue(Work w, Out out, String variable) {
        if (CHANNEL_VARIABLE.equals(variable)) return out.channel.name().toLowerCase(java.util.Locale.ROOT);
        return w.vars.getOrDefault(variable, "");
    }

    /** Follows {@code target} through messages and branches until a node waits for an answer, an action or an end. */
    private void goTo(Work w, Out out, String target) {
        w.mode = ConversationState.Mode.IN_FLOW;
        for (int hop = 0; hop < MAX_HOPS; hop++) {
            if (target.startsWith(Flows.FLOW_PREFIX)) {
                String[] at = target.substring(Flows.FLOW_PREFIX.length()).split(":", 2);
                w.flow = at[0];
                target = at.length > 1 ? at[1] : flows.flow(w.flow).start();
            }
            Node node = flows.flow(w.flow).node(target);
            node.set().forEach((k, v) -> w.vars.put(k, interpolate(v, w.vars)));
            switch (node.kind()) {
                case MESSAGE -> {
                    say(w, out, node.say(out.channel), vars(w), readTwice(node));
                    if ("sites".equals(node.list())) {
                        for (Site site : out.catalogue.sites()) {
                            say(w, out, "site.line", Map.of("name", site.name(), "address", nz(site.address()), "phone", nz(site.phone())), true);
                        }
                    }
                    target = node.next();
                }
                case BRANCH -> {
                    String next = node.next();
                    for (Node.Case c : node.cases()) {
                        if (branchValue(w, out, c.variable()).equals(c.equals())) {
                            next = c.next();
                            break;
                        }
                    }
                    target = next;
                }
                case ACTION -> {
                    w.node = node.id();
                    out.action = new ActionRequest(node.action(), w.vars);
                    return;
                }
                case END -> {
                    say(w, out, node.say(out.channel), vars(w), readTwice(node));
                    w.mode = ConversationState.Mode.ENDED;
                    w.flow = Flows.MAIN;
                    w.node = MAIN_MENU;
                    forgetAnswers(w);
                    w.history.clear();
                    out.ended = true;
                    out.expect = Expectation.nothing();
                    return;
                }
                case MENU, QUESTION -> {
                    w.retries = 0;
                    w.vars.remove("_page");
                    ask(w, out, node.id());
                    return;
                }
            }
        }
        throw new IllegalStateException(w.flow + ": more than " + MAX_HOPS + " nodes without a question (a loop?)");
    }

    /** Puts the question of a waiting node and records it in the history. */
    private void ask(Work w, Out out, String nodeId) {
        Node node = flows.flow(w.flow).node(nodeId);
        w.node = nodeId;
        String here = w.flow + ":" + nodeId;
        if (w.history.isEmpty() || !w.history.getLast().equals(here)) {
            w.history.add(here);
            if (w.history.size() > MAX_HISTORY) w.history.removeFirst();
        }
        say(w, out, node.say(out.channel), vars(w), readTwice(node));
        if (node.kind() == Node.Kind.MENU) {
            List<Choice> choices = choices(node, w, out);
            List<Expectation.Choice> expected = new ArrayList<>();
            for (Choice c : choices) {
                String line = out.channel == Channel.VOICE ? "menu.line.voice" : "menu.line.sms";
                String label = c.label;
                // Numbers as plain digits, as in the texts ("send 1"), whatever digits the language's locale would print.
                String number = String.valueOf(c.number);
                out.prompts.add(new Prompt(c.key, Map.of("number", number), text(w.language, line, Map.of("number", number, "label", label)),
                        false));
                expected.add(new Expectation.Choice(String.valueOf(c.number), c.words));
            }
            out.expect = new Expectation(Expectation.Kind.MENU, expected, String.valueOf(choices.size()).length());
        } else if (node.validator() == Validator.YES_NO) {
            out.expect = yesNoExpectation(w.language);
        } else {
            out.expect = new Expectation(node.validator().expects, List.of(), node.validator().maxDigits);
        }
    }

    private void answer(Work w, Out out, String text) {
        Node node = waitingNode(w);
        if (node == null) {
            goTo(w, out, Flows.FLOW_PREFIX + Flows.MAIN + ":" + MAIN_MENU);
            return;
        }
        if (node.kind() == Node.Kind.MENU) {
            List<Choice> choices = choices(node, w, out);
            Choice picked = pick(choices, text, w.language);
            if (picked == null) {
                invalid(w, out, node, "invalid.menu", Map.of("max", String.valueOf(choices.size())));
                return;
            }
            if (picked.more) {
                w.vars.put("_page", String.valueOf(Integer.parseInt(w.vars.getOrDefault("_page", "0")) + 1));
                ask(w, out, node.id());
                return;
            }
            w.vars.putAll(picked.sets);
            w.vars.remove("_page");
            goTo(w, out, picked.next);
            return;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        String lang = w.language;
        Optional<String> value = switch (node.validator()) {
            case YES_NO -> Answers.yesNo(text, words(lang, "answer.yes.words"), words(lang, "answer.no.words"), words(lang, "number.words"))
                    .map(yes -> yes ? "yes" : "no");
            case DATE -> Answers.date(text, lang, today, Answers.DateKind.FUTURE).map(LocalDate::toString);
            case BIRTH_DATE -> Answers.date(text, lang, today, Answers.DateKind.BIRTH).map(LocalDate::toString);
            case EXPIRY_DATE -> Answers.date(text, lang, today, Answers.DateKind.EXPIRY).map(LocalDate::toString);
            case TIME -> Answers.time(text).map(Object::toString);
            case NUMBER -> Answers.number(text, words(lang, "number.words")).map(String::valueOf);
            case PHONE -> Answers.phone(text).map(PhoneNumber::e164);
            case NAME -> Answers.name(text);
            case REFERENCE -> Answers.reference(text).map(r -> r.value());
            case PIN -> Answers.pin(text);
        };
        if (value.isEmpty()) {
            String key = node.validator().invalidKey(out.channel);
            // A real date that cannot be a birth date (in the future, 120 years ago) is not "I did not understand".
            if (node.validator() == Validator.BIRTH_DATE && Answers.written(text, lang, today, Answers.DateKind.BIRTH).isPresent()) {
                key = key.replace("invalid.birth_date", "invalid.birth_date.range");
            }
            invalid(w, out, node, key, Map.of());
            return;
        }
        if (node.validator() == Validator.YES_NO) {
            goTo(w, out, node.exits().get(value.get()));
            return;
        }
        w.vars.put(node.store(), value.get());
        goTo(w, out, node.next());
    }

    private void invalid(Work w, Out out, Node node, String key, Map<String, Object> args) {
        w.retries++;
        if (w.retries > node.retries()) {
            w.retries = 0;
            String help = help(node, out.channel);
            if (help != null) say(w, out, help, Map.of());
            say(w, out, out.channel == Channel.VOICE ? "handover.offer.voice" : "handover.offer.sms", Map.of());
            ask(w, out, node.id());
            return;
        }
        say(w, out, key, args);
        if (out.channel == Channel.VOICE) {
            ask(w, out, node.id()); // no scroll-back on a call: say the choices again
        } else {
            keepExpectation(w, out, node);
        }
    }

    private void keepExpectation(Work w, Out out, Node node) {
        Out silent = new Out(out.channel, out.catalogue);
        ask(w, silent, node.id());
        out.expect = silent.expect;
    }

    // ---- menus ---------------------------------------------------------------------------------------------------

    /** One numbered line of a menu. */
    private record Choice(int number, String key, String label, List<String> words, String next, Map<String, String> sets, boolean more) {}

    private List<Choice> choices(Node node, Work w, Out out) {
        List<Choice> choices = new ArrayList<>();
        String lang = w.language;
        if (node.optionsFrom() != null) {
            List<Choice> all = new ArrayList<>();
            switch (node.optionsFrom()) {
                case "procedures" -> {
                    for (Procedure p : out.catalogue.procedures()) {
                        String key = "procedure." + p.code() + ".name";
                        String label = procedureLabel(lang, p);
                        all.add(new Choice(0, key, label, normalisedOnce(label), node.next(), Map.of(
                                node.store(), p.code(),
                                node.store() + "_anef", String.valueOf(p.anef()),
                                node.store() + "_renewal", String.valueOf(p.renewal()),
                                node.store() + "_pan", nz(p.panProcedure())), false));
                    }
                }
                case "sites" -> {
                    for (Site s : out.catalogue.sites()) {
                        all.add(new Choice(0, "site", s.name(), normalisedOnce(s.name()), node.next(),
                                Map.of(node.store(), s.code(), node.store() + "_name", s.name()), false));
                    }
                }
                case "slots" -> {
                    int count = Integer.parseInt(w.vars.getOrDefault("slot_count", "0"));
                    for (int i = 1; i <= count; i++) {
                        String start = w.vars.get("slot_" + i + "_start");
                        String siteName = w.vars.getOrDefault("slot_" + i + "_site_name", "");
                        String label = text(lang, "slot.label", Map.of("start", Instant.parse(start), "site", siteName));
                        all.add(new Choice(0, "slot.label", label, List.of(), node.next(), Map.of(
                                node.store(), w.vars.get("slot_" + i + "_id"),
                                node.store() + "_start", start,
                                node.store() + "_site_name", siteName), false));
                    }
                }
                case "worker_procedures" -> {
                    // Only the procedures a social worker may book for someone (Procedure.workerMayBook).
                    for (Procedure p : out.catalogue.procedures()) {
                        if (!p.workerMayBook()) continue;
                        String key = "procedure." + p.code() + ".name";
                        String label = procedureLabel(lang, p);
                        all.add(new Choice(0, key, label, List.of(Answers.normalise(label)), node.next(), Map.of(node.store(), p.code()), false));
                    }
                }
                case "languages" -> {
                    for (LanguageProfile p : texts.offered()) {
                        all.add(new Choice(0, "language.option", p.ownName(), List.of(Answers.normalise(p.ownName()), p.tag().toLowerCase()),
                                node.next(), Map.of(node.store(), p.tag(), node.store() + "_name", p.ownName()), false));
                    }
                }
                case "bookings" -> {
                    // Listed by an action into booking_N_reference/_initials/_start/_procedure.
                    int count = Integer.parseInt(w.vars.getOrDefault("booking_count", "0"));
                    for (int i = 1; i <= count; i++) {
                        String reference = w.vars.get("booking_" + i + "_reference");
                        String label = text(lang, "worker.booking.label", Map.of("reference", reference,
                                "initials", w.vars.getOrDefault("booking_" + i + "_initials", ""),
                                "start", Instant.parse(w.vars.get("booking_" + i + "_start"))));
                        all.add(new Choice(0, "worker.booking.label", label, List.of(), node.next(), Map.of(
                                node.store(), reference,
                                node.store() + "_procedure", w.vars.getOrDefault("booking_" + i + "_procedure", ""),
                                node.store() + "_initials", w.vars.getOrDefault("booking_" + i + "_initials", ""),
                                node.store() + "_start", w.vars.get("booking_" + i + "_start")), false));
                    }
                }
                default -> throw new IllegalStateException("unknown options_from " + node.optionsFrom());
            }
            int pageSize = out.channel == Channel.VOICE ? 7 : 9;
            int page = Integer.parseInt(w.vars.getOrDefault("_page", "0"));
            int from = Math.min(page * pageSize, all.size());
            if (from >= all.size()) from = 0;
            choices.addAll(all.subList(from, Math.min(from + pageSize, all.size())));
            if (all.size() > pageSize) {
                choices.add(new Choice(0, "menu.more", text(lang, "menu.more", Map.of()), words(lang, "menu.more.words"), null, Map.of(), true));
            }
        }
        for (Node.Option o : node.options()) {
            List<String> optionWords = o.words() == null ? List.of() : words(lang, o.words());
            Map<String, String> sets = new LinkedHashMap<>();
            o.set().forEach((k, v) -> sets.put(k, interpolate(v, w.vars)));
            choices.add(new Choice(0, o.say(), text(lang, o.say(), vars(w)), optionWords, o.next(), sets, false));
        }
        List<Choice> numbered = new ArrayList<>(choices.size());
        for (int i = 0; i < choices.size(); i++) {
            Choice c = choices.get(i);
            numbered.add(new Choice(i + 1, c.key, c.label, c.words, c.next, c.sets, c.more));
        }
        return numbered;
    }

    /**
     * A procedure's name in the language. Procedures live in the database and staff may add one before its text
     * exists in {@code locales/}: the menu then shows its code rather than failing the whole turn.
     */
    private String procedureLabel(String lang, Procedure p) {
        String language = lang == null ? defaultLanguage : lang;
        return labelCache.computeIfAbsent(language + '\u0000' + p.code(), k -> {
            String key = "procedure." + p.code() + ".name";
            return texts.patterns(language).containsKey(key) ? text(language, key, Map.of()) : p.code();
        });
    }

    /** A label as a menu answer, normalised once: a procedure menu holds twenty of them, read at every step. */
    private List<String> normalisedOnce(String label) {
        return normalisedLabels.computeIfAbsent(label, l -> List.of(Answers.normalise(l)));
    }

    private Choice pick(List<Choice> choices, String text, String lang) {
        Optional<Integer> number = Answers.number(text, words(lang, "number.words"));
        if (number.isPresent()) {
            return number.get() >= 1 && number.get() <= choices.size() ? choices.get(number.get() - 1) : null;
        }
        String n = Answers.normalise(text);
        if (n.isEmpty()) return null;
        for (Choice c : choices) if (c.words.contains(n)) return c;
        // A word of the answer that names exactly one choice ("vienne", "annuler mon rendez-vous").
        Choice only = null;
        for (Choice c : choices) {
            for (String word : c.words) {
                if (word.length() >= 3 && (containsWord(n, word) || (n.length() >= 4 && containsWord(word, n)))) {
                    if (only != null && only != c) return null;
                    only = c;
                }
            }
        }
        return only;
    }

    private static boolean containsWord(String haystack, String needle) {
        return (" " + haystack + " ").contains(" " + needle + " ");
    }

    // ---- texts ---------------------------------------------------------------------------------------------------

    private Expectation yesNoExpectation(String lang) {
        return new Expectation(Expectation.Kind.YES_NO, List.of(
                new Expectation.Choice("1", words(lang, "answer.yes.words")),
                new Expectation.Choice("2", words(lang, "answer.no.words"))), 1);
    }

    private final Map<String, List<String>> wordCache = new java.util.concurrent.ConcurrentHashMap<>();
    // Derived from the texts and the catalogue's names, which change only with a restart (texts) or rarely (names):
    // bounded by what the catalogue holds, kept for the life of the engine.
    private final Map<String, String> labelCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, List<String>> normalisedLabels = new java.util.concurrent.ConcurrentHashMap<>();

    List<String> words(String lang, String key) {
        String language = lang == null ? defaultLanguage : lang;
        return wordCache.computeIfAbsent(language + '\u0000' + key, k -> {
            String pattern = texts.patterns(language).get(key);
            return pattern == null ? List.of() : Answers.words(pattern);
        });
    }

    private void say(Work w, Out out, String key, Map<String, ?> args) {
        say(w, out, key, args, false);
    }

    private void say(Work w, Out out, String key, Map<String, ?> args, boolean readTwice) {
        String resolved = interpolate(key, w.vars);
        out.prompts.add(prompt(w.language == null ? defaultLanguage : w.language, resolved, args, readTwice));
    }

    private Prompt prompt(String lang, String key, Map<String, ?> args, boolean readTwice) {
        Map<String, Object> clean = new HashMap<>();
        args.forEach((k, v) -> { if (v != null) clean.put(k, v); });
        return new Prompt(key, clean, text(lang, key, clean), readTwice);
    }

    private String text(String lang, String key, Map<String, ?> args) {
        return texts.text(lang == null ? defaultLanguage : lang, key, args);
    }

    /** Declared in the flow ({@code read_twice: true}): what carries a date, a time, an address or a reference. */
    private static boolean readTwice(Node node) {
        return node.readTwice();
    }

    /** Variables as message arguments: ISO instants and dates become real dates, so ICU formats them per language. */
    private static Map<String, Object> vars(Work w) {
        Map<String, Object> args = new HashMap<>();
        w.vars.forEach((k, v) -> {
            if (k.startsWith("_") || v == null) return;
            if (INSTANT.matcher(v).matches()) args.put(k, Instant.parse(v));
            else if (DATE.matcher(v).matches()) args.put(k, LocalDate.parse(v));
            else args.put(k, v);
        });
        return args;
    }

    private static String interpolate(String template, Map<String, String> vars) {
        if (template == null || template.indexOf('{') < 0) return template;
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), "")));
        m.appendTail(out);
        return out.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ---- working state -------------------------------------------------------------------------------------------

    /** The answers of a flow are forgotten; the engine's own marks that outlive flows stay. */
    private static void forgetAnswers(Work w) {
        w.vars.keySet().removeIf(k -> !k.startsWith("_steps") && !k.equals(TEXTS_STOPPED));
    }

    /** The state being changed during one step; frozen into a {@link ConversationState} at the end. */
    private static final class Work {
        String language;
        ConversationState.Mode mode;
        String flow;
        String node;
        final Map<String, String> vars;
        int retries;
        final List<String> history;
        Instant updatedAt;

        Work(String language, ConversationState.Mode mode, String flow, String node, Map<String, String> vars, int retries,
                List<String> history, Instant updatedAt) {
            this.language = language;
            this.mode = mode;
            this.flow = flow;
            this.node = node;
            this.vars = vars;
            this.retries = retries;
            this.history = history;
            this.updatedAt = updatedAt;
        }

        Work(ConversationState s) {
            this(s.language(), s.mode(), s.flow(), s.node(), new HashMap<>(s.vars()), s.retries(), new ArrayList<>(s.history()), s.updatedAt());
        }

        ConversationState freeze() {
            return new ConversationState(language, mode, flow, node, vars, retries, history, updatedAt);
        }
    }

    private static final class Out {
        final Channel channel;
        final CatalogueSnapshot catalogue;
        final List<Prompt> prompts = new ArrayList<>();
        Expectation expect = Expectation.nothing();
        ActionRequest action;
        boolean ended;
        Turn.OptOutChange optOut = Turn.OptOutChange.NONE;
        boolean handover;

        Out(Channel channel, CatalogueSnapshot catalogue) {
            this.channel = channel;
            this.catalogue = catalogue;
        }

        Step done(Work w) {
            return new Step(w.freeze(), prompts, expect, action, ended, optOut, handover);
        }
    }
}
