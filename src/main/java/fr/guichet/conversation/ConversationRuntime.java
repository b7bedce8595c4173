package fr.guichet.conversation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import fr.guichet.booking.Catalogue;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Conversations} over the pure engine: one transaction per turn holds the number's lock, loads the state,
 * steps the engine, runs the actions it asks for (each behind a savepoint, so a failing backend call becomes the
 * action's failure exit instead of spoiling the turn), and saves the new state with whatever was booked.
 */
final class ConversationRuntime implements Conversations {
    private static final Logger log = LoggerFactory.getLogger(ConversationRuntime.class);
    /** A flow that chains more actions than this without asking anything is broken; stop rather than spin. */
    private static final int MAX_ACTIONS = 8;
    private static final java.util.regex.Pattern BARE_DIGITS = java.util.regex.Pattern.compile("\\d+");

    private final ConversationEngine engine;
    private final ConversationStore store;
    private final BookingActions actions;
    private final Supplier<Catalogue> catalogue;
    private final LocaleFiles texts;
    private final TransactionTemplate transactions;
    private final String defaultLanguage;
    private final List<FlowActions> contributed;
    private final List<NoticeReplies> noticeReplies;
    /** Sites and procedures change rarely; reading them on every step would double the cost of a step. */
    private final Cache<String, CatalogueSnapshot> catalogueCache =
            Caffeine.newBuilder().maximumSize(1).expireAfterWrite(Duration.ofMinutes(1)).build();

    ConversationRuntime(ConversationEngine engine, ConversationStore store, BookingActions actions, Supplier<Catalogue> catalogue,
            LocaleFiles texts, TransactionTemplate transactions, String defaultLanguage) {
        this(engine, store, actions, catalogue, texts, transactions, defaultLanguage, List.of(), List.of());
    }

    ConversationRuntime(ConversationEngine engine, ConversationStore store, BookingActions actions, Supplier<Catalogue> catalogue,
            LocaleFiles texts, TransactionTemplate transactions, String defaultLanguage, List<FlowActions> contributed,
            List<NoticeReplies> noticeReplies) {
        this.contributed = List.copyOf(contributed);
        this.noticeReplies = List.copyOf(noticeReplies);
        this.engine = engine;
        this.store = store;
        this.actions = actions;
        this.catalogue = catalogue;
        this.texts = texts;
        this.transactions = transactions;
        this.defaultLanguage = defaultLanguage;
    }

    @Override
    public Turn handle(Inbound inbound) {
        try {
            return transactions.execute(status -> turn(inbound, status));
        } catch (RuntimeException e) {
            // Never an exception to the channel: an apology in the person's language; the state is left as it was.
            log.error("Conversation turn failed for {} ({})", inbound.from(), e.getClass().getSimpleName(), e);
            String language = safeLanguage(inbound.from());
            return new Turn(language, List.of(new Prompt("error.sorry", Map.of(), texts.text(language, "error.sorry", Map.of()), false)),
                    Expectation.nothing(), false, Turn.OptOutChange.NONE, false);
        }
    }

    private Turn turn(Inbound inbound, TransactionStatus status) {
        ConversationState state = withChosenLanguage(store.lock(inbound.from()).orElse(null), inbound);
        CatalogueSnapshot snapshot = catalogue();
        List<Prompt> prompts = new ArrayList<>();
        Optional<NoticeReplies.Reply> reply = inbound.newCall() ? Optional.empty() : noticeReply(state, inbound, status);
        Step step;
        if (reply.isPresent()) {
            NoticeReplies.Reply r = reply.get();
            for (String text : r.texts()) prompts.add(new Prompt("notice.reply", Map.of(), text, false, r.language()));
            step = engine.afterNotice(state, r.language(), inbound.channel(), r.continueAt(), r.vars(), snapshot);
        } else {
            step = engine.handle(state, inbound.from(), inbound.channel(), inbound.text(), inbound.countryHint(), inbound.newCall(), snapshot);
        }
        prompts.addAll(step.prompts());
        Turn.OptOutChange optOut = step.optOut();
        boolean handover = step.handover();
        boolean changedMoreThanThePosition = reply.isPresent();
        for (int i = 0; step.action() != null; i++) {
            if (i == MAX_ACTIONS) throw new IllegalStateException("more than " + MAX_ACTIONS + " actions in one turn in flow " + step.state().flow());
            changedMoreThanThePosition |= !BookingActions.READ_ONLY.contains(step.action().name());
            BookingActions.Caller caller = new BookingActions.Caller(inbound.from(), inbound.channel(), step.state().language(), snapshot);
            ActionResult result = runGuarded(step.action(), caller, status);
            step = engine.resume(step.state(), inbound.channel(), result, snapshot);
            prompts.addAll(step.prompts());
            handover |= step.handover();
        }
        // A turn that only moved the person in a flow need not wait for the disk: a crash can cost them that step (the
        // question is asked again), never a booking, a request, a reply to a notice or a text, which wait as always.
        store.save(inbound.from(), step.state(), changedMoreThanThePosition);
        String language = step.state().language() == null ? defaultLanguage : step.state().language();
        return new Turn(language, prompts, step.expect(), step.ended(), optOut, handover);
    }

    /**
     * A language the person picked on the channel itself (the phone's language menu) is their answer: the engine
     * neither guesses nor asks to confirm it again. A number never seen starts at the main menu in that language; an
     * unanswered language question from before is dropped.
     */
    private ConversationState withChosenLanguage(ConversationState state, Inbound inbound) {
        String chosen = inbound.chosenLanguage();
        if (chosen == null || texts.byTag(chosen).isEmpty()) return state;
        if (state == null) {
            return new ConversationState(chosen, ConversationState.Mode.ENDED, Flows.MAIN, ConversationEngine.MAIN_MENU, Map.of(), 0, List.of(), null);
        }
        boolean askingLanguage = state.mode() == ConversationState.Mode.LANGUAGE_CONFIRM || state.mode() == ConversationState.Mode.LANGUAGE_MENU;
        if (chosen.equals(state.language()) && !askingLanguage) return state;
        return new ConversationState(chosen, askingLanguage ? ConversationState.Mode.ENDED : state.mode(), state.flow(), state.node(),
                state.vars(), state.retries(), state.history(), state.updatedAt());
    }

    /**
     * The first implementation that takes the message as a reply to a notice. A bare digit while a question of a flow
     * is in progress answers that question: no implementation is asked; nor is one that says it cannot take the
     * message ({@link NoticeReplies#mayTake}). One savepoint covers them all (an implementation that does not take a
     * message writes nothing), set only when one is asked; a failing one is rolled back and the next asked.
     */
    private Optional<NoticeReplies.Reply> noticeReply(ConversationState state, Inbound inbound, TransactionStatus status) {
        if (noticeReplies.isEmpty()) return Optional.empty();
        String text = Answers.clean(inbound.text());
        if (text.isEmpty()) return Optional.empty();
        boolean inConversation = engine.inConversation(state);
        String words = Answers.normalise(text);
        if (inConversation && BARE_DIGITS.matcher(words).matches()) return Optional.empty();
        NoticeReplies.Query query = new NoticeReplies.Query(inbound.from(), inbound.channel(), text, words,
                state == null ? null : state.language(), inConversation, state == null ? null : state.updatedAt());
        List<NoticeReplies> asked = inAskingOrder(query, noticeReplies.stream().filter(replies -> replies.mayTake(query)).toList());
        if (asked.isEmpty()) return Optional.empty();
        Object savepoint = status.createSavepoint();
        for (NoticeReplies replies : asked) {
            try {
                Optional<NoticeReplies.Reply> reply = replies.reply(query);
                if (reply.isPresent()) {
                    status.releaseSavepoint(savepoint);
                    return reply;
                }
            } catch (RuntimeException e) {
                status.rollbackToSavepoint(savepoint);
                log.warn("Reply to a notice failed ({}): the message goes to the flows", e.getClass().getSimpleName(), e);
            }
        }
        status.releaseSavepoint(savepoint);
        return Optional.empty();
    }

    /**
     * For a bare digit, only the implementations that texted the person something a digit answers since they last
     * wrote, the newest text first, so "1" answers the last text the person received; otherwise all the candidates, in
     * the beans' order.
     */
    private List<NoticeReplies> inAskingOrder(NoticeReplies.Query query, List<NoticeReplies> candidates) {
        if (candidates.isEmpty() || !BARE_DIGITS.matcher(query.words()).matches()) return candidates;
        Map<NoticeReplies, java.time.Instant> since = new java.util.HashMap<>();
        for (NoticeReplies replies : candidates) {
            replies.digitAnswerableSince(query.from())
                    .filter(at -> query.previousMessage() == null || at.isAfter(query.previousMessage()))
                    .ifPresent(at -> since.put(replies, at));
        }
        List<NoticeReplies> asked = new ArrayList<>(since.keySet());
        asked.sort(java.util.Comparator.comparing(since::get, java.util.Comparator.reverseOrder()));
        return asked;
    }

    private ActionResult runGuarded(ActionRequest request, BookingActions.Caller caller, TransactionStatus status) {
        Object savepoint = status.createSavepoint();
        try {
            ActionResult result = run(request, caller);
            status.releaseSavepoint(savepoint);
            return result;
        } catch (RuntimeException e) {
            status.rollbackToSavepoint(savepoint);
            log.warn("Action {} failed ({}): the flow takes its failure exit", request.name(), e.getClass().getSimpleName(), e);
            return ActionResult.of("failure");
        }
    }

    private ActionResult run(ActionRequest request, BookingActions.Caller caller) {
        if (Flows.CONTRIBUTED_ACTION_EXITS.containsKey(request.name())) {
            for (FlowActions handler : contributed) {
                if (handler.handles(request.name())) {
                    FlowActions.Result result = handler.run(new FlowActions.Call(request.name(), request.vars(), caller.phone(), caller.channel(),
                            caller.language(), request.vars().getOrDefault("_steps", "0")));
                    return new ActionResult(result.outcome(), result.vars());
                }
            }
            // The capability is not in this build: the flow takes its failure exit.
            return ActionResult.of("failure");
        }
        return actions.run(request, caller);
    }

    private CatalogueSnapshot catalogue() {
        return catalogueCache.get("catalogue", k -> {
            Catalogue current = catalogue.get();
            return current == null ? new CatalogueSnapshot(List.of(), List.of()) : new CatalogueSnapshot(current.procedures(), current.sites());
        });
    }

    @Override
    public Optional<String> languageOf(PhoneNumber phone) {
        return store.find(phone).map(ConversationState::language);
    }

    private String safeLanguage(PhoneNumber phone) {
        try {
            return languageOf(phone).orElse(defaultLanguage);
        } catch (RuntimeException e) {
            return defaultLanguage;
        }
    }
}
