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
