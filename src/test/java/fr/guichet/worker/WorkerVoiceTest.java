package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The worker space by phone call, keypad only, through the real voice webhooks and the real conversation runtime. */
class WorkerVoiceTest extends WorkerServiceTest {

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
        sms(worker, "3");

        Call call = new Call(worker);
        assertThat(call.ring()).contains("Pour le français, tapez 1.");
        assertThat(call.press("1")).contains("Que voulez-vous faire ?", "Espace pro");
        // The space was opened by SMS less than the session time ago: no PIN asked again.
        assertThat(call.press("4")).contains("Espace pro. Que voulez-vous faire ?").doesNotContain("code secret");
        String grouped = reference.substring(0, 3) + " " + reference.substring(3, 6) + " " + reference.substring(6);
        assertThat(call.press("2")).contains("Vos rendez-vous à venir", grouped + " F. S.").doesNotContain("Fatou");
        assertThat(call.press("1")).contains("Rendez-vous " + grouped + " (F. S.)");
        assertThat(call.press("1")).contains("Annuler le rendez-vous " + grouped);
        assertThat(call.press("1")).contains("Le rendez-vous " + grouped + " est annulé.", "Espace pro. Que voulez-vous faire ?");
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
}
