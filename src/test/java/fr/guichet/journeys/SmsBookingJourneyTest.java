package fr.guichet.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.GuichetTest;
import fr.guichet.Webhooks;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.Slot;
import fr.guichet.booking.SlotQuery;
import fr.guichet.language.LocaleFiles;
import fr.guichet.phone.PhoneNumber;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A person books, checks and cancels an appointment by SMS, through {@code POST /twilio/sms} of the running service,
 * with the real conversation runtime, the real flows and texts, and the Isère demo catalogue in PostgreSQL: the path
 * a fixture catalogue hid ("Bonjour", "1", "1" failed on a procedure without texts).
 */
@GuichetTest
class SmsBookingJourneyTest {
    static final Pattern REFERENCE = Pattern.compile("\\b(\\d{3} \\d{3} \\d{3})\\b");
    private static final AtomicInteger sids = new AtomicInteger();

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired LocaleFiles locales;
    @Autowired BookingPort bookings;
    Webhooks webhooks;

    @BeforeEach
    void client() {
        webhooks = new Webhooks(port);
    }

    /** Sends one text as Twilio would (unsigned: no auth token, loopback) and returns the whole reply, parts joined. */
    String text(String from, String country, String body) {
        String sid = "SM" + "%032x".formatted(System.nanoTime() + sids.incrementAndGet());
        Map<String, String> params = new LinkedHashMap<>(Webhooks.sms(sid, from, body));
        params.put("FromCountry", country);
        HttpResponse<String> response = webhooks.post("/twilio/sms", params, null);
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> messages = Webhooks.messages(response.body());
        if (messages.size() == 1 && messages.getFirst().equals(locales.text("fr", "sms.reply_deferred", Map.of()))) {
            // A slow turn (first requests of a cold JVM) answers through the outbox instead: read it there.
            await().atMost(Duration.ofSeconds(20)).until(() -> !outboxReplies(sid).isEmpty());
            messages = outboxReplies(sid);
        }
        return Webhooks.rejoined(messages);
    }

    private List<String> outboxReplies(String sid) {
        return jdbc.sql("SELECT body FROM sms_outbox WHERE purpose_key LIKE :k ORDER BY purpose_key").param("k", "reply:" + sid + "%")
                .query(String.class).list();
    }


    Booked appointment(String reference) {
        return Booked.find(jdbc, reference);
    }

    static String reference(String reply) {
        Matcher m = REFERENCE.matcher(reply);
        assertThat(m.find()).as("a reference in: %s", reply).isTrue();
        return m.group(1);
    }

    @Test
    void aFormLargerThanAnyWebhookSentWithExpectContinueGetsA413ProblemNotA500() throws Exception {
        // With no auth token (loopback) and "Expect: 100-continue" (as curl sends a large body), Tomcat's refusal of
        // the form reaches the application as an exception while the parameters are read (SmsChannelTest: the other way).
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/twilio/sms")).expectContinue(true)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("From=%2B33612345678&Body=" + "x".repeat(3_000_000))).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"code\":\"body-too-large\"");
    }

    @Test
    void bookingCheckingAndCancellingInFrench() {
        String from = "+33612777001";
        assertThat(text(from, "FR", "Bonjour")).contains("je vous réponds en français");
        assertThat(text(from, "FR", "1")).contains("Que voulez-vous faire ?", "1 Prendre un rendez-vous");
        String procedures = text(from, "FR", "1");
        assertThat(procedures).contains("Pour quelle démarche ?", "1 Régularisation : vie privée et familiale", "Autres choix");
        assertThat(text(from, "FR", "1")).contains("Dans quel lieu ?", "1 Préfecture de l'Isère");
        assertThat(text(from, "FR", "1")).contains("Écrivez votre nom et votre prénom.");
        assertThat(text(from, "FR", "Amina Diallo")).contains("date de naissance");
        String slots = text(from, "FR", "12.03.1990");
        assertThat(slots).contains("Voici les premiers rendez-vous libres :", "1 ", "Préfecture de l'Isère", "Un autre jour");
        assertThat(text(from, "FR", "1")).contains("Amina Diallo, rendez-vous le", "Répondez 1 pour confirmer");
        String confirmation = text(from, "FR", "1");
        assertThat(confirmation).startsWith("Rendez-vous confirmé : ").contains("Préfecture de l'Isère", "Référence ", "gratuit");
        String reference = reference(confirmation);
        Booked booked = appointment(reference);
        assertThat(booked.status()).isEqualTo("BOOKED");
        assertThat(booked.procedure()).isEqualTo("AES_VIE_PRIVEE");
        assertThat(booked.channel()).isEqualTo("SMS");
        assertThat(booked.language()).isEqualTo("fr");
        assertThat(booked.site()).isEqualTo("GRENOBLE");
        assertThat(booked.start()).isAfter(Instant.now());
        Booked.assertSaysWhen(confirmation, booked.start(), Locale.FRENCH);
        assertThat(jdbc.sql("SELECT applicant_name FROM appointments WHERE reference = :r").param("r", booked.reference())
                .query(String.class).single()).isEqualTo("Amina Diallo");

        // Checking it: MENU, then "my appointment", found by this phone number.
        assertThat(text(from, "FR", "MENU")).contains("Que voulez-vous faire ?");
        String details = text(from, "FR", "2");
        assertThat(details).contains("Votre rendez-vous : ", reference, "Préfecture de l'Isère", "1 Annuler");
        Booked.assertSaysWhen(details, booked.start(), Locale.FRENCH);

        // Moving it to another slot: a new reference, the old one marked moved.
        String moveChoices = text(from, "FR", "2");
        assertThat(moveChoices).contains("Voici les premiers rendez-vous libres :", "Un autre jour", "Le matin", "L'après-midi");
        java.time.ZonedDateTime was = booked.start().atZone(java.time.ZoneId.of("Europe/Paris"));
        assertThat(moveChoices).as("the appointment's own time is not offered").doesNotContain(was.getDayOfMonth() + " "
                + was.getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.FRENCH) + " à "
                + was.format(java.time.format.DateTimeFormatter.ofPattern("HH:mm")));
        assertThat(text(from, "FR", "2")).contains("Nouveau rendez-vous le", "Répondez 1 pour oui");
        String moved = text(from, "FR", "1");
        assertThat(moved).startsWith("C'est fait. Nouveau rendez-vous : ");
        String newReference = reference(moved);
        assertThat(newReference).isNotEqualTo(reference);
        Booked now = appointment(newReference);
        assertThat(now.status()).isEqualTo("BOOKED");
        assertThat(now.start()).isNotEqualTo(booked.start());
        Booked.assertSaysWhen(moved, now.start(), Locale.FRENCH);
        assertThat(appointment(reference).status()).isEqualTo("MOVED");

        // Cancelling the new one.
        text(from, "FR", "MENU");
        assertThat(text(from, "FR", "2")).contains(newReference);
        assertThat(text(from, "FR", "1")).contains("Voulez-vous vraiment annuler ce rendez-vous ?");
        assertThat(text(from, "FR", "1")).contains("Votre rendez-vous est annulé.");
        assertThat(appointment(newReference).status()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone = :p AND status = 'BOOKED'").param("p", from)
                .query(Integer.class).single()).isZero();
    }

    @Test
    void whatToBringForAProcedureOfTheRealCatalogue() {
        String from = "+33612777002";
        text(from, "FR", "Bonjour");
        text(from, "FR", "1");
        assertThat(text(from, "FR", "3")).contains("Quelle information ?");
        assertThat(text(from, "FR", "1")).contains("Pour quelle démarche ?", "5 Titre salarié : renouvellement");
        assertThat(text(from, "FR", "5")).contains(locales.text("fr", "procedure.SALARIE_RENOUVELLEMENT.documents", Map.of()),
                "Autre chose ?");
        assertThat(text(from, "FR", "1")).contains("Quelle information ?");
        assertThat(text(from, "FR", "2")).contains("Préfecture de l'Isère, 12 place de Verdun, 38000 Grenoble. Tél. 04 76 60 49 49",
                "Sous-préfecture de Vienne", "Sous-préfecture de La Tour-du-Pin");
    }

    @Test
    void bookingCheckingAndCancellingInEnglishForAnOnlineProcedure() {
        String from = "+447700900321";
        assertThat(text(from, "GB", "Hello")).contains("English", "1");
        assertThat(text(from, "GB", "1")).contains("What would you like to do?", "1 Book an appointment");
        String procedures = text(from, "GB", "1");
        assertThat(procedures).contains("1 Regularisation: private and family life", "More choices");
        // The tenth procedure is on the second page: ANEF, filed online, so the appointment is help at the digital desk.
        String second = text(from, "GB", "10");
        assertThat(second).contains("Student (online)");
        String studentNumber = second.lines().filter(l -> l.endsWith("Student (online)")).findFirst().orElseThrow().split(" ")[0];
        assertThat(text(from, "GB", studentNumber)).contains("This request is made online (ANEF)", "digital help desk", "Where?");
        assertThat(text(from, "GB", "2")).contains("Write your last name and first name.");
        assertThat(text(from, "GB", "Олена Коваль")).contains("date of birth");
        assertThat(text(from, "GB", "01/02/1988")).contains("Sous-préfecture de Vienne", "Another day");
        assertThat(text(from, "GB", "2")).contains("Олена Коваль", "Reply 1 to confirm");
        String confirmation = text(from, "GB", "yes");
        assertThat(confirmation).startsWith("Appointment confirmed: ").contains("Sous-préfecture de Vienne", "Reference ", "free");
        String reference = reference(confirmation);
        Booked booked = appointment(reference);
        assertThat(booked.status()).isEqualTo("BOOKED");
        assertThat(booked.procedure()).isEqualTo("PAN_AIDE_ANEF");
        assertThat(booked.site()).isEqualTo("VIENNE");
        assertThat(booked.language()).isEqualTo("en");
        Booked.assertSaysWhen(confirmation, booked.start(), Locale.ENGLISH);

        assertThat(text(from, "GB", "MENU")).contains("What would you like to do?");
        String details = text(from, "GB", "2");
        assertThat(details).contains(reference, "Sous-préfecture de Vienne");
        Booked.assertSaysWhen(details, booked.start(), Locale.ENGLISH);
        assertThat(text(from, "GB", "cancel")).contains("cancel");
        assertThat(text(from, "GB", "1")).contains("Your appointment is cancelled.");
        assertThat(appointment(reference).status()).isEqualTo("CANCELLED");
        // The place is freed: it counts only the appointments still booked on the slot (a request waiting in the queue
        // may have been given it at once, which is the queue's rule: freed places go to the queue first).
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = (SELECT slot_id FROM appointments WHERE reference = :r)")
                .param("r", booked.reference()).query(Integer.class).single())
                .isEqualTo(jdbc.sql("""
                                SELECT count(*) FROM appointments WHERE status = 'BOOKED'
                                  AND slot_id = (SELECT slot_id FROM appointments WHERE reference = :r)""")
                        .param("r", booked.reference()).query(Integer.class).single());
    }

    /** Walks the booking flow for the first counter procedure at the prefecture and confirms the first slot offered. */
    String bookTheFirstSlot(String from, String name, String birthDate) {
        assertThat(text(from, "FR", "MENU")).contains("Que voulez-vous faire ?");
        text(from, "FR", "1");
        text(from, "FR", "1");
        text(from, "FR", "1");
        text(from, "FR", name);
        text(from, "FR", birthDate);
        assertThat(text(from, "FR", "1")).contains("Répondez 1 pour confirmer");
        return text(from, "FR", "1");
    }

    @Test
    void aNumberWithThreeBookingAttemptsInTheLastHourIsAskedToWait() {
        String from = "+33612777003";
        assertThat(text(from, "FR", "Bonjour")).contains("français");
        for (int i = 0; i < 3; i++) {
            jdbc.sql("INSERT INTO booking_attempt (attempt_key, phone, attempted_at) VALUES (:k, :p, now() - interval '10 minutes')")
                    .param("k", "earlier:" + from + ":" + i).param("p", from).update();
        }
        assertThat(bookTheFirstSlot(from, "Amina Diallo", "12.03.1990"))
                .isEqualTo(locales.text("fr", "booking.limit.attempts", Map.of()));
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone = :p").param("p", from).query(Integer.class).single()).isZero();

        // An hour later the same number books again.
        jdbc.sql("UPDATE booking_attempt SET attempted_at = now() - interval '61 minutes' WHERE phone = :p").param("p", from).update();
        assertThat(bookTheFirstSlot(from, "Amina Diallo", "12.03.1990")).startsWith("Rendez-vous confirmé : ");
    }

    @Test
    void aNumberHoldingThreeAppointmentsToComeCannotBookAFourth() {
        String from = "+33612777004";
        assertThat(text(from, "FR", "Bonjour")).contains("français");
        // Three appointments already held by this number (a family sharing a phone), booked on the web.
        PhoneNumber phone = new PhoneNumber(from);
        List<Slot> slots = bookings.findSlots(new SlotQuery("GRENOBLE", "AES_VIE_PRIVEE", Instant.now(), Instant.now().plus(Duration.ofDays(60)), 3));
        for (int i = 0; i < 3; i++) {
            assertThat(bookings.book(new BookingCommand("web:family:" + i, slots.get(i).id(), "AES_VIE_PRIVEE",
                    new Applicant("Famille Diallo", LocalDate.of(1980 + i, 1, 1), phone, "fr"), BookingChannel.WEB, null, false)))
                    .isInstanceOf(BookingOutcome.Booked.class);
        }
        assertThat(bookTheFirstSlot(from, "Famille Diallo", "04.04.1986")).isEqualTo(locales.text("fr", "booking.limit.active", Map.of()));
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone = :p AND status = 'BOOKED'").param("p", from)
                .query(Integer.class).single()).isEqualTo(3);
    }

    @Test
    void aPhoneSharedByAFamilyListsItsAppointmentsToChooseFrom() {
        String from = "+33612777005";
        PhoneNumber phone = new PhoneNumber(from);
        List<Slot> slots = bookings.findSlots(new SlotQuery("GRENOBLE", "AES_VIE_PRIVEE", Instant.now(), Instant.now().plus(Duration.ofDays(60)), 2));
        List<String> references = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            BookingOutcome outcome = bookings.book(new BookingCommand("web:shared:" + i, slots.get(i).id(), "AES_VIE_PRIVEE",
                    new Applicant(i == 0 ? "Amina Diallo" : "Moussa Diallo", LocalDate.of(1980 + i, 1, 1), phone, "fr"), BookingChannel.WEB, null, false));
            references.add(((BookingOutcome.Booked) outcome).appointment().reference().grouped());
        }
        text(from, "FR", "Bonjour");
        text(from, "FR", "1");
        String list = text(from, "FR", "2");
        assertThat(list).contains("Ce numéro a plusieurs rendez-vous. Lequel ?", "1 " + references.get(0) + " A. D.", "2 " + references.get(1) + " M. D.");
        String details = text(from, "FR", "2");
        assertThat(details).contains("Votre rendez-vous : ", references.get(1), "1 Annuler");
        assertThat(text(from, "FR", "1")).contains("Voulez-vous vraiment annuler ce rendez-vous ?");
        assertThat(text(from, "FR", "1")).contains("Votre rendez-vous est annulé.");
        assertThat(appointment(references.get(1).replace(" ", "")).status()).isEqualTo("CANCELLED");
        assertThat(appointment(references.get(0).replace(" ", "")).status()).isEqualTo("BOOKED");
    }
}
