package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Reminders planned by real bookings over the HTTP API: the offsets in Europe/Paris on the weekends the clocks
 * change, quiet hours, offsets already past, cancellations and moves, numbers that opted out, the text itself.
 */
class ReminderScheduleTest extends ReminderServiceTest {
    @Autowired QuietHours quiet;
    @Autowired ReminderSettings settings;
    @Autowired PlatformTransactionManager transactions;

    @Test
    void remindersFollowTheParisClockOverTheSpringChangeAndGoOutOnceEach() {
        at("2026-03-25T12:00");
        String phone = freshMobile();
        // Monday 30 March 2026 at 10:00 CEST: the clocks go forward on Sunday 29.
        String reference = book("GRENOBLE", paris("2026-03-30T10:00"), phone, "fr");

        assertThat(reminders(reference)).extracting(Row::offsetIso, Row::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("P2D", "SCHEDULED"), org.assertj.core.groups.Tuple.tuple("PT16H", "SCHEDULED"));
        // Two days before at the same clock time (10:00 CET, not 48 hours = 09:00 CET).
        assertThat(reminder(reference, "P2D").dueAt()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        // Sixteen hours before is Sunday 18:00, a closed day; Monday 09:00 is too close to 10:00: Saturday 19:59 CET.
        assertThat(reminder(reference, "PT16H").nominalAt()).isEqualTo(Instant.parse("2026-03-29T16:00:00Z"));
        assertThat(reminder(reference, "PT16H").dueAt()).isEqualTo(Instant.parse("2026-03-28T18:59:00Z"));

        at(Instant.parse("2026-03-28T08:59:00Z"));
        assertThat(textsTo(phone)).isEmpty();
        at(Instant.parse("2026-03-28T09:00:00Z"));
        String text = awaitReminderText(phone);
        assertThat(text).startsWith("Rappel : rendez-vous le lundi 30 mars à 10:00, Préfecture de l'Isère, 12 place de Verdun, 38000 Grenoble.")
                .contains("Réf. " + grouped(reference), "1 ou CONFIRMER", "2 ou ANNULER", "3 ou DÉPLACER", "Service gratuit")
                // Never the procedure (it can reveal the reason of the visit).
                .doesNotContain("Régularisation", "vie privée");
        await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(outboxStatus("reminder:" + reference + ":P2D")));
        assertThat(reminder(reference, "P2D")).extracting(Row::status, Row::channel, Row::recipient, Row::toNumber)
                .containsExactly("TEXTED", "SMS", "PERSON", phone);

        at(Instant.parse("2026-03-28T18:59:00Z"));
        await().atMost(Duration.ofSeconds(10)).until(() -> textsTo(phone).size() == 2);
        at(Instant.parse("2026-03-29T16:00:00Z"));
        at(paris("2026-03-30T09:30"));
        // The outbox and the dispatcher had every chance to send again: they did not.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> textsTo(phone).size() == 2);
    }

    @Test
    void theAutumnChangeKeepsTheClockTimeToo() {
        at("2026-10-20T12:00");
        String reference = book("VIENNE", paris("2026-10-26T14:00"), freshMobile(), "en");
        // Saturday 24 October 14:00 CEST.
        assertThat(reminder(reference, "P2D").dueAt()).isEqualTo(Instant.parse("2026-10-24T12:00:00Z"));
        // Sunday 25 October 22:00 CET → Monday 09:00 CET, five hours before the appointment.
        assertThat(reminder(reference, "PT16H").dueAt()).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
    }

    @Test
    void sundaysPublicHolidaysAndNightsAreKeptQuiet() {
        at("2026-03-30T10:00");
        String phone = freshMobile();
        // Tuesday 7 April 2026 at 10:00, after Easter Monday: both reminders fall on closed days and meet on Saturday 19:59.
        String reference = book("GRENOBLE", paris("2026-04-07T10:00"), phone, "ar");
        assertThat(reminder(reference, "P2D").dueAt()).isEqualTo(paris("2026-04-04T19:59"));
        assertThat(reminder(reference, "PT16H")).extracting(Row::status, Row::reason).containsExactly("SKIPPED", "MERGED");

        at("2026-04-04T19:59");
        assertThat(awaitReminderText(phone)).startsWith("تذكير: موعدك").contains(grouped(reference), "تأكيد", "إلغاء", "تغيير");
        at("2026-04-07T09:00");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> textsTo(phone).size() == 1);

        // A night: Thursday 2 April at 14:00 → PT16H is Wednesday 22:00 → Thursday 09:00.
        at("2026-03-30T10:05");
        String night = book("GRENOBLE", paris("2026-04-02T14:00"), freshMobile(), "fr");
        assertThat(reminder(night, "PT16H").dueAt()).isEqualTo(paris("2026-04-02T09:00"));
    }

    @Test
    void aReminderReachedInQuietTimeAfterAStopWaitsForTheMorningOrIsDroppedWhenThatIsTooLate() {
        // Due at 19:00, but the service was stopped until 21:00 (the clock jumps past it): sent at 09:00, not at night.
        at("2026-03-23T12:00");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-26T11:00"), phone, "fr");
        String tooLate = book("GRENOBLE", paris("2026-03-26T10:00"), freshMobile(), "fr");
        assertThat(reminder(reference, "PT16H").dueAt()).isEqualTo(paris("2026-03-25T19:00"));
        assertThat(reminder(tooLate, "PT16H").dueAt()).isEqualTo(paris("2026-03-25T18:00"));
        jdbc.sql("UPDATE reminders SET status = 'SKIPPED', reason = 'TEST' WHERE reference IN (:r) AND offset_iso = 'P2D'")
                .param("r", java.util.List.of(reference, tooLate)).update();
        at("2026-03-25T21:00");
        await().atMost(Duration.ofSeconds(5)).until(() -> paris("2026-03-26T09:00").equals(reminder(reference, "PT16H").dueAt()));
        // Its appointment at 10:00: 09:00 would be less than two hours before; no reminder rather than one at night.
        await().atMost(Duration.ofSeconds(5)).until(() -> "TOO_LATE".equals(reminder(tooLate, "PT16H").reason()));
        assertThat(textsTo(phone)).isEmpty();
        at("2026-03-26T09:00");
        awaitReminderText(phone);
    }

    @Test
    void offsetsAlreadyPastAtBookingAreSkipped() {
        at("2026-03-24T11:00");
        String reference = book("GRENOBLE", paris("2026-03-25T14:00"), freshMobile(), "fr");
        assertThat(reminder(reference, "P2D")).extracting(Row::status, Row::reason, Row::dueAt).containsExactly("SKIPPED", "PAST", null);
        assertThat(reminder(reference, "PT16H").dueAt()).isEqualTo(paris("2026-03-25T09:00"));
    }

    @Test
    void aCancelledAppointmentDropsItsRemindersAndNothingIsSent() {
        at("2026-03-23T10:30");
        String phone = freshMobile();
        String reference = book("LA_TOUR_DU_PIN", paris("2026-03-27T11:00"), phone, "fr");
        assertThat(cancel(reference, phone).status()).isEqualTo(200);

        assertThat(reminders(reference)).extracting(Row::status, Row::reason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("DROPPED", "CANCELLED"));
        at("2026-03-26T18:00");
        at("2026-03-27T10:00");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> textsTo(phone).isEmpty());
    }

    @Test
    void aMovedAppointmentDropsTheOldRemindersAndPlansTheNewOnes() {
        at("2026-03-23T10:40");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T11:00"), phone, "fr");
        long newSlot = slot("GRENOBLE", paris("2026-04-01T15:00"));
        Answer moved = api("POST", "/api/v1/appointments/" + reference + "/move?phone=" + java.net.URLEncoder.encode(phone, StandardCharsets.UTF_8),
                "{\"slotId\":" + newSlot + "}", "Idempotency-Key", UUID.randomUUID().toString());
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        String newReference = moved.json().get("reference").asString();

        assertThat(reminders(reference)).extracting(Row::status).containsOnly("DROPPED");
        assertThat(jdbc.sql("SELECT status || ' ' || moved_to FROM reminder_appointments WHERE reference = :r").param("r", reference)
                .query(String.class).single()).isEqualTo("MOVED " + newReference);
        assertThat(reminder(newReference, "P2D").dueAt()).isEqualTo(paris("2026-03-30T15:00"));
        // Tuesday 23:00 is quiet: Wednesday 09:00, six hours before.
        assertThat(reminder(newReference, "PT16H").dueAt()).isEqualTo(paris("2026-04-01T09:00"));

        at("2026-03-30T15:00");
        assertThat(awaitReminderText(phone)).contains(grouped(newReference), "mercredi 1 avril à 15:00");
        assertThat(textsTo(phone)).hasSize(1);
    }

    @Test
    void aNumberThatTextedStopGetsNoReminderTextButACall() {
        at("2026-03-23T11:00");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T15:00"), phone, "fr");
        assertThat(sms(phone, "STOP")).contains("Vous ne recevrez plus de SMS");
        at("2026-03-25T15:00");
        // STOP stops texts, not the appointment: the reminder is a call (ReminderCallTest follows one through).
        await().atMost(Duration.ofSeconds(10)).until(() -> "CALL".equals(reminder(reference, "P2D").channel()));
        assertThat(outboxStatus("reminder:" + reference + ":P2D")).isNull();
        assertThat(textsTo(phone)).isEmpty();
    }

    @Test
    void withTheBackendSendingTextsNoReminderIsPlanned() {
        // app.booking.texts-sent-by=backend: the same scheduler, configured so, over the same database.
        ReminderSettings backend = new ReminderSettings(settings.offsets(), settings.minLead(), false, settings.zone(),
                settings.dispatchInterval(), settings.batchSize(), settings.replyWindow(), settings.smsRatePerSecond(),
                settings.publicBaseUrl(), settings.calls());
        ReminderScheduler scheduler = new ReminderScheduler(jdbc, clock, quiet, backend, transactions);
        Reference reference = Reference.fromPayload("%08d".formatted(System.nanoTime() % 100_000_000));
        Appointment appointment = new Appointment(reference, AppointmentStatus.BOOKED, 1, "GRENOBLE", clock.instant().plus(Duration.ofDays(5)),
                Duration.ofMinutes(30), "AES_VIE_PRIVEE", new Applicant("Amina Diallo", LocalDate.of(1990, 3, 12), phone(freshMobile()), "fr"),
                BookingChannel.WEB, null, clock.instant());
        new TransactionTemplate(transactions).executeWithoutResult(s -> scheduler.booked(new AppointmentBooked(appointment)));
        assertThat(jdbc.sql("SELECT count(*) FROM reminder_appointments WHERE reference = :r").param("r", reference.value())
                .query(Integer.class).single()).isZero();
        assertThat(reminders(reference.value())).isEmpty();
    }

    @Test
    void appointmentsBookedBeforeRemindersExistedGetThemFromTheBackFill() throws IOException {
        at("2026-03-23T11:10");
        String phone = freshMobile();
        String reference = book("GRENOBLE", paris("2026-03-27T16:00"), phone, "fr");
        // As if the appointment predated V45: no reminder rows; then the migration's back-fill statement runs.
        jdbc.sql("DELETE FROM reminders WHERE reference = :r").param("r", reference).update();
        jdbc.sql("DELETE FROM reminder_appointments WHERE reference = :r").param("r", reference).update();
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V45__reminders.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String backFill = migration.substring(migration.indexOf("INSERT INTO reminder_appointments")).replace("now()", "'" + clock.instant() + "'");
        jdbc.sql(backFill).update();
        assertThat(jdbc.sql("SELECT initials FROM reminder_appointments WHERE reference = :r").param("r", reference).query(String.class).single())
                .isEqualTo("A. D.");
        await().atMost(Duration.ofSeconds(10)).until(() -> reminders(reference).size() == 2);
        assertThat(reminder(reference, "P2D").dueAt()).isEqualTo(paris("2026-03-25T16:00"));
        assertThat(jdbc.sql("SELECT schedule_pending FROM reminder_appointments WHERE reference = :r").param("r", reference)
                .query(Boolean.class).single()).isFalse();
    }

    @Test
    void aBookingWhoseReminderPlanningFailsStillCommitsAndTheDispatcherPlansThemLater() {
        at("2026-03-23T11:15");
        // A real failure inside PostgreSQL: a trigger refuses the reminders of one person's appointments.
        jdbc.sql("""
                CREATE FUNCTION refuse_reminders() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM appointments WHERE reference = NEW.reference AND applicant_name = 'Panne Rappels') THEN
                    RAISE EXCEPTION 'reminders refused for the test';
                  END IF;
                  RETURN NEW;
                END $$""").update();
        jdbc.sql("CREATE TRIGGER refuse_reminders BEFORE INSERT ON reminders FOR EACH ROW EXECUTE FUNCTION refuse_reminders()").update();
        String reference;
        try {
            long slot = slot("GRENOBLE", paris("2026-03-27T15:00"));
            Answer booked = api("POST", "/api/v1/appointments", """
                    {"slotId":%d,"procedure":"AES_VIE_PRIVEE","applicant":{"name":"Panne Rappels","birthDate":"1991-04-05","phone":"%s","language":"fr"}}"""
                    .formatted(slot, freshMobile()), "Idempotency-Key", java.util.UUID.randomUUID().toString());
            assertThat(booked.status()).as(booked.body()).isEqualTo(201);
            reference = booked.json().get("reference").asString();
            assertThat(jdbc.sql("SELECT status FROM appointments WHERE reference = :r").param("r", reference).query(String.class).single())
                    .isEqualTo("BOOKED");
            assertThat(jdbc.sql("SELECT schedule_pending FROM reminder_appointments WHERE reference = :r").param("r", reference)
                    .query(Boolean.class).single()).isTrue();
            assertThat(reminders(reference)).isEmpty();
            assertThat(outboxStatus("convocation:" + reference)).as("the rest of the booking's transaction went on").isNotNull();
        } finally {
            jdbc.sql("DROP TRIGGER refuse_reminders ON reminders").update();
            jdbc.sql("DROP FUNCTION refuse_reminders()").update();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> reminders(reference).size() == 2);
        assertThat(jdbc.sql("SELECT schedule_pending FROM reminder_appointments WHERE reference = :r").param("r", reference)
                .query(Boolean.class).single()).isFalse();
    }

    @Test
    void staffSeeTheDaysRemindersWithMaskedNumbers() {
        at("2026-03-23T11:20");
        String phone = freshMobile();
        String reference = book("VIENNE", paris("2026-04-03T11:30"), phone, "fr");
        Answer day = api("GET", "/api/v1/admin/reminders?day=2026-04-03&site=VIENNE", null, "Authorization", "Bearer " + STAFF);
        assertThat(day.status()).isEqualTo(200);
        JsonNode mine = null;
        for (JsonNode a : day.json()) if (a.get("reference").asString().equals(reference)) mine = a;
        assertThat(mine).isNotNull();
        assertThat(mine.get("status").asString()).isEqualTo("BOOKED");
        assertThat(mine.get("reminders")).hasSize(2);
        assertThat(day.body()).doesNotContain(phone).doesNotContain("Amina");
        assertThat(api("GET", "/api/v1/admin/reminders?day=2026-04-03", null).status()).isEqualTo(401);
        assertThat(api("GET", "/api/v1/admin/reminders?day=tomorrow", null, "Authorization", "Bearer " + STAFF).status()).isEqualTo(422);
    }
}
