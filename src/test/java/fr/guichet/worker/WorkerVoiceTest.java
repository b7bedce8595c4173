package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.speech.Grammar;
import fr.guichet.speech.SpeechRecognition;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The worker space by phone call, keypad only, through the real voice webhooks ({@code POST /twilio/voice} and the
 * URLs of each {@code <Gather>}) and the real conversation runtime, booking and outbox in PostgreSQL.
 */
class WorkerVoiceTest extends WorkerServiceTest {
    @Autowired SpeechRecognition recognition;

    @Test
    void aWorkerOpensTheSpaceByKeypadListsABookingMadeBySmsAndCancelsIt() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        // A booking made earlier by SMS (one conversation per number across SMS and voice).
        openBySms(worker, "250913");
        sms(worker, "1");
        sms(worker, "2");
        sms(worker, "Fatou Sow");
        sms(worker, "01.02.1988");
        sms(worker, "fr");
        sms(worker, "1");
        sms(worker, "1");
        sms(worker, "1");
        String reference = reference(sms(worker, "1"));
        assertThat(sms(worker, "4")).contains("Au revoir.");

        Call call = new Call(worker);
        assertThat(call.ring()).contains("Pour le français, tapez 1.");
        assertThat(call.press("1")).contains("Que voulez-vous faire ?", "Espace pro");
        // The space was opened by SMS less than the session time ago: no PIN asked again.
        assertThat(call.press("4")).contains("Espace pro. Que voulez-vous faire ?").doesNotContain("code secret");
        // References are spelled digit by digit on the phone, in the list too.
        String spelled = spelled(reference);
        assertThat(call.press("2")).contains("Vos rendez-vous à venir", spelled + " F. S.").doesNotContain("Fatou");
        String manage = call.press("1");
        assertThat(manage).contains("Rendez-vous " + spelled + " (F. S.)");
        assertThat(occurrences(manage, "Rendez-vous " + spelled)).as("read twice: " + manage).isEqualTo(2);
        assertThat(call.press("1")).contains("Annuler le rendez-vous " + spelled);
        assertThat(call.press("1")).contains("Le rendez-vous " + spelled + " est annulé.", "Espace pro. Que voulez-vous faire ?");
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE reference = ?").param(reference).query(String.class).single())
                .isEqualTo("CANCELLED");
        assertThat((String) outbox("cancellation:" + reference).get("body")).startsWith("Rendez-vous annulé pour F. S. :");
    }

    @Test
    void thePinIsTypedOnTheKeypadAndAWrongOneIsCounted() {
        String worker = freshMobile();
        long id = register(worker, "0482", "fr", 10);
        Call call = new Call(worker);
        call.ring();
        // A number never seen: French picked on the phone's own language menu leads straight to the main menu.
        assertThat(call.press("1")).contains("Que voulez-vous faire ?", "Espace pro (associations) : tapez 4.");
        assertThat(call.press("4")).contains("Tapez votre code secret, puis la touche dièse.");
        assertThat(call.lastXml).contains("finishOnKey=\"#\"");
        assertThat(call.press("1111")).contains("Code faux. Essais restants : 4.", "Tapez votre code secret");
        // Leading zero kept: 0482 is not 482.
        assertThat(call.press("482")).contains("Le code a 4 à 8 chiffres.");
        assertThat(call.press("0482")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(jdbc.sql("SELECT outcome, channel FROM worker_pin_attempts WHERE worker_id = ? ORDER BY id").param(id)
                .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2)).list()).containsExactly("WRONG/VOICE", "ACCEPTED/VOICE");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void inEnglishThePinPromptIsKeypadOnlyAndThePinIsNeverStreamedStoredOrLogged(CapturedOutput output) {
        // The English model is loaded in the background at start; speech must be on for this call to prove anything.
        await().atMost(Duration.ofMinutes(3)).until(() -> recognition.canListen(new Grammar("en", List.of(), true)));
        String pin = "739164";
        String worker = freshMobile();
        register(worker, pin, "en", 10);
        Call call = new Call(worker);

        assertThat(call.answerIn("en")).contains("What would you like to do?");
        assertThat(call.xml().getElementsByTagName("Start").getLength()).as("speech listens to the main menu").isEqualTo(1);

        assertThat(call.press("4")).contains(locales.text("en", "worker.pin.voice", Map.of()));
        Document prompt = call.xml();
        assertThat(prompt.getElementsByTagName("Start").getLength()).as("no <Start> at the PIN prompt: " + call.lastXml).isZero();
        NodeList streams = prompt.getElementsByTagName("Stream");
        for (int i = 0; i < streams.getLength(); i++) {
            // Only the main menu's stream, stopped before the PIN prompt plays.
            assertThat(((Element) streams.item(i).getParentNode()).getTagName()).as(call.lastXml).isEqualTo("Stop");
        }
        Element gather = (Element) prompt.getElementsByTagName("Gather").item(0);
        assertThat(gather).as("a <Gather> waits for the PIN: " + call.lastXml).isNotNull();
        assertThat(gather.getAttribute("input")).isEqualTo("dtmf");
        assertThat(gather.getAttribute("finishOnKey")).isEqualTo("#");
        assertThat(gather.getAttribute("action")).doesNotContain("speech");

        assertThat(call.press(pin)).contains(locales.text("en", "worker.home", Map.of()));

        assertThat(jdbc.sql("SELECT twiml FROM voice_call_step WHERE call_sid = ?").param(call.sid).query(String.class).list())
                .isNotEmpty().noneMatch(twiml -> twiml.contains(pin));
        assertThat(jdbc.sql("SELECT variables::text FROM conversation WHERE phone = ?").param(worker).query(String.class).single())
                .doesNotContain(pin);
        assertThat(output.getAll()).doesNotContain(pin);
    }

    @Test
    void aWorkerBooksByKeypadForAPersonWithAMoroccanMobileInArabic() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        Call call = new Call(worker);
        assertThat(call.answerIn("fr")).contains("Que voulez-vous faire ?");
        assertThat(call.press("4")).contains("Tapez votre code secret");
        assertThat(call.press("250913")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(call.press("1")).contains("La personne a-t-elle un téléphone mobile ?");
        // No "+" on a keypad: the country code is typed after 00.
        assertThat(call.press("1")).contains("Tapez son numéro de mobile", "0 0, l'indicatif du pays");
        String readback = call.press("00212661234567");
        assertThat(readback).contains("Le numéro est +212 6 61 23 45 67.");
        assertThat(occurrences(readback, "Le numéro est +212 6 61 23 45 67.")).isEqualTo(2);
        // By phone the name is not asked (it cannot be typed): it is read from the person's papers at the counter.
        assertThat(call.press("1")).contains(locales.text("fr", "worker.person.name.voice", Map.of()), "date de naissance")
                .doesNotContain("le nom et le prénom");
        String languages = call.press("14031991");
        assertThat(languages).contains("Dans quelle langue lui écrire ?");
        assertThat(call.press(key(languages, "العربية"))).contains("Pour quelle démarche ?");
        assertThat(call.press("1")).contains("Dans quel lieu ?");
        assertThat(call.press("1")).contains("Voici les premiers rendez-vous libres.");
        assertThat(call.press("1")).contains("La personne est-elle d'accord");
        String booked = call.press("1");

        assertThat(booked).contains("Rendez-vous pris pour la personne née le 14/03/1991 :", "La convocation part par SMS.",
                "Espace pro. Que voulez-vous faire ?");
        // Read twice, with a pause between, the reference digit by digit.
        assertThat(occurrences(booked, "Rendez-vous pris pour")).as(booked).isEqualTo(2);
        assertThat(call.xml().getElementsByTagName("Pause").getLength()).isPositive();
        String reference = spokenReference(booked);

        Map<String, Object> appointment = jdbc.sql(
                        "SELECT phone, language, channel, booked_by, applicant_name, birth_date::text AS born FROM appointments WHERE reference = ?")
                .param(reference).query().singleRow();
        assertThat(appointment).containsEntry("phone", "+212661234567").containsEntry("language", "ar").containsEntry("channel", "WORKER")
                .containsEntry("booked_by", "worker:" + id).containsEntry("applicant_name", "").containsEntry("born", "1991-03-14");
        Map<String, Object> convocation = outbox("convocation:" + reference);
        assertThat(convocation).containsEntry("to_number", "+212661234567").containsEntry("language", "ar");
        assertThat((String) convocation.get("body")).startsWith("المحافظة: موعدك").contains(reference.substring(0, 3) + " ", "La Cimade Grenoble");
        Map<String, Object> copy = outbox("worker-copy:" + reference);
        assertThat(copy).containsEntry("to_number", worker).containsEntry("language", "fr");
        assertThat((String) copy.get("body")).startsWith("Rendez-vous pour la personne née le 14/03/1991 :");
        assertThat(jdbc.sql("SELECT person_has_phone, channel FROM worker_mandates WHERE reference = ?").param(reference)
                .query((rs, n) -> rs.getBoolean(1) + "/" + rs.getString(2)).single()).isEqualTo("true/VOICE");
    }

    @Test
    void aWorkerBooksByKeypadForAPersonWithoutAPhoneAndGetsTheConvocation() {
        String worker = freshMobile();
        register(worker, "864202", "fr", 10);
        Call call = new Call(worker);
        call.answerIn("fr");
        call.press("4");
        assertThat(call.press("864202")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(call.press("1")).contains("La personne a-t-elle un téléphone mobile ?");
        assertThat(call.press("2")).contains(locales.text("fr", "worker.person.name.voice", Map.of()), "date de naissance");
        String languages = call.press("07111979");
        assertThat(call.press(key(languages, "Français"))).contains("Pour quelle démarche ?");
        call.press("1");
        call.press("1");
        assertThat(call.press("1")).contains("La personne est-elle d'accord");
        String booked = call.press("1");
        assertThat(booked).contains("Rendez-vous pris pour la personne née le 07/11/1979 :");
        String reference = spokenReference(booked);

        assertThat(jdbc.sql("SELECT phone FROM appointments WHERE reference = ?").param(reference).query().singleRow().get("phone")).isNull();
        Map<String, Object> convocation = outbox("convocation:" + reference);
        assertThat(convocation).containsEntry("to_number", worker).containsEntry("language", "fr");
        assertThat((String) convocation.get("body")).startsWith("Convocation pour la personne née le 07/11/1979 :").contains("Prévenez la personne",
                reference.substring(0, 3) + " " + reference.substring(3, 6) + " " + reference.substring(6));
        assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key = ?").param("worker-copy:" + reference).query(Integer.class).single())
                .isZero();
    }

    @Test
    void fiveWrongPinsByKeypadLockTheSpaceAndTheCallerHearsUntilWhen() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        Call call = new Call(worker);
        call.answerIn("fr");
        assertThat(call.press("4")).contains("Tapez votre code secret");
        assertThat(call.press("111111")).contains("Code faux. Essais restants : 4.");
        assertThat(call.press("222222")).contains("Essais restants : 3.");
        assertThat(call.press("333333")).contains("Essais restants : 2.");
        assertThat(call.press("444444")).contains("Essais restants : 1.");
        String unlock = DateTimeFormatter.ofPattern("HH:mm").format(clock.instant().plus(Duration.ofMinutes(15)).atZone(PARIS));
        String locked = call.press("555555");
        assertThat(locked).contains("Trop de codes faux. L'espace pro est bloqué jusqu'à " + unlock + ".");
        assertThat(occurrences(locked, "bloqué jusqu'à " + unlock)).as("the unlock time is read twice").isEqualTo(2);
        assertThat(call.hungUp()).isTrue();

        // Calling again during the lock: even the way in says until when; the right PIN is not even asked.
        clock.advance(Duration.ofMinutes(10));
        Call again = new Call(worker);
        again.answerIn("fr");
        assertThat(again.press("4")).contains("bloqué jusqu'à " + unlock).doesNotContain("code secret");
        clock.advance(Duration.ofMinutes(5));
        Call later = new Call(worker);
        later.answerIn("fr");
        assertThat(later.press("4")).contains("Tapez votre code secret");
        assertThat(later.press("250913")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(jdbc.sql("SELECT outcome || '/' || channel FROM worker_pin_attempts WHERE worker_id = ? ORDER BY id").param(id)
                .query(String.class).list())
                .containsExactly("WRONG/VOICE", "WRONG/VOICE", "WRONG/VOICE", "WRONG/VOICE", "WRONG/VOICE", "ACCEPTED/VOICE");
    }

    /** The key the voice menu gives for {@code label} ("العربية : tapez 2."). */
    private static String key(String said, String label) {
        Matcher m = Pattern.compile(Pattern.quote(label) + " : tapez (\\d)\\.").matcher(said);
        assertThat(m.find()).as(label + " in: " + said).isTrue();
        return m.group(1);
    }
}
