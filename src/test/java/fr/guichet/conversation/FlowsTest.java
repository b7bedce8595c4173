package fr.guichet.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The repository's flows load cleanly; each broken fixture fails with the error written in its first line. */
class FlowsTest {
    private static final Path BROKEN = Path.of("src/test/resources/broken-flows");

    @Test
    void repositoryFlowsAreValidInEveryLanguage() {
        LocaleFiles locales = LocaleFiles.of(EngineFixture.localeFiles(false), EngineFixture.PARIS);
        Flows flows = EngineFixture.flows(locales);
        assertThat(flows.names()).containsExactlyInAnyOrder("main", "booking", "appointment", "information", "worker", "renewal");
    }

    /** A date or time argument, or a reference ({@code {reference}}, {@code {booking}}: the worker's list stores the reference there). */
    private static final java.util.regex.Pattern SPOKEN_TWICE =
            java.util.regex.Pattern.compile("\\{[a-z_]+, *(date|time)\\b|\\{(reference|booking)}");

    @Test
    void everyNodeThatSaysADateATimeOrAReferenceIsReadTwiceOnThePhone() {
        LocaleFiles locales = LocaleFiles.of(EngineFixture.localeFiles(false), EngineFixture.PARIS);
        Flows flows = EngineFixture.flows(locales);
        Map<String, String> french = locales.patterns("fr");
        List<String> missing = new java.util.ArrayList<>();
        List<String> needless = new java.util.ArrayList<>();
        for (String name : flows.names()) {
            for (Node node : flows.flow(name).nodes().values()) {
                boolean carries = false;
                for (String key : new String[] {node.say(), node.sayVoice()}) {
                    if (key != null && french.containsKey(key) && SPOKEN_TWICE.matcher(french.get(key)).find()) carries = true;
                }
                if (carries && !node.readTwice()) missing.add(name + ":" + node.id());
                if (!carries && node.readTwice() && !node.id().equals("phone_readback")) needless.add(name + ":" + node.id());
            }
        }
        assertThat(missing).as("nodes saying a date, time or reference without read_twice: true").isEmpty();
        // A number read back to be checked is the one other thing said twice (the person's mobile, worker.yaml).
        assertThat(needless).as("read_twice on nodes that say no date, time or reference").isEmpty();
        assertThat(flows.flow("appointment").node("show").readTwice()).isTrue();
        assertThat(flows.flow("worker").node("booked").readTwice()).isTrue();
    }

    @TestFactory
    Stream<DynamicTest> brokenFlowsAreRejectedWithFileAndNode() throws IOException {
        LocaleFiles locales = LocaleFiles.of(EngineFixture.localeFiles(false), EngineFixture.PARIS);
        Map<String, Set<String>> keys = new HashMap<>();
        for (LanguageProfile p : locales.offered()) keys.put(p.tag(), locales.patterns(p.tag()).keySet());
        List<Path> fixtures;
        try (Stream<Path> files = Files.list(BROKEN)) {
            fixtures = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(fixtures).hasSizeGreaterThanOrEqualTo(8);
        return fixtures.stream().map(fixture -> DynamicTest.dynamicTest(fixture.getFileName().toString(), () -> {
            String content = Files.readString(fixture);
            String expected = content.lines().findFirst().orElseThrow().replaceFirst("^# expect: ", "");
            assertThatThrownBy(() -> Flows.of(List.of(new Flows.Source("main.yaml", new ByteArrayInputStream(content.getBytes()))), keys))
                    .isInstanceOf(FlowException.class)
                    .hasMessageStartingWith(expected);
        }));
    }
}
