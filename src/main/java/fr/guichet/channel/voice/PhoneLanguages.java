package fr.guichet.channel.voice;

import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The languages offered on the phone, in menu order: those Twilio can speak, and those with a complete set of
 * recorded prompts. The others stay offered by SMS only. Decided once at start-up, and logged.
 */
final class PhoneLanguages {
    private static final Logger log = LoggerFactory.getLogger(PhoneLanguages.class);

    /** How a language is spoken on the phone. */
    enum Speaking { TEXT_TO_SPEECH, RECORDINGS }

    private final List<LanguageProfile> capable;
    private final Map<String, Speaking> speaking = new LinkedHashMap<>();
    private final Map<String, Set<String>> missingRecordings = new LinkedHashMap<>();

    PhoneLanguages(LocaleFiles locales, RecordedPrompts recordings) {
        List<LanguageProfile> ok = new ArrayList<>();
        for (LanguageProfile p : locales.offered()) {
            if (p.twilioVoice() != null && p.twilioLanguage() != null) {
                speaking.put(p.tag(), Speaking.TEXT_TO_SPEECH);
                ok.add(p);
                continue;
            }
            Set<String> spoken = locales.patterns(p.tag()).keySet().stream().filter(RecordedPrompts::spoken)
                    .collect(Collectors.toSet());
            Set<String> missing = recordings.missing(p.tag(), spoken);
            if (missing.isEmpty()) {
                speaking.put(p.tag(), Speaking.RECORDINGS);
                ok.add(p);
            } else {
                missingRecordings.put(p.tag(), missing);
            }
        }
        this.capable = List.copyOf(ok);
        log.info("Voice: languages on the phone: {}", speaking);
        missingRecordings.forEach((tag, missing) -> log.warn(
                "Voice: {} has no Twilio voice and {} recorded prompts missing under voice-flows/audio/{}/ (e.g. {}) — offered by SMS only",
                tag, missing.size(), tag, missing.stream().limit(8).toList()));
    }

    List<LanguageProfile> capable() {
        return capable;
    }

    Optional<LanguageProfile> byTag(String tag) {
        return capable.stream().filter(p -> p.tag().equals(tag)).findFirst();
    }

    Optional<Speaking> speaking(String tag) {
        return Optional.ofNullable(speaking.get(tag));
    }

    /** Languages not offered on the phone, with the recordings they lack. */
    Map<String, Set<String>> missingRecordings() {
        return missingRecordings;
    }
}
