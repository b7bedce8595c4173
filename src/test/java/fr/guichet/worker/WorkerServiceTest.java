package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.language.LocaleFiles;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole service over real HTTP and a real PostgreSQL with the real conversation runtime: the staff API, the
 * SMS webhook ({@code POST /twilio/sms}) and the voice webhooks, as a worker's phone would use them. No Twilio
 * credentials, so webhooks are accepted from loopback and texts stay in the outbox (status NOT_SENT_NO_CREDENTIALS),
 * where the tests read them. Time is a clock the tests move (lock-out), never a sleep.
 */
@SpringBootTest(classes = {GuichetApplication.class, WorkerServiceTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.admin-token=" + WorkerServiceTest.STAFF,
                "app.workers.pin-iterations=1000",
                "app.sms.inbound-per-minute=10000",
                "app.sms.reply-deadline=20s",
        })
abstract class WorkerServiceTest {
    static final String STAFF = "staff-secret";
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final AtomicInteger numbers = new AtomicInteger();
    private static final AtomicInteger sids = new AtomicInteger();
    private static final Pattern MESSAGE = Pattern.compile("<Message>(.*?)</Message>", Pattern.DOTALL);
    private static final Pattern SAY = Pattern.compile("<Say[^>]*>(.*?)</Say>", Pattern.DOTALL);
    private static final Pattern GATHER_ACTION = Pattern.compile("<Gather[^>]*action=\"([^\"]+)\"");


    @TestConfiguration
    static class Time {
        @Bean @Primary TestClock testClock() { return new TestClock(Instant.now().truncatedTo(ChronoUnit.SECONDS)); }
    }

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    @Autowired LocaleFiles locales;
    final HttpClient http = HttpClient.newHttpClient();

    static String freshMobile() {
        return "+3367%07d".formatted(numbers.incrementAndGet());
    }

    // ---- staff API -------------------------------------------------------------------------------------------

    HttpResponse<String> api(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        return send(request.build());
    }

    /** Registers a worker through the staff API and returns the id. */
    long register(String phone, String pin, String language, int dailyLimit) {
        HttpResponse<String> response = api("POST", "/api/v1/admin/workers", """
                {"name":"Claire Martin","organisation":"La Cimade Grenoble","phones":["%s"],"pin":"%s","language":"%s","dailyLimit":%d}"""
                .formatted(phone, pin, language, dailyLimit), STAFF);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher id = Pattern.compile("\"id\":(\\d+)").matcher(response.body());
        assertThat(id.find()).isTrue();
        return Long.parseLong(id.group(1));
    }

    // ---- SMS -------------------------------------------------------------------------------------------------

    /** Texts {@code body} from {@code from} through the SMS webhook; returns the reply's text. */
    String sms(String from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", "SM%032x".formatted(System.nanoTime() + sids.incrementAndGet()));
        params.put("AccountSid", "AC11111111111111111111111111111111");
        params.put("From", from);
        params.put("To", "+33757000000");
        params.put("Body", body);
        params.put("FromCountry", "FR");
        HttpResponse<String> response = form("/twilio/sms", params);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return texts(MESSAGE, response.body());
    }

    /** From a new number: French, main menu, PRO, PIN; returns the reply to the PIN. */
    String openBySms(String phone, String pin) {
        assertThat(sms(phone, "bonjour")).contains("français");
        assertThat(sms(phone, "1")).contains("Que voulez-vous faire ?").contains("Espace pro");
        assertThat(sms(phone, "PRO")).contains("Écrivez votre code secret");
        return sms(phone, pin);
    }

    // ---- voice -----------------------------------------------------------------------------------------------

    /** One call: the TwiML of each step is kept so the next keypad answer goes to the Gather's action. */
    final class Call {
        final String sid = "CA%032x".formatted(System.nanoTime() + sids.incrementAndGet());
        final String from;
        String lastXml;

        Call(String from) {
            this.from = from;
        }

        Map<String, String> params(String... extra) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("CallSid", sid);
            p.put("AccountSid", "AC11111111111111111111111111111111");
            p.put("From", from);
            p.put("To", "+33757000000");
            p.put("CallStatus", "in-progress");
            p.put("Direction", "inbound");
            p.put("FromCountry", "FR");
            for (int i = 0; i + 1 < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
            return p;
        }

        /** Rings; returns what is said. */
        String ring() {
            return step(form("/twilio/voice", params()));
        }

        /** Rings and picks {@code tag} on the phone's own language menu by its key; returns what is said next. */
        String answerIn(String tag) {
            String menu = ring();
            for (int d = 1; d <= 9; d++) {
                if (menu.contains(locales.text(tag, "voice.language_option", Map.of("digit", d)))) return press(String.valueOf(d));
            }
            throw new AssertionError("no key for " + tag + " in: " + menu);
        }

        /** The last TwiML, parsed (fails on anything that is not well-formed XML). */
        org.w3c.dom.Document xml() {
            try {
                javax.xml.parsers.DocumentBuilderFactory factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                return factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(lastXml.getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new AssertionError("Not TwiML: " + lastXml, e);
            }
        }

        boolean hungUp() {
            return xml().getElementsByTagName("Hangup").getLength() > 0;
        }

        /** Presses keys at the current Gather; returns what is said next. */
        String press(String digits) {
            Matcher action = GATHER_ACTION.matcher(lastXml);
            assertThat(action.find()).as("a Gather in " + lastXml).isTrue();
            URI uri = URI.create(action.group(1).replace("&amp;", "&"));
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            return step(form(path, params("Digits", digits)));
        }

        private String step(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            lastXml = response.body();
            return texts(SAY, lastXml);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    HttpResponse<String> form(String pathAndQuery, Map<String, String> params) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
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

    private static String texts(Pattern element, String xml) {
        List<String> out = new ArrayList<>();
        Matcher m = element.matcher(xml);
        while (m.find()) out.add(unescape(m.group(1)));
        return String.join("\n", out);
    }

    static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** The 9 digits of the first "Référence 123 456 789" / "référence 123 456 789" in a text. */
    static String reference(String text) {
        Matcher m = Pattern.compile("[Rr]éférence (\\d{3} \\d{3} \\d{3})").matcher(text);
        assertThat(m.find()).as("a reference in: " + text).isTrue();
        return m.group(1).replace(" ", "");
    }

    /** "482915306" as the voice spells it: "4 8 2, 9 1 5, 3 0 6". */
    static String spelled(String reference) {
        String r = reference.replace(" ", "");
        return String.join(", ", String.join(" ", r.substring(0, 3).split("")), String.join(" ", r.substring(3, 6).split("")),
                String.join(" ", r.substring(6).split("")));
    }

    /** The spelled reference in what the voice said ("Référence 4 8 2, 9 1 5, 3 0 6"), as 9 digits. */
    static String spokenReference(String said) {
        Matcher m = Pattern.compile("(\\d \\d \\d, \\d \\d \\d, \\d \\d \\d)").matcher(said);
        assertThat(m.find()).as("a spelled reference in: " + said).isTrue();
        return m.group(1).replaceAll("[^0-9]", "");
    }

    static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    Map<String, Object> outbox(String purpose) {
        return jdbc.sql("SELECT to_number, body, language, status FROM sms_outbox WHERE purpose_key = ?").param(purpose)
                .query().singleRow();
    }
}
