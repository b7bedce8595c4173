package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.CancelOutcome;
import fr.guichet.booking.Reference;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Whole worker conversations by SMS through {@code POST /twilio/sms}, with the real engine, booking and outbox. */
class WorkerSmsTest extends WorkerServiceTest {
    @Autowired WorkerRegistry registry;
    @Autowired BookingPort bookings;

    /** From the worker's home menu to the booking, for a person with this phone ("" = no phone); returns the reply. */
    String bookFor(String worker, String personPhone, String name, String language) {
        assertThat(sms(worker, "1")).contains("La personne a-t-elle un téléphone mobile ?");
        if (personPhone.isEmpty()) {
            assertThat(sms(worker, "2")).contains("Écrivez le nom et le prénom de la personne.");
        } else {
            assertThat(sms(worker, "1")).contains("avec l'indicatif du pays");
            assertThat(sms(worker, personPhone)).contains("Le numéro est", "Est-ce juste ?");
            assertThat(sms(worker, "1")).contains("Écrivez le nom et le prénom de la personne.");
        }
        assertThat(sms(worker, name)).contains("Écrivez sa date de naissance");
        assertThat(sms(worker, "12.03.1990")).contains("Dans quelle langue lui écrire ?", "العربية");
        assertThat(sms(worker, language)).contains("Pour quelle démarche ?");
        assertThat(sms(worker, "1")).contains("Dans quel lieu ?");
        assertThat(sms(worker, "1")).contains("Voici les premiers rendez-vous libres");
        assertThat(sms(worker, "1")).contains("La personne est-elle d'accord");
        return sms(worker, "1");
    }

    @Test
    void aWorkerBooksForAPersonWithAMoroccanMobileInArabic() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        assertThat(openBySms(worker, "250913")).contains("Espace pro. Que voulez-vous faire ?");

        assertThat(sms(worker, "1")).contains("La personne a-t-elle un téléphone mobile ?");
        assertThat(sms(worker, "1")).contains("+212 6 12 34 56 78");
        assertThat(sms(worker, "+212 6 12 34 56 78")).contains("Le numéro est +212 6 12 34 56 78. Est-ce juste ?");
        // A wrong read-back: the number is asked again.
        assertThat(sms(worker, "2")).contains("avec l'indicatif du pays");
        sms(worker, "00212612345678");
        assertThat(sms(worker, "1")).contains("Écrivez le nom et le prénom de la personne.");
        assertThat(sms(worker, "Amina Benali")).contains("Écrivez sa date de naissance");
        assertThat(sms(worker, "12.03.1990")).contains("Dans quelle langue lui écrire ?");
        assertThat(sms(worker, "ar")).contains("Pour quelle démarche ?");
        assertThat(sms(worker, "1")).contains("Dans quel lieu ?");
        assertThat(sms(worker, "1")).contains("Voici les premiers rendez-vous libres");
        assertThat(sms(worker, "1")).contains("La personne est-elle d'accord");
        String booked = sms(worker, "1");

        assertThat(booked).contains("Rendez-vous pris pour A. B. :", "La convocation part par SMS.", "Espace pro. Que voulez-vous faire ?")
                .doesNotContain("Amina", "Benali");
        String reference = reference(booked);
        Map<String, Object> appointment = jdbc.sql("SELECT phone, language, channel, booked_by, applicant_name FROM appointments WHERE reference = ?")
                .param(reference).query().singleRow();
        assertThat(appointment).containsEntry("phone", "+212612345678").containsEntry("language", "ar").containsEntry("channel", "WORKER")
                .containsEntry("booked_by", "worker:" + id).containsEntry("applicant_name", "Amina Benali");

        Map<String, Object> convocation = outbox("convocation:" + reference);
        assertThat(convocation).containsEntry("to_number", "+212612345678").containsEntry("language", "ar");
        assertThat((String) convocation.get("body")).startsWith("المحافظة: موعدك").contains(reference.substring(0, 3) + " ", "La Cimade Grenoble");
        Map<String, Object> copy = outbox("worker-copy:" + reference);
        assertThat(copy).containsEntry("to_number", worker).containsEntry("language", "fr");
        assertThat((String) copy.get("body")).startsWith("Rendez-vous pour A. B. :").doesNotContain("Amina");

        Map<String, Object> mandate = jdbc.sql("SELECT worker_id, person_initials, person_has_phone, agreed_at FROM worker_mandates WHERE reference = ?")
                .param(reference).query().singleRow();
        assertThat(mandate).containsEntry("worker_id", id).containsEntry("person_initials", "A. B.").containsEntry("person_has_phone", true);
        assertThat(mandate.get("agreed_at")).isNotNull();
    }

    @Test
    void aPersonWithoutPhoneGetsTheConvocationThroughTheWorkerByInitials() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");

        String booked = bookFor(worker, "", "Youssouf Diallo Konaté", "fr");

        assertThat(booked).contains("Rendez-vous pris pour Y. D. K. :");
        String reference = reference(booked);
        assertThat(jdbc.sql("SELECT phone FROM appointments WHERE reference = ?").param(reference).query().singleRow().get("phone")).isNull();
        Map<String, Object> convocation = outbox("convocation:" + reference);
        assertThat(convocation).containsEntry("to_number", worker).containsEntry("language", "fr");
        assertThat((String) convocation.get("body")).startsWith("Convocation pour Y. D. K. :").contains("Prévenez la personne")
                .doesNotContain("Youssouf", "Diallo");
        assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key = ?").param("worker-copy:" + reference).query(Integer.class).single())
                .isZero();

        // The same person, the same procedure, booked again by anyone: refused, even without a phone.
        sms(worker, "1");
        sms(worker, "2");
        sms(worker, "youssouf  diallo konaté");
        sms(worker, "12.03.1990");
        sms(worker, "fr");
        sms(worker, "1");
        sms(worker, "1");
        sms(worker, "1");
        assertThat(sms(worker, "1")).contains("Cette personne a déjà un rendez-vous pour cette démarche.");
    }

    @Test
    void wrongPinsLockTheSpaceForFifteenMinutesAndTheWorkerIsToldUntilWhen() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        assertThat(openBySms(worker, "111111")).contains("Code faux. Essais restants : 4.");
        assertThat(sms(worker, "222222")).contains("Essais restants : 3.");
        assertThat(sms(worker, "12")).contains("Le code a 4 à 8 chiffres.");
        assertThat(sms(worker, "333333")).contains("Essais restants : 2.");
        assertThat(sms(worker, "444444")).contains("Essais restants : 1.");
        String unlock = DateTimeFormatter.ofPattern("HH:mm").format(clock.instant().plus(Duration.ofMinutes(15)).atZone(PARIS));
        assertThat(sms(worker, "555555")).contains("Trop de codes faux. L'espace pro est bloqué jusqu'à " + unlock + ".");

        // Even the right PIN is refused while locked; the worker is told again until when.
        clock.advance(Duration.ofMinutes(14));
        assertThat(sms(worker, "PRO")).contains("bloqué jusqu'à " + unlock);
        clock.advance(Duration.ofMinutes(1));
        assertThat(sms(worker, "PRO")).contains("Écrivez votre code secret");
        assertThat(sms(worker, "250913")).contains("Espace pro. Que voulez-vous faire ?");
        assertThat(registry.attemptOutcomes(id)).containsExactly("WRONG", "WRONG", "WRONG", "WRONG", "WRONG", "ACCEPTED");
    }

    @Test
    void theSpaceStaysOpenForTheSessionTimeAndThenAsksForThePinAgain() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        assertThat(sms(worker, "4")).contains("Au revoir.");
        assertThat(sms(worker, "PRO")).contains("Espace pro. Que voulez-vous faire ?").doesNotContain("code secret");
        clock.advance(Duration.ofMinutes(31));
        // After the idle time the conversation offers to continue; starting again and asking for the space needs the PIN.
        sms(worker, "MENU");
        assertThat(sms(worker, "PRO")).contains("Écrivez votre code secret");
    }

    @Test
    void anUnregisteredNumberGetsTheApplicantMenuAndHowToRegister() {
        String phone = freshMobile();
        sms(phone, "bonjour");
        sms(phone, "1");
        String reply = sms(phone, "PRO");
        assertThat(reply).contains("Ce numéro n'est pas inscrit à l'espace pro.", "préfecture", "Que voulez-vous faire ?", "Prendre un rendez-vous");
        assertThat(reply).doesNotContain("code secret");
    }

    @Test
    void proAsTheVeryFirstMessageFromARegisteredNumberAsksForThePin() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        assertThat(sms(worker, "PRO")).contains("Espace pro. Écrivez votre code secret.").doesNotContain("Répondez 1 pour continuer");
        assertThat(sms(worker, "250913")).contains("Espace pro. Que voulez-vous faire ?");
    }

    @Test
    void proAsTheVeryFirstMessageFromAnUnregisteredNumberGivesTheMenuAndHowToRegister() {
        String reply = sms(freshMobile(), "pro");
        assertThat(reply).contains("Ce numéro n'est pas inscrit à l'espace pro.", "préfecture", "Que voulez-vous faire ?", "Prendre un rendez-vous")
                .doesNotContain("code secret");
    }

    @Test
    void proInTheMiddleOfABookingOrOfTheLanguageQuestionOpensTheWorkerSpace() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        sms(worker, "bonjour");
        sms(worker, "1");
        assertThat(sms(worker, "1")).contains("Pour quelle démarche ?");
        assertThat(sms(worker, "Espace pro")).contains("Écrivez votre code secret");
        assertThat(sms(worker, "250913")).contains("Espace pro. Que voulez-vous faire ?");

        // Before any language is settled (the language question of a first message), too.
        String other = freshMobile();
        register(other, "864202", "fr", 10);
        assertThat(sms(other, "bonjour")).contains("Répondez 1 pour continuer");
        assertThat(sms(other, "PRO")).contains("Écrivez votre code secret");
    }

    @Test
    void invalidAndFixedLineNumbersAreExplained() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        sms(worker, "1");
        sms(worker, "1");
        assertThat(sms(worker, "12345")).contains("Je n'ai pas compris le numéro");
        assertThat(sms(worker, "AIDE")).contains("+212 pour le Maroc");
        assertThat(sms(worker, "04 76 60 49 49")).contains("Ce numéro ne peut pas recevoir de SMS. Il faut un numéro de mobile.",
                "La personne a-t-elle un téléphone mobile ?");
    }

    @Test
    void aPersonWhoStoppedOurTextsIsConvokedAndToldOfTheCancellationByCalls() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        String person = mobileThatStoppedOurTexts();

        String booked = bookFor(worker, person, "Leila Amrani", "fr");
        assertThat(booked.replaceAll("\\s*\\(\\d/\\d\\) ", " ")).contains("Rendez-vous pris pour L. A.",
                "Ce numéro ne reçoit pas nos SMS : convocation par appel.").doesNotContain("La convocation part par SMS.");
        String reference = reference(booked);
        assertThat(notice(reference, "CONVOCATION")).isEqualTo(1);
        assertThat(outboxCount("convocation:" + reference)).as("no text held for a number that stopped them").isZero();
        assertThat(outbox("worker-copy:" + reference)).containsEntry("to_number", worker);

        String list = sms(worker, "2");
        assertThat(list).contains(grouped(reference));
        if (!list.contains("Rendez-vous " + grouped(reference) + " (L. A.) :")) sms(worker, "1");
        assertThat(sms(worker, "1")).contains("Annuler le rendez-vous " + grouped(reference) + " ?");
        assertThat(sms(worker, "1")).contains("Le rendez-vous " + grouped(reference) + " est annulé.");
        assertThat(notice(reference, "CANCELLATION")).isEqualTo(1);
        assertThat(outboxCount("cancellation:" + reference)).isZero();
    }

    /** A mobile that texted STOP: the service's texts no longer reach it. */
    String mobileThatStoppedOurTexts() {
        String person = freshMobile();
        assertThat(sms(person, "STOP")).contains("Vous ne recevrez plus de SMS de ce service.");
        return person;
    }

    int notice(String reference, String kind) {
        return jdbc.sql("SELECT count(*) FROM reminders WHERE reference = ? AND offset_iso = ? AND status = 'SCHEDULED'")
                .params(reference, kind).query(Integer.class).single();
    }

    int outboxCount(String purpose) {
        return jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key = ?").param(purpose).query(Integer.class).single();
    }

    @Test
    void theDailyLimitCapsBookingsPerWorker() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 1);
        openBySms(worker, "250913");
        assertThat(bookFor(worker, "+33698765401", "Nadia Haddad", "fr")).contains("Rendez-vous pris pour N. H.");
        assertThat(bookFor(worker, "+33698765402", "Omar Haddad", "fr"))
                .contains("Limite atteinte : 1 rendez-vous par jour. Réessayez demain.");
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone = '+33698765402'").query(Integer.class).single()).isZero();
    }

    @Test
    void aWorkerListsCancelsAndMovesOnlyTheirOwnBookings() {
        String alice = freshMobile();
        String bruno = freshMobile();
        long aliceId = register(alice, "250913", "fr", 10);
        long brunoId = register(bruno, "864202", "fr", 10);
        openBySms(alice, "250913");
        String first = reference(bookFor(alice, "+33698765411", "Leila Amrani", "fr"));
        String second = reference(bookFor(alice, "", "Karim Amrani", "fr"));

        // Bruno sees none of Alice's bookings.
        openBySms(bruno, "864202");
        assertThat(sms(bruno, "2")).contains("Vous n'avez aucun rendez-vous à venir.");

        // Alice sees hers by reference and initials, and moves then cancels.
        String list = sms(alice, "2");
        assertThat(list).contains("Vos rendez-vous à venir :", grouped(first) + " L. A.", grouped(second) + " K. A.").doesNotContain("Leila");
        int firstLine = list.contains("1 " + grouped(first)) ? 1 : 2;
        assertThat(sms(alice, String.valueOf(firstLine))).contains("Rendez-vous " + grouped(first) + " (L. A.) :");
        assertThat(sms(alice, "2")).contains("Voici les premiers rendez-vous libres");
        String moved = sms(alice, "2");
        assertThat(moved).contains("Rendez-vous déplacé :", "Nouvelle référence");
        String newReference = moved.replaceAll("(?s).*Nouvelle référence (\\d{3} \\d{3} \\d{3}).*", "$1").replace(" ", "");
        assertThat(outbox("convocation:" + newReference)).containsEntry("to_number", "+33698765411");

        list = sms(alice, "2");
        int secondLine = list.contains("1 " + grouped(second)) ? 1 : 2;
        sms(alice, String.valueOf(secondLine));
        assertThat(sms(alice, "1")).contains("Annuler le rendez-vous " + grouped(second) + " ?");
        assertThat(sms(alice, "1")).contains("Le rendez-vous " + grouped(second) + " est annulé.");
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE reference = ?").param(second).query(String.class).single()).isEqualTo("CANCELLED");
        // Karim has no phone: Alice is told, by initials.
        Map<String, Object> cancellation = outbox("cancellation:" + second);
        assertThat(cancellation).containsEntry("to_number", alice);
        assertThat((String) cancellation.get("body")).startsWith("Rendez-vous annulé pour K. A. :").doesNotContain("Karim");

        // Through the port too: Bruno cannot cancel or move Alice's booking, nor a person's own booking.
        Reference alices = new Reference(newReference);
        assertThat(bookings.cancelBookedBy(alices, WorkerFlowActions.bookedBy(brunoId))).isInstanceOf(CancelOutcome.NotFound.class);
        List<Slot> slots = bookings.findSlots(new SlotQuery(null, "AES_VIE_PRIVEE", clock.instant(), clock.instant().plus(Duration.ofDays(40)), 5));
        assertThat(bookings.moveBookedBy(alices, WorkerFlowActions.bookedBy(brunoId), slots.getLast().id(), "test-move-" + brunoId))
                .isInstanceOf(BookingOutcome.AppointmentNotFound.class);
        BookingOutcome own = bookings.book(new BookingCommand("test-own-" + aliceId, slots.getFirst().id(), "AES_VIE_PRIVEE",
                new Applicant("Sami Toure", LocalDate.of(1985, 1, 2), new PhoneNumber(freshMobile()), "fr"), BookingChannel.SMS, null, false));
        Reference ownReference = ((BookingOutcome.Booked) own).appointment().reference();
        assertThat(bookings.cancelBookedBy(ownReference, WorkerFlowActions.bookedBy(aliceId))).isInstanceOf(CancelOutcome.NotFound.class);
        assertThat(bookings.upcomingBookedBy(WorkerFlowActions.bookedBy(aliceId))).extracting(a -> a.reference().value())
                .containsExactly(newReference);
    }

    @Test
    void withNoPlaceAWorkerPutsAPersonWithoutPhoneInTheQueueAndGetsTheConvocationWhenPlacesOpen() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        record Capacity(long id, int capacity) {}
        List<Capacity> saved = jdbc.sql("SELECT id, capacity FROM slots WHERE site = 'LA_TOUR_DU_PIN'").query(Capacity.class).list();
        try {
            // Every place at La Tour-du-Pin taken.
            jdbc.sql("UPDATE slots SET capacity = booked WHERE site = 'LA_TOUR_DU_PIN'").update();
            sms(worker, "1");
            sms(worker, "2");
            sms(worker, "Awa Traoré");
            sms(worker, "12.03.1990");
            sms(worker, "fr");
            assertThat(sms(worker, "1")).contains("Dans quel lieu ?", "3 Sous-préfecture de La Tour-du-Pin");
            assertThat(sms(worker, "3")).contains("Pas de rendez-vous libre pour le moment. Inscrire la personne sur la liste d'attente");
            String queued = sms(worker, "1");
            assertThat(queued).contains("Liste d'attente : inscription faite pour A. T., référence ", "Espace pro. Que voulez-vous faire ?")
                    .doesNotContain("Awa");
            String request = reference(queued);
            assertThat(jdbc.sql("SELECT status || ' ' || channel || ' ' || booked_by || ' ' || COALESCE(phone, 'no phone') FROM requests WHERE reference = ?")
                    .param(request).query(String.class).single()).isEqualTo("WAITING WORKER worker:" + id + " no phone");
            assertThat(jdbc.sql("SELECT person_initials FROM worker_mandates WHERE reference = ?").param(request).query(String.class).single())
                    .isEqualTo("A. T.");
            // The acknowledgement of receipt, for a person without a phone, is the worker's to keep.
            Map<String, Object> ack = outbox("ack:" + request);
            assertThat(ack).containsEntry("to_number", worker).containsEntry("language", "fr");
            assertThat((String) ack.get("body")).startsWith("Accusé de réception : demande " + grouped(request)).doesNotContain("Awa");

            // Places again: the request is convoked under the worker's name, and the convocation goes to the worker.
            for (Capacity c : saved) jdbc.sql("UPDATE slots SET capacity = ? WHERE id = ?").params(c.capacity(), c.id()).update();
            assertThat(api("POST", "/api/v1/admin/queue/allocate", null, STAFF).statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT status FROM requests WHERE reference = ?")
                    .param(request).query(String.class).single().equals("CONVOKED"));
            String appointment = jdbc.sql("SELECT appointment FROM requests WHERE reference = ?").param(request).query(String.class).single();
            assertThat(jdbc.sql("SELECT channel || ' ' || booked_by FROM appointments WHERE reference = ?").param(appointment)
                    .query(String.class).single()).isEqualTo("QUEUE worker:" + id);
            Map<String, Object> convocation = outbox("convocation:" + appointment);
            assertThat(convocation).containsEntry("to_number", worker).containsEntry("language", "fr");
            assertThat((String) convocation.get("body")).startsWith("Convocation pour A. T. :").contains("Sous-préfecture de La Tour-du-Pin",
                    "Prévenez la personne").doesNotContain("Awa");
            // The worker manages it like their own booking.
            assertThat(sms(worker, "2")).contains("Vos rendez-vous à venir :", grouped(appointment) + " A. T.");
        } finally {
            for (Capacity c : saved) jdbc.sql("UPDATE slots SET capacity = ? WHERE id = ?").params(c.capacity(), c.id()).update();
        }
    }

    @Test
    void aWorkerRegistersTheRenewalOfAPersonsPermitAndThePersonGetsTheAcknowledgementInArabic() {
        String worker = freshMobile();
        long id = register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        LocalDate expiry = LocalDate.ofInstant(clock.instant(), PARIS).plusMonths(10);
        assertThat(sms(worker, "3")).contains("La personne a-t-elle un téléphone mobile ?");
        sms(worker, "1");
        sms(worker, "+212 6 12 34 56 79");
        assertThat(sms(worker, "1")).contains("Écrivez le nom et le prénom de la personne.");
        sms(worker, "Amina Benali");
        sms(worker, "12.03.1990");
        sms(worker, "ar");
        sms(worker, "1");
        assertThat(sms(worker, "1")).contains("Quand se termine son titre de séjour ?");
        assertThat(sms(worker, expiry.format(DateTimeFormatter.ofPattern("dd/MM/yyyy")))).contains("La personne est-elle d'accord");
        String registered = sms(worker, "1");
        assertThat(registered).contains("C'est noté pour A. B., référence ", "La convocation partira par SMS au plus tard le "
                + expiry.minusMonths(2).format(DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.FRENCH)));
        String request = reference(registered);
        Map<String, Object> row = jdbc.sql("SELECT kind, status, booked_by, phone, language, document_expiry, queued_at FROM requests WHERE reference = ?")
                .param(request).query().singleRow();
        assertThat(row).containsEntry("kind", "RENEWAL").containsEntry("status", "WAITING").containsEntry("booked_by", "worker:" + id)
                .containsEntry("phone", "+212612345679").containsEntry("language", "ar").containsEntry("document_expiry", java.sql.Date.valueOf(expiry));
        assertThat(((java.sql.Timestamp) row.get("queued_at")).toInstant()).isEqualTo(expiry.minusMonths(4).atStartOfDay(PARIS).toInstant());
        Map<String, Object> ack = outbox("ack:" + request);
        assertThat(ack).containsEntry("to_number", "+212612345679").containsEntry("language", "ar");
        assertThat((String) ack.get("body")).contains(grouped(request)).doesNotContain("Amina");
        assertThat(jdbc.sql("SELECT count(*) FROM worker_mandates WHERE reference = ? AND worker_id = ?").params(request, id)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aWorkerRegisteringTheRenewalOfAPersonWhoStoppedOurTextsIsToldTheConvocationWillBeACall() {
        String worker = freshMobile();
        register(worker, "250913", "fr", 10);
        openBySms(worker, "250913");
        String person = mobileThatStoppedOurTexts();
        LocalDate expiry = LocalDate.ofInstant(clock.instant(), PARIS).plusMonths(10);
        sms(worker, "3");
        sms(worker, "1");
        sms(worker, person);
        sms(worker, "1");
        sms(worker, "Karim Saidi");
        sms(worker, "04.05.1985");
        sms(worker, "fr");
        sms(worker, "1");
        sms(worker, "1");
        assertThat(sms(worker, expiry.format(DateTimeFormatter.ofPattern("dd/MM/yyyy")))).contains("La personne est-elle d'accord");
        String registered = sms(worker, "1").replaceAll("\\s*\\(\\d/\\d\\) ", " ");
        assertThat(registered).contains("C'est noté pour K. S., référence ",
                "Ce numéro ne reçoit pas nos SMS : convocation par appel au plus tard le "
                        + expiry.minusMonths(2).format(DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.FRENCH)))
                .doesNotContain("partira par SMS");
    }

    private static String grouped(String reference) {
        return reference.substring(0, 3) + " " + reference.substring(3, 6) + " " + reference.substring(6);
    }
}
