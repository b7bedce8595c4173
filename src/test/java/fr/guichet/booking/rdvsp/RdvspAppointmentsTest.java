package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.AppointmentMoved;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Appointments booked at the backend behave like embedded ones: moved on the web API, shown and marked by staff. */
class RdvspAppointmentsTest extends RdvspServiceTest {

    @Test
    void aMoveBooksTheNewSlotFirstThenFreesTheOldOne() {
        stubs.healthy();
        String phone = freshNumber();
        List<Long> ids = slotIds();
        Answer booked = bookOnTheWeb("move-1", ids.getFirst(), phone, "fr", "1970-03-04");
        String reference = booked.json().path("reference").asString();
        long oldRdv = local(reference).orElseThrow().rdvId();

        String path = "/api/v1/appointments/" + reference + "/move?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
        Answer moved = call("POST", path, JSON.writeValueAsString(Map.of("slotId", ids.get(2))), "Idempotency-Key", "move-1-to-3");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        String newReference = moved.json().path("reference").asString();
        assertThat(newReference).isNotEqualTo(reference);
        assertThat(Instant.parse(moved.json().path("start").asString())).isEqualTo(Instant.parse("2027-03-15T08:00:00Z"));
        // The same backend user books the new time; then the old rdv is cancelled.
        backend.verify(1, postRequestedFor(urlPathEqualTo(RdvspStubs.USERS)));
        backend.verify(2, postRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs"))
                .withRequestBody(matchingJsonPath("$.user_id", equalTo(String.valueOf(RdvspStubs.USER_ID)))));
        backend.verify(1, putRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs/" + oldRdv + "/cancel")));
        assertThat(local(reference).orElseThrow().status()).isEqualTo("MOVED");
        assertThat(local(newReference).orElseThrow().status()).isEqualTo("BOOKED");
        assertThat(events.seen).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(AppointmentMoved.class,
                m -> assertThat(m.to().reference().value()).isEqualTo(newReference)));

        // The same move again: the same answer, nothing more sent.
        Answer again = call("POST", path, JSON.writeValueAsString(Map.of("slotId", ids.get(2))), "Idempotency-Key", "move-1-to-3");
        assertThat(again.json().path("reference").asString()).isEqualTo(newReference);
        backend.verify(2, postRequestedFor(urlPathEqualTo(RdvspStubs.API + "/rdvs")));
        // Read back by reference and phone from the local record.
        Answer read = call("GET", "/api/v1/appointments/" + newReference + "?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8), null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("site").asString()).isEqualTo("GRENOBLE");
    }

    @Test
    void anOldRdvTheBackendDidNotCancelAfterAMoveIsCancelledAgainUntilItIs() {
        stubs.healthy();
        String phone = freshNumber();
        List<Long> ids = slotIds();
        String reference = bookOnTheWeb("orphan-1", ids.getFirst(), phone, "fr", "1972-05-06").json().path("reference").asString();
        long oldRdv = local(reference).orElseThrow().rdvId();
        String cancel = RdvspStubs.API + "/rdvs/" + oldRdv + "/cancel";
        backend.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(urlPathEqualTo(cancel)).atPriority(1)
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(500)));

        String path = "/api/v1/appointments/" + reference + "/move?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8);
        Answer moved = call("POST", path, JSON.writeValueAsString(Map.of("slotId", ids.get(2))), "Idempotency-Key", "orphan-1-to-3");
        assertThat(moved.status()).as("the move itself succeeded: " + moved.body()).isEqualTo(200);
        assertThat(orphan(oldRdv)).as("kept to cancel again").isEqualTo(1);

        // Not before its time; then the backend takes the cancellation and the orphan is gone.
        backend.resetMappings();
        stubs.healthy();
        clock.advance(java.time.Duration.ofMinutes(2));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> orphan(oldRdv) == 0);
        backend.verify(com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly(2), putRequestedFor(urlPathEqualTo(cancel)));
    }

    private int orphan(long rdvId) {
        return jdbc.sql("SELECT count(*) FROM rdvsp_orphans WHERE rdv_id = ?").param(rdvId).query(Integer.class).single();
    }

    @Test
    void staffSeeAndMarkTheAppointmentsBookedAtTheBackend() {
        stubs.healthy();
        String phone = freshNumber();
        Answer booked = bookOnTheWeb("staff-1", slotIds().get(1), phone, "fr", "1971-04-05");
        String reference = booked.json().path("reference").asString();

        Answer day = call("GET", "/api/v1/admin/appointments?site=GRENOBLE&date=2027-03-15", null, "Authorization", "Bearer " + STAFF_TOKEN);
        assertThat(day.status()).as(day.body()).isEqualTo(200);
        List<String> references = new java.util.ArrayList<>();
        for (JsonNode a : day.json()) references.add(a.path("reference").asString());
        assertThat(references).contains(reference);

        Answer early = call("POST", "/api/v1/admin/appointments/" + reference + "/no-show", null, "Authorization", "Bearer " + STAFF_TOKEN);
        assertThat(early.status()).isEqualTo(409);
        Answer attended = call("POST", "/api/v1/admin/appointments/" + reference + "/attended", null, "Authorization", "Bearer " + STAFF_TOKEN);
        assertThat(attended.status()).as(attended.body()).isEqualTo(200);
        assertThat(local(reference).orElseThrow().status()).isEqualTo("ATTENDED");
    }

    @Test
    void staffCannotOpenSlotsHereWhenTheBackendHoldsTheInventory() {
        int before = jdbc.sql("SELECT count(*) FROM slots").query(Integer.class).single();
        Answer one = call("POST", "/api/v1/admin/slots", """
                {"site":"GRENOBLE","start":"2027-03-16T08:00:00Z","durationMinutes":30,"capacity":2}""",
                "Authorization", "Bearer " + STAFF_TOKEN);
        Answer template = call("POST", "/api/v1/admin/slots", """
                {"site":"GRENOBLE","from":"2027-03-16","to":"2027-03-20","durationMinutes":30,"capacity":2}""",
                "Authorization", "Bearer " + STAFF_TOKEN);
        for (Answer refused : List.of(one, template)) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asString()).contains("RDV Service Public");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM slots").query(Integer.class).single()).isEqualTo(before);
    }

    @Test
    void theWebhookAndTheStaffViewAreDescribedInTheApiDocs() {
        Answer docs = call("GET", "/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("paths").has("/api/v1/backends/rdv-service-public/webhook")).isTrue();
        assertThat(docs.json().path("paths").has("/api/v1/admin/backends/rdv-service-public")).isTrue();
    }
}
