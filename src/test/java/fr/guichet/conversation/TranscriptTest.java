package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import fr.guichet.TestClock;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Requests;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Replays every transcript of {@code voice-flows/tests/*.yaml} against the real engine, the PostgreSQL store and the
 * booking backend of the running service. Time is a clock fixed at the start of the run and moved only by
 * {@code advance} steps; {@code restart} builds a new runtime over the same database, as after a restart.
 */
@GuichetTest
class TranscriptTest {
    @Autowired Flows flows;
    @Autowired LocaleFiles locales;
    @Autowired ConversationStore store;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired ObjectProvider<BookingPort> port;
    @Autowired ObjectProvider<Requests> requests;
    @Autowired ObjectProvider<Catalogue> catalogue;
    @Autowired ObjectProvider<FlowActions> contributed;
    @Autowired ObjectProvider<NoticeReplies> noticeReplies;
    @Autowired JdbcClient jdbc;


    private ConversationRuntime runtime(Clock clock) {
        ZoneId zone = ZoneId.of("Europe/Paris");
        ConversationEngine engine = new ConversationEngine(flows, locales, clock, Duration.ofMinutes(30), zone);
        BookingActions actions = new BookingActions(port::getObject, requests::getObject, clock, zone, BookingActions.HORIZON,
                new BookingLimits(jdbc, clock, 3, 3));
        return new ConversationRuntime(engine, store, actions, catalogue::getIfAvailable, locales, new TransactionTemplate(transactionManager),
                "fr", contributed.orderedStream().toList(), noticeReplies.orderedStream().toList());
    }

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException {
        List<Path> files;
        try (Stream<Path> paths = Files.list(Path.of("voice-flows/tests"))) {
            files = paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files) {
            Object root;
            try (InputStream in = Files.newInputStream(file)) {
                root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            }
            for (Object t : (List<?>) ((Map<?, ?>) root).get("transcripts")) {
                Map<?, ?> transcript = (Map<?, ?>) t;
                tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + transcript.get("name"), () -> replay(transcript)));
            }
        }
        return tests.stream();
    }

    private void replay(Map<?, ?> transcript) {
        if ("engine".equals(transcript.get("backend"))) {
            replayOnEngine(transcript);
            return;
        }
        TestClock clock = new TestClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        ConversationRuntime runtime = runtime(clock);
        PhoneNumber phone = PhoneNumber.parse(String.valueOf(transcript.get("phone")));
        String country = transcript.get("country") == null ? null : String.valueOf(transcript.get("country"));
        Channel defaultChannel = Channel.valueOf(String.valueOf(transcript.get("channel") == null ? "sms" : transcript.get("channel")).toUpperCase());
        if (transcript.get("start") instanceof Map<?, ?> start) {
            // A starting state, as if the person had got there before.
            new TransactionTemplate(transactionManager).executeWithoutResult(s -> store.save(phone, new ConversationState(
                    String.valueOf(start.get("language")), ConversationState.Mode.IN_FLOW,
                    start.get("flow") == null ? "main" : String.valueOf(start.get("flow")),
                    start.get("node") == null ? "menu" : String.valueOf(start.get("node")),
                    Map.of(), 0, List.of(), clock.instant())));
        }
        int index = 0;
        for (Object s : (List<?>) transcript.get("steps")) {
            Map<?, ?> step = (Map<?, ?>) s;
            index++;
            if (step.get("advance") != null) {
                clock.advance(Duration.parse(String.valueOf(step.get("advance"))));
                continue;
            }
            if (Boolean.TRUE.equals(step.get("restart"))) {
                runtime = runtime(clock);
                continue;
            }
            Channel channel = step.get("channel") == null ? defaultChannel : Channel.valueOf(String.valueOf(step.get("channel")).toUpperCase());
            boolean call = Boolean.TRUE.equals(step.get("call"));
            String send = relativeDates(step.get("send") == null ? "" : String.valueOf(step.get("send")), clock);
            Turn turn = runtime.handle(new Inbound(phone, call ? Channel.VOICE : channel, send, country, call));
            check(step, index, send, call, turn);
        }
    }

    /**
     * Replays against the pure engine alone, with the test catalogue of {@link EngineFixture} and the action results
     * written in the transcript ({@code results}, in order): the flows' handling of every outcome (slot taken, already
     * booked, backend down) without needing the backend to produce it. Each result's action name is checked.
     */
    private void replayOnEngine(Map<?, ?> transcript) {
        TestClock clock = new TestClock(Instant.parse(String.valueOf(transcript.get("now") == null ? "2026-03-02T08:00:00Z" : transcript.get("now"))));
        LocaleFiles testLocales = EngineFixture.locales();
        ConversationEngine engine = new ConversationEngine(EngineFixture.flows(testLocales), testLocales, clock, Duration.ofMinutes(30),
                ZoneId.of("Europe/Paris"));
        PhoneNumber phone = PhoneNumber.parse(String.valueOf(transcript.get("phone")));
        Channel defaultChannel = Channel.valueOf(String.valueOf(transcript.get("channel") == null ? "sms" : transcript.get("channel")).toUpperCase());
        ConversationState state = null;
        if (transcript.get("start") instanceof Map<?, ?> start) {
            state = new ConversationState(String.valueOf(start.get("language")), ConversationState.Mode.IN_FLOW,
                    start.get("flow") == null ? "main" : String.valueOf(start.get("flow")),
                    start.get("node") == null ? "menu" : String.valueOf(start.get("node")), Map.of(), 0, List.of(), clock.instant());
        }
        int index = 0;
        for (Object s : (List<?>) transcript.get("steps")) {
            Map<?, ?> step = (Map<?, ?>) s;
            index++;
            if (step.get("advance") != null) {
                clock.advance(Duration.parse(String.valueOf(step.get("advance"))));
                continue;
            }
            Channel channel = step.get("channel") == null ? defaultChannel : Channel.valueOf(String.valueOf(step.get("channel")).toUpperCase());
            boolean call = Boolean.TRUE.equals(step.get("call"));
            String send = step.get("send") == null ? "" : String.valueOf(step.get("send"));
            Step result = engine.handle(state, phone, call ? Channel.VOICE : channel, send, null, call, EngineFixture.CATALOGUE);
            List<Prompt> prompts = new ArrayList<>(result.prompts());
            List<?> results = list(step.get("results"));
            int used = 0;
            while (result.action() != null) {
                String where = "step " + index + " asks for action " + result.action().name();
                assertThat(used).as(where + " with no result left in the transcript").isLessThan(results.size());
                Map<?, ?> given = (Map<?, ?>) results.get(used++);
                assertThat(result.action().name()).as(where).isEqualTo(String.valueOf(given.get("action")));
                for (Object required : list(given.get("reads"))) {
                    assertThat(result.action().vars()).as(where).containsKey(String.valueOf(required));
                }
                if (given.get("sees") instanceof Map<?, ?> sees) {
                    Map<String, String> asked = result.action().vars();
                    for (Map.Entry<?, ?> e : sees.entrySet()) {
                        assertThat(asked).as(where).containsEntry(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                    }
                }
                Map<String, String> vars = new java.util.HashMap<>();
                if (given.get("vars") instanceof Map<?, ?> v) v.forEach((k, val) -> vars.put(String.valueOf(k), String.valueOf(val)));
                result = engine.resume(result.state(), call ? Channel.VOICE : channel, new ActionResult(String.valueOf(given.get("outcome")), vars),
                        EngineFixture.CATALOGUE);
                prompts.addAll(result.prompts());
            }
            assertThat(used).as("step " + index + ": results left unused").isEqualTo(results.size());
            state = result.state();
            Turn turn = new Turn(state.language(), prompts, result.expect(), result.ended(), result.optOut(), result.handover());
            check(step, index, send, call, turn);
        }
    }

    private static void check(Map<?, ?> step, int index, String send, boolean call, Turn turn) {
        List<String> keys = turn.prompts().stream().map(Prompt::key).toList();
        String text = turn.prompts().stream().map(Prompt::text).collect(Collectors.joining("\n"));
        String where = "step " + index + " (" + (call ? "call" : "'" + send + "'") + ") → " + keys + "\n" + text;
        assertThat(turn.prompts()).as(where).isNotEmpty();
        for (Object key : list(step.get("expect"))) assertThat(keys).as(where).contains(String.valueOf(key));
        for (Object key : list(step.get("not"))) assertThat(keys).as(where).doesNotContain(String.valueOf(key));
        for (Object fragment : list(step.get("contains"))) assertThat(text).as(where).contains(String.valueOf(fragment));
        if (step.get("language") != null) assertThat(turn.language()).as(where).isEqualTo(String.valueOf(step.get("language")));
        if (step.get("optOut") != null) assertThat(turn.optOut().name()).as(where).isEqualTo(String.valueOf(step.get("optOut")));
        if (step.get("ended") != null) assertThat(turn.ended()).as(where).isEqualTo(step.get("ended"));
        if (step.get("handover") != null) assertThat(turn.handover()).as(where).isEqualTo(step.get("handover"));
        if (step.get("expectKind") != null) assertThat(turn.expect().kind().name()).as(where).isEqualTo(String.valueOf(step.get("expectKind")));
    }

    private static final java.util.regex.Pattern RELATIVE_DATE = java.util.regex.Pattern.compile("\\{date([+-]P[0-9A-Z]+)}");

    /**
     * {@code {date+P60D}} in a message is the day that far from the transcript's clock, as a person writes it
     * (dd/MM/yyyy in Europe/Paris): the real backend's slots are relative to the day the test runs.
     */
    private static String relativeDates(String send, Clock clock) {
        java.util.regex.Matcher m = RELATIVE_DATE.matcher(send);
        return m.replaceAll(r -> java.time.LocalDate.ofInstant(clock.instant(), ZoneId.of("Europe/Paris"))
                .plus(java.time.Period.parse(r.group(1).replace("+", ""))).format(java.time.format.DateTimeFormatter.ofPattern("dd/MM/yyyy")));
    }

    private static List<?> list(Object value) {
        if (value == null) return List.of();
        return value instanceof List<?> l ? l : List.of(value);
    }
}
