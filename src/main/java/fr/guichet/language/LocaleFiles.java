package fr.guichet.language;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The locale files ({@code locales/<tag>.yaml}): a {@code meta} section describing the language and a flat
 * {@code messages} map of ICU MessageFormat patterns. Loaded once; formatting is pure.
 */
public final class LocaleFiles implements Texts, Languages {
    private final List<LanguageProfile> offered;
    private final Map<String, LanguageProfile> byTag;
    private final Map<String, Map<String, String>> patterns;
    private final Map<String, MessageFormat> compiled = new ConcurrentHashMap<>();
    private final ZoneId zone;

    private LocaleFiles(List<LanguageProfile> offered, Map<String, Map<String, String>> patterns, ZoneId zone) {
        this.offered = List.copyOf(offered);
        this.byTag = new HashMap<>();
        offered.forEach(p -> byTag.put(p.tag(), p));
        this.patterns = patterns;
        this.zone = zone;
    }

    /** Loads every {@code classpath:locales/*.yaml}; dates and times are shown in {@code zone}. */
    public static LocaleFiles loadFromClasspath(ZoneId zone) {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:locales/*.yaml");
            List<ParsedFile> files = new ArrayList<>();
            for (Resource resource : resources) {
                try (InputStream in = resource.getInputStream()) {
                    files.add(parse(resource.getFilename(), in));
                }
            }
            return of(files, zone);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read locales/", e);
        }
    }

    /** The content of one locale file, before checks across files. */
    public record ParsedFile(String fileName, LanguageProfile profile, int menuOrder, Map<String, String> messages) {}

    @SuppressWarnings("unchecked")
    public static ParsedFile parse(String fileName, InputStream in) {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        if (!(root instanceof Map<?, ?> map) || !(map.get("meta") instanceof Map<?, ?> meta)) {
            throw new LocaleFileException(fileName, "a locale file needs a 'meta' section");
        }
        if (!Integer.valueOf(1).equals(map.get("spec"))) {
            throw new LocaleFileException(fileName, "unsupported or missing 'spec' (expected 1)");
        }
        String tag = required(fileName, meta, "tag");
        if (!fileName.equals(tag + ".yaml")) {
            throw new LocaleFileException(fileName, "file name must be the tag: " + tag + ".yaml");
        }
        LanguageProfile profile = new LanguageProfile(
                tag,
                required(fileName, meta, "name"),
                "rtl".equals(meta.get("direction")),
                optional(meta, "twilioVoice"),
                optional(meta, "twilioLanguage"),
                optional(meta, "speechModel"),
                required(fileName, meta, "dateSkeleton"),
                required(fileName, meta, "timeSkeleton"));
        Object order = meta.get("menuOrder");
        int menuOrder = order instanceof Integer i ? i : Integer.MAX_VALUE;
        Map<String, String> messages = new LinkedHashMap<>();
        if (map.get("messages") instanceof Map<?, ?> raw) {
            raw.forEach((k, v) -> {
                if (v == null) throw new LocaleFileException(fileName, "empty text for key " + k);
                messages.put(String.valueOf(k), String.valueOf(v));
            });
        }
        return new ParsedFile(fileName, profile, menuOrder, messages);
    }

    public static LocaleFiles of(List<ParsedFile> files, ZoneId zone) {
        List<ParsedFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingInt(ParsedFile::menuOrder).thenComparing(f -> f.profile().tag()));
        Map<String, Map<String, String>> patterns = new HashMap<>();
        sorted.forEach(f -> patterns.put(f.profile().tag(), Map.copyOf(f.messages())));
        return new LocaleFiles(sorted.stream().map(ParsedFile::profile).toList(), patterns, zone);
    }

    private static String required(String file, Map<?, ?> meta, String key) {
        Object value = meta.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new LocaleFileException(file, "meta." + key + " is required");
        }
        return String.valueOf(value);
    }

    private static String optional(Map<?, ?> meta, String key) {
        Object value = meta.get(key);
        return value == null ? null : String.valueOf(value);
    }

    @Override
    public List<LanguageProfile> offered() {
        return offered;
    }

    @Override
    public Optional<LanguageProfile> byTag(String tag) {
        return Optional.ofNullable(tag).map(byTag::get);
    }

    /** The raw patterns of one language, for checks across files. */
    public Map<String, String> patterns(String tag) {
        return patterns.getOrDefault(tag, Map.of());
    }

    @Override
    public String text(String languageTag, String key, Map<String, ?> args) {
        Map<String, String> language = patterns.get(languageTag);
        if (language == null) throw new IllegalArgumentException("Language not offered: " + languageTag);
        String pattern = language.get(key);
        if (pattern == null) throw new IllegalArgumentException("No text '" + key + "' in " + languageTag);
        MessageFormat format = compiled.computeIfAbsent(languageTag + '\u0000' + key, k -> {
            // The timezone keyword makes every date format inside the pattern, nested ones too, use the zone.
            // Gregorian everywhere: dari and pashto default to the solar hijri calendar, but the date must match the
            // prefecture's convocation and what the person types (12/03); month names stay in the person's language.
            ULocale locale = ULocale.forLanguageTag(languageTag).setKeywordValue("timezone", zone.getId())
                    .setKeywordValue("calendar", "gregorian");
            return new MessageFormat(pattern, locale);
        });
        Map<String, Object> icuArgs = new HashMap<>();
        args.forEach((name, value) -> icuArgs.put(name, forIcu(value)));
        // MessageFormat is not thread-safe; formats are small, so a lock per format is cheap.
        synchronized (format) {
            return format.format(icuArgs);
        }
    }

    private Object forIcu(Object value) {
        return switch (value) {
            case Instant instant -> Date.from(instant);
            case ZonedDateTime zoned -> Date.from(zoned.toInstant());
            case LocalDateTime local -> Date.from(local.atZone(zone).toInstant());
            case LocalDate date -> Date.from(date.atTime(12, 0).atZone(zone).toInstant());
            case null -> "";
            default -> value;
        };
    }
}
