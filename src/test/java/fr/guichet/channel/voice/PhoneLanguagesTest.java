package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhoneLanguagesTest {
    static final LocaleFiles LOCALES = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));

    static List<String> completeSetFor(String tag) {
        List<String> paths = new ArrayList<>();
        LOCALES.patterns(tag).keySet().stream().filter(RecordedPrompts::spoken)
                .forEach(key -> paths.add("file:/r/voice-flows/audio/" + tag + "/" + key + ".wav"));
        for (String digit : RecordedPrompts.DIGIT_KEYS) paths.add("file:/r/voice-flows/audio/" + tag + "/" + digit + ".mp3");
        return paths;
    }

    @Test
    void withoutRecordingsDariAndPashtoStayOffThePhoneAndWhatIsMissingIsListed() {
        PhoneLanguages phone = new PhoneLanguages(LOCALES, RecordedPrompts.fromPaths(List.of()));

        assertThat(phone.capable()).extracting(LanguageProfile::tag).containsExactly("fr", "ar", "en", "ru", "uk", "tr", "bn", "es", "pt");
        assertThat(phone.missingRecordings()).containsOnlyKeys("fa-AF", "ps");
        assertThat(phone.missingRecordings().get("fa-AF")).contains("voice.welcome", "voice.language_option", "digit.0", "digit.9")
                .noneMatch(key -> key.endsWith(".words"));
    }

    @Test
    void aCompleteSetOfRecordingsPutsALanguageOnThePhoneAndOneMissingFileKeepsItOff() {
        List<String> dari = completeSetFor("fa-AF");
        List<String> pashtoButOne = completeSetFor("ps");
        String removed = pashtoButOne.removeFirst();

        PhoneLanguages phone = new PhoneLanguages(LOCALES, RecordedPrompts.fromPaths(
                java.util.stream.Stream.concat(dari.stream(), pashtoButOne.stream()).toList()));

        assertThat(phone.speaking("fa-AF")).contains(PhoneLanguages.Speaking.RECORDINGS);
        assertThat(phone.capable()).extracting(LanguageProfile::tag).contains("fa-AF").doesNotContain("ps");
        String missingKey = removed.substring(removed.lastIndexOf('/') + 1, removed.lastIndexOf('.'));
        assertThat(phone.missingRecordings().get("ps")).containsExactly(missingKey);
    }
}
