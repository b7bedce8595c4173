package fr.guichet.channel.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.ScriptedConversations;
import fr.guichet.TwilioServiceTest;
import fr.guichet.TwilioSigner;
import fr.guichet.Webhooks;
import fr.guichet.conversation.Conversations;
import fr.guichet.notify.Outbox;
import fr.guichet.notify.OutboundText;
import fr.guichet.notify.SmsNumbers;
import fr.guichet.phone.PhoneNumber;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The SMS channel over real HTTP and a real PostgreSQL, with WireMock playing Twilio's REST API. */
class SmsChannelTest extends TwilioServiceTest {
    @Autowired Outbox outbox;
    @Autowired SmsNumbers numbers;
    @Autowired Conversations conversations;
    @Autowired DataSource dataSource;

    private String status(String purpose) {
        return outboxStatus(purpose);
    }

    // --- signatures -------------------------------------------------------------------------------------------

    @Test
    void aSignedInboundTextIsAnsweredWithTwiml() {
        HttpResponse<String> response = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), "bonjour"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
        assertThat(response.body()).contains("<Response><Message>Écho : bonjour</Message></Response>");
    }

    /** What Twilio reads back: status, exact content type, a length that matches the UTF-8 body, the TwiML whole. */
    @Test
    void theTwimlAnswerHasAnExactContentTypeAndLengthWhateverTheAcceptHeader() throws Exception {
        for (String accept : new String[] {null, "*/*", "application/json", "text/html"}) {
            Map<String, String> params = Webhooks.sms(freshSid(), freshNumber().e164(), "élan ✓ عربي & <x>");
            String form = params.entrySet().stream()
                    .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                            + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                    .collect(java.util.stream.Collectors.joining("&"));
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/twilio/sms"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/sms", params))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
            if (accept != null) request.header("Accept", accept);
            HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as(accept).hasValue("application/xml;charset=UTF-8");
            assertThat(response.headers().firstValue("Content-Length")).as(accept).hasValue(String.valueOf(response.body().length));
            assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).as(accept)
                    .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Écho : élan ✓ عربي &amp; &lt;x&gt;</Message></Response>");
        }
    }

    @Test
    void aForgedSignatureIsRefusedWith403Problem() {
        Map<String, String> params = Webhooks.sms(freshSid(), freshNumber().e164(), "bonjour");
        String forged = TwilioSigner.sign("not-the-token", Webhooks.PUBLIC_BASE + "/twilio/sms", params);
        HttpResponse<String> response = webhooks.post("/twilio/sms", params, forged);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"status\":403");
    }

    @Test
    void aMissingSignatureIsRefused() {
        HttpResponse<String> response = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), "x"), null);
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void aSignatureOverOtherParametersIsRefused() {
        Map<String, String> signedParams = Webhooks.sms(freshSid(), freshNumber().e164(), "bonjour");
        String signature = TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/sms", signedParams);
        Map<String, String> tampered = new HashMap<>(signedParams);
        tampered.put("Body", "ANNULER");
        assertThat(webhooks.post("/twilio/sms", tampered, signature).statusCode()).isEqualTo(403);
    }

    @Test
    void aSignatureForTheInternalUrlInsteadOfThePublicOneIsRefused() {
        Map<String, String> params = Webhooks.sms(freshSid(), freshNumber().e164(), "bonjour");
        String signature = TwilioSigner.sign(Webhooks.TOKEN, "http://localhost:" + port + "/twilio/sms", params);
        assertThat(webhooks.post("/twilio/sms", params, signature).statusCode()).isEqualTo(403);
    }

    @Test
    void anArabicTextWithoutCharsetInTheContentTypePassesTheSignatureCheck() throws Exception {
        Map<String, String> params = Webhooks.sms(freshSid(), freshNumber().e164(), "مرحبا أريد موعدا");
        String form = params.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/twilio/sms"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", TwilioSigner.sign(Webhooks.TOKEN, Webhooks.PUBLIC_BASE + "/twilio/sms", params))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
        var response = java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("مرحبا أريد موعدا");
    }

    // --- inbound ----------------------------------------------------------------------------------------------

    @Test
    void aRedeliveredMessageSidGetsTheSameAnswerAndRunsTheTurnOnce() throws Exception {
        String sid = freshSid();
        String body = "doublon " + sid;
        Map<String, String> params = Webhooks.sms(sid, freshNumber().e164(), body);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> racing = new ArrayList<>();
            for (int i = 0; i < 4; i++) racing.add(pool.submit(() -> webhooks.post("/twilio/sms", params)));
            List<String> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : racing) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).isEqualTo(200);
                answers.add(r.body());
            }
            String later = webhooks.post("/twilio/sms", params).body();
            assertThat(answers).allMatch(a -> a.contains("Écho : " + body));
            assertThat(later).isEqualTo(answers.getFirst());
        } finally {
            pool.shutdownNow();
        }
        assertThat(((ScriptedConversations) conversations).calls.get(body).get()).isEqualTo(1);
    }

    @Test
    void twoMessagesFromOneNumberAtOnceAreBothAnswered() throws Exception {
        String from = freshNumber().e164();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<HttpResponse<String>> a = pool.submit(() -> webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), from, "premier")));
            Future<HttpResponse<String>> b = pool.submit(() -> webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), from, "second")));
            assertThat(a.get().body()).contains("Écho : premier");
            assertThat(b.get().body()).contains("Écho : second");
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM sms_inbound WHERE from_number = :f").param("f", from).query(Integer.class).single())
                .isEqualTo(2);
    }

    @Test
    void aNumberOverItsMinuteLimitIsToldOnceThenGetsEmptyAnswers() {
        // The limit counts per calendar minute: start early enough in a minute that the five texts share it.
        await().atMost(Duration.ofSeconds(15)).until(() -> LocalTime.now().getSecond() < 45);
        String from = freshNumber().e164();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) answers.add(webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), from, "m" + i)).body());
        assertThat(answers.subList(0, 3)).allMatch(a -> a.contains("Écho"));
        assertThat(answers.get(3)).contains("Vous avez envoyé beaucoup de messages");
        assertThat(answers.get(4)).isEqualTo(SmsReplies.EMPTY);
    }

    @Test
    void anyInputGetsATwimlDocumentNeverA500() {
        String from = freshNumber().e164();
        List<String> bodies = List.of("", "x".repeat(20_000), "\u0000\u0007\u001b[31m", "🙂🙂🙂 مرحبا 你好", "<Response>&amp;</Message>",
                "\uD800 lone surrogate", "ARRÊT\r\n");
        for (String body : bodies) {
            HttpResponse<String> r = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), body));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/xml");
            assertThat(r.body()).startsWith("<?xml");
        }
        Map<String, String> noSender = new HashMap<>(Webhooks.sms(freshSid(), from, "x"));
        noSender.put("From", "not a number");
        HttpResponse<String> r = webhooks.post("/twilio/sms", noSender);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(SmsReplies.EMPTY);
    }

    @Test
    void aFormLargerThanAnyWebhookGetsA413ProblemNotA500() {
        // 3 MB: over Tomcat's form limit (2 MB); Twilio's own bodies are a few kilobytes. Signed, so Tomcat refuses the
        // form itself and forwards to /error (ContainerErrors); SmsBookingJourneyTest covers the other way in.
        HttpResponse<String> r = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), "x".repeat(3_000_000)));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).as(r.body()).startsWith("application/problem+json");
        assertThat(r.body()).contains("\"code\":\"body-too-large\"");
    }

    @Test
    void aLongReplyIsSplitIntoNumberedPartsAtWordBoundaries() {
        String body = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), "LONG")).body();
        List<String> messages = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<Message>(.*?)</Message>").matcher(body);
        while (m.find()) messages.add(m.group(1));
        assertThat(messages).hasSizeGreaterThan(1);
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i)).startsWith("(" + (i + 1) + "/" + messages.size() + ") ");
        }
        String rejoined = String.join(" ", messages.stream().map(s -> s.replaceFirst("^\\(\\d+/\\d+\\) ", "")).toList());
        assertThat(rejoined.replace("&apos;", "'")).contains("justificatif de domicile et trois photos");
    }

    @Test
    void aSlowTurnIsAnsweredInTimeAndItsReplyFollowsThroughTheOutbox() throws Exception {
        String sid = freshSid();
        PhoneNumber from = freshNumber();
        HttpResponse<String> answer;
        long tookMillis;
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ScriptedConversations.SLOW_LOCK);
                lock.execute();
            }
            long start = System.nanoTime();
            answer = webhooks.post("/twilio/sms", Webhooks.sms(sid, from.e164(), "SLOW " + sid));
            tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(answer.body()).contains("Votre demande est bien enregistrée");
            // The redelivery Twilio may make gets the same answer, and nothing runs twice.
            assertThat(webhooks.post("/twilio/sms", Webhooks.sms(sid, from.e164(), "SLOW " + sid)).body()).isEqualTo(answer.body());
            held.rollback();
        }
        assertThat(tookMillis).isLessThan(2000);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("reply:" + sid)).isEqualTo("SENT"));
        twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES))
                .withRequestBody(containing("Body=R%C3%A9ponse+lente+pour+SLOW+" + sid)));
        assertThat(((ScriptedConversations) conversations).calls.get("SLOW " + sid).get()).isEqualTo(1);
    }

    @Test
    void aFailingTurnGetsAnApologyInTwiml() {
        HttpResponse<String> r = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), freshNumber().e164(), "FAIL now"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Désolé, un problème technique est survenu");
    }

    @Test
    void aSlowTurnThatFailsIsFollowedByAnApologyText() throws Exception {
        String sid = freshSid();
        PhoneNumber from = freshNumber();
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ScriptedConversations.SLOW_LOCK);
                lock.execute();
            }
            assertThat(webhooks.post("/twilio/sms", Webhooks.sms(sid, from.e164(), "FAIL SLOW")).body())
                    .contains("Votre demande est bien enregistrée");
            held.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status("reply:" + sid)).isEqualTo("SENT"));
        twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES))
                .withRequestBody(containing("To=" + java.net.URLEncoder.encode(from.e164(), java.nio.charset.StandardCharsets.UTF_8)))
                .withRequestBody(containing("D%C3%A9sol%C3%A9")));
    }

    @Test
    void stopThenStart() {
        PhoneNumber phone = freshNumber();
        String stop = webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), phone.e164(), "STOP")).body();
        assertThat(stop).contains("Vous ne recevrez plus de SMS");
        assertThat(numbers.isOptedOut(phone)).isTrue();
        outbox.enqueue(new OutboundText(phone, "test:after-stop:" + phone.e164(), "Rappel", "fr", null));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(status("test:after-stop:" + phone.e164())).isEqualTo("SUPPRESSED_OPTED_OUT"));
        twilio.verify(0, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing("Rappel")));

        webhooks.post("/twilio/sms", Webhooks.sms(freshSid(), phone.e164(), "START"));
        assertThat(numbers.isOptedOut(phone)).isFalse();
        outbox.enqueue(new OutboundText(phone, "test:after-start:" + phone.e164(), "Rappel2", "fr", null));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(status("test:after-start:" + phone.e164())).isEqualTo("SENT"));
        twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES)).withRequestBody(containing("Body=Rappel2")));
    }
}
