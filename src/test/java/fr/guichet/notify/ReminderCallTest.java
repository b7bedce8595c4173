package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.TwilioServiceTest;
import fr.guichet.language.LanguageProfile;
import fr.guichet.language.LocaleFiles;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reminder calls to fixed lines: placed through the Twilio SDK against WireMock, answered with TwiML over the real
 * signed webhooks in the person's language (the locale's voice; recordings for Dari; French for Pashto, which has
 * neither), keys 1 and 2, retries after no answer, busy or failure within allowed hours, and the outcomes recorded.
 */
class ReminderCallTest extends ReminderServiceTest {
    @Autowired LocaleFiles locales;
    @Autowired NoticeCalls noticeCalls;

    record Attempt(long id, int attempt, Instant dueAt, String status, String callSid, String keys) {}

    List<Attempt> attempts(String reference) {
        return jdbc.sql("""
                SELECT c.id, c.attempt, c.due_at, c.status, c.call_sid, c.keys FROM reminder_calls c JOIN reminders r ON r.id = c.reminder_id
                WHERE r.reference = :r ORDER BY c.attempt
                """).param("r", reference)
                .query((rs, n) -> new Attempt(rs.getLong(1), rs.getInt(2), rs.getObject(3, java.time.OffsetDateTime.class).toInstant(),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    /** Waits until attempt {@code n} was placed (Twilio answered 201) and returns it. */
    Attempt placed(String reference, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> attempts(reference).stream()
                .anyMatch(a -> a.attempt() == n && a.callSid() != null));
        return attempts(reference).get(n - 1);
    }

    /** Twilio fetching the TwiML once the call is answered. */
    Document answer(Attempt a) {
        return twiml(voice("/twilio/voice/reminder-call?r=" + a.id(), a.callSid(), Map.of()));
    }

    Document press(Attempt a, String step, String digits) {
        return twiml(voice("/twilio/voice/reminder-call/keys?r=" + a.id() + "&step=" + step, a.callSid(), Map.of("Digits", digits)));
    }

    int status(Attempt a, String callStatus) {
        return voice("/twilio/voice/reminder-call/status?r=" + a.id(), a.callSid(), Map.of("CallStatus", callStatus, "CallDuration", "41"))
                .statusCode();
    }

    HttpResponse<String> voice(String path, String callSid, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", callSid);
        params.put("AccountSid", TwilioServiceTest.ACCOUNT);
        params.put("From", "+33757000000");
        params.put("Direction", "outbound-api");
        params.put("CallStatus", "in-progress");
        params.putAll(extra);
        return webhooks.post(path, params);
    }

    static Document twiml(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("Not valid XML: " + response.body(), e);
        }
    }

    static List<Element> all(Document d, String tag) {
        NodeList nodes = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    static List<String> said(Document d) {
        return all(d, "Say").stream().map(Node::getTextContent).toList();
    }

    @Test
    void aLandlineGetsACallReadTwiceInFrenchAndKeyOneConfirms() {
        at("2026-03-23T14:00");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T10:00"), landline, "fr");
        at(reminder(reference, "P2D").dueAt());
        Attempt first = placed(reference, 1);

        Map<String, String> call = callsTo(landline).getFirst();
        assertThat(call).containsEntry("From", "+33757000000").containsEntry("Method", "POST")
                .containsEntry("Url", "https://guichet.example.org/twilio/voice/reminder-call?r=" + first.id())
                .containsEntry("StatusCallback", "https://guichet.example.org/twilio/voice/reminder-call/status?r=" + first.id())
                .containsEntry("Timeout", "30").containsEntry("MachineDetection", "Enable");
        assertThat(textsTo(landline)).isEmpty();
        assertThat(reminder(reference, "P2D")).extracting(Row::status, Row::channel).containsExactly("CALLING", "CALL");

        Document answered = answer(first);
        assertThat(answered.getDocumentElement().getTagName()).isEqualTo("Response");
        List<Element> says = all(answered, "Say");
        assertThat(says).allSatisfy(s -> {
            assertThat(s.getAttribute("voice")).isEqualTo("Polly.Lea-Neural");
            assertThat(s.getAttribute("language")).isEqualTo("fr-FR");
        });
        String spelled = spelled(reference);
        List<String> texts = said(answered);
        assertThat(texts.getFirst()).isEqualTo("Bonjour, ici le service de rendez-vous de la préfecture de l'Isère. Ce service est gratuit.");
        // The appointment is read twice, its reference digit by digit.
        String details = "Rappel : vous avez rendez-vous le vendredi 27 mars à 10:00, Préfecture de l'Isère, 12 place de Verdun, 38000 Grenoble."
                + " Référence " + spelled + ".";
        assertThat(texts).filteredOn(details::equals).hasSize(2);
        assertThat(texts.getLast()).isEqualTo("Pour confirmer votre venue, tapez 1. Pour annuler le rendez-vous, tapez 2.");
        Element gather = all(answered, "Gather").getFirst();
        assertThat(gather.getAttribute("numDigits")).isEqualTo("1");
        assertThat(gather.getAttribute("action")).isEqualTo("https://guichet.example.org/twilio/voice/reminder-call/keys?r=" + first.id() + "&step=first");
        assertThat(reminder(reference, "P2D").status()).isEqualTo("CALLED");

        Document confirmed = press(first, "first", "1");
        assertThat(said(confirmed)).containsExactly("Merci, votre venue est confirmée. Au revoir.");
        assertThat(all(confirmed, "Hangup")).hasSize(1);
        assertThat(confirmedVia(reference)).contains("CALL");
        assertThat(status(first, "completed")).isEqualTo(204);
        assertThat(attempts(reference)).singleElement().extracting(Attempt::status, Attempt::keys).containsExactly("ANSWERED", "CONFIRMED");
        // Twilio's retry of the same callback changes nothing.
        assertThat(status(first, "completed")).isEqualTo(204);
        assertThat(attempts(reference)).hasSize(1);
    }

    @Test
    void aMobileThatStoppedTextsGetsItsReminderAsACall() {
        at("2026-03-23T14:00");
        String stopped = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T11:00"), stopped, "fr");
        smsNumbers.optOut(new fr.guichet.phone.PhoneNumber(stopped));
        at(reminder(reference, "P2D").dueAt());

        placed(reference, 1);
        assertThat(callsTo(stopped)).hasSize(1);
        assertThat(textsTo(stopped)).isEmpty();
        assertThat(reminder(reference, "P2D").channel()).isEqualTo("CALL");
    }

    @Test
    void aConvocationCallSaysTheQueueGaveTheAppointmentReadTwiceWithTheSameKeys() {
        at("2026-03-23T14:00");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-04-08T10:00"), landline, "fr");
        assertThat(noticeCalls.convocation(new fr.guichet.booking.Reference(reference), clock.instant())).isTrue();
        assertThat(noticeCalls.convocation(new fr.guichet.booking.Reference(reference), clock.instant())).as("planned before").isTrue();
        Attempt first = placed(reference, 1);
        assertThat(attempts(reference)).as("once").hasSize(1);
        assertThat(textsTo(landline)).isEmpty();

        List<String> texts = said(answer(first));
        String spelled = spelled(reference);
        String convocation = "Convocation : la préfecture vous donne rendez-vous le mercredi 8 avril à 10:00, Préfecture de l'Isère, "
                + "12 place de Verdun, 38000 Grenoble. Référence " + spelled + ". Venez avec vos papiers d'identité et les documents de votre démarche.";
        assertThat(texts).filteredOn(convocation::equals).hasSize(2);
        assertThat(texts).noneMatch(t -> t.startsWith("Rappel"));
        assertThat(texts.getLast()).isEqualTo("Pour confirmer votre venue, tapez 1. Pour annuler le rendez-vous, tapez 2.");
        assertThat(said(press(first, "first", "1"))).containsExactly("Merci, votre venue est confirmée. Au revoir.");
    }

    @Test
    void aCancellationMadeBySomeoneElseIsCalledReadTwiceWithoutKeysAndNoReminderFollows() {
        at("2026-03-23T14:00");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-04-09T10:00"), landline, "en");
        fr.guichet.booking.Reference ref = new fr.guichet.booking.Reference(reference);
        assertThat(noticeCalls.cancellation(ref, clock.instant())).as("not cancelled yet").isFalse();
        assertThat(cancel(reference, landline).status()).isEqualTo(200);
        assertThat(noticeCalls.cancellation(ref, clock.instant())).isTrue();
        Attempt first = placed(reference, 1);
        assertThat(noticeCalls.cancellation(ref, clock.instant())).as("planned before").isTrue();
        assertThat(attempts(reference)).as("once").hasSize(1);
        assertThat(reminder(reference, "P2D").status()).isEqualTo("DROPPED");
        assertThat(textsTo(landline)).isEmpty();

        Document answered = answer(first);
        List<String> texts = said(answered);
        assertThat(texts.getFirst()).isEqualTo(locales.text("en", "reminder.call.hello", Map.of()));
        String notice = "Cancellation: your appointment on Thursday, April 9 at 10:00, Préfecture de l'Isère, is cancelled. Reference "
                + spelled(reference) + ". To book another one, call this service again.";
        assertThat(texts).filteredOn(notice::equals).hasSize(2);
        assertThat(all(answered, "Gather")).isEmpty();
        assertThat(all(answered, "Hangup")).hasSize(1);
        assertThat(reminder(reference, "CANCELLATION").status()).isEqualTo("CALLED");
        // Heard: no other attempt.
        assertThat(status(first, "completed")).isEqualTo(204);
        assertThat(attempts(reference)).singleElement().extracting(Attempt::status).isEqualTo("ANSWERED");
    }

    @Test
    void aVoicemailHearsTheMessageWithoutKeysAndThePersonIsCalledAgain() {
        at("2026-03-23T14:00");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T10:00"), landline, "fr");
        at(reminder(reference, "P2D").dueAt());
        Attempt first = placed(reference, 1);

        Document voicemail = twiml(voice("/twilio/voice/reminder-call?r=" + first.id(), first.callSid(), Map.of("AnsweredBy", "machine_end_beep")));
        List<String> texts = said(voicemail);
        assertThat(texts.getFirst()).startsWith("Bonjour, ici le service de rendez-vous");
        assertThat(texts).filteredOn(t -> t.startsWith("Rappel : vous avez rendez-vous le vendredi 27 mars à 10:00")).hasSize(2);
        assertThat(texts).noneMatch(t -> t.contains("tapez 1"));
        assertThat(all(voicemail, "Gather")).isEmpty();
        assertThat(all(voicemail, "Hangup")).hasSize(1);
        assertThat(reminder(reference, "P2D").status()).as("not reached by a person yet").isEqualTo("CALLING");

        // The voicemail's call ends "completed": the next attempt is planned, as after no answer.
        assertThat(status(first, "completed")).isEqualTo(204);
        assertThat(attempts(reference)).extracting(Attempt::attempt, Attempt::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "VOICEMAIL"), org.assertj.core.groups.Tuple.tuple(2, "PENDING"));
        assertThat(status(first, "completed")).as("Twilio's retry of the callback changes nothing").isEqualTo(204);
        assertThat(attempts(reference)).hasSize(2);
    }

    /** The reference as the call says it: three groups of three, digit by digit. */
    private static String spelled(String reference) {
        return String.join(", ", spaced(reference.substring(0, 3)), spaced(reference.substring(3, 6)), spaced(reference.substring(6)));
    }

    private static String spaced(String digits) {
        return String.join(" ", digits.split(""));
    }

    @Test
    void everyLanguageIsSpokenWithItsOwnVoiceDariFromRecordingsAndPashtoInFrench() {
        at("2026-03-23T14:10");
        Map<String, String> references = new LinkedHashMap<>();
        int minute = 0;
        for (LanguageProfile p : locales.offered()) {
            references.put(p.tag(), book("VIENNE", paris("2026-03-27T09:00").plus(Duration.ofMinutes(5L * minute++)), freshLandline(), p.tag()));
        }
        at("2026-03-25T12:00");
        for (LanguageProfile p : locales.offered()) {
            String reference = references.get(p.tag());
            Document d = answer(placed(reference, 1));
            if (p.twilioVoice() != null) {
                assertThat(all(d, "Say")).as(p.tag()).hasSize(4).allSatisfy(s -> {
                    assertThat(s.getAttribute("voice")).isEqualTo(p.twilioVoice());
                    assertThat(s.getAttribute("language")).isEqualTo(p.twilioLanguage());
                });
                assertThat(said(d).get(1)).as(p.tag()).isEqualTo(said(d).get(2)).contains("Sous-préfecture de Vienne");
                assertThat(said(d).getLast()).isEqualTo(locales.text(p.tag(), "reminder.call.keys", Map.of()));
                assertThat(all(d, "Play")).isEmpty();
            } else if (p.tag().equals("fa-AF")) {
                // Dari has no Twilio voice: the recordings (test fixtures here), and the reference from digit recordings.
                assertThat(all(d, "Say")).isEmpty();
                List<String> played = all(d, "Play").stream().map(Node::getTextContent).toList();
                assertThat(played.getFirst()).isEqualTo("https://guichet.example.org/twilio/audio/fa-AF/reminder.call.hello.wav");
                assertThat(played).filteredOn(u -> u.endsWith("/reminder.call.details.wav")).hasSize(2);
                assertThat(played).contains("https://guichet.example.org/twilio/audio/fa-AF/digit." + reference.charAt(0) + ".wav");
                assertThat(played.getLast()).isEqualTo("https://guichet.example.org/twilio/audio/fa-AF/reminder.call.keys.wav");
                assertThat(webhooks.get("/twilio/audio/fa-AF/reminder.call.keys.wav", null).statusCode()).isEqualTo(200);
            } else {
                // Pashto has neither a voice nor recordings: French rather than silence.
                assertThat(p.tag()).isEqualTo("ps");
                assertThat(all(d, "Say")).hasSize(4).allSatisfy(s -> assertThat(s.getAttribute("language")).isEqualTo("fr-FR"));
            }
        }
    }

    @Test
    void unansweredBusyAndFailedCallsAreRetriedThreeTimesInAllAnHourApart() {
        at("2026-03-23T14:20");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T11:00"), landline, "en");
        at("2026-03-25T11:00");
        Attempt first = placed(reference, 1);
        assertThat(status(first, "ringing")).isEqualTo(204);
        assertThat(attempts(reference)).hasSize(1);
        assertThat(status(first, "no-answer")).isEqualTo(204);
        assertThat(attempts(reference)).extracting(Attempt::status).containsExactly("NO_ANSWER", "PENDING");
        assertThat(attempts(reference).get(1).dueAt()).isEqualTo(paris("2026-03-25T12:00"));

        at("2026-03-25T11:59");
        assertThat(callsTo(landline)).hasSize(1);
        at("2026-03-25T12:00");
        Attempt second = placed(reference, 2);
        status(second, "busy");
        at("2026-03-25T13:00");
        Attempt third = placed(reference, 3);
        status(third, "failed");
        assertThat(attempts(reference)).extracting(Attempt::status).containsExactly("NO_ANSWER", "BUSY", "FAILED");
        assertThat(reminder(reference, "P2D")).extracting(Row::status, Row::reason).containsExactly("UNREACHED", "ATTEMPTS");
        at("2026-03-25T15:00");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> callsTo(landline).size() == 3);
    }

    @Test
    void aRetryThatWouldRingAtNightWaitsForTheMorningAndNoneRingsTooCloseToTheAppointment() {
        at("2026-03-23T14:30");
        String landline = freshLandline();
        // Thursday 26 March at 11:00: PT16H is Wednesday 19:00.
        String reference = book("GRENOBLE", paris("2026-03-26T11:00"), landline, "fr");
        jdbc.sql("UPDATE reminders SET status = 'SKIPPED', reason = 'TEST' WHERE reference = :r AND offset_iso = 'P2D'").param("r", reference).update();
        at("2026-03-25T19:00");
        status(placed(reference, 1), "no-answer");
        // 20:00 is quiet: Thursday 09:00, still two hours before the appointment.
        assertThat(attempts(reference).get(1).dueAt()).isEqualTo(paris("2026-03-26T09:00"));
        at("2026-03-25T22:00");
        assertThat(callsTo(landline)).hasSize(1);
        at("2026-03-26T09:00");
        status(placed(reference, 2), "no-answer");
        // 10:00 would be an hour before: no third call.
        assertThat(attempts(reference)).hasSize(2);
        assertThat(reminder(reference, "PT16H")).extracting(Row::status, Row::reason).containsExactly("UNREACHED", "TOO_LATE");
    }

    @Test
    void keyTwoAsksOnceMoreThenCancelsAndFreesThePlace() {
        at("2026-03-23T14:40");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T14:00"), landline, "ar");
        at(reminder(reference, "P2D").dueAt());
        Attempt call = placed(reference, 1);
        answer(call);

        Document ask = press(call, "first", "2");
        assertThat(said(ask)).containsExactly(locales.text("ar", "reminder.call.cancel_confirm", Map.of()));
        assertThat(all(ask, "Gather").getFirst().getAttribute("action")).endsWith("&step=cancel");
        assertThat(appointmentStatus(reference)).isEqualTo("BOOKED");
        Document cancelled = press(call, "cancel", "2");
        assertThat(said(cancelled)).containsExactly(locales.text("ar", "reminder.call.cancelled", Map.of()));
        assertThat(appointmentStatus(reference)).isEqualTo("CANCELLED");
        assertThat(attempts(reference).getFirst().keys()).isEqualTo("CANCELLED");
        assertThat(reminder(reference, "PT16H").status()).isEqualTo("DROPPED");
    }

    @Test
    void silenceHearsTheKeysOnceMoreThenGoodbyeAndTheAppointmentIsKept() {
        at("2026-03-23T14:50");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T14:30"), landline, "fr");
        at(reminder(reference, "P2D").dueAt());
        Attempt call = placed(reference, 1);
        answer(call);
        Document again = press(call, "first", "");
        assertThat(said(again)).containsExactly("Pour confirmer votre venue, tapez 1. Pour annuler le rendez-vous, tapez 2.");
        Document bye = press(call, "again", "");
        assertThat(said(bye)).containsExactly("Je n'ai pas eu de réponse. Votre rendez-vous est maintenu. Au revoir.");
        assertThat(appointmentStatus(reference)).isEqualTo("BOOKED");
        // Key 2 then 1: kept and confirmed.
        press(call, "first", "2");
        assertThat(said(press(call, "cancel", "1"))).containsExactly("Merci, votre venue est confirmée. Au revoir.");
        assertThat(appointmentStatus(reference)).isEqualTo("BOOKED");
    }

    @Test
    void aCallerWhoDeclinedReminderCallsIsNotCalledAndTwilioRefusalsAreNotRetried() {
        at("2026-03-23T15:00");
        String declined = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T15:00"), declined, "fr");
        // What the voice channel records when the caller pressed 2 to "a reminder call the day before?".
        jdbc.sql("INSERT INTO voice_reminder_preference (reference, phone, language, wants_call, recorded_at) VALUES (:r, :p, 'fr', FALSE, now())")
                .param("r", reference).param("p", declined).update();
        String refused = freshLandline();
        String other = book("GRENOBLE", paris("2026-03-27T15:00"), refused, "fr");
        twilio.stubFor(post(urlPathEqualTo(CALLS)).withRequestBody(containing("To=" + URLEncoder.encode(refused, StandardCharsets.UTF_8)))
                .willReturn(TwilioServiceTest.twilioError(400, 21215)));

        at(reminder(reference, "P2D").dueAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> "CALL_DECLINED".equals(reminder(reference, "P2D").reason()));
        await().atMost(Duration.ofSeconds(10)).until(() -> "REFUSED".equals(reminder(other, "P2D").reason()));
        assertThat(callsTo(declined)).isEmpty();
        assertThat(callsTo(refused)).hasSize(1);
        assertThat(attempts(other)).singleElement().extracting(Attempt::status).isEqualTo("REFUSED");
    }

    @Test
    void aWebhookForAnUnknownAttemptOrAnotherCallSaysNothingAndBadParametersAre400() {
        Document unknown = twiml(voice("/twilio/voice/reminder-call?r=999999999", "CA" + "0".repeat(32), Map.of()));
        assertThat(all(unknown, "Say")).isEmpty();
        assertThat(all(unknown, "Hangup")).hasSize(1);
        assertThat(voice("/twilio/voice/reminder-call?r=abc", "CA" + "0".repeat(32), Map.of()).statusCode()).isEqualTo(400);
        assertThat(voice("/twilio/voice/reminder-call?r=1", "not a sid!", Map.of()).statusCode()).isEqualTo(400);
        // Unsigned: refused by the signature filter before anything runs.
        assertThat(webhooks.post("/twilio/voice/reminder-call?r=1", Map.of("CallSid", "CA" + "0".repeat(32)), null).statusCode()).isEqualTo(403);

        at("2026-03-23T15:10");
        String landline = freshLandline();
        String reference = book("GRENOBLE", paris("2026-03-27T15:30"), landline, "fr");
        at(reminder(reference, "P2D").dueAt());
        Attempt call = placed(reference, 1);
        Document stray = twiml(voice("/twilio/voice/reminder-call?r=" + call.id(), "CA" + "f".repeat(32), Map.of()));
        assertThat(all(stray, "Say")).isEmpty();
        assertThat(attempts(reference).getFirst().status()).isEqualTo("PLACED");
    }
}
