package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@GuichetTest
class ConversationRuntimeTest {
    @Autowired Conversations conversations;
    @Autowired ConversationStore store;
    @Autowired Flows flows;
    @Autowired LocaleFiles locales;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired JdbcClient jdbc;

    /** A capability that texted the number at {@code sentAt} something a bare digit answers, and says so when asked. */
    record TextedAt(String name, Instant sentAt) implements NoticeReplies {
        @Override
        public Optional<Instant> digitAnswerableSince(PhoneNumber phone) {
            return Optional.of(sentAt);
        }

        @Override
        public Optional<Reply> reply(Query query) {
            return query.words().matches("\\d") ? Optional.of(Reply.say("fr", name + " " + query.words())) : Optional.empty();
        }
    }

    private ConversationRuntime runtimeWith(NoticeReplies... replies) {
        Clock clock = Clock.systemUTC();
        ZoneId zone = ZoneId.of("Europe/Paris");
        ConversationEngine engine = new ConversationEngine(flows, locales, clock, Duration.ofMinutes(30), zone);
        BookingActions actions = new BookingActions(() -> null, () -> null, clock, zone, BookingActions.HORIZON, new BookingLimits(jdbc, clock, 3, 3));
        return new ConversationRuntime(engine, store, actions, () -> null, locales, new TransactionTemplate(transactionManager), "fr",
                List.of(), List.of(replies));
    }

    @Test
    void aBareDigitAnswersTheTextThePersonReceivedLastAndOnlyUntilTheyWriteSomethingElse() {
        Instant now = Instant.now();
        NoticeReplies offer = new TextedAt("offer", now.minus(Duration.ofHours(3)));
        NoticeReplies reminder = new TextedAt("reminder", now.minus(Duration.ofMinutes(5)));
        // Whatever the order of the beans, the reminder (texted last) takes the "1".
        List<ConversationRuntime> runtimes = List.of(runtimeWith(offer, reminder), runtimeWith(reminder, offer));
        for (int i = 0; i < runtimes.size(); i++) {
            PhoneNumber phone = PhoneNumber.parse("+3361200090" + (5 + i));
            Turn turn = runtimes.get(i).handle(new Inbound(phone, Channel.SMS, "1", "FR", false));
            assertThat(turn.prompts()).extracting(Prompt::text).containsExactly("reminder 1");
        }
        // Someone who wrote after both texts: their "1" answers the conversation, not a text received before.
        PhoneNumber wroteSince = PhoneNumber.parse("+33612000907");
        runtimes.getFirst().handle(new Inbound(wroteSince, Channel.SMS, "Bonjour", "FR", false));
        Turn turn = runtimes.getFirst().handle(new Inbound(wroteSince, Channel.SMS, "1", "FR", false));
        assertThat(turn.prompts()).extracting(Prompt::text).doesNotContain("reminder 1", "offer 1");
    }

    @Test
    void messagesFromOnePersonArrivingTogetherAreProcessedOneAfterTheOther() throws Exception {
        PhoneNumber phone = PhoneNumber.parse("+33612000901");
        conversations.handle(new Inbound(phone, Channel.SMS, "Bonjour", "FR", false));
        conversations.handle(new Inbound(phone, Channel.SMS, "1", "FR", false));
        int turns = 40;
        List<Callable<Turn>> calls = new ArrayList<>();
        for (int i = 0; i < turns; i++) calls.add(() -> conversations.handle(new Inbound(phone, Channel.SMS, "aide", "FR", false)));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Turn> f : pool.invokeAll(calls)) assertThat(f.get().prompts()).isNotEmpty();
        }
        // Every turn counts itself in the state; an interleaved read-modify-write would lose some.
        ConversationState state = store.find(phone).orElseThrow();
        assertThat(Integer.parseInt(state.vars().get("_steps"))).isEqualTo(turns + 1);
    }

    @Test
    void anyInputGetsAnAnswerAndNeverAnException() {
        PhoneNumber phone = PhoneNumber.parse("+33612000902");
        for (String text : new String[] {"", "   ", "\u0000\u0001", "🙂".repeat(5000), "x".repeat(100_000), "١", "\uD800", "%s%n${x}"}) {
            Turn turn = conversations.handle(new Inbound(phone, Channel.SMS, text, null, false));
            assertThat(turn.prompts()).as(text.length() > 20 ? text.substring(0, 20) : text).isNotEmpty();
            assertThat(turn.prompts()).allSatisfy(p -> assertThat(p.text()).isNotBlank());
        }
        assertThat(conversations.languageOf(phone)).isPresent();
        assertThat(conversations.languageOf(PhoneNumber.parse("+33612000903"))).isEmpty();
    }

    @Test
    void aSaveThatOnlyMovesThePersonCommitsWithoutWaitingForTheDiskAndOnlyThatTransaction() {
        PhoneNumber phone = PhoneNumber.parse("+33612009901");
        ConversationState state = new ConversationState("fr", ConversationState.Mode.IN_FLOW, "main", "menu", Map.of(), 0, List.of(),
                Instant.now());
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        String server = jdbc.sql("SELECT current_setting('synchronous_commit')").query(String.class).single();
        String moved = transaction.execute(s -> {
            store.save(phone, state, false);
            return jdbc.sql("SELECT current_setting('synchronous_commit')").query(String.class).single();
        });
        String changed = transaction.execute(s -> {
            store.save(phone, state, true);
            return jdbc.sql("SELECT current_setting('synchronous_commit')").query(String.class).single();
        });
        assertThat(moved).isEqualTo("off");
        assertThat(changed).isEqualTo(server).isEqualTo("on");
        assertThat(jdbc.sql("SELECT current_setting('synchronous_commit')").query(String.class).single()).isEqualTo("on");
        assertThat(store.find(phone)).get().extracting(ConversationState::node).isEqualTo("menu");
    }

    @Test
    void aTurnWaitingForTheNumbersLockReadsWhatTheTurnBeforeItCommitted() throws Exception {
        PhoneNumber phone = PhoneNumber.parse("+33612009902");
        ConversationState before = new ConversationState("fr", ConversationState.Mode.IN_FLOW, "main", "before", Map.of(), 0, List.of(),
                Instant.now());
        ConversationState after = new ConversationState("fr", ConversationState.Mode.IN_FLOW, "main", "after", Map.of(), 0, List.of(),
                Instant.now());
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        transaction.executeWithoutResult(s -> store.save(phone, before));
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> first = pool.submit(() -> transaction.executeWithoutResult(s -> {
                assertThat(store.lock(phone)).get().extracting(ConversationState::node).isEqualTo("before");
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                store.save(phone, after);
            }));
            locked.await();
            Future<Optional<ConversationState>> second = pool.submit(() -> transaction.execute(s -> store.lock(phone)));
            // The second turn is queued on the number's lock (its lock and its read go in one round trip)…
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").query(Integer.class).single() == 1);
            assertThat(second).isNotDone();
            release.countDown();
            first.get();
            // …and its read was taken after the lock was granted: it sees the first turn's save, not the state before.
            assertThat(second.get()).get().extracting(ConversationState::node).isEqualTo("after");
        }
    }

    @Test
    void aNoticeCapabilityThatCannotTakeTheMessageIsNotAsked() {
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        NoticeReplies never = new NoticeReplies() {
            @Override
            public boolean mayTake(Query query) {
                return false;
            }

            @Override
            public Optional<Instant> digitAnswerableSince(PhoneNumber phone) {
                asked.add("never: digit");
                return Optional.of(Instant.now());
            }

            @Override
            public Optional<Reply> reply(Query query) {
                asked.add("never: " + query.words());
                return Optional.of(Reply.say("fr", "never"));
            }
        };
        NoticeReplies confirm = new NoticeReplies() {
            @Override
            public boolean mayTake(Query query) {
                return query.words().equals("confirmer");
            }

            @Override
            public Optional<Reply> reply(Query query) {
                asked.add("confirm: " + query.words());
                return Optional.of(Reply.say("fr", "confirmed"));
            }
        };
        ConversationRuntime runtime = runtimeWith(never, confirm);
        PhoneNumber phone = PhoneNumber.parse("+33612009903");
        assertThat(runtime.handle(new Inbound(phone, Channel.SMS, "Bonjour", "FR", false)).prompts())
                .extracting(Prompt::text).doesNotContain("never", "confirmed");
        assertThat(runtime.handle(new Inbound(phone, Channel.SMS, "Confirmer", "FR", false)).prompts())
                .extracting(Prompt::text).contains("confirmed").doesNotContain("never");
        PhoneNumber other = PhoneNumber.parse("+33612009904");
        assertThat(runtime.handle(new Inbound(other, Channel.SMS, "1", "FR", false)).prompts())
                .extracting(Prompt::text).doesNotContain("never", "confirmed");
        assertThat(asked).containsExactly("confirm: confirmer");
    }
}
