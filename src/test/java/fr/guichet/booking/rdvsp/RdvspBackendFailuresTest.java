package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * How the adapter behaves when RDV Service Public does not simply answer: no answer after it booked, a refused key,
 * a rate limit, errors and outages. Nothing is booked twice, nothing is lost, and the person hears the result.
 */
@ExtendWith(OutputCaptureExtension.class)
class RdvspBackendFailuresTest extends RdvspServiceTest {
    private static final String RDVS = RdvspStubs.API + "/rdvs";

    @Autowired BookingPort port;

    @Test
    void aTimeoutAfterTheBackendBookedFindsTheBookingInsteadOfBookingAgain() {
        stubs.slots(RdvspStubs.SLOTS);
        stubs.users();
        // The backend books, but answers after our 2 s timeout; its list of the day then holds the rdv.
        backend.stubFor(post(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(201,
                RdvspStubs.rdv(4242, RdvspStubs.SLOTS.getFirst(), RdvspStubs.USER_ID, "unknown")).withFixedDelay(5000)));
        backend.stubFor(get(urlPathEqualTo(RDVS)).withQueryParam("date_debut", equalTo("2027-03-15"))
                .withQueryParam("date_fin", equalTo("2027-03-15"))
                .willReturn(RdvspStubs.json(200, "{\"rdvs\":[" + RdvspStubs.rdv(4242, RdvspStubs.SLOTS.getFirst(), RdvspStubs.USER_ID, "unknown")
                        + "," + RdvspStubs.rdv(99, RdvspStubs.SLOTS.getFirst(), 777, "unknown") + "],\"meta\":{\"current_page\":1,\"next_page\":null}}")));
        String phone = freshNumber();
        long slot = slotIds().getFirst();

        Answer booked = bookOnTheWeb("timeout-1", slot, phone, "fr", "1980-01-02");
        assertThat(booked.status()).as(booked.body()).isEqualTo(201);
        String reference = booked.json().path("reference").asString();
        backend.verify(1, postRequestedFor(urlPathEqualTo(RDVS)));
        backend.verify(1, getRequestedFor(urlPathEqualTo(RDVS)).withQueryParam("date_debut", equalTo("2027-03-15")));
        assertThat(local(reference).orElseThrow().rdvId()).as("the other user's rdv at the same time is not ours").isEqualTo(4242);

        // The same request again: the same appointment, still one POST.
        Answer again = bookOnTheWeb("timeout-1", slot, phone, "fr", "1980-01-02");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().path("reference").asString()).isEqualTo(reference);
        backend.verify(1, postRequestedFor(urlPathEqualTo(RDVS)));
    }

    @Test
    void aRefusedKeyAlertsStaffKeepsTheBookingAndTextsTheResultOnceFixed(CapturedOutput output) {
        stubs.slots(RdvspStubs.SLOTS);
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.USERS)).willReturn(RdvspStubs.json(401, "{\"errors\":[\"Authentification invalide\"]}")));
        String phone = freshNumber();
        long slot = slotIds().getFirst();

        Answer refused = bookOnTheWeb("auth-1", slot, phone, "ar", "1979-07-08");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asString()).isEqualTo("backend-unavailable");
        assertThat(attemptState("web:auth-1")).isEqualTo("PENDING");

        // Staff see it: the health component is DOWN, the staff view says the key is refused, the log says what to fix.
        Answer health = call("GET", "/actuator/health", null);
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().path("components").path("rdvServicePublic").path("status").asString()).isEqualTo("DOWN");
        assertThat(call("GET", "/api/v1/admin/backends/rdv-service-public", null).status()).isEqualTo(401);
        Answer view = call("GET", "/api/v1/admin/backends/rdv-service-public", null, "Authorization", "Bearer " + STAFF_TOKEN);
        assertThat(view.status()).isEqualTo(200);
        assertThat(view.json().path("state").asString()).isEqualTo("AUTH_REFUSED");
        assertThat(view.json().path("pendingBookings").asInt()).isPositive();
        assertThat(view.body()).doesNotContain(phone.substring(1));
        assertThat(output.getOut()).contains("ERROR", "HTTP 401", "APP_RDVSP_API_KEY").doesNotContain(phone.substring(3));

        // Fixed: the kept booking is made and the person texted, in Arabic.
        stubs.users();
        stubs.bookingSucceeds();
        replayDue("web:auth-1");
        assertThat(attemptState("web:auth-1")).isEqualTo("DONE");
        Local made = localFor(phone).getFirst();
        assertThat(made.status()).isEqualTo("BOOKED");
        String grouped = made.reference().substring(0, 3) + " " + made.reference().substring(3, 6) + " " + made.reference().substring(6);
        assertThat(outboxBody("convocation:" + made.reference())).hasValueSatisfying(body ->
                assertThat(body).startsWith("موعد المحافظة:").contains(grouped));
        assertThat(call("GET", "/actuator/health", null).status()).isEqualTo(200);
    }

    @Test
    void aRateLimitIsWaitedOutBeforeCallingAgain() {
        stubs.slots(RdvspStubs.SLOTS);
        stubs.users();
        backend.stubFor(post(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(429, "{\"errors\":[\"Trop de requêtes\"]}")
                .withHeader("Retry-After", "120")));
        String phone = freshNumber();
        long slot = slotIds().getFirst();
        Instant asked = clock.instant();

        assertThat(bookOnTheWeb("limit-1", slot, phone, "en", "1988-02-03").status()).isEqualTo(503);
        assertThat(attemptState("web:limit-1")).isEqualTo("PENDING");
        OffsetDateTime next = jdbc.sql("SELECT next_attempt_at FROM rdvsp_attempts WHERE idempotency_key = 'web:limit-1'")
                .query(OffsetDateTime.class).single();
        assertThat(next.toInstant()).isEqualTo(asked.plusSeconds(120));
        stubs.bookingSucceeds();

        // A minute later: still waiting; no call reaches the backend, not even for slots.
        clock.advance(Duration.ofSeconds(60));
        slots.clear();
        assertThat(call("GET", "/api/v1/slots?procedure=AES_VIE_PRIVEE&site=GRENOBLE", null).status()).isEqualTo(503);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> backend.findAll(postRequestedFor(urlPathEqualTo(RDVS))).size() == 1);
        backend.verify(1, getRequestedFor(urlPathEqualTo(RdvspStubs.API + "/creneaux")));

        // Past Retry-After: the kept booking is sent, once.
        clock.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(20)).until(() -> attemptState("web:limit-1").equals("DONE"));
        backend.verify(2, postRequestedFor(urlPathEqualTo(RDVS)));
        Local made = localFor(phone).getFirst();
        assertThat(outboxBody("convocation:" + made.reference())).hasValueSatisfying(body ->
                assertThat(body).startsWith("Prefecture appointment: Monday, March 15 at 08:00"));
    }

    @Test
    void aServerErrorThenAnOutageKeepTheBookingWhichTheReplayFindsInsteadOfBookingAgain() {
        stubs.slots(RdvspStubs.SLOTS);
        stubs.users();
        // The backend fails with a 500 (having booked all the same), then stops answering at all.
        backend.stubFor(post(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(500, "{\"errors\":[\"Erreur interne\"]}")));
        backend.stubFor(get(urlPathEqualTo(RDVS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String from = freshNumber();
        upToTheSlots(from, "21.06.1975");
        text(from, "1");
        String queued = text(from, "1");
        assertThat(queued).startsWith("Votre demande est enregistrée, référence ").contains("Vous recevrez un SMS");
        String request = reference(queued);
        assertThat(jdbc.sql("SELECT status FROM requests WHERE reference = ?").param(request).query(String.class).single()).isEqualTo("WAITING");
        String key = jdbc.sql("SELECT idempotency_key FROM rdvsp_attempts WHERE phone = ?").param(from).query(String.class).single();
        assertThat(attemptState(key)).isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT posted FROM rdvsp_attempts WHERE idempotency_key = ?").param(key).query(Boolean.class).single()).isTrue();

        // Back: its list of the day holds the rdv the 500 hid. Found, recorded, texted; not booked again.
        backend.stubFor(get(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(200,
                "{\"rdvs\":[" + RdvspStubs.rdv(5151, RdvspStubs.SLOTS.getFirst(), RdvspStubs.USER_ID, "unknown") + "]}")));
        replayDue(key);
        backend.verify(1, postRequestedFor(urlPathEqualTo(RDVS)));
        Local made = localFor(from).getFirst();
        assertThat(made.rdvId()).isEqualTo(5151);
        assertThat(made.status()).isEqualTo("BOOKED");
        assertThat(outboxBody("convocation:" + made.reference())).hasValueSatisfying(body ->
                assertThat(body).startsWith("Convocation préfecture : lundi 15 mars à 08:00, Préfecture de l'Isère"));
        // The queued demand is served by that appointment, so the queue does not convoke the person again.
        assertThat(jdbc.sql("SELECT status || ' ' || appointment FROM requests WHERE reference = ?").param(request).query(String.class).single())
                .isEqualTo("CONVOKED " + made.reference());
    }

    @Test
    void aKeptBookingWhoseSlotWasTakenMeanwhileIsToldInTheLanguageOfThePerson() {
        stubs.slots(RdvspStubs.SLOTS);
        stubs.users();
        // The connection drops on the POST; the day's list shows it did not book. Then the slot goes to someone else.
        backend.stubFor(post(urlPathEqualTo(RDVS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        backend.stubFor(get(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(200, "{\"rdvs\":[]}")));
        String phone = freshNumber();
        long slot = slotIds().getFirst();
        assertThat(bookOnTheWeb("gone-1", slot, phone, "es", "1990-10-11").status()).isEqualTo(503);
        assertThat(jdbc.sql("SELECT posted FROM rdvsp_attempts WHERE idempotency_key = 'web:gone-1'").query(Boolean.class).single()).isFalse();

        backend.stubFor(post(urlPathEqualTo(RDVS)).willReturn(RdvspStubs.json(422, "{\"errors\":[\"Pas de créneau disponible à la date demandée\"]}")));
        replayDue("web:gone-1");
        assertThat(jdbc.sql("SELECT outcome FROM rdvsp_attempts WHERE idempotency_key = 'web:gone-1'").query(String.class).single()).isEqualTo("SLOT_FULL");
        assertThat(localFor(phone)).isEmpty();
        assertThat(outboxBody("rdvsp-not-booked:" + RdvspBookingPort.digest("web:gone-1")))
                .contains(locales.text("es", "backend.not_booked", Map.of()));
        // The same key now gives that answer.
        assertThat(bookOnTheWeb("gone-1", slot, phone, "es", "1990-10-11").json().path("code").asString()).isEqualTo("slot-full");
    }

    @Test
    void someoneBookedByASocialWorkerIsLinkedToTheWorkersUser() {
        stubs.slots(RdvspStubs.SLOTS);
        stubs.bookingSucceeds();
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.USERS)).withRequestBody(matchingJsonPath("$.first_name", equalTo("Accompagnant")))
                .willReturn(RdvspStubs.json(200, "{\"user\":{\"id\":300,\"responsible_id\":null}}")));
        backend.stubFor(post(urlPathEqualTo(RdvspStubs.USERS)).withRequestBody(matchingJsonPath("$.responsible_id", equalTo("300")))
                .willReturn(RdvspStubs.json(200, "{\"user\":{\"id\":301,\"responsible_id\":300}}")));
        List<Long> ids = slotIds();
        Applicant noPhone = new Applicant("Rahimi Ali", LocalDate.of(1992, 4, 5), null, "fa-AF");

        BookingOutcome outcome = port.book(new BookingCommand("worker-test-1", ids.getFirst(), "AES_VIE_PRIVEE", noPhone,
                BookingChannel.WORKER, "worker:7", false));
        assertThat(outcome).isInstanceOf(BookingOutcome.Booked.class);
        backend.verify(postRequestedFor(urlPathEqualTo(RdvspStubs.USERS)).withRequestBody(matchingJsonPath("$.last_name", equalTo("Guichet worker:7"))));
        backend.verify(postRequestedFor(urlPathEqualTo(RDVS)).withRequestBody(matchingJsonPath("$.user_id", equalTo("301"))));
        assertThat(port.upcomingBookedBy("worker:7")).extracting(a -> a.reference())
                .contains(((BookingOutcome.Booked) outcome).appointment().reference());

        // The same person again for the same procedure: refused here, the backend is not asked.
        BookingOutcome twice = port.book(new BookingCommand("worker-test-2", ids.get(1), "AES_VIE_PRIVEE", noPhone,
                BookingChannel.WORKER, "worker:7", false));
        assertThat(twice).isInstanceOf(BookingOutcome.AlreadyBooked.class);
        backend.verify(1, postRequestedFor(urlPathEqualTo(RDVS)));
        // The responsible user is created once.
        port.book(new BookingCommand("worker-test-3", ids.get(2), "AES_VIE_PRIVEE",
                new Applicant("Karimi Zahra", LocalDate.of(1994, 6, 7), null, "fa-AF"), BookingChannel.WORKER, "worker:7", false));
        backend.verify(1, postRequestedFor(urlPathEqualTo(RdvspStubs.USERS)).withRequestBody(matchingJsonPath("$.first_name", equalTo("Accompagnant"))));
    }
}
