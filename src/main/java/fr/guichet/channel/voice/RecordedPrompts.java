package fr.guichet.channel.voice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The recorded prompts shipped under {@code voice-flows/audio/<locale>/<key>.wav|.mp3} for languages Twilio cannot
 * speak (Dari, Pashto). Found once on the classpath; a language is complete when every spoken text key and the ten
 * digits ({@code digit.0} … {@code digit.9}, for references) have a recording.
 */
final class RecordedPrompts {
    private static final Pattern FILE = Pattern.compile(".*/voice-flows/audio/([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)/([A-Za-z0-9_.\\-]+)\\.(wav|mp3)$");
    static final List<String> DIGIT_KEYS = List.of("digit.0", "digit.1", "digit.2", "digit.3", "digit.4", "digit.5",
            "digit.6", "digit.7", "digit.8", "digit.9");

    /** A recording: the file name to put in the public URL and its content type. */
    record Recording(String locale, String key, String fileName, String contentType) {}

    private final Map<String, Map<String, Recording>> byLocale;

    RecordedPrompts(Map<String, Map<String, Recording>> byLocale) {
        this.byLocale = byLocale;
    }

    static RecordedPrompts scanClasspath() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:voice-flows/audio/**/*.*");
            List<String> urls = new ArrayList<>();
            for (Resource r : resources) urls.add(r.getURL().toString());
            return fromPaths(urls);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list voice-flows/audio/", e);
        }
    }

    static RecordedPrompts fromPaths(List<String> paths) {
        Map<String, Map<String, Recording>> found = new HashMap<>();
        for (String path : paths) {
            Matcher m = FILE.matcher(path);
            if (!m.matches()) continue;
            String type = m.group(3).equals("wav") ? "audio/wav" : "audio/mpeg";
            Recording recording = new Recording(m.group(1), m.group(2), m.group(2) + "." + m.group(3), type);
            // A WAV wins over an MP3 of the same key: it is the format asked for in docs/voice.md.
            found.computeIfAbsent(m.group(1), k -> new HashMap<>())
                    .merge(m.group(2), recording, (old, added) -> old.fileName().endsWith(".wav") ? old : added);
        }
        return new RecordedPrompts(found);
    }

    Optional<Recording> recording(String locale, String key) {
        return Optional.ofNullable(byLocale.getOrDefault(locale, Map.of()).get(key));
    }

    /** Finds a recording by the file name used in its public URL ({@code booking.booked.wav}). */
    Optional<Recording> byFileName(String locale, String fileName) {
        return byLocale.getOrDefault(locale, Map.of()).values().stream().filter(r -> r.fileName().equals(fileName)).findFirst();
    }

    /** Keys among {@code spokenKeys} (plus the digits) with no recording in {@code locale}, sorted. */
    Set<String> missing(String locale, Set<String> spokenKeys) {
        Set<String> missing = new TreeSet<>();
        Map<String, Recording> have = byLocale.getOrDefault(locale, Map.of());
        for (String key : spokenKeys) if (!have.containsKey(key)) missing.add(key);
        for (String key : DIGIT_KEYS) if (!have.containsKey(key)) missing.add(key);
        return missing;
    }

    /**
     * Text keys that are spoken on the phone: every key but word lists (they feed recognition) and SMS-only variants.
     */
    static boolean spoken(String key) {
        return !key.endsWith(".words") && !key.startsWith("sms.") && !key.endsWith(".sms");
    }
}
