package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.AppointmentBooked;
import fr.guichet.booking.AppointmentCancelled;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A person books by SMS through {@code POST /twilio/sms}, and the booking is made at RDV Service Public. */
class RdvspSmsBookingTest extends RdvspServiceTest {

    @Test
    void bookingBySmsIsMadeAtTheBackendAndKeptLocally() {
        stubs.healthy();
        String from = freshNumber();
        String offered = upToTheSlots(from, "12.03.1990");
        assertThat(offered).contains("Voici les premiers rendez-vous libres :", "Préfecture de l'Isère", "lundi 15 mars", "8:00");
        assertThat(text(from, "1")).contains("Amina Diallo, rendez-vous le", "Répondez 1 pour confirmer");
        String confirmation = text(from, "1");
        assertThat(confirmation).startsWith("Rendez-vous confirmé : ").contains("lundi 15 mars", "8:00", "Préfecture de l'Isère");
        String reference = reference(confirmation);

        // The backend got one user (with the phone, no SMS of its own: Guichet sends them) and one rdv at that time.
        backend.verify(1, postRequestedFor(urlPathEqualTo(RdvspStubs.USERS))
                .withHeader(RdvspClient.API_KEY_HEADER, equalTo(RdvspStubs.KEY))
                .withRequestBody(matchingJsonPath("$.phone_number", equalTo(from)))
                .withRequestBody(matchingJsonPath("$.notify_by_sms", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.last_name", equalTo("Amina Diallo".split(" ")[0])))
                .withRequestBody(matchingJsonPath("$.birth_date", equalTo("1990-03-12")))
                .withRequestBody(matchingJsonPath("$.organisation_ids[0]", equalTo("234"))));
        backend.verify(1, postRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs"))
                .withRequestBody(equalToJson("{\"starts_at\":\"2027-03-15T08:00+01:00\",\"user_id\":245,\"organisation_id\":234,"
                        + "\"lieu_id\":5,\"motif_id\":102}")));
        // Windows of at most 31 days, read for this motif at this lieu.
        backend.verify(getRequestedFor(urlPathEqualTo(RdvspStubs.API + "/creneaux"))
                .withQueryParam("date_debut", equalTo("2027-03-15")).withQueryParam("date_fin", equalTo("2027-04-14"))
                .withQueryParam("motif_id", equalTo("102")).withQueryParam("lieu_id", equalTo("5")));

        Local local = local(reference).orElseThrow();
        assertThat(local.rdvId()).isPositive();
        assertThat(local.userId()).isEqualTo(RdvspStubs.USER_ID);
        assertThat(local.status()).isEqualTo("BOOKED");
        assertThat(local.site()).isEqualTo("GRENOBLE");
        assertThat(local.start()).isEqualTo(Instant.parse("2027-03-15T07:00:00Z"));
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE phone = ?").param(from).query(Integer.class).single())
                .as("nothing booked in the embedded inventory").isZero();
        assertThat(events.seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AppointmentBooked.class,
                b -> assertThat(b.appointment().reference().value()).isEqualTo(reference)));

        // "My appointment" is found from the local record; cancelling it cancels the rdv at the backend.
        text(from, "MENU");
        assertThat(text(from, "2")).contains("Votre rendez-vous : ", reference.substring(0, 3) + " ", "Préfecture de l'Isère");
        assertThat(text(from, "1")).contains("Voulez-vous vraiment annuler ce rendez-vous ?");
        assertThat(text(from, "1")).contains("Votre rendez-vous est annulé.");
        backend.verify(1, putRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs/" + local.rdvId() + "/cancel")));
        assertThat(local(reference).orElseThrow().status()).isEqualTo("CANCELLED");
        assertThat(events.seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AppointmentCancelled.class,
                c -> assertThat(c.appointment().reference().value()).isEqualTo(reference)));
    }

    @Test
    void aSlotTakenMeanwhileLeadsToTheNextSlotsNotADeadEnd() {
        stubs.users();
        stubs.cancelSucceeds();
        // The first list has 8:00; the backend answers 422 on it, and from then on lists only what is left.
        backend.stubFor(get(urlPathEqualTo(RdvspStubs.API + "/creneaux/prochain")).inScenario("taken").whenScenarioStateIs(STARTED)
                .willReturn(RdvspStubs.json(200, "{\"starts_at\":\"" + RdvspStubs.SLOTS.getFirst() + "\",\"duration_in_min\":30}")));
        backend.stubFor(get(urlPathEqualTo(RdvspStubs.API + "/creneaux")).inScenario("taken").whenScenarioStateIs(STARTED)
                .willReturn(RdvspStubs.json(200, RdvspStubs.creneaux(RdvspStubs.SLOTS))));
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.API + "/rdvs")).inScenario("taken").whenScenarioStateIs(STARTED)
                .willReturn(RdvspStubs.json(422, "{\"errors\":[\"Pas de créneau disponible à la date demandée\"]}"))
                .willSetStateTo("gone"));
        backend.stubFor(get(urlPathEqualTo(RdvspStubs.API + "/creneaux/prochain")).inScenario("taken").whenScenarioStateIs("gone")
                .willReturn(RdvspStubs.json(200, "{\"starts_at\":\"" + RdvspStubs.SLOTS.get(1) + "\",\"duration_in_min\":30}")));
        backend.stubFor(get(urlPathEqualTo(RdvspStubs.API + "/creneaux")).inScenario("taken").whenScenarioStateIs("gone")
                .willReturn(RdvspStubs.json(200, RdvspStubs.creneaux(RdvspStubs.SLOTS.subList(1, 3)))));
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.API + "/rdvs")).inScenario("taken").whenScenarioStateIs("gone")
                .willReturn(RdvspStubs.booked()));

        String from = freshNumber();
        assertThat(upToTheSlots(from, "03.04.1985")).contains("8:00");
        text(from, "1");
        String full = text(from, "1");
        assertThat(full).contains(locales.text("fr", "booking.full", java.util.Map.of()), "Voici les premiers rendez-vous libres :", "8:30")
                .doesNotContain("8:00");
        assertThat(text(from, "1")).contains("Répondez 1 pour confirmer", "8:30");
        String confirmation = text(from, "1");
        assertThat(confirmation).startsWith("Rendez-vous confirmé : ").contains("8:30");
        backend.verify(2, postRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs")));
        assertThat(localFor(from)).singleElement().satisfies(l -> {
            assertThat(l.status()).isEqualTo("BOOKED");
            assertThat(l.start()).isEqualTo(Instant.parse("2027-03-15T07:30:00Z"));
        });
    }

    @Test
    void slotListsAreKeptBrieflyButABookingAlwaysAsksTheBackend() {
        stubs.healthy();
        List<Long> first = slotIds();
        List<Long> second = slotIds();
        assertThat(second).isEqualTo(first).hasSize(3);
        backend.verify(1, getRequestedFor(urlPathEqualTo(RdvspStubs.API + "/creneaux")));
        backend.verify(1, getRequestedFor(urlPathEqualTo(RdvspStubs.API + "/creneaux/prochain")));
        // The ids decode back to the lieu and the start.
        assertThat(SlotIds.decode(first.getFirst())).contains(new SlotIds.Decoded(5, Instant.parse("2027-03-15T07:00:00Z")));

        Answer booked = bookOnTheWeb("cache-1", first.getFirst(), freshNumber(), "fr", "1991-05-06");
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        backend.verify(1, postRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs")));
    }
}
