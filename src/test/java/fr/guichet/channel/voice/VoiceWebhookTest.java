package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.booking.Reference;
import fr.guichet.conversation.Conversations;
import fr.guichet.conversation.Expectation;
import fr.guichet.conversation.Inbound;
import fr.guichet.conversation.Prompt;
import fr.guichet.conversation.Turn;
import fr.guichet.language.LocaleFiles;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.Outbox;
import fr.guichet.phone.PhoneNumber;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Element;

/**
 * The voice webhooks through real HTTP over the whole service and a real PostgreSQL. The conversation runtime is
 * being built on another branch: a scripted stand-in plays it here (the voice channel is what is under test), and
 * the outbox is captured in memory. The end-to-end keypad booking against the real runtime is to be added once it is
 * on main.
 */
@SpringBootTest(classes = {GuichetApplication.class, VoiceWebhookTest.Stubs.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + VoiceWebhookTest.BASE,
                "app.admin-token=" + VoiceWebhookTest.STAFF_TOKEN,
                // No app.voice.staff.hours nor .phone: the handover site's own opening hours and staff number
                // (the Isère demo catalogue in PostgreSQL: Grenoble, weekdays 08:45-12:00 and 13:30-16:00).
        })
class VoiceWebhookTest {
    static final String BASE = "https://guichet.example.org";
    static final String STAFF_TOKEN = "staff-secret";
    static final Reference REFERENCE = Reference.fromPayload("48291530");

    /** One reference per caller, as the booking would give: confirmations are texted once per reference. */
    static Reference referenceFor(String e164) {
        return Reference.fromPayload(e164.substring(e164.length() - 8));
    }
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Instant TUESDAY_10H = ZonedDateTime.of(2026, 3, 10, 10, 0, 0, 0, PARIS).toInstant();
    static final Instant SATURDAY_10H = ZonedDateTime.of(2026, 3, 14, 10, 0, 0, 0, PARIS).toInstant();
    /** Ascension Thursday 2026 (Easter is 5 April): a weekday in the weekly hours, but a public holiday. */
    static final Instant ASCENSION_10H = ZonedDateTime.of(2026, 5, 14, 10, 0, 0, 0, PARIS).toInstant();
    private static final AtomicInteger numbers = new AtomicInteger();


    /** Plays the conversation runtime: a menu, "0" asks for a person, "1" books, "3" (after the language menu) queues, "2" ends, "*" repeats. */
    static final class ScriptedConversations implements Conversations {
        final List<Inbound> received = Collections.synchronizedList(new ArrayList<>());
        final Map<String, String> languages = new ConcurrentHashMap<>();

        @Override
        public Turn handle(Inbound in) {
            received.add(in);
            if (in.chosenLanguage() != null) languages.put(in.from().e164(), in.chosenLanguage());
            String lang = languages.getOrDefault(in.from().e164(), "fr");
            Expectation menu = new Expectation(Expectation.Kind.MENU,
                    List.of(new Expectation.Choice("1", List.of("book")), new Expectation.Choice("2", List.of("end"))), 1);
            if (in.text().equals("3") && !in.newCall()) {
                // Not at the language menu, where 3 is English.
                return new Turn(lang, List.of(new Prompt("booking.queued", Map.of("reference", referenceFor(in.from().e164()).grouped()),
                        "QUEUED-" + lang + " we will text you", true)), Expectation.nothing(), true, Turn.OptOutChange.NONE, false);
            }
            return switch (in.text()) {
                case "0" -> new Turn(lang, List.of(new Prompt("handover.voice", Map.of(), "PERSON-" + lang, false)),
                        Expectation.nothing(), false, Turn.OptOutChange.NONE, true);
                case "1" -> new Turn(lang, List.of(new Prompt("booking.booked", Map.of("reference", referenceFor(in.from().e164()).grouped()),
                        "BOOKED-" + lang + " Référence " + referenceFor(in.from().e164()).grouped() + ".", false)), menu, false,
                        Turn.OptOutChange.NONE, false);
                case "2" -> new Turn(lang, List.of(new Prompt("main.bye", Map.of(), "BYE-" + lang, false)),
                        Expectation.nothing(), true, Turn.OptOutChange.NONE, false);
                default -> new Turn(lang, List.of(new Prompt("main.menu", Map.of(), "MENU-" + lang, false)), menu, false,
                        Turn.OptOutChange.NONE, false);
            };
        }

        @Override
        public Optional<String> languageOf(PhoneNumber phone) {
            return Optional.ofNullable(languages.get(phone.e164()));
        }
    }

    /** Captures what would be texted (the PostgreSQL outbox is built on the SMS branch). */
    static final class CapturedOutbox implements Outbox {
        final Map<String, OutboundText> texts = new ConcurrentHashMap<>();

        @Override
        public boolean enqueue(OutboundText text) {
            return texts.putIfAbsent(text.purposeKey(), text) == null;
        }
    }

    /**
     * Plays the speech package (on another branch) for the channel's side of speech: frames whose bytes are 0x11
     * "say" choice 1 after five frames; frames of 0x22 are words that match nothing (a miss when the stream stops).
     */
    static final class ScriptedSpeech implements SpeechGate {
        volatile boolean on;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public boolean canListen(String language, Expectation expect) {
            return on && language.equals("en");
        }

        @Override
        public Optional<Listener> listen(String language, Expectation expect) {
            opened.incrementAndGet();
            return Optional.of(new Listener() {
                int matching;
                int other;

                @Override
                public Heard feed(byte[] mulaw) {
                    if (mulaw.length > 0 && mulaw[0] == 0x11 && ++matching >= 5) return new Heard.Match("1");
                    if (mulaw.length > 0 && mulaw[0] == 0x22) other++;
                    return new Heard.Nothing();
                }

                @Override
                public Heard finish() {
                    return other > 0 ? new Heard.Miss() : new Heard.Nothing();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            });
        }
    }

    static final String ACCOUNT = "AC11111111111111111111111111111111";
    static final com.github.tomakehurst.wiremock.WireMockServer twilio =
            new com.github.tomakehurst.wiremock.WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());

    static {
        // Stopped with the JVM, like the Spring context it serves.
        twilio.start();
    }

    @TestConfiguration
    static class Stubs {
        @Bean @Primary ScriptedConversations scriptedConversations() { return new ScriptedConversations(); }
        @Bean @Primary CapturedOutbox capturedOutbox() { return new CapturedOutbox(); }
        @Bean @Primary TestClock testClock() { return new TestClock(TUESDAY_10H); }
        @Bean @Primary ScriptedSpeech scriptedSpeech() { return new ScriptedSpeech(); }

        @Bean @Primary
        com.twilio.http.TwilioRestClient testTwilioRestClient() {
            return new com.twilio.http.TwilioRestClient.Builder(ACCOUNT, "test-auth-token")
                    .httpClient(new LocalTwilioHttpClient(twilio.baseUrl())).build();
        }
    }

    @LocalServerPort int port;
    @Autowired ScriptedConversations conversations;
    @Autowired CapturedOutbox outbox;
    @Autowired fr.guichet.notify.SmsNumbers smsNumbers;
    @Autowired TestClock clock;
    @Autowired JdbcClient jdbc;
    @Autowired LocaleFiles locales;
    final HttpClient http = HttpClient.newHttpClient();

    @Autowired ScriptedSpeech speech;

    @BeforeEach
    void tuesdayMorningKeypadOnly() {
        clock.set(TUESDAY_10H);
        speech.on = false;
        twilio.resetAll();
    }

    static String freshSid() {
        return "CA" + "%032x".formatted(System.nanoTime());
    }

    static String freshMobile() {
        return "+3361299%04d".formatted(numbers.incrementAndGet());
    }

    static String freshLandline() {
        return "+3347699%04d".formatted(numbers.incrementAndGet());
    }

    HttpResponse<String> post(String pathAndQuery, Map<String, String> params) {
        String form = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    HttpResponse<String> get(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        return send(request.build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> call(String sid, String from, String country, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", sid);
        p.put("AccountSid", "AC11111111111111111111111111111111");
        p.put("From", from);
        p.put("To", "+33757000000");
        p.put("CallStatus", "in-progress");
        p.put("Direction", "inbound");
        if (country != null) p.put("FromCountry", country);
        for (int i = 0; i + 1 < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return p;
    }

    TwimlXml twiml(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
        return TwimlXml.parse(response.body());
    }

    /** Answers the language menu with the digit offered for {@code tag}; returns the TwiML of the first conversation turn. */
    TwimlXml startIn(String sid, String from, String tag) {
        TwimlXml menu = twiml(post("/twilio/voice", call(sid, from, "FR")));
        String digit = digitFor(menu, tag);
        return twiml(post("/twilio/voice/language?n=1&page=0", call(sid, from, "FR", "Digits", digit)));
    }

    String digitFor(TwimlXml menu, String tag) {
        String languageCode = locales.byTag(tag).orElseThrow().twilioLanguage();
        Element say = menu.all("Say").stream().filter(s -> s.getAttribute("language").equals(languageCode)
                && !s.getTextContent().equals(locales.text(tag, "voice.welcome", Map.of()))).findFirst().orElseThrow();
        return digitOf(say);
    }

    // ---- the language menu -------------------------------------------------------------------------------------

    @Test
    void aNewCallSaysTheServiceIsFreeThenOffersEachLanguageInItsOwnVoice() {
        TwimlXml xml = twiml(post("/twilio/voice", call(freshSid(), freshMobile(), "FR")));

        Element gather = xml.one("Gather");
        assertThat(gather.getAttribute("action")).isEqualTo(BASE + "/twilio/voice/language?n=1&page=0");
        assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
        assertThat(gather.getAttribute("actionOnEmptyResult")).isEqualTo("true");
        List<Element> says = xml.all("Say");
        assertThat(says.get(0).getTextContent()).isEqualTo(locales.text("fr", "voice.welcome", Map.of())).contains("gratuit");
        assertThat(says.get(0).getAttribute("language")).isEqualTo("fr-FR");
        List<String> options = says.subList(1, says.size()).stream().map(Element::getTextContent).toList();
        assertThat(options).first().isEqualTo("Pour le français, tapez 1.");
        assertThat(options).contains("For English, press 3.");
        // Nine languages have a Twilio voice; Dari and Pashto have no recordings yet, so they are not offered on the phone.
        assertThat(options).hasSize(9);
        for (Element say : says.subList(1, says.size())) {
            String lang = say.getAttribute("language");
            var profile = locales.offered().stream().filter(p -> lang.equals(p.twilioLanguage())).findFirst().orElseThrow();
            assertThat(say.getAttribute("voice")).isEqualTo(profile.twilioVoice());
            assertThat(say.getTextContent()).isEqualTo(locales.text(profile.tag(), "voice.language_option",
                    Map.of("digit", Integer.parseInt(digitOf(say)))));
        }
    }

    private static String digitOf(Element say) {
        // Arabic and Bengali write the key in their own digits; Character.digit reads them all.
        StringBuilder out = new StringBuilder();
        say.getTextContent().codePoints().filter(Character::isDigit).forEach(cp -> out.append(Character.digit(cp, 10)));
        return out.toString();
    }

    @Test
    void theCallersCountryPutsItsLikelyLanguageFirstWithoutChangingTheKeys() {
        TwimlXml xml = twiml(post("/twilio/voice", call(freshSid(), "+905321234567", "TR")));

        List<Element> says = xml.all("Say");
        assertThat(says.get(0).getAttribute("language")).isEqualTo("tr-TR");
        assertThat(says.get(0).getTextContent()).isEqualTo(locales.text("tr", "voice.welcome", Map.of()));
        assertThat(says.get(1).getTextContent()).startsWith("Türkçe için");
        assertThat(says.stream().map(Element::getTextContent)).contains("Pour le français, tapez 1.", "For English, press 3.");
    }

    @Test
    void choosingALanguageStartsTheConversationInItWithItsVoice() {
        String sid = freshSid();
        String from = freshMobile();

        TwimlXml xml = startIn(sid, from, "en");

        Inbound first = conversations.received.stream().filter(i -> i.from().e164().equals(from)).findFirst().orElseThrow();
        assertThat(first.newCall()).isTrue();
        assertThat(first.chosenLanguage()).isEqualTo("en");
        assertThat(first.text()).isEqualTo("3");
        assertThat(first.countryHint()).isEqualTo("FR");
        List<Element> says = xml.all("Say");
        assertThat(says).extracting(Element::getTextContent).containsExactly("MENU-en", "To hear this again, press star. To speak to a person, press 0. For a slower voice, press 8.");
        assertThat(says).allSatisfy(s -> assertThat(s.getAttribute("voice")).isEqualTo("Polly.Amy-Neural"));
        assertThat(xml.one("Gather").getAttribute("action")).isEqualTo(BASE + "/twilio/voice/step?n=2");
    }

    @Test
    void aWrongKeyAtTheLanguageMenuRepeatsItAndThreeSilencesHangUp() {
        String sid = freshSid();
        String from = freshMobile();
        twiml(post("/twilio/voice", call(sid, from, "FR")));

        TwimlXml again = twiml(post("/twilio/voice/language?n=1&page=0", call(sid, from, "FR", "Digits", "7#")));
        assertThat(again.one("Gather").getAttribute("action")).isEqualTo(BASE + "/twilio/voice/language?n=2&page=0");
        twiml(post("/twilio/voice/language?n=2&page=0", call(sid, from, "FR", "Digits", "")));
        TwimlXml bye = twiml(post("/twilio/voice/language?n=3&page=0", call(sid, from, "FR")));

        assertThat(bye.verbs()).containsExactly("Say", "Hangup");
        assertThat(bye.one("Say").getTextContent()).isEqualTo(locales.text("fr", "voice.no_input", Map.of()));
    }

    @Test
    void aHiddenNumberIsToldToCallAgainInFrenchAndEnglish() {
        TwimlXml xml = twiml(post("/twilio/voice", call(freshSid(), "anonymous", null)));

        assertThat(xml.verbs()).containsExactly("Say", "Say", "Hangup");
        assertThat(xml.all("Say")).extracting(e -> e.getAttribute("language")).containsExactly("fr-FR", "en-GB");
    }

    // ---- turns -----------------------------------------------------------------------------------------------------

    @Test
    void aRetriedStepGetsTheSameAnswerAndRunsNoSecondTurn() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "fr");
        int before = conversations.received.size();

        HttpResponse<String> first = post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "1"));
        HttpResponse<String> retry = post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "1"));

        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(conversations.received.size()).isEqualTo(before + 1);
        assertThat(outbox.texts).containsKey("convocation:" + referenceFor(from).value());
    }

    @Test
    void keyEightTogglesASlowerVoiceAndRepeatsThePrompt() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "fr");

        TwimlXml slow = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "8")));

        assertThat(conversations.received.getLast().text()).isEqualTo("*");
        assertThat(slow.all("prosody")).isNotEmpty().allSatisfy(p -> assertThat(p.getAttribute("rate")).isEqualTo(VoiceTwiml.SLOW_RATE));
        assertThat(slow.all("Say").get(0).getTextContent()).isEqualTo(locales.text("fr", "voice.slower_on", Map.of()));
        assertThat(slow.all("Say")).extracting(Element::getTextContent).contains("MENU-fr");

        TwimlXml normal = twiml(post("/twilio/voice/step?n=3", call(sid, from, "FR", "Digits", "8")));
        assertThat(normal.all("prosody")).isEmpty();
        assertThat(normal.all("Say").get(0).getTextContent()).isEqualTo(locales.text("fr", "voice.slower_off", Map.of()));
    }

    @Test
    void anEndedConversationHangsUp() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "es");

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "2")));

        assertThat(xml.verbs()).containsExactly("Say", "Hangup");
        assertThat(xml.one("Say").getAttribute("language")).isEqualTo("es-ES");
    }

    // ---- confirmation -------------------------------------------------------------------------------------------

    @Test
    void aBookingMadeFromAMobileIsAlsoTexted() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "en");

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "1")));

        Reference reference = referenceFor(from);
        OutboundText text = outbox.texts.values().stream().filter(t -> t.to().e164().equals(from)).findFirst().orElseThrow();
        assertThat(text.purposeKey()).isEqualTo("convocation:" + reference.value());
        assertThat(text.body()).isEqualTo("BOOKED-en Référence " + reference.grouped() + ".");
        assertThat(text.language()).isEqualTo("en");
        List<String> said = xml.all("Say").stream().map(Element::getTextContent).toList();
        assertThat(said.get(0)).contains(VoiceTwiml.spell(reference));
        assertThat(said).contains(locales.text("en", "voice.confirmation_texted", Map.of()));
    }

    @Test
    void aBookingMadeFromAFixedLineIsReadTwiceAndOffersAReminderCall() {
        String sid = freshSid();
        String from = freshLandline();
        assertThat(new PhoneNumber(from).canReceiveTexts()).isFalse();
        Reference reference = bookedReadTwiceWithAReminderCallOffer(sid, from, "fr");

        TwimlXml after = twiml(post("/twilio/voice/reminder?n=3&ref=" + reference.value(), call(sid, from, "FR", "Digits", "1")));

        assertThat(jdbc.sql("SELECT wants_call FROM voice_reminder_preference WHERE reference = :r AND phone = :p")
                .param("r", reference.value()).param("p", from).query(Boolean.class).single()).isTrue();
        assertThat(after.all("Say").get(0).getTextContent()).isEqualTo(locales.text("fr", "voice.reminder_yes", Map.of()));
        assertThat(after.all("Say")).extracting(Element::getTextContent).contains("MENU-fr");
    }

    @Test
    void aBookingFromAMobileThatStoppedTextsIsReadTwiceAndOffersAReminderCall() {
        String sid = freshSid();
        String from = freshMobile();
        smsNumbers.optOut(new PhoneNumber(from));
        bookedReadTwiceWithAReminderCallOffer(sid, from, "en");
    }

    @Test
    void aCallerWhoseNumberTextsDoNotReachIsToldTheyWillBeCalledNotTexted() {
        String landline = freshLandline();
        List<String> said = queuedSays(freshSid(), landline, "fr");
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).isEqualTo(said.get(1)).contains("Nous vous appellerons à ce numéro", VoiceTwiml.spell(referenceFor(landline)))
                .doesNotContain("SMS", "QUEUED");

        String stopped = freshMobile();
        smsNumbers.optOut(new PhoneNumber(stopped));
        assertThat(queuedSays(freshSid(), stopped, "en").getFirst()).contains("We will call you on this number").doesNotContain("QUEUED");

        assertThat(queuedSays(freshSid(), freshMobile(), "en").getFirst()).startsWith("QUEUED-en");
    }

    private List<String> queuedSays(String sid, String from, String language) {
        startIn(sid, from, language);
        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "3")));
        return xml.all("Say").stream().map(Element::getTextContent).toList();
    }

    /** Books at the caller's first menu: no text, the confirmation read twice, then "a reminder call the day before?". */
    private Reference bookedReadTwiceWithAReminderCallOffer(String sid, String from, String language) {
        startIn(sid, from, language);
        Reference reference = referenceFor(from);

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "1")));

        assertThat(outbox.texts.values()).noneMatch(t -> t.to().e164().equals(from));
        List<String> said = xml.all("Say").stream().map(Element::getTextContent).toList();
        assertThat(said.get(0)).isEqualTo(said.get(1)).contains(VoiceTwiml.spell(reference));
        assertThat(said).doesNotContain(locales.text(language, "voice.confirmation_texted", Map.of()));
        assertThat(said.getLast()).isEqualTo(locales.text(language, "voice.reminder_offer", Map.of()));
        assertThat(xml.one("Gather").getAttribute("action")).isEqualTo(BASE + "/twilio/voice/reminder?n=3&ref=" + reference.value());
        return reference;
    }

    // ---- a person -----------------------------------------------------------------------------------------------

    @Test
    void askingForAPersonDuringOpeningHoursTransfersToTheStaffNumber() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "fr");

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "0")));

        assertThat(xml.verbs()).containsExactly("Say", "Dial");
        assertThat(xml.one("Say").getTextContent()).isEqualTo("PERSON-fr");
        assertThat(xml.one("Number").getTextContent()).isEqualTo("+33476604949");
        assertThat(xml.one("Dial").getAttribute("action")).isEqualTo(BASE + "/twilio/voice/dialed?n=3");

        TwimlXml noAnswer = twiml(post("/twilio/voice/dialed?n=3", call(sid, from, "FR", "DialCallStatus", "no-answer")));

        assertThat(noAnswer.all("Say").get(0).getTextContent()).isEqualTo(locales.text("fr", "voice.callback_busy", Map.of()));
        assertThat(noAnswer.one("Gather").getAttribute("action")).isEqualTo(BASE + "/twilio/voice/step?n=4");
        assertThat(callbacks()).contains(from);
    }

    @Test
    void askingForAPersonOutsideOpeningHoursRecordsACallBackRequestStaffCanList() {
        clock.set(SATURDAY_10H);
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "ru");

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "0")));

        assertThat(xml.all("Dial")).isEmpty();
        List<String> said = xml.all("Say").stream().map(Element::getTextContent).toList();
        assertThat(said).doesNotContain("PERSON-ru");
        assertThat(said.get(0)).isEqualTo(locales.text("ru", "voice.callback_closed", Map.of()));
        assertThat(said).contains("MENU-ru");
        assertThat(callbacks()).contains(from);
        assertThat(get("/api/v1/admin/callbacks", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/admin/callbacks", "wrong").statusCode()).isEqualTo(403);
    }

    @Test
    void onAPublicHolidayAtTenTheSiteIsClosedAndTheCallerGetsACallBackRequest() {
        clock.set(ASCENSION_10H);
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "fr");

        TwimlXml xml = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "0")));

        assertThat(xml.all("Dial")).isEmpty();
        List<String> said = xml.all("Say").stream().map(Element::getTextContent).toList();
        assertThat(said).doesNotContain("PERSON-fr");
        assertThat(said.get(0)).isEqualTo(locales.text("fr", "voice.callback_closed", Map.of()));
        assertThat(callbacks()).contains(from);
        assertThat(jdbc.sql("SELECT site_code FROM voice_callback_request WHERE call_sid = ?").param(sid).query(String.class).single())
                .isEqualTo("GRENOBLE");

        // The next day is an ordinary Friday: at 10:00 the same caller is put through to the site's staff number.
        clock.set(ASCENSION_10H.plus(java.time.Duration.ofDays(1)));
        String nextSid = freshSid();
        startIn(nextSid, from, "fr");
        TwimlXml open = twiml(post("/twilio/voice/step?n=2", call(nextSid, from, "FR", "Digits", "0")));
        assertThat(open.verbs()).containsExactly("Say", "Dial");
        assertThat(open.one("Number").getTextContent()).isEqualTo("+33476604949");
    }

    private String callbacks() {
        HttpResponse<String> response = get("/api/v1/admin/callbacks", STAFF_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    // ---- status, bad input, audio -------------------------------------------------------------------------------

    @Test
    void callStatusCallbacksAreRecordedAndLeaveTheConversationAlone() {
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "fr");
        int turns = conversations.received.size();

        HttpResponse<String> response = post("/twilio/voice/status", call(sid, from, "FR", "CallStatus", "completed", "CallDuration", "42"));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(jdbc.sql("SELECT status || ':' || duration_s FROM voice_call WHERE call_sid = :s").param("s", sid)
                .query(String.class).single()).isEqualTo("completed:42");
        assertThat(conversations.received.size()).isEqualTo(turns);
    }

    @Test
    void malformedWebhooksGetAProblemNotAServerError() {
        HttpResponse<String> noSid = post("/twilio/voice", Map.of("From", freshMobile()));
        assertThat(noSid.statusCode()).isEqualTo(400);
        assertThat(noSid.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));

        HttpResponse<String> badStep = post("/twilio/voice/step?n=abc", call(freshSid(), freshMobile(), "FR", "Digits", "1"));
        assertThat(badStep.statusCode()).isEqualTo(400);

        HttpResponse<String> badStatus = post("/twilio/voice/status", call(freshSid(), freshMobile(), "FR", "CallStatus", "<x>"));
        assertThat(badStatus.statusCode()).isEqualTo(400);
    }

    @Test
    void aStepForAnUnknownCallStartsTheCallAgain() {
        TwimlXml xml = twiml(post("/twilio/voice/step?n=7", call(freshSid(), freshMobile(), "FR", "Digits", "1")));
        assertThat(xml.one("Redirect").getTextContent()).isEqualTo(BASE + "/twilio/voice");
    }

    @Test
    void aRecordingFoundAtStartUpIsServedAsAudio() throws Exception {
        // The fixture sits under a tag no locale file has, so it changes no language menu.
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/twilio/audio/zz/fixture.silence.wav")).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("audio/wav");
        try (var in = getClass().getResourceAsStream("/voice-flows/audio/zz/fixture.silence.wav")) {
            assertThat(response.body()).isEqualTo(in.readAllBytes());
        }
    }

    @Test
    void aMissingRecordingIsANotFoundProblem() {
        HttpResponse<String> response = get("/twilio/audio/fa-AF/voice.welcome.wav", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(get("/twilio/audio/..%2F..%2Fapplication.yml/x.wav", null).statusCode()).isIn(400, 404);
    }

    // ---- Media Streams socket -----------------------------------------------------------------------------------

    /** Collects what the server does to a socket: its close code. */
    static final class SocketEnd implements java.net.http.WebSocket.Listener {
        final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    java.net.http.WebSocket openMediaSocket(SocketEnd end) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/twilio/media"), end)
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void theMediaSocketTakesTwiliosFramesAndClosesNormallyOnStop() throws Exception {
        SocketEnd end = new SocketEnd();
        java.net.http.WebSocket socket = openMediaSocket(end);
        String sid = freshSid();
        String payload = java.util.Base64.getEncoder().encodeToString(new byte[160]);
        socket.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}", true).join();
        socket.sendText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\""
                + sid + "\",\"tracks\":[\"inbound\"],\"customParameters\":{\"callSid\":\"" + sid + "\",\"promptId\":\"p2\",\"language\":\"en\"}}}", true).join();
        for (int i = 0; i < 5; i++) {
            socket.sendText("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"" + i
                    + "\",\"timestamp\":\"" + (20 * i) + "\",\"payload\":\"" + payload + "\"}}", true).join();
        }
        socket.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"callSid\":\"" + sid + "\"}}", true).join();

        assertThat(end.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void theMediaSocketClosesOnAFrameThatIsNotMediaStreams() throws Exception {
        SocketEnd end = new SocketEnd();
        java.net.http.WebSocket socket = openMediaSocket(end);

        socket.sendText("{\"no\":\"event\"}", true).join();

        assertThat(end.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1007);
    }

    String mediaFrame(byte value) {
        byte[] frame = new byte[160];
        java.util.Arrays.fill(frame, value);
        return "{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":\"20\",\"payload\":\""
                + java.util.Base64.getEncoder().encodeToString(frame) + "\"}}";
    }

    String startFrame(String sid, String promptId) {
        return "{\"event\":\"start\",\"streamSid\":\"MZ1\",\"start\":{\"streamSid\":\"MZ1\",\"callSid\":\"" + sid
                + "\",\"tracks\":[\"inbound\"],\"customParameters\":{\"callSid\":\"" + sid + "\",\"promptId\":\"" + promptId
                + "\",\"language\":\"en\"}}}";
    }

    @Test
    void aConfidentSpeechMatchMovesTheCallOnAndTheKeypadAnswerToTheSamePromptRunsNoSecondTurn() throws Exception {
        speech.on = true;
        String sid = freshSid();
        String from = freshMobile();
        String callPath = "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + sid + ".json";
        twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(callPath).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson("{\"sid\":\"" + sid + "\",\"status\":\"in-progress\"}")));

        TwimlXml menu = startIn(sid, from, "en");

        assertThat(menu.verbs()).containsExactly("Start", "Gather");
        assertThat(menu.one("Stream").getAttribute("url")).isEqualTo("wss://guichet.example.org/twilio/media");
        int closedBefore = speech.closed.get();
        SocketEnd end = new SocketEnd();
        java.net.http.WebSocket socket = openMediaSocket(end);
        socket.sendText(startFrame(sid, "p2"), true).join();
        for (int i = 0; i < 5; i++) socket.sendText(mediaFrame((byte) 0x11), true).join();

        String expectedUrl = BASE + "/twilio/voice/step?n=2&speech=1";
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                twilio.verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(callPath))
                        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing(
                                "Url=" + URLEncoder.encode(expectedUrl, StandardCharsets.UTF_8)))));
        // The listener is closed as soon as it matched, and not again when the socket closes.
        socket.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ1\"}", true).join();
        assertThat(end.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(speech.closed.get()).isEqualTo(closedBefore + 1);

        // Twilio then fetches the step URL; the caller's key press for the same prompt arrives too.
        int turns = conversations.received.size();
        HttpResponse<String> bySpeech = post("/twilio/voice/step?n=2&speech=1", call(sid, from, "FR"));
        HttpResponse<String> byKeypad = post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "1"));

        assertThat(conversations.received.size()).isEqualTo(turns + 1);
        assertThat(conversations.received.getLast().text()).isEqualTo("1");
        // The stream forked for the answered prompt is stopped first; the next prompt starts its own.
        TwimlXml next = twiml(bySpeech);
        assertThat(next.verbs()).startsWith("Stop", "Start");
        assertThat(next.all("Stream").get(0).getAttribute("name")).isEqualTo("speech-p2");
        assertThat(next.all("Stream").get(1).getAttribute("name")).isEqualTo("speech-p3");
        assertThat(byKeypad.body()).isEqualTo(bySpeech.body());
        assertThat(twilio.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(callPath)))).hasSize(1);
    }

    @Test
    void twoSpeechMissesInARowMakeTheCallKeypadOnlyAndSaySoOnce() throws Exception {
        speech.on = true;
        String sid = freshSid();
        String from = freshMobile();
        startIn(sid, from, "en");

        missAt(sid, "p2");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> misses(sid) == 1);
        TwimlXml second = twiml(post("/twilio/voice/step?n=2", call(sid, from, "FR", "Digits", "*")));
        assertThat(second.all("Start")).hasSize(1);

        // The caller answers p3 by keypad while its stream still runs: what the stream hears afterwards is no miss.
        SocketEnd lateEnd = new SocketEnd();
        java.net.http.WebSocket late = openMediaSocket(lateEnd);
        late.sendText(startFrame(sid, "p3"), true).join();
        late.sendText(mediaFrame((byte) 0x22), true).join();
        TwimlXml third = twiml(post("/twilio/voice/step?n=3", call(sid, from, "FR", "Digits", "*")));
        late.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ1\"}", true).join();
        assertThat(lateEnd.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(misses(sid)).isEqualTo(1);
        assertThat(third.all("Start")).hasSize(1);

        missAt(sid, "p4");
        assertThat(misses(sid)).isEqualTo(2);

        TwimlXml keypad = twiml(post("/twilio/voice/step?n=4", call(sid, from, "FR", "Digits", "*")));
        TwimlXml after = twiml(post("/twilio/voice/step?n=5", call(sid, from, "FR", "Digits", "*")));

        assertThat(keypad.verbs()).first().isEqualTo("Stop");
        assertThat(keypad.all("Start")).isEmpty();
        assertThat(keypad.all("Say").get(0).getTextContent()).isEqualTo(locales.text("en", "voice.keypad_only", Map.of()));
        assertThat(after.all("Stream")).isEmpty();
        assertThat(after.all("Say")).extracting(Element::getTextContent).doesNotContain(locales.text("en", "voice.keypad_only", Map.of()));
    }

    private void missAt(String sid, String promptId) throws Exception {
        SocketEnd end = new SocketEnd();
        java.net.http.WebSocket socket = openMediaSocket(end);
        socket.sendText(startFrame(sid, promptId), true).join();
        for (int i = 0; i < 3; i++) socket.sendText(mediaFrame((byte) 0x22), true).join();
        socket.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ1\"}", true).join();
        assertThat(end.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1000);
    }

    private int misses(String sid) {
        return jdbc.sql("SELECT speech_misses FROM voice_call WHERE call_sid = :s").param("s", sid).query(Integer.class).single();
    }
}
