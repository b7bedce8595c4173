package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.Reference;
import fr.guichet.conversation.Expectation;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

class VoiceTwimlTest {
    static final String BASE = "https://guichet.example.org";
    static final LocaleFiles LOCALES = LocaleFiles.loadFromClasspath(ZoneId.of("Europe/Paris"));
    static final Reference REFERENCE = Reference.fromPayload("48291530");

    final VoiceTwiml twiml = new VoiceTwiml(LOCALES, RecordedPrompts.fromPaths(List.of()), BASE + "/");

    static Expectation menu(String... keys) {
        return new Expectation(Expectation.Kind.MENU,
                java.util.Arrays.stream(keys).map(k -> new Expectation.Choice(k, List.of())).toList(), 1);
    }

    static Turn turn(String language, Expectation expect, boolean ended, Prompt... prompts) {
        return new Turn(language, List.of(prompts), expect, ended, Turn.OptOutChange.NONE, false);
    }

    String render(Turn turn, boolean slow) {
        return twiml.render(VoiceTwiml.lines(turn), slow,
                ended(turn) ? new VoiceTwiml.HangUp()
                        : VoiceTwiml.keypadFor(turn.expect(), twiml.url("/twilio/voice/step?n=4"), Duration.ofSeconds(6), slow, null));
    }

    static boolean ended(Turn turn) {
        return turn.ended();
    }

    /** The voice and language pairs of docs/twilio.md §9, as configured in the locale files. */
    @ParameterizedTest
    @CsvSource({
            "fr, Polly.Lea-Neural, fr-FR",
            "en, Polly.Amy-Neural, en-GB",
            "ar, Google.ar-XA-Wavenet-A, ar-XA",
            "es, Polly.Lucia-Neural, es-ES",
            "pt, Polly.Ines-Neural, pt-PT",
            "ru, Polly.Tatyana, ru-RU",
            "tr, Polly.Filiz, tr-TR",
            "uk, Google.uk-UA-Wavenet-A, uk-UA",
            "bn, Google.bn-IN-Wavenet-A, bn-IN"})
    void eachSpokenLanguageUsesItsTwilioVoiceAndLanguage(String tag, String voice, String language) {
        String text = LOCALES.text(tag, "voice.welcome", Map.of());
        TwimlXml xml = TwimlXml.parse(render(turn(tag, menu("1", "2"), false, new Prompt("voice.welcome", Map.of(), text, false)), false));

        Element say = xml.one("Say");
        assertThat(say.getAttribute("voice")).isEqualTo(voice);
        assertThat(say.getAttribute("language")).isEqualTo(language);
        assertThat(say.getTextContent()).isEqualTo(text);
        // Google voices carry their locale in the name: it must be the language Twilio is told.
        if (voice.startsWith("Google.")) assertThat(voice).startsWith("Google." + language + "-");
        assertThat(xml.all("Play")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fa-AF", "ps"})
    void languagesWithoutAVoiceAreNeverSaid(String tag) {
        LanguageProfile profile = LOCALES.byTag(tag).orElseThrow();
        assertThat(profile.twilioVoice()).isNull();
        String text = LOCALES.text(tag, "voice.welcome", Map.of());

        TwimlXml xml = TwimlXml.parse(render(turn(tag, menu("1"), false, new Prompt("voice.welcome", Map.of(), text, false)), false));

        assertThat(xml.all("Say")).isEmpty();
        assertThat(xml.all("Play")).isEmpty();
    }

    @Test
    void languagesWithoutAVoicePlayTheirRecordingsFromAbsoluteUrlsWithTheReferenceDigitByDigit() {
        List<String> files = new java.util.ArrayList<>(List.of(
                "jar:file:/app.jar!/voice-flows/audio/fa-AF/booking.booked.wav",
                "file:/x/voice-flows/audio/fa-AF/booking.booked.mp3"));
        for (int d = 0; d <= 9; d++) files.add("file:/x/voice-flows/audio/fa-AF/digit." + d + ".wav");
        VoiceTwiml withRecordings = new VoiceTwiml(LOCALES, RecordedPrompts.fromPaths(files), BASE);
        Prompt booked = new Prompt("booking.booked", Map.of("reference", REFERENCE.grouped()), "ثبت شد", false);

        TwimlXml xml = TwimlXml.parse(withRecordings.render(VoiceTwiml.lines(turn("fa-AF", menu("1"), false, booked)), false,
                VoiceTwiml.keypadFor(menu("1"), BASE + "/twilio/voice/step?n=2", Duration.ofSeconds(6), false, null)));

        assertThat(xml.all("Say")).isEmpty();
        List<String> played = xml.all("Play").stream().map(Element::getTextContent).toList();
        assertThat(played).hasSize(1 + 9);
        assertThat(played.get(0)).isEqualTo(BASE + "/twilio/audio/fa-AF/booking.booked.wav");
        String expectedDigits = REFERENCE.value();
        for (int i = 0; i < 9; i++) {
            assertThat(played.get(1 + i)).isEqualTo(BASE + "/twilio/audio/fa-AF/digit." + expectedDigits.charAt(i) + ".wav");
        }
    }

    @Test
    void aMenuGathersOneKeyWithThePromptsInsideAndAnAbsoluteAction() {
        TwimlXml xml = TwimlXml.parse(render(turn("fr", menu("1", "2", "3"), false,
                new Prompt("main.menu", Map.of(), "Que voulez-vous faire ?", false)), false));

        assertThat(xml.root().getTagName()).isEqualTo("Response");
        assertThat(xml.verbs()).containsExactly("Gather");
        Element gather = xml.one("Gather");
        assertThat(gather.getAttribute("input")).isEqualTo("dtmf");
        assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
        assertThat(gather.getAttribute("action")).isEqualTo(BASE + "/twilio/voice/step?n=4");
        assertThat(gather.getAttribute("method")).isEqualTo("POST");
        assertThat(gather.getAttribute("actionOnEmptyResult")).isEqualTo("true");
        assertThat(gather.getAttribute("timeout")).isEqualTo("6");
        assertThat(TwimlXml.children(gather)).containsExactly("Say");
    }

    @Test
    void typedEntriesWaitForAllDigitsOrTheHashKeyAndLonger() {
        Expectation reference = new Expectation(Expectation.Kind.REFERENCE, List.of(), 9);
        TwimlXml xml = TwimlXml.parse(render(turn("en", reference, false, new Prompt("appointment.reference", Map.of(), "Type it", false)), false));

        Element gather = xml.one("Gather");
        assertThat(gather.getAttribute("numDigits")).isEqualTo("9");
        assertThat(gather.getAttribute("finishOnKey")).isEqualTo("#");
        assertThat(Integer.parseInt(gather.getAttribute("timeout"))).isGreaterThan(6);
    }

    @Test
    void promptsToReadTwiceAreSaidTwiceAndTheReferenceDigitByDigit() {
        Prompt booked = new Prompt("booking.booked", Map.of("reference", REFERENCE.grouped()),
                "Rendez-vous confirmé. Référence " + REFERENCE.grouped() + ".", true);

        TwimlXml xml = TwimlXml.parse(render(turn("fr", Expectation.nothing(), true, booked), false));

        List<Element> says = xml.all("Say");
        assertThat(says).hasSize(2);
        String v = REFERENCE.value();
        String spelled = "%s %s %s, %s %s %s, %s %s %s".formatted((Object[]) v.split(""));
        assertThat(says).allSatisfy(say -> assertThat(say.getTextContent()).isEqualTo("Rendez-vous confirmé. Référence " + spelled + "."));
        assertThat(xml.verbs()).containsExactly("Say", "Pause", "Say", "Hangup");
    }

    @Test
    void everyValidReferenceInTheTextIsSpelledNotOnlyTheReferenceArgument() {
        // The worker's list and the booking chosen from it carry the reference as {booking}, not {reference}.
        Prompt manage = new Prompt("worker.manage", Map.of("booking", REFERENCE.grouped()),
                "Rendez-vous " + REFERENCE.grouped() + " (F. S.) :", false);
        String v = REFERENCE.value();
        String spelled = "%s %s %s, %s %s %s, %s %s %s".formatted((Object[]) v.split(""));
        assertThat(VoiceTwiml.spokenText(manage)).isEqualTo("Rendez-vous " + spelled + " (F. S.) :");
        // Nine digits in groups that are not a reference (wrong check digit) and phone numbers are left as they are.
        String notReference = v.substring(0, 3) + " " + v.substring(3, 6) + " " + v.substring(6, 8) + ((v.charAt(8) - '0' + 1) % 10);
        assertThat(VoiceTwiml.spokenText(new Prompt("k", Map.of(), "Code " + notReference + ", tél. 04 76 60 49 49", false)))
                .isEqualTo("Code " + notReference + ", tél. 04 76 60 49 49");
    }

    @Test
    void aSecretIsTypedUntilHashAndNeverListenedTo() {
        Expectation pin = new Expectation(Expectation.Kind.SECRET, List.of(), 0);
        assertThat(VoiceCallFlow.listensFor(pin)).isFalse();
        assertThat(VoiceCallFlow.listensFor(new Expectation(Expectation.Kind.NUMBER, List.of(), 0))).isTrue();
        assertThat(VoiceCallFlow.eightFree(pin)).isFalse();
        VoiceTwiml.Keypad keypad = VoiceTwiml.keypadFor(pin, BASE + "/twilio/voice/step?n=4", Duration.ofSeconds(6), false, null);
        assertThat(keypad.numDigits()).isZero();
        TwimlXml xml = TwimlXml.parse(twiml.render(List.of(), false, keypad));
        assertThat(xml.one("Gather").getAttribute("finishOnKey")).isEqualTo("#");
        assertThat(xml.one("Gather").getAttribute("input")).isEqualTo("dtmf");
        assertThat(xml.all("Start")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ListeningPrompts().expect(
                new VoiceTwiml.SpeechStream("CA1234567890", "p4", "en"), 4, pin)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void slowSpeechWrapsTheTextInSsmlProsody() {
        TwimlXml xml = TwimlXml.parse(render(turn("fr", menu("1"), false, new Prompt("k", Map.of(), "Bonjour", false)), true));

        Element prosody = xml.one("prosody");
        assertThat(prosody.getAttribute("rate")).isEqualTo(VoiceTwiml.SLOW_RATE);
        assertThat(prosody.getTextContent()).isEqualTo("Bonjour");
        assertThat(((Element) prosody.getParentNode()).getTagName()).isEqualTo("Say");
        assertThat(Integer.parseInt(xml.one("Gather").getAttribute("timeout"))).isGreaterThan(6);
    }

    @Test
    void aPromptInAnotherLanguageIsSpokenWithThatLanguagesVoice() {
        Turn menu = turn("fr", menu("1", "2"), false,
                new Prompt("voice.language_option", Map.of("digit", 1), "Pour le français, tapez 1.", false, "fr"),
                new Prompt("voice.language_option", Map.of("digit", 2), "للعربية، اضغط ٢.", false, "ar"));

        List<Element> says = TwimlXml.parse(render(menu, false)).all("Say");

        assertThat(says).extracting(e -> e.getAttribute("language")).containsExactly("fr-FR", "ar-XA");
    }

    @Test
    void anEndedTurnHangsUpAfterItsPrompts() {
        TwimlXml xml = TwimlXml.parse(render(turn("en", Expectation.nothing(), true, new Prompt("k", Map.of(), "Goodbye", false)), false));
        assertThat(xml.verbs()).containsExactly("Say", "Hangup");
    }

    @Test
    void aTransferDialsTheStaffNumberAndReportsToAnAbsoluteAction() {
        String xml = twiml.render(List.of(), false,
                new VoiceTwiml.Transfer("+33476604949", BASE + "/twilio/voice/dialed?n=5", Duration.ofSeconds(30)));
        Element dial = TwimlXml.parse(xml).one("Dial");
        assertThat(dial.getAttribute("action")).isEqualTo(BASE + "/twilio/voice/dialed?n=5");
        assertThat(dial.getAttribute("timeout")).isEqualTo("30");
        assertThat(TwimlXml.parse(xml).one("Number").getTextContent()).isEqualTo("+33476604949");
    }

    @Test
    void aSpeechStreamStartsBeforeTheGatherWithItsParameters() {
        VoiceTwiml.SpeechStream stream = new VoiceTwiml.SpeechStream("CA0123456789abcdef0123456789abcdef", "p4", "en");
        TwimlXml xml = TwimlXml.parse(twiml.render(List.of(), false,
                VoiceTwiml.keypadFor(menu("1", "2"), BASE + "/twilio/voice/step?n=4", Duration.ofSeconds(6), false, stream)));

        assertThat(xml.verbs()).containsExactly("Start", "Gather");
        Element s = xml.one("Stream");
        assertThat(s.getAttribute("url")).isEqualTo("wss://guichet.example.org/twilio/media");
        assertThat(s.getAttribute("track")).isEqualTo("inbound_track");
        Map<String, String> params = new java.util.HashMap<>();
        xml.all("Parameter").forEach(p -> params.put(p.getAttribute("name"), p.getAttribute("value")));
        assertThat(params).containsEntry("callSid", stream.callSid()).containsEntry("promptId", "p4").containsEntry("language", "en");
    }

    @Test
    void thePreviousPromptsStreamIsStoppedBeforeAnythingElse() {
        String xml = twiml.render(List.of(), false,
                new VoiceTwiml.Transfer("+33476604949", BASE + "/twilio/voice/dialed?n=5", Duration.ofSeconds(30)), "speech-p4");
        TwimlXml parsed = TwimlXml.parse(xml);
        assertThat(parsed.verbs()).containsExactly("Stop", "Dial");
        assertThat(parsed.one("Stream").getAttribute("name")).isEqualTo("speech-p4");
    }

    @Test
    void keyEightIsFreeForSlowerSpeechOnlyWhereItMeansNothingElse() {
        assertThat(VoiceCallFlow.eightFree(menu("1", "2", "3"))).isTrue();
        assertThat(VoiceCallFlow.eightFree(Expectation.nothing())).isTrue();
        assertThat(VoiceCallFlow.eightFree(menu("1", "2", "3", "4", "5", "6", "7", "8"))).isFalse();
        assertThat(VoiceCallFlow.eightFree(new Expectation(Expectation.Kind.NUMBER, List.of(), 2))).isFalse();
        assertThat(VoiceCallFlow.eightFree(new Expectation(Expectation.Kind.MENU, List.of(), 2))).isFalse();
    }

    @Test
    void keypadInputKeepsOnlyDigitsStarAndHash() {
        assertThat(VoiceWebhookController.digits(" 1<script>2*#")).isEqualTo("12*#");
        assertThat(VoiceWebhookController.digits(null)).isEmpty();
        assertThat(VoiceWebhookController.digits("1".repeat(100))).hasSize(32);
    }
}
