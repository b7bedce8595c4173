package fr.guichet.channel.voice;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import fr.guichet.GuichetApplication;
import fr.guichet.TwilioSigner;
import fr.guichet.Webhooks;
import fr.guichet.language.LocaleFiles;
import fr.guichet.speech.SpeechModels;
import fr.guichet.speech.SpeechRecognition;
import fr.guichet.speech.SpokenAudio;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Element;

/**
 * Speech end to end: the real conversation runtime, the real English Vosk model, the real Media Streams socket (signed
 * handshake), and WireMock playing Twilio's REST Calls update. The caller's words are made with espeak-ng and sox at
 * test time and sent as Twilio does: 20 ms frames of 160 mu-law bytes, in order (as fast as the socket takes them).
 */
@SpringBootTest(classes = GuichetApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.public-base-url=" + Webhooks.PUBLIC_BASE,
                "twilio.account-sid=" + SpokenMenuTest.ACCOUNT,
                "twilio.auth-token=" + Webhooks.TOKEN,
                "twilio.phone-number=+33757000000",
                "app.speech.warm-up=en",
        })
class SpokenMenuTest {
    static final String ACCOUNT = "AC22222222222222222222222222222222";
    static final WireMockServer twilio = new WireMockServer(options().dynamicPort());
    static final AtomicInteger callers = new AtomicInteger();

    static {
        // Stopped with the JVM, like the Spring context it serves.
        twilio.start();
    }

    @DynamicPropertySource
    static void twilioUrl(DynamicPropertyRegistry registry) {
        registry.add("twilio.api-base-url", twilio::baseUrl);
    }

    @LocalServerPort int port;
    @Autowired SpeechRecognition recognition;
    @Autowired LocaleFiles locales;
    @Autowired JdbcClient jdbc;
    final HttpClient http = HttpClient.newHttpClient();
    Webhooks webhooks;

    @BeforeEach
    void englishModelLoaded() {
        webhooks = new Webhooks(port);
        twilio.resetAll();
        // Warmed up at start, in the background: calls never wait for it, this test does.
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> recognition.models().status("en") == SpeechModels.Status.READY);
    }

    /** A new caller who picks English at the language menu; answers the main menu's TwiML. */
    record Call(String sid, String from, TwimlXml menu) {
        String callPath() {
            return "/2010-04-01/Accounts/" + ACCOUNT + "/Calls/" + sid + ".json";
        }

        String promptId() {
            return parameter("promptId");
        }

        String parameter(String name) {
            return menu.all("Parameter").stream().filter(p -> p.getAttribute("name").equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no <Parameter name=" + name + ">")).getAttribute("value");
        }

        /** The step the keypad answer to this prompt goes to: speech must move the call to the same one. */
        String gatherAction() {
            return menu.one("Gather").getAttribute("action");
        }
    }

    Map<String, String> params(String sid, String from, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("CallSid", sid);
        p.put("AccountSid", ACCOUNT);
        p.put("From", from);
        p.put("To", "+33757000000");
        p.put("CallStatus", "in-progress");
        p.put("Direction", "inbound");
        p.put("FromCountry", "GB");
        for (int i = 0; i + 1 < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return p;
    }

    TwimlXml twiml(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return TwimlXml.parse(response.body());
    }

    Call englishCaller() {
        String sid = "CA" + "%032x".formatted(System.nanoTime());
        String from = "+4477009%05d".formatted(callers.incrementAndGet());
        TwimlXml languages = twiml(webhooks.post("/twilio/voice", params(sid, from)));
        String english = locales.byTag("en").orElseThrow().twilioLanguage();
        Element say = languages.all("Say").stream().filter(s -> s.getAttribute("language").equals(english)
                && s.getTextContent().chars().anyMatch(Character::isDigit)).findFirst().orElseThrow();
        String digit = say.getTextContent().replaceAll("\\D", "");
        // The language picked on the phone's own menu is taken as chosen: the main menu follows at once.
        TwimlXml menu = twiml(webhooks.post("/twilio/voice/language?n=1&page=0", params(sid, from, "Digits", digit)));
        assertThat(menu.all("Say")).extracting(Element::getTextContent).contains(locales.text("en", "main.menu", Map.of()));
        assertThat(menu.verbs()).contains("Start", "Gather");
        return new Call(sid, from, menu);
    }

    /** Collects how the server ends a socket. */
    static final class SocketEnd implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    /** Streams the caller's audio for the call's menu prompt as Twilio would, then stops; returns the close code. */
    int stream(Call call, byte[] mulaw) throws Exception {
        return stream(call, mulaw, null);
    }

    /**
     * The same; with {@code sentAt} (one slot per 20 ms frame) the frames go in real time, one every 20 ms as Twilio
     * sends them, and each frame's send time ({@link System#nanoTime}) is written there.
     */
    int stream(Call call, byte[] mulaw, long[] sentAt) throws Exception {
        String url = Webhooks.PUBLIC_BASE.replace("https://", "wss://") + "/twilio/media";
        SocketEnd end = new SocketEnd();
        WebSocket socket = http.newWebSocketBuilder()
                .header("X-Twilio-Signature", TwilioSigner.sign(Webhooks.TOKEN, url, Map.of()))
                .buildAsync(URI.create("ws://localhost:" + port + "/twilio/media"), end).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}", true).join();
        socket.sendText("{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"streamSid\":\"MZ1\","
                + "\"accountSid\":\"" + ACCOUNT + "\",\"callSid\":\"" + call.sid() + "\",\"tracks\":[\"inbound\"],"
                + "\"customParameters\":{\"callSid\":\"" + call.parameter("callSid") + "\",\"promptId\":\"" + call.promptId()
                + "\",\"language\":\"" + call.parameter("language") + "\"},"
                + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,\"channels\":1}}}", true).join();
        List<byte[]> frames = SpokenAudio.frames(mulaw);
        long start = System.nanoTime();
        for (int i = 0; i < frames.size(); i++) {
            if (sentAt != null) {
                long due = start + i * 20_000_000L;
                while (System.nanoTime() < due) LockSupport.parkNanos(due - System.nanoTime());
                sentAt[i] = System.nanoTime();
            }
            socket.sendText("{\"event\":\"media\",\"sequenceNumber\":\"" + (i + 2) + "\",\"streamSid\":\"MZ1\",\"media\":"
                    + "{\"track\":\"inbound\",\"chunk\":\"" + (i + 1) + "\",\"timestamp\":\"" + (20 * i) + "\",\"payload\":\""
                    + Base64.getEncoder().encodeToString(frames.get(i)) + "\"}}", true).join();
        }
        socket.sendText("{\"event\":\"stop\",\"sequenceNumber\":\"" + (frames.size() + 2) + "\",\"streamSid\":\"MZ1\","
                + "\"stop\":{\"accountSid\":\"" + ACCOUNT + "\",\"callSid\":\"" + call.sid() + "\"}}", true).join();
        return end.closed.get(20, TimeUnit.SECONDS);
    }

    /** WireMock answers the REST Calls update of this call as Twilio does. */
    static void acceptCallUpdates(Call call) {
        twilio.stubFor(post(call.callPath()).willReturn(okJson("{\"sid\":\"" + call.sid() + "\",\"status\":\"in-progress\"}")));
    }

    int misses(String sid) {
        return jdbc.sql("SELECT speech_misses FROM voice_call WHERE call_sid = :s").param("s", sid).query(Integer.class).single();
    }

    @Test
    void aMenuWordSpokenByTheCallerMovesTheCallToTheStepOfThatChoice() throws Exception {
        Call call = englishCaller();
        acceptCallUpdates(call);

        assertThat(stream(call, SpokenAudio.say("information", SpokenAudio.Voice.PLAIN))).isEqualTo(1000);

        // "information" is the third choice of the main menu: the call goes where pressing 3 would take it.
        String moved = call.gatherAction() + "&speech=3";
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> twilio.verify(1,
                postRequestedFor(urlEqualTo(call.callPath())).withRequestBody(containing("Url=" + URLEncoder.encode(moved, StandardCharsets.UTF_8)))));
        // Twilio then fetches that step: the conversation is in the information menu.
        TwimlXml next = twiml(webhooks.post(moved.substring(Webhooks.PUBLIC_BASE.length()), params(call.sid(), call.from())));
        assertThat(next.all("Say")).extracting(Element::getTextContent)
                .anySatisfy(text -> assertThat(text).contains(locales.text("en", "info.option.documents", Map.of())));
        assertThat(misses(call.sid())).isZero();
    }

    @Test
    void theNumberOfAChoiceSpokenOnANoisyLineMovesTheCallToo() throws Exception {
        Call call = englishCaller();
        acceptCallUpdates(call);

        assertThat(stream(call, SpokenAudio.say("two", new SpokenAudio.Voice("en-gb", 140, 0.02)))).isEqualTo(1000);

        String moved = call.gatherAction() + "&speech=2";
        Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> twilio.verify(1,
                postRequestedFor(urlEqualTo(call.callPath())).withRequestBody(containing("Url=" + URLEncoder.encode(moved, StandardCharsets.UTF_8)))));
    }

    @Test
    void wordsOutsideTheMenuAndLineNoiseDoNotMoveTheCallAndCountAsAMiss() throws Exception {
        Call call = englishCaller();
        acceptCallUpdates(call);
        byte[] unknown = SpokenAudio.say("hello there", SpokenAudio.Voice.PLAIN);
        byte[] noise = SpokenAudio.noise(1.5, 0.3);
        byte[] audio = new byte[unknown.length + noise.length];
        System.arraycopy(unknown, 0, audio, 0, unknown.length);
        System.arraycopy(noise, 0, audio, unknown.length, noise.length);

        assertThat(stream(call, audio)).isEqualTo(1000);

        // The stop was handled before the socket closed: what the listener made of the audio is already counted.
        assertThat(misses(call.sid())).isPositive();
        assertThat(twilio.findAll(postRequestedFor(urlEqualTo(call.callPath())))).isEmpty();
        // The caller can still answer this prompt with the keypad.
        TwimlXml pressed = twiml(webhooks.post(call.gatherAction().substring(Webhooks.PUBLIC_BASE.length()),
                params(call.sid(), call.from(), "Digits", "3")));
        assertThat(pressed.all("Say")).extracting(Element::getTextContent)
                .anySatisfy(text -> assertThat(text).contains(locales.text("en", "info.option.documents", Map.of())));
    }

    /**
     * Benchmark (BENCHMARKS.md, "End of speech to the call update"): after 3 warm-up calls, 20 callers each say a main-menu word, streamed in
     * real time through the socket; measured from the end of the caller's speech (the frame after the last loud one)
     * to the Calls update arriving at WireMock, which stands in for Twilio's REST API on loopback. Run:
     * {@code ./mvnw -B -Pbenchmark verify -Dtest=SpokenMenuTest -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @Tag("benchmark")
    void endOfSpeechToTheCallUpdate() throws Exception {
        Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
        twilio.addMockServiceRequestListener((request, response) -> arrivedAt.putIfAbsent(request.getUrl(), System.nanoTime()));
        List<String> words = List.of("information", "book", "cancel", "three");
        List<SpokenAudio.Voice> voices = List.of(SpokenAudio.Voice.PLAIN, new SpokenAudio.Voice("en-gb", 130, 0),
                new SpokenAudio.Voice("en-us", 175, 0.01), new SpokenAudio.Voice("en-us+f3", 150, 0),
                new SpokenAudio.Voice("en-gb", 175, 0.01));
        List<Long> delays = new java.util.ArrayList<>();
        StringBuilder misses = new StringBuilder();
        for (int i = 0; i < 3; i++) { // warm-up, not measured: the first calls pay for class loading and compilation
            Call call = englishCaller();
            acceptCallUpdates(call);
            byte[] audio = SpokenAudio.say("information", SpokenAudio.Voice.PLAIN);
            stream(call, audio, new long[SpokenAudio.frames(audio).size()]);
        }
        for (SpokenAudio.Voice voice : voices) {
            for (String word : words) {
                Call call = englishCaller();
                acceptCallUpdates(call);
                byte[] audio = SpokenAudio.say(word, voice);
                long[] sentAt = new long[SpokenAudio.frames(audio).size()];
                stream(call, audio, sentAt);
                int speechEnd = lastLoudFrame(audio) + 1;
                Long arrived = arrivedAt.get(call.callPath());
                if (arrived == null) {
                    misses.append(' ').append(voice.name()).append('/').append(voice.wordsPerMinute()).append(" '").append(word).append('\'');
                } else {
                    delays.add((arrived - sentAt[speechEnd]) / 1_000_000);
                }
            }
        }
        java.util.Collections.sort(delays);
        String result = "end of speech to the Calls update at WireMock (loopback), %d of %d utterances moved the call: median %d ms, 90th percentile %d ms, max %d ms; not understood:%s%n"
                .formatted(delays.size(), voices.size() * words.size(), delays.get(delays.size() / 2),
                        delays.get((int) (delays.size() * 0.9)), delays.getLast(), misses.isEmpty() ? " none" : misses);
        System.out.println(result);
        java.nio.file.Files.writeString(java.nio.file.Path.of("target/speech-call-update-benchmark.txt"), result);
        assertThat(delays).hasSizeGreaterThanOrEqualTo(voices.size() * words.size() / 2);
    }

    /** The last 20 ms frame louder than the listener's speech floor (RMS 300 on the 16-bit scale), by G.711 decoding. */
    static int lastLoudFrame(byte[] mulaw) {
        int last = 0;
        for (int frame = 0; frame * 160 < mulaw.length; frame++) {
            double sum = 0;
            int n = 0;
            for (int i = frame * 160; i < Math.min(mulaw.length, frame * 160 + 160); i++, n++) {
                int u = ~mulaw[i] & 0xFF;
                int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
                int sample = (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
                sum += (double) sample * sample;
            }
            if (Math.sqrt(sum / n) > 300) last = frame;
        }
        return last;
    }
}
