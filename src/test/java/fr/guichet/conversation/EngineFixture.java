package fr.guichet.conversation;

import fr.guichet.booking.Procedure;
import fr.guichet.booking.Site;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** The real locale files and flows of the repository, read from disk, for tests of the pure engine. */
final class EngineFixture {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** A small catalogue for engine tests; procedure names are added to every language as test texts. */
    static final CatalogueSnapshot CATALOGUE = new CatalogueSnapshot(
            List.of(new Procedure("TEST_COUNTER", false, Duration.ofMinutes(20), true, false, null),
                    new Procedure("TEST_RENEWAL", false, Duration.ofMinutes(20), true, true, null),
                    new Procedure("TEST_ANEF", true, Duration.ofMinutes(20), true, false, "TEST_PAN")),
            List.of(new Site("GRENOBLE", "Préfecture de l'Isère", "12 place de Verdun, 38000 Grenoble", "04 76 60 34 00", null, PARIS),
                    new Site("VIENNE", "Sous-préfecture de Vienne", "16 boulevard Eugène Arnaud, 38200 Vienne", "04 74 53 26 25", null, PARIS)));

    private EngineFixture() {}

    static List<LocaleFiles.ParsedFile> localeFiles(boolean withTestProcedures) {
        List<LocaleFiles.ParsedFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of("locales"))) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    LocaleFiles.ParsedFile f = LocaleFiles.parse(p.getFileName().toString(), in);
                    if (withTestProcedures) {
                        Map<String, String> messages = new LinkedHashMap<>(f.messages());
                        for (Procedure proc : CATALOGUE.procedures()) {
                            messages.putIfAbsent("procedure." + proc.code() + ".name", proc.code().toLowerCase().replace('_', ' '));
                            messages.putIfAbsent("procedure." + proc.code() + ".documents", "documents " + proc.code());
                        }
                        f = new LocaleFiles.ParsedFile(f.fileName(), f.profile(), f.menuOrder(), messages);
                    }
                    files.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static LocaleFiles locales() {
        return LocaleFiles.of(localeFiles(true), PARIS);
    }

    static Flows flows(LocaleFiles locales) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (LanguageProfile p : locales.offered()) keys.put(p.tag(), locales.patterns(p.tag()).keySet());
        List<Flows.Source> sources = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of("voice-flows"))) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                sources.add(new Flows.Source(p.getFileName().toString(), Files.newInputStream(p)));
            }
            return Flows.of(sources, keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (Flows.Source s : sources) {
                try {
                    s.content().close();
                } catch (IOException ignored) {
                    // reading is over
                }
            }
        }
    }

    static ConversationEngine engine(Clock clock) {
        LocaleFiles locales = locales();
        return new ConversationEngine(flows(locales), locales, clock, Duration.ofMinutes(30), PARIS);
    }
}
