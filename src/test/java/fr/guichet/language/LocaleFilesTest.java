package fr.guichet.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocaleFilesTest {
    private static LocaleFiles.ParsedFile file(String tag, String messages) {
        String yaml = """
                spec: 1
                meta: {tag: %s, name: X, direction: ltr, dateSkeleton: EEEEdMMMM, timeSkeleton: Hm}
                messages:
                %s
                """.formatted(tag, messages);
        return LocaleFiles.parse(tag + ".yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void formatsDatesInTheConfiguredZoneEvenInsideSelect() {
        LocaleFiles files = LocaleFiles.of(List.of(file("fr",
                "  when: \"{start, date, ::EEEEdMMMM} à {start, time, ::Hm}\"\n"
                        + "  nested: \"{kind, select, a {le {start, time, ::Hm}} other {x}}\"")), ZoneId.of("Europe/Paris"));
        Instant nineUtc = Instant.parse("2026-03-10T09:00:00Z");
        assertThat(files.text("fr", "when", Map.of("start", nineUtc))).isEqualTo("mardi 10 mars à 10:00");
        assertThat(files.text("fr", "nested", Map.of("start", nineUtc, "kind", "a"))).isEqualTo("le 10:00");
    }
}
