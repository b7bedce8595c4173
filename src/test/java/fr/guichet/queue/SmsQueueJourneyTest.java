package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The path of a person by SMS, end to end through {@code POST /twilio/sms} with the demo catalogue: no free slot at
 * La Tour-du-Pin within the horizon, so the request is queued; the acknowledgement of receipt goes out through the
 * outbox (dispatched: kept as NOT_SENT_NO_CREDENTIALS, there are no Twilio credentials here); INFO gives the legal
 * text; places open and the staff ask for an allocation: the convocation follows.
 */
class SmsQueueJourneyTest extends QueueServiceTest {
    private static final Pattern REFERENCE = Pattern.compile("(\\d{3} \\d{3} \\d{3})");

    @Test
    void noSlotWithinTheHorizonQueuesTheRequestAcknowledgesItAndConvokesWhenPlacesOpen() {
        clock.set(START.plus(Duration.ofDays(1)));
        // Every place at La Tour-du-Pin taken.
        jdbc.sql("UPDATE slots SET capacity = booked WHERE site = 'LA_TOUR_DU_PIN'").update();
        PhoneNumber phone = freshMobile();
        assertThat(sms(phone, "Bonjour")).contains("je vous réponds en français");
        assertThat(sms(phone, "1")).contains("Que voulez-vous faire ?");
        assertThat(sms(phone, "1")).contains("Pour quelle démarche ?");
        assertThat(sms(phone, "1")).contains("Dans quel lieu ?", "3 Sous-préfecture de La Tour-du-Pin");
        assertThat(sms(phone, "3")).contains("Écrivez votre nom");
        assertThat(sms(phone, "Amina Diallo")).contains("date de naissance");
        assertThat(sms(phone, "12.03.1990")).contains("Aucun rendez-vous libre pour le moment", "liste d'attente");
        String queued = sms(phone, "1");
        assertThat(queued).startsWith("Votre demande est enregistrée, référence ");
        Matcher m = REFERENCE.matcher(queued);
        assertThat(m.find()).isTrue();
        Reference reference = Reference.parse(m.group(1)).orElseThrow();
        assertThat(jdbc.sql("SELECT status || ' ' || channel || ' ' || site_preference || ' ' || procedure FROM requests WHERE reference = :r")
                .param("r", reference.value()).query(String.class).single()).isEqualTo("WAITING SMS LA_TOUR_DU_PIN AES_VIE_PRIVEE");

        // The acknowledgement of receipt, sent at once through the outbox.
        OutboxRow ack = outbox("ack:" + reference.value()).orElseThrow();
        assertThat(ack.to()).isEqualTo(phone.e164());
        assertThat(ack.body()).isEqualTo("Accusé de réception : demande " + reference.grouped() + " enregistrée le 2 mars à 09:30 par "
                + "Sous-préfecture de La Tour-du-Pin, Sous-préfecture, 38110 La Tour-du-Pin, tél. 04 76 60 49 49. Convocation par SMS, "
                + "délai estimé : inconnu pour l'instant. Plus d'infos : répondez INFO. Gratuit.");
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox("ack:" + reference.value()).orElseThrow().status().equals("NOT_SENT_NO_CREDENTIALS"));

        assertThat(sms(phone, "INFO")).contains("Accusé de réception (code des relations", reference.grouped(), "2 mars 2027 à 09:30",
                "Défenseur des droits");

        // Places again: the staff ask for an allocation, the request is convoked and texted.
        jdbc.sql("UPDATE slots SET capacity = 2 WHERE site = 'LA_TOUR_DU_PIN' AND start_at > :after")
                .param("after", QueueEntries.utc(clock.instant().plus(Duration.ofDays(5)))).update();
        assertThat(api("POST", "/api/v1/admin/queue/allocate", null, STAFF).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT status FROM requests WHERE reference = :r")
                .param("r", reference.value()).query(String.class).single().equals("CONVOKED"));
        String appointment = jdbc.sql("SELECT appointment FROM requests WHERE reference = :r").param("r", reference.value()).query(String.class).single();
        assertThat(outbox("convocation:" + appointment).orElseThrow().body()).startsWith("Convocation préfecture : ")
                .contains("Sous-préfecture de La Tour-du-Pin", "REPORTER").doesNotContain("Régularisation", "vie privée");
    }
}
