package fr.guichet.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.guichet.TwilioServiceTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A whole booking by SMS through the signed {@code POST /twilio/sms}, in French and in Arabic, with the real runtime:
 * the convocation reaches Twilio's REST API (WireMock) in the person's language with the reference, and the
 * appointment is visible through {@code GET /api/v1/appointments/{reference}} with the number it was booked with.
 */
class ConvocationJourneyTest extends ReminderServiceTest {
    private static final Pattern REFERENCE = Pattern.compile("(\\d{3} \\d{3} \\d{3})");

    /** The Vienne slot of this test, so the demo data and the other tests' slots do not come first. */
    private void openVienneSlot(String local) {
        jdbc.sql("UPDATE slots SET capacity = booked WHERE site = 'VIENNE' AND procedures @> ARRAY['AES_VIE_PRIVEE']").update();
        slot("VIENNE", paris(local));
    }

    /** The text Twilio received for this number that carries the reference (waits for the outbox to send it). */
    private String convocationTo(String phone, String reference) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sentTo(phone).stream().anyMatch(body -> body.contains(reference)));
        return sentTo(phone).stream().filter(body -> body.contains(reference)).findFirst().orElseThrow();
    }

    private static List<String> sentTo(String phone) {
        return twilio.findAll(postRequestedFor(urlPathEqualTo(TwilioServiceTest.MESSAGES))
                        .withRequestBody(containing("To=" + URLEncoder.encode(phone, StandardCharsets.UTF_8)))).stream()
                .map(r -> form(r.getBodyAsString()).getOrDefault("Body", "")).toList();
    }

    private static String reference(String reply) {
        Matcher m = REFERENCE.matcher(reply);
        assertThat(m.find()).as("a reference in: %s", reply).isTrue();
        return m.group(1);
    }

    @Test
    void aBookingByTextInFrenchIsConvokedThroughTwilioAndVisibleInTheApi() {
        at("2026-03-23T14:00");
        openVienneSlot("2026-03-26T14:00");
        String phone = freshMobile();
        assertThat(sms(phone, "Bonjour")).contains("français");
        assertThat(sms(phone, "1")).contains("Que voulez-vous faire ?");
        assertThat(sms(phone, "1")).contains("Pour quelle démarche ?");
        assertThat(sms(phone, "1")).contains("Dans quel lieu ?", "2 Sous-préfecture de Vienne");
        assertThat(sms(phone, "2")).contains("Écrivez votre nom");
        assertThat(sms(phone, "Amina Diallo")).contains("date de naissance");
        assertThat(sms(phone, "12.03.1990")).contains("jeudi 26 mars", "14:00");
        assertThat(sms(phone, "1")).contains("Amina Diallo, rendez-vous le jeudi 26 mars à 14:00");
        String reference = reference(sms(phone, "1"));

        String convocation = convocationTo(phone, reference);
        assertThat(convocation).startsWith("Convocation préfecture : jeudi 26 mars à 14:00, Sous-préfecture de Vienne")
                .contains(reference, "DOCS", "MENU", "Gratuit").doesNotContain("Régularisation", "Diallo");
        Answer seen = api("GET", "/api/v1/appointments/" + reference.replace(" ", "") + "?phone="
                + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
        assertThat(seen.status()).as(seen.body()).isEqualTo(200);
        assertThat(seen.json().get("status").asString()).isEqualTo("BOOKED");
        assertThat(seen.json().get("site").asString()).isEqualTo("VIENNE");
        assertThat(seen.json().get("channel").asString()).isEqualTo("SMS");
        assertThat(seen.json().get("applicant").get("language").asString()).isEqualTo("fr");
    }

    @Test
    void aBookingByTextInArabicIsConvokedInArabicThroughTwilioAndVisibleInTheApi() {
        at("2026-03-23T14:30");
        openVienneSlot("2026-03-26T15:00");
        String phone = freshMobile();
        assertThat(sms(phone, "السلام عليكم")).contains("العربية");
        sms(phone, "١");
        sms(phone, "١");
        assertThat(sms(phone, "١")).contains("Sous-préfecture de Vienne");
        sms(phone, "٢");
        assertThat(sms(phone, "فاطمة الزهراء بنعلي")).isNotBlank();
        assertThat(sms(phone, "٠٣.٠٤.١٩٨٥")).contains("15:00");
        assertThat(sms(phone, "١")).contains("فاطمة الزهراء بنعلي");
        String confirmation = sms(phone, "نعم");
        String reference = reference(confirmation);

        String convocation = convocationTo(phone, reference);
        assertThat(convocation).startsWith("موعد المحافظة:").contains(reference, "Sous-préfecture de Vienne", "DOCS")
                .doesNotContain("بنعلي");
        Answer seen = api("GET", "/api/v1/appointments/" + reference.replace(" ", "") + "?phone="
                + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
        assertThat(seen.status()).as(seen.body()).isEqualTo(200);
        assertThat(seen.json().get("applicant").get("name").asString()).isEqualTo("فاطمة الزهراء بنعلي");
        assertThat(seen.json().get("applicant").get("language").asString()).isEqualTo("ar");
        // Someone else's number sees nothing, and the same answer as for a reference that does not exist.
        Answer other = api("GET", "/api/v1/appointments/" + reference.replace(" ", "") + "?phone=%2B33612345678", null);
        assertThat(other.status()).isEqualTo(404);
    }
}
