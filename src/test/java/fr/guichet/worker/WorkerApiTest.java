package fr.guichet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The staff API of the workers' registry over real HTTP and PostgreSQL. */
class WorkerApiTest extends WorkerServiceTest {

    @Test
    void aWorkerIsRegisteredListedWithoutPinAndThePinIsStoredAsASlowHash() {
        String phone = freshMobile();
        long id = register(phone, "482915", "fr", 12);

        HttpResponse<String> list = api("GET", "/api/v1/admin/workers", null, STAFF);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"id\":" + id, "\"organisation\":\"La Cimade Grenoble\"", "\"phones\":[\"" + phone + "\"]",
                "\"dailyLimit\":12", "\"active\":true");
        assertThat(list.body()).doesNotContain("482915").doesNotContainIgnoringCase("pin");
        String hash = jdbc.sql("SELECT pin_hash FROM workers WHERE id = ?").param(id).query(String.class).single();
        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("482915");
    }

    @Test
    void badFieldsAreAllExplainedIn422ProblemJson() {
        HttpResponse<String> response = api("POST", "/api/v1/admin/workers", """
                {"name":"","organisation":"Secours","phones":["12345","+33476604949"],"pin":"1234","language":"xx","dailyLimit":0}""",
                STAFF);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"name\"", "\"field\":\"phones[0]\"", "not a valid phone number",
                "\"field\":\"phones[1]\"", "not a mobile number", "\"field\":\"pin\"", "consecutive", "\"field\":\"language\"",
                "\"field\":\"dailyLimit\"");
        assertThat(api("POST", "/api/v1/admin/workers", """
                {"name":"A","organisation":"B","phones":["+33612345678"],"pin":"7777","language":"fr","dailyLimit":3}""", STAFF).body())
                .contains("must not repeat one digit");
        assertThat(api("POST", "/api/v1/admin/workers", "{not json", STAFF).statusCode()).isEqualTo(400);
    }

    @Test
    void aDeactivatedWorkerIsErasedAndTheirNumberIsFreeAgain() {
        String phone = freshMobile();
        long id = register(phone, "482915", "fr", 12);
        jdbc.sql("INSERT INTO worker_pin_attempts (worker_id, phone, channel, outcome, at) VALUES (?, ?, 'SMS', 'WRONG', now())")
                .params(id, phone).update();

        HttpResponse<String> active = api("DELETE", "/api/v1/admin/workers/" + id, null, STAFF);
        assertThat(active.statusCode()).isEqualTo(409);
        assertThat(active.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(active.body()).contains("deactivate them first");
        assertThat(api("POST", "/api/v1/admin/workers/" + id + "/deactivate", null, STAFF).statusCode()).isEqualTo(204);
        assertThat(api("DELETE", "/api/v1/admin/workers/" + id, null, STAFF).statusCode()).isEqualTo(204);

        HttpResponse<String> erased = api("GET", "/api/v1/admin/workers/" + id, null, STAFF);
        assertThat(erased.body()).contains("\"name\":\"\"", "\"phones\":[]", "\"organisation\":\"La Cimade Grenoble\"", "\"active\":false")
                .doesNotContain("Claire", phone);
        assertThat(jdbc.sql("SELECT pin_hash FROM workers WHERE id = ?").param(id).query(String.class).single()).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM worker_pin_attempts WHERE worker_id = ?").param(id).query(Integer.class).single()).isZero();
        // The number can be registered for someone else.
        register(phone, "250913", "fr", 5);
        assertThat(api("DELETE", "/api/v1/admin/workers/999999", null, STAFF).statusCode()).isEqualTo(404);
        assertThat(api("DELETE", "/api/v1/admin/workers/" + id, null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theStaffTokenIsRequired() {
        assertThat(api("GET", "/api/v1/admin/workers", null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = api("POST", "/api/v1/admin/workers", "{}", "not-the-token");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
    }

    @Test
    void aNumberBelongsToOneWorkerOnly() {
        String phone = freshMobile();
        register(phone, "250913", "fr", 5);
        HttpResponse<String> again = api("POST", "/api/v1/admin/workers", """
                {"name":"B","organisation":"C","phones":["%s"],"pin":"250913","language":"en","dailyLimit":5}""".formatted(phone), STAFF);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("already registered").doesNotContain(phone);
    }

    @Test
    void concurrentRegistrationsOfOneNumberGiveOneWorker() throws Exception {
        String phone = freshMobile();
        String body = """
                {"name":"A","organisation":"B","phones":["%s"],"pin":"250913","language":"fr","dailyLimit":5}""".formatted(phone);
        java.util.List<java.util.concurrent.Callable<Integer>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) calls.add(() -> api("POST", "/api/v1/admin/workers", body, STAFF).statusCode());
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(6)) {
            for (var f : pool.invokeAll(calls)) statuses.add(f.get());
        }
        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM worker_phones WHERE phone = ?").param(phone).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aResetPinWorksAndTheOldOneNoLonger() {
        String phone = freshMobile();
        long id = register(phone, "250913", "fr", 5);
        assertThat(api("PUT", "/api/v1/admin/workers/" + id + "/pin", "{\"pin\":\"12\"}", STAFF).statusCode()).isEqualTo(422);
        assertThat(api("PUT", "/api/v1/admin/workers/" + id + "/pin", "{\"pin\":\"864202\"}", STAFF).statusCode()).isEqualTo(204);
        assertThat(api("PUT", "/api/v1/admin/workers/999999/pin", "{\"pin\":\"864202\"}", STAFF).statusCode()).isEqualTo(404);

        assertThat(openBySms(phone, "250913")).contains("Code faux");
        assertThat(sms(phone, "864202")).contains("Espace pro. Que voulez-vous faire ?");
    }

    @Test
    void aDeactivatedWorkerIsTreatedAsAnUnregisteredNumber() {
        String phone = freshMobile();
        long id = register(phone, "250913", "fr", 5);
        assertThat(openBySms(phone, "250913")).contains("Espace pro. Que voulez-vous faire ?");

        assertThat(api("POST", "/api/v1/admin/workers/" + id + "/deactivate", null, STAFF).statusCode()).isEqualTo(204);
        assertThat(api("POST", "/api/v1/admin/workers/999999/deactivate", null, STAFF).statusCode()).isEqualTo(404);
        assertThat(api("GET", "/api/v1/admin/workers/" + id, null, STAFF).body()).contains("\"active\":false");

        // The open space is closed at once: the next action finds no session.
        String reply = sms(phone, "2");
        assertThat(reply).contains("Écrivez votre code secret");
        assertThat(sms(phone, "250913")).contains("pas inscrit à l'espace pro");
    }
}
