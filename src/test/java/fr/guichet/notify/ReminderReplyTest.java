package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replies to reminder texts through {@code POST /twilio/sms} with the real conversation runtime: confirm, cancel and
 * move in French, Arabic and English, from a number that never wrote, with and without a conversation in progress,
 * about past, cancelled and moved appointments, and from a social worker for a person without a phone.
 */
class ReminderReplyTest extends ReminderServiceTest {

    /** Books (web API), moves the clock to the first reminder and waits for it to be sent; returns the reference. */
    String remindedAt(String phone, String language, Instant start) {
        String reference = book("GRENOBLE", start, phone, language);
        at(reminder(reference, "P2D").dueAt());
        awaitReminderText(phone);
        return reference;
    }

    @Test
    void aPersonWhoNeverWroteConfirmsWithABareOne() {
        at("2026-03-23T12:00");
        String phone = freshMobile();
        String reference = remindedAt(phone, "fr", paris("2026-03-27T10:30"));

        String reply = sms(phone, "1");
        assertThat(reply).startsWith("Merci, c'est confirmé : rendez-vous le vendredi 27 mars à 10:30, Préfecture de l'Isère.")
                .contains(grouped(reference));
        assertThat(confirmedVia(reference)).contains("SMS");
        assertThat(appointmentStatus(reference)).isEqualTo("BOOKED");
        // The reminder is answered: the next "1" is the person's own business with the service (here: booking).
        assertThat(sms(phone, "1")).doesNotContain("confirmé").contains("Pour quelle démarche ?");
        // Confirmed appointments still get their later reminders.
        at(reminder(reference, "PT16H").dueAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> textsTo(phone).size() == 2);
    }

    @Test
    void aCancellationInArabicFreesTheSlotAndASecondReplySaysItIsCancelled() {
        at("2026-03-23T12:10");
        String phone = freshMobile();
        String reference = remindedAt(phone, "ar", paris("2026-03-27T11:30"));
        int booked = jdbc.sql("SELECT s.booked FROM slots s JOIN appointments a ON a.slot_id = s.id WHERE a.reference = :r")
                .param("r", reference).query(Integer.class).single();

        assertThat(sms(phone, "إلغاء")).startsWith("تم إلغاء موعد").contains(grouped(reference), "قائمة");
        assertThat(appointmentStatus(reference)).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT s.booked FROM slots s JOIN appointments a ON a.slot_id = s.id WHERE a.reference = :r")
                .param("r", reference).query(Integer.class).single()).isEqualTo(booked - 1);
        assertThat(reminder(reference, "PT16H").status()).isEqualTo("DROPPED");

        assertThat(sms(phone, "الغاء")).contains("أُلغي", grouped(reference));
    }

    @Test
    void moveInEnglishContinuesInTheAppointmentFlowForThatReference() {
        at("2026-03-23T12:20");
        String phone = freshMobile();
        String reference = remindedAt(phone, "en", paris("2026-03-27T14:30"));
        slot("GRENOBLE", paris("2026-03-26T08:45"));

        String offered = sms(phone, "MOVE");
        assertThat(offered).contains("Let us change the date of appointment " + grouped(reference) + ".", "Here are the first free appointments:");
        String confirm = sms(phone, "1");
        assertThat(confirm).contains("New appointment on", "Reply 1 for yes");
        String moved = sms(phone, "1");
        assertThat(moved).startsWith("Done. New appointment:");
        Matcher m = Pattern.compile("Reference (\\d{3} \\d{3} \\d{3})").matcher(moved);
        assertThat(m.find()).isTrue();
        String newReference = m.group(1).replace(" ", "");
        assertThat(appointmentStatus(reference)).isEqualTo("MOVED");
        assertThat(appointmentStatus(newReference)).isEqualTo("BOOKED");
        assertThat(reminder(reference, "PT16H").status()).isEqualTo("DROPPED");
        // A reply to the old reminder now answers for the appointment that replaced it.
        assertThat(sms(phone, "CONFIRM")).contains("Thank you, it is confirmed", grouped(newReference));
        assertThat(confirmedVia(newReference)).contains("SMS");
    }

    @Test
    void duringAConversationADigitIsTheFlowsAndWordsAreAnsweredWithoutLeavingIt() {
        at("2026-03-23T12:30");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T15:30"), phone, "fr");
        Instant due = reminder(reference, "P2D").dueAt();
        // The person is booking something else when the reminder arrives.
        at(due.minus(Duration.ofMinutes(5)));
        assertThat(sms(phone, "Bonjour")).contains("je vous réponds en français");
        assertThat(sms(phone, "1")).contains("Que voulez-vous faire ?");
        assertThat(sms(phone, "1")).contains("Pour quelle démarche ?");
        at(due);
        awaitReminderText(phone);

        // "1" answers the question asked (the procedure), not the reminder.
        assertThat(sms(phone, "1")).contains("Dans quel lieu ?").doesNotContain("confirmé");
        assertThat(confirmedVia(reference)).isEmpty();
        // DÉPLACER: how to do it afterwards, then the same question again.
        assertThat(sms(phone, "DÉPLACER")).contains("Pour changer la date du rendez-vous " + grouped(reference)
                + ", envoyez d'abord MENU, puis DÉPLACER.", "Dans quel lieu ?");
        // ANNULER twice: the first time asks again (the word may mean "stop what I am doing").
        assertThat(sms(phone, "ANNULER")).contains("renvoyez ANNULER", "Dans quel lieu ?");
        assertThat(appointmentStatus(reference)).isEqualTo("BOOKED");
        assertThat(sms(phone, "annuler")).contains("est annulé", grouped(reference), "Dans quel lieu ?");
        assertThat(appointmentStatus(reference)).isEqualTo("CANCELLED");
        // The conversation is where it was: the site question is still answered.
        assertThat(sms(phone, "1")).contains("Écrivez votre nom et votre prénom.");
    }

    @Test
    void confirmingInArabicDuringAConversationKeepsTheQuestionInProgress() {
        at("2026-03-23T12:40");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T16:00"), phone, "ar");
        Instant due = reminder(reference, "P2D").dueAt();
        at(due.minus(Duration.ofMinutes(5)));
        assertThat(sms(phone, "مرحبا")).contains("سأجيبك بالعربية");
        assertThat(sms(phone, "1")).contains("ماذا تريد أن تفعل؟");
        assertThat(sms(phone, "1")).contains("ما هو طلبك؟");
        at(due);
        awaitReminderText(phone);

        String reply = sms(phone, "تأكيد");
        assertThat(reply).contains("شكرًا، تم التأكيد", grouped(reference), "ما هو طلبك؟");
        assertThat(confirmedVia(reference)).contains("SMS");
        // Once answered, a word that could belong to the flow is the flow's again (here: not a procedure, asked again).
        assertThat(sms(phone, "تأكيد")).doesNotContain("شكرًا").contains("1");
    }

    @Test
    void aMoveAfterTheConversationEndsContinuesInTheFlowFromTheMainMenu() {
        at("2026-03-23T12:50");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T09:00"), phone, "fr");
        Instant due = reminder(reference, "P2D").dueAt();
        at(due.minus(Duration.ofMinutes(3)));
        sms(phone, "Bonjour");
        sms(phone, "1");
        assertThat(sms(phone, "1")).contains("Pour quelle démarche ?");
        at(due);
        awaitReminderText(phone);
        assertThat(sms(phone, "deplacer")).contains("envoyez d'abord MENU");
        // At the main menu no question is in progress: DÉPLACER now moves the reminded appointment.
        assertThat(sms(phone, "MENU")).contains("Que voulez-vous faire ?");
        assertThat(sms(phone, "DÉPLACER")).contains("Changeons la date du rendez-vous " + grouped(reference) + ".",
                "Voici les premiers rendez-vous libres :");
    }

    @Test
    void aReplyAfterTheAppointmentSaysItIsPast() {
        at("2026-03-23T13:00");
        String phone = freshMobile();
        String reference = remindedAt(phone, "fr", paris("2026-03-27T09:30"));
        at("2026-03-28T10:00");
        assertThat(sms(phone, "CONFIRMER")).isEqualTo("Ce rendez-vous (réf. " + grouped(reference)
                + ") est passé. Pour en prendre un nouveau, envoyez MENU.");
        assertThat(confirmedVia(reference)).isEmpty();
    }

    @Test
    void aSharedPhoneNamesTheReferenceToAnswerAnOlderReminder() {
        at("2026-03-23T13:10");
        String phone = freshMobile();
        String first = book("GRENOBLE", paris("2026-03-27T10:00"), phone, "fr");
        Answer second = api("POST", "/api/v1/appointments", """
                {"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Moussa Diallo","birthDate":"2001-07-04","phone":"%s","language":"fr"}}"""
                .formatted(slot("GRENOBLE", paris("2026-03-27T10:15")), phone), "Idempotency-Key", java.util.UUID.randomUUID().toString());
        assertThat(second.status()).isEqualTo(201);
        String secondReference = second.json().get("reference").asString();
        at(reminder(secondReference, "P2D").dueAt());
        await().atMost(Duration.ofSeconds(10)).until(() -> textsTo(phone).size() == 2);

        assertThat(sms(phone, "ANNULER " + grouped(first))).contains("est annulé", grouped(first));
        assertThat(appointmentStatus(first)).isEqualTo("CANCELLED");
        assertThat(appointmentStatus(secondReference)).isEqualTo("BOOKED");
    }

    @Test
    void aWorkerGetsTheReminderOfAPersonWithoutPhoneByInitialsAndAnswersForThem() {
        // Before the demo slots begin, so the first free slot the worker is offered is days ahead.
        at("2026-03-16T10:00");
        String worker = freshMobile();
        Answer registered = api("POST", "/api/v1/admin/workers", """
                {"name":"Claire Martin","organisation":"La Cimade Grenoble","phones":["%s"],"pin":"250913","language":"fr","dailyLimit":10}"""
                .formatted(worker), "Authorization", "Bearer " + STAFF);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(sms(worker, "bonjour")).contains("français");
        sms(worker, "1");
        assertThat(sms(worker, "PRO")).contains("code secret");
        assertThat(sms(worker, "250913")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(sms(worker, "1")).contains("La personne a-t-elle un téléphone mobile ?");
        assertThat(sms(worker, "2")).contains("Écrivez le nom et le prénom de la personne.");
        sms(worker, "Youssouf Diallo Konaté");
        sms(worker, "12.03.1990");
        sms(worker, "fr");
        sms(worker, "1");
        sms(worker, "1");
        assertThat(sms(worker, "1")).contains("La personne est-elle d'accord");
        String booked = sms(worker, "1");
        Matcher m = Pattern.compile("Référence (\\d{3} \\d{3} \\d{3})").matcher(booked);
        assertThat(m.find()).as(booked).isTrue();
        String reference = m.group(1).replace(" ", "");

        at(reminder(reference, "P2D").dueAt());
        String text = awaitText(worker, "Rappel");
        assertThat(text).startsWith("Rappel pour Y. D. K. : rendez-vous le").contains("Prévenez la personne", grouped(reference))
                .doesNotContain("Youssouf", "Konaté");
        assertThat(reminder(reference, "P2D")).extracting(Row::recipient, Row::toNumber).containsExactly("WORKER", worker);

        assertThat(sms(worker, "CONFIRMER")).contains("Merci, c'est confirmé", grouped(reference));
        // The worker's space was idle since the booking; answering the reminder does not wake it: words still count.
        assertThat(sms(worker, "DÉPLACER")).contains("Pour changer la date du rendez-vous de Y. D. K.", "envoyez PRO");
        assertThat(sms(worker, "ANNULER")).contains("est annulé", grouped(reference));
        assertThat(appointmentStatus(reference)).isEqualTo("CANCELLED");
    }
}
