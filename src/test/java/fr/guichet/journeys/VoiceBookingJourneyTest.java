package fr.guichet.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import fr.guichet.language.LocaleFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A caller books by keypad, then calls again to check and cancel, through the voice webhooks of the running service
 * with the real conversation runtime and the Isère demo catalogue in PostgreSQL. No Twilio token is set, so the
 * webhooks are accepted unsigned from loopback, as on a development machine.
 */
@GuichetTest
class VoiceBookingJourneyTest {
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired LocaleFiles locales;
    final HttpClient http = HttpClient.newHttpClient();

    /** One phone call: what was said last, and where the next keys go. */
    final class Call {
        final String sid = "CA" + "%032x".formatted(System.nanoTime());
        final String from;
        final String country;
        String action;
        String said = "";
        String languageMenu = "";
        boolean hungUp;

        Call(String from, String country) {
            this.from = from;
            this.country = country;
        }

        /** Rings, picks the language on the language menu by its key; returns what the conversation says first. */
        String answerIn(String tag) {
            languageMenu = read(post("/twilio/voice", Map.of()));
            String digit = null;
            for (int d = 1; d <= 9 && digit == null; d++) {
                if (said.contains(locales.text(tag, "voice.language_option", Map.of("digit", d)))) digit = String.valueOf(d);
            }
            assertThat(digit).as("key of %s in: %s", tag, said).isNotNull();
            return press(digit);
        }

        String press(String digits) {
            assertThat(hungUp).as("the call is still on").isFalse();
            assertThat(action).as("a <Gather> waits for keys after: %s", said).isNotNull();
            URI uri = URI.create(action);
            return read(post(uri.getRawPath() + "?" + uri.getRawQuery(), Map.of("Digits", digits)));
        }

        private HttpResponse<String> post(String pathAndQuery, Map<String, String> extra) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("CallSid", sid);
            p.put("AccountSid", "AC11111111111111111111111111111111");
            p.put("From", from);
            p.put("To", "+33757000000");
            p.put("CallStatus", "in-progress");
            p.put("Direction", "inbound");
            p.put("FromCountry", country);
            p.putAll(extra);
            String form = p.entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String read(HttpResponse<String> response) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Document xml = parse(response.body());
            List<String> lines = new ArrayList<>();
            NodeList says = xml.getElementsByTagName("Say");
            for (int i = 0; i < says.getLength(); i++) lines.add(says.item(i).getTextContent().strip());
            said = String.join("\n", lines);
            NodeList gathers = xml.getElementsByTagName("Gather");
            action = gathers.getLength() == 0 ? null : ((Element) gathers.item(0)).getAttribute("action");
            hungUp = xml.getElementsByTagName("Hangup").getLength() > 0;
            return said;
        }
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("Not TwiML: " + xml, e);
        }
    }

    /** The latest appointment booked from this number. */
    Booked latest(String phone) {
        String reference = jdbc.sql("SELECT reference FROM appointments WHERE phone = :p ORDER BY id DESC LIMIT 1")
                .param("p", phone).query(String.class).single();
        return Booked.find(jdbc, reference);
    }

    /** "482915306" as the voice spells it: "4 8 2, 9 1 5, 3 0 6". */
    static String spelled(String reference) {
        return reference.substring(0, 3).chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(" ")) + ", "
                + reference.substring(3, 6).chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(" ")) + ", "
                + reference.substring(6).chars().mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining(" "));
    }

    @Test
    void bookingByKeypadInFrenchThenCheckingAndCancellingOnASecondCall() {
        String from = "+33612777101";
        Call call = new Call(from, "FR");
        // "Ce service est gratuit" is said once: in the welcome, not again by the main menu in the same language.
        assertThat(call.answerIn("fr")).contains("Que voulez-vous faire ?", "Prendre un rendez-vous : tapez 1.")
                .doesNotContain("gratuit");
        assertThat(call.languageMenu).contains("Ce service est gratuit.");
        assertThat(call.press("1")).contains("Pour quelle démarche ?", "Régularisation : vie privée et familiale : tapez 1.",
                "Autres choix : tapez 8.");
        assertThat(call.press("1")).contains("Dans quel lieu ?", "Préfecture de l'Isère : tapez 1.");
        assertThat(call.press("1")).contains(locales.text("fr", "booking.name.voice", Map.of()), "date de naissance");
        assertThat(call.press("12031990")).contains("Voici les premiers rendez-vous libres.", ": tapez 1.");
        assertThat(call.press("1")).contains("Rendez-vous le ", "Pour confirmer, tapez 1.");
        String confirmation = call.press("1");
        Booked booked = latest(from);
        assertThat(booked.status()).isEqualTo("BOOKED");
        assertThat(booked.channel()).isEqualTo("VOICE");
        assertThat(booked.procedure()).isEqualTo("AES_VIE_PRIVEE");
        assertThat(booked.site()).isEqualTo("GRENOBLE");
        assertThat(confirmation).contains("Rendez-vous confirmé", "Préfecture de l'Isère", spelled(booked.reference()),
                locales.text("fr", "voice.confirmation_texted", Map.of()));
        Booked.assertSaysWhen(confirmation, booked.start(), Locale.FRENCH);
        // The convocation is texted to the mobile (kept in the outbox: no Twilio credentials here), once: the queue's
        // convocation and the call's confirmation share the purpose key.
        assertThat(jdbc.sql("SELECT body FROM sms_outbox WHERE purpose_key = :k").param("k", "convocation:" + booked.reference())
                .query(String.class).single()).contains("Convocation préfecture", booked.reference().substring(0, 3) + " ", "DOCS");
        assertThat(jdbc.sql("SELECT applicant_name FROM appointments WHERE reference = :r").param("r", booked.reference())
                .query(String.class).single()).as("by phone the name is taken at the counter").isEmpty();

        Call again = new Call(from, "FR");
        assertThat(again.answerIn("fr")).contains("Mon rendez-vous");
        String details = again.press("2");
        assertThat(details).contains("Votre rendez-vous : ", "Préfecture de l'Isère", spelled(booked.reference()), "Annuler : tapez 1.");
        // Date, time, place and reference are read twice (read_twice in appointment.yaml), the choices once.
        assertThat(details.split("Votre rendez-vous : ", -1)).as(details).hasSize(3);
        assertThat(details.split(java.util.regex.Pattern.quote(spelled(booked.reference())), -1)).hasSize(3);
        assertThat(details.split("Annuler : tapez 1.", -1)).hasSize(2);
        Booked.assertSaysWhen(details, booked.start(), Locale.FRENCH);
        assertThat(again.press("1")).contains("Voulez-vous vraiment annuler ce rendez-vous ?");
        assertThat(again.press("1")).contains("Votre rendez-vous est annulé.");
        assertThat(again.hungUp).isTrue();
        assertThat(Booked.find(jdbc, booked.reference()).status()).isEqualTo("CANCELLED");
    }

    @Test
    void aCallerWelcomedInFrenchWhoChoosesEnglishHearsInEnglishThatTheServiceIsFree() {
        Call call = new Call("+33612777102", "FR");
        assertThat(call.answerIn("en")).contains(locales.text("en", "main.welcome", Map.of()), "What would you like to do?");
        assertThat(call.languageMenu).contains("Ce service est gratuit.").doesNotContain("This service is free.");
    }

    @Test
    void bookingByKeypadInEnglishOnTheSecondPageOfProceduresThenCancelling() {
        String from = "+447700900456";
        Call call = new Call(from, "GB");
        assertThat(call.answerIn("en")).contains("What would you like to do?", "Book an appointment: press 1.");
        assertThat(call.press("1")).contains("More choices: press 8.");
        assertThat(call.press("8")).contains("Collect your residence permit: press 1.");
        assertThat(call.press("1")).contains("Where?", "Sous-préfecture de La Tour-du-Pin: press 3.");
        assertThat(call.press("3")).contains(locales.text("en", "booking.name.voice", Map.of()), "date of birth");
        assertThat(call.press("01021988")).contains("Sous-préfecture de La Tour-du-Pin", "press 1.");
        assertThat(call.press("1")).contains("Appointment on ", "To confirm, press 1.");
        String confirmation = call.press("1");
        Booked booked = latest(from);
        assertThat(booked.status()).isEqualTo("BOOKED");
        assertThat(booked.procedure()).isEqualTo("REMISE_TITRE");
        assertThat(booked.site()).isEqualTo("LA_TOUR_DU_PIN");
        assertThat(booked.language()).isEqualTo("en");
        assertThat(confirmation).contains("Appointment confirmed", "Sous-préfecture de La Tour-du-Pin", spelled(booked.reference()));
        Booked.assertSaysWhen(confirmation, booked.start(), Locale.ENGLISH);

        Call again = new Call(from, "GB");
        again.answerIn("en");
        assertThat(again.press("2")).contains(spelled(booked.reference()), "Cancel: press 1.");
        assertThat(again.press("1")).contains("Do you really want to cancel this appointment?");
        assertThat(again.press("1")).contains("Your appointment is cancelled.");
        assertThat(Booked.find(jdbc, booked.reference()).status()).isEqualTo("CANCELLED");
    }
}
