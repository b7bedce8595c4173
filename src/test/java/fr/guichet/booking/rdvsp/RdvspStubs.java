package fr.guichet.booking.rdvsp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.stream.Collectors;

/**
 * WireMock playing RDV Service Public, with answers shaped like the published examples (docs/backends.md): slots
 * as {@code {"creneaux":[{"starts_at":"…+01:00","duration_in_min":30}]}}, rdvs with Rails times
 * ({@code 2027-03-15 08:00:00 +0100}), errors as {@code {"errors":[…]}}.
 */
final class RdvspStubs {
    static final String API = "/api/visioplainte";
    static final String USERS = "/api/v1/users";
    static final String KEY = "test-api-key";
    static final long USER_ID = 245;
    static final long RDV_ID = 17;
    /** The three free times of every list, Monday 15 March 2027 in Paris (UTC+1). */
    static final List<String> SLOTS = List.of("2027-03-15T08:00:00+01:00", "2027-03-15T08:30:00+01:00", "2027-03-15T09:00:00+01:00");

    private final WireMockServer server;

    RdvspStubs(WireMockServer server) {
        this.server = server;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    static String creneaux(List<String> starts) {
        return "{\"creneaux\":[" + starts.stream().map(s -> "{\"starts_at\":\"" + s + "\",\"duration_in_min\":30}")
                .collect(Collectors.joining(",")) + "]}";
    }

    /** An rdv as the backend writes it; {@code start} in ISO form is written back the Rails way. */
    static String rdv(long id, String start, long userId, String status) {
        String rails = start.substring(0, 10) + " " + start.substring(11, 19) + " " + start.substring(19).replace(":", "");
        return "{\"id\":" + id + ",\"created_at\":\"2027-03-10 10:00:00 +0100\",\"starts_at\":\"" + rails + "\",\"ends_at\":\"" + rails
                + "\",\"duration_in_min\":30,\"guichet\":{\"id\":1090,\"name\":\"Guichet 1\"},\"status\":\"" + status
                + "\",\"user_id\":" + userId + "}";
    }

    void slots(List<String> starts) {
        server.stubFor(get(urlPathEqualTo(API + "/creneaux/prochain")).withHeader(RdvspClient.API_KEY_HEADER, equalTo(KEY))
                .willReturn(starts.isEmpty()
                        ? json(404, "{\"errors\":[\"Aucun créneau n'est disponible après cette date\"]}")
                        : json(200, "{\"starts_at\":\"" + starts.getFirst() + "\",\"duration_in_min\":30}")));
        server.stubFor(get(urlPathEqualTo(API + "/creneaux")).withHeader(RdvspClient.API_KEY_HEADER, equalTo(KEY))
                .willReturn(json(200, creneaux(starts))));
    }

    void users() {
        server.stubFor(post(urlPathEqualTo(USERS)).willReturn(json(200,
                "{\"user\":{\"id\":" + USER_ID + ",\"phone_number\":\"33600008012\",\"phone_number_formatted\":\"+33600008012\",\"responsible_id\":null}}")));
    }

    /** 201 with a new rdv id, at the requested start and for the requested user (response templating echoes them). */
    void bookingSucceeds() {
        server.stubFor(post(urlPathEqualTo(API + "/rdvs")).willReturn(booked()));
    }

    static ResponseDefinitionBuilder booked() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withTransformers("response-template")
                .withBody("{\"id\":{{randomInt lower=1000 upper=900000000}},\"created_at\":\"2027-03-10 10:00:00 +0100\","
                        + "\"starts_at\":\"{{jsonPath request.body '$.starts_at'}}\",\"ends_at\":\"{{jsonPath request.body '$.starts_at'}}\","
                        + "\"duration_in_min\":30,\"guichet\":{\"id\":1090,\"name\":\"Guichet 1\"},\"status\":\"unknown\","
                        + "\"user_id\":{{jsonPath request.body '$.user_id'}} }"); // the space: "}}}" is not handlebars
    }

    void cancelSucceeds() {
        server.stubFor(put(urlPathMatching(API + "/rdvs/[0-9]+/cancel"))
                .willReturn(json(200, rdv(RDV_ID, SLOTS.getFirst(), USER_ID, "excused"))));
    }

    /** Everything a plain booking needs. */
    void healthy() {
        slots(SLOTS);
        users();
        bookingSucceeds();
        cancelSucceeds();
    }
}
