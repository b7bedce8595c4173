package fr.guichet.booking.rdvsp;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.AppointmentCancelled;
import fr.guichet.booking.AppointmentMoved;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * RDV Service Public's webhooks ({@code POST /api/v1/backends/rdv-service-public/webhook}, signed with
 * {@code X-Lapin-Signature}): a cancellation or a move made on the web reaches Guichet and the person.
 */
class RdvspWebhookTest extends RdvspServiceTest {
    private static final String PATH = "/api/v1/backends/rdv-service-public/webhook";

    /** The signature the backend computes: hex HMAC-SHA256 of the raw body with the shared secret. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String delivery(long rdvId, String start, String status, String event) {
        return "{\"data\":" + RdvspStubs.rdv(rdvId, start, RdvspStubs.USER_ID, status)
                + ",\"meta\":{\"model\":\"Rdv\",\"event\":\"" + event + "\",\"timestamp\":\"2027-03-11 10:00:00 +0100\"}}";
    }

    Answer deliver(String body, String signature) {
        return signature == null ? call("POST", PATH, body) : call("POST", PATH, body, "X-Lapin-Signature", signature);
    }

    /** Books on the web for a person writing in {@code language}; returns the local record. */
    Local booked(String phone, String language, String birthDate) {
        stubs.healthy();
        Answer booked = bookOnTheWeb("webhook-" + phone, slotIds().getFirst(), phone, language, birthDate);
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        return local(booked.json().path("reference").asString()).orElseThrow();
    }

    @Test
    void aCancellationOnTheWebCancelsHereAndTextsThePersonInTheirLanguage() {
        String phone = freshNumber();
        Local a = booked(phone, "uk", "1983-08-09");
        String body = delivery(a.rdvId(), RdvspStubs.SLOTS.getFirst(), "excused", "updated");

        Answer answer = deliver(body, sign(WEBHOOK_SECRET, body));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("result").asString()).isEqualTo("applied");
        assertThat(local(a.reference()).orElseThrow().status()).isEqualTo("CANCELLED");
        assertThat(outboxBody("cancellation:" + a.reference())).hasValueSatisfying(text ->
                assertThat(text).startsWith("Префектура: ваш запис на понеділок, 15 березня о 08:00").contains("скасовано"));
        assertThat(events.seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AppointmentCancelled.class,
                c -> assertThat(c.appointment().reference().value()).isEqualTo(a.reference())));

        // The backend retries deliveries: the second changes nothing and texts nothing more.
        Answer again = deliver(body, sign(WEBHOOK_SECRET, body));
        assertThat(again.json().path("result").asString()).isEqualTo("unchanged");
        assertThat(jdbc.sql("SELECT count(*) FROM sms_outbox WHERE purpose_key LIKE ?").param("cancellation:" + a.reference())
                .query(Integer.class).single()).isEqualTo(1);
        // An rdv Guichet did not book is taken (200) and ignored.
        String other = delivery(987654, RdvspStubs.SLOTS.getFirst(), "excused", "updated");
        assertThat(deliver(other, sign(WEBHOOK_SECRET, other)).json().path("result").asString()).isEqualTo("not-ours");
    }

    @Test
    void forgedOrUnsignedDeliveriesAreRefusedAndChangeNothing() {
        String phone = freshNumber();
        Local a = booked(phone, "fr", "1984-09-10");
        String body = delivery(a.rdvId(), RdvspStubs.SLOTS.getFirst(), "excused", "destroyed");

        Answer forged = deliver(body, sign("not-the-secret", body));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.contentType()).startsWith("application/problem+json");
        assertThat(forged.json().path("code").asString()).isEqualTo("signature-refused");
        Answer tampered = deliver(body.replace("excused", "revoked"), sign(WEBHOOK_SECRET, body));
        assertThat(tampered.status()).isEqualTo(401);
        Answer notHex = deliver(body, "zz-not-hex");
        assertThat(notHex.status()).isEqualTo(401);
        Answer missing = deliver(body, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().path("code").asString()).isEqualTo("signature-missing");
        assertThat(local(a.reference()).orElseThrow().status()).isEqualTo("BOOKED");

        Answer malformed = deliver("{not json", sign(WEBHOOK_SECRET, "{not json"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("code").asString()).isEqualTo("malformed-body");
        // Signed and well-formed: now it counts.
        assertThat(deliver(body, sign(WEBHOOK_SECRET, body)).status()).isEqualTo(200);
        assertThat(local(a.reference()).orElseThrow().status()).isEqualTo("CANCELLED");
    }

    @Test
    void aMoveOnTheWebReplacesTheAppointmentSoRemindersFollowTheNewTime() {
        String phone = freshNumber();
        Local a = booked(phone, "es", "1986-11-12");
        String body = delivery(a.rdvId(), RdvspStubs.SLOTS.get(2), "unknown", "updated");

        Answer answer = deliver(body, sign(WEBHOOK_SECRET, body));
        assertThat(answer.json().path("result").asString()).isEqualTo("applied");
        assertThat(local(a.reference()).orElseThrow().status()).isEqualTo("MOVED");
        Local now = localFor(phone).stream().filter(l -> l.status().equals("BOOKED")).findFirst().orElseThrow();
        assertThat(now.reference()).isNotEqualTo(a.reference());
        assertThat(now.rdvId()).isEqualTo(a.rdvId());
        assertThat(now.start()).isEqualTo(Instant.parse("2027-03-15T08:00:00Z"));
        assertThat(events.seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AppointmentMoved.class, m -> {
            assertThat(m.from().reference().value()).isEqualTo(a.reference());
            assertThat(m.to().reference().value()).isEqualTo(now.reference());
            assertThat(m.to().start()).isEqualTo(now.start());
        }));
        assertThat(outboxBody("convocation:" + now.reference())).hasValueSatisfying(text ->
                assertThat(text).startsWith("Prefectura: su cita se ha cambiado al lunes, 15 de marzo a las 9:00"));
        // Delivered again: already at that time, nothing changes.
        assertThat(deliver(body, sign(WEBHOOK_SECRET, body)).json().path("result").asString()).isEqualTo("unchanged");
    }

    @Test
    void aLandlineIsCalledNotTextedAboutAMoveAndACancellationMadeOnTheWeb() {
        String landline = "+3347612%04d".formatted(Math.abs(System.nanoTime() % 10_000));
        Local a = booked(landline, "fr", "1979-05-06");
        String move = delivery(a.rdvId(), RdvspStubs.SLOTS.get(2), "unknown", "updated");
        assertThat(deliver(move, sign(WEBHOOK_SECRET, move)).json().path("result").asString()).isEqualTo("applied");
        Local now = localFor(landline).stream().filter(l -> l.status().equals("BOOKED")).findFirst().orElseThrow();
        assertThat(notices(now.reference())).containsExactly("CONVOCATION SCHEDULED");

        String cancel = delivery(now.rdvId(), RdvspStubs.SLOTS.get(2), "revoked", "updated");
        assertThat(deliver(cancel, sign(WEBHOOK_SECRET, cancel)).json().path("result").asString()).isEqualTo("applied");
        assertThat(notices(now.reference())).containsExactlyInAnyOrder("CONVOCATION DROPPED", "CANCELLATION SCHEDULED");
        assertThat(outboxBody("cancellation:" + now.reference())).isEmpty();
    }

    /** The notices of an appointment planned as calls ({@code reminders} rows that are no offset before it). */
    List<String> notices(String reference) {
        return jdbc.sql("SELECT offset_iso || ' ' || status FROM reminders WHERE reference = ? AND offset_iso IN ('CONVOCATION', 'CANCELLATION')")
                .param(reference).query(String.class).list();
    }

    @Test
    void aCancellationOnTheWebFreesTheConversationThatWasAboutIt() {
        stubs.healthy();
        String from = freshNumber();
        upToTheSlots(from, "14.02.1993");
        text(from, "1");
        String reference = reference(text(from, "1"));
        text(from, "MENU");
        assertThat(text(from, "2")).contains("Votre rendez-vous : ", "1 Annuler");

        Local a = local(reference).orElseThrow();
        String body = delivery(a.rdvId(), RdvspStubs.SLOTS.getFirst(), "revoked", "updated");
        assertThat(deliver(body, sign(WEBHOOK_SECRET, body)).status()).isEqualTo(200);
        assertThat(outboxBody("cancellation:" + reference)).hasValueSatisfying(text ->
                assertThat(text).startsWith("Préfecture : votre rendez-vous du lundi 15 mars à 08:00").contains("est annulé"));

        // "1" no longer means "cancel that appointment": the conversation starts again from the main menu.
        String next = text(from, "1");
        assertThat(next).doesNotContain("Voulez-vous vraiment annuler").containsAnyOf("Que voulez-vous faire ?", "Pour quelle démarche ?");
        assertThat(text(from, "MENU")).contains("Que voulez-vous faire ?");
        assertThat(text(from, "2")).doesNotContain(reference.substring(0, 3) + " " + reference.substring(3, 6));
        assertThat(locales.text("fr", "backend.cancelled", Map.of("start", a.start(), "reference", "1"))).contains("MENU");
    }
}
