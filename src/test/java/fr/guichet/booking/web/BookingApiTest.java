package fr.guichet.booking.web;

import static fr.guichet.booking.web.ApiFixture.PROCEDURE;
import static fr.guichet.booking.web.ApiFixture.freshPhone;
import static fr.guichet.booking.web.ApiFixture.openSlot;
import static fr.guichet.booking.web.ApiFixture.staff;
import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The public booking API over real HTTP and the real embedded PostgreSQL, with the Isère demo data. */
@GuichetTest
@TestPropertySource(properties = "app.admin-token=" + ApiFixture.STAFF_TOKEN)
class BookingApiTest {
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    private Api.Answer book(long slotId, String key, String name, String birthDate, String phone) {
        return api.post("/api/v1/appointments", Api.booking(slotId, PROCEDURE, name, birthDate, phone, "fr"), "Idempotency-Key", key);
    }

    private static void assertProblem(Api.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("detail").asString()).isNotBlank();
        if (code != null) assertThat(answer.json().get("code").asString()).isEqualTo(code);
    }

    private static List<String> fields(Api.Answer answer) {
        List<String> fields = new ArrayList<>();
        answer.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    @Test
    void demoDataHasTheIsereSitesAndTheCatalogue() {
        JsonNode sites = api.get("/api/v1/sites").json();
        List<String> codes = new ArrayList<>();
        sites.forEach(s -> codes.add(s.get("code").asString()));
        assertThat(codes).containsExactly("GRENOBLE", "VIENNE", "LA_TOUR_DU_PIN");
        assertThat(sites.get(0).get("name").asString()).isEqualTo("Préfecture de l'Isère");
        assertThat(sites.get(0).get("address").asString()).contains("Grenoble");
        assertThat(sites.get(1).get("name").asString()).isEqualTo("Sous-préfecture de Vienne");
        assertThat(sites.get(2).get("name").asString()).isEqualTo("Sous-préfecture de La Tour-du-Pin");
        assertThat(sites.get(0).get("openingHours")).isNotEmpty();

        Api.Answer procedures = api.get("/api/v1/procedures", "Accept-Language", "ar-MA, ar;q=0.9, fr;q=0.5");
        assertThat(procedures.header("Content-Language")).isEqualTo("ar");
        boolean anef = false;
        boolean counter = false;
        for (JsonNode p : procedures.json()) {
            assertThat(p.get("code").asString()).isNotBlank();
            assertThat(p.get("name").asString()).isNotBlank();
            if (p.get("anef").asBoolean()) {
                anef = true;
                assertThat(p.get("helpProcedure").asString()).isEqualTo("PAN_AIDE_ANEF");
            } else {
                counter = true;
            }
        }
        assertThat(anef).isTrue();
        assertThat(counter).isTrue();
        assertThat(procedures.json().get(0).get("code").asString()).isEqualTo("AES_VIE_PRIVEE");
        assertThat(procedures.json().get(0).get("name").asString()).isEqualTo("تسوية الوضع: الحياة الخاصة والعائلية");
        assertThat(procedures.json().get(0).get("documents").asString()).startsWith("أحضر");
        assertThat(api.get("/api/v1/procedures").json().get(0).get("name").asString()).isEqualTo("Régularisation : vie privée et familiale");
        assertThat(api.get("/api/v1/procedures", "Accept-Language", "fa").header("Content-Language")).isEqualTo("fa-AF");
        assertThat(api.get("/api/v1/procedures", "Accept-Language", "de-DE, ;;;==").header("Content-Language")).isEqualTo("fr");
    }

    @Test
    void demoSlotsCoverTheNextFourWeeksOnOpenDaysOnly() {
        record Span(Instant first, Instant last, long count, long onClosedDays) {}
        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Paris"));
        for (String site : List.of("GRENOBLE", "VIENNE", "LA_TOUR_DU_PIN")) {
            List<Instant> starts = jdbc.sql("""
                            SELECT start_at FROM slots WHERE site = ? AND start_at < now() + interval '29 days'
                            AND start_at > now() ORDER BY start_at""")
                    .param(site).query((rs, n) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).list();
            assertThat(starts).as(site).hasSizeGreaterThan(50);
            for (Instant start : starts) {
                LocalDate day = start.atZone(java.time.ZoneId.of("Europe/Paris")).toLocalDate();
                assertThat(day).isAfter(today).isBeforeOrEqualTo(today.plusWeeks(4));
                assertThat(day.getDayOfWeek().getValue()).as("weekday of %s", start).isLessThanOrEqualTo(5);
                assertThat(fr.guichet.booking.FrenchPublicHolidays.isHoliday(day)).isFalse();
            }
        }
        JsonNode free = api.get("/api/v1/slots?site=GRENOBLE&procedure=" + PROCEDURE).json();
        assertThat(free.size()).isGreaterThan(0);
        assertThat(free.get(0).get("free").asInt()).isPositive();
        // ANEF procedures are never booked at the counter: their slots are the help procedure's.
        assertThat(api.get("/api/v1/slots?procedure=ANEF_ETUDIANT").json().size()).isZero();
        assertThat(api.get("/api/v1/slots?procedure=PAN_AIDE_ANEF").json().size()).isGreaterThan(0);
    }

    @Test
    void slotsListOnlyFreeCapacity() {
        long slot = openSlot(api, 2);
        String query = "/api/v1/slots?site=GRENOBLE&procedure=" + PROCEDURE + "&from=" + LocalDate.now().plusDays(49) + "&limit=1000";
        assertThat(freeOf(query, slot)).isEqualTo(2);
        assertThat(book(slot, UUID.randomUUID().toString(), "Amina B", "1990-03-12", freshPhone()).status()).isEqualTo(201);
        assertThat(freeOf(query, slot)).isEqualTo(1);
        assertThat(book(slot, UUID.randomUUID().toString(), "Yusuf C", "1985-07-01", freshPhone()).status()).isEqualTo(201);
        assertThat(freeOf(query, slot)).isEqualTo(0);
    }

    private int freeOf(String query, long slotId) {
        for (JsonNode s : api.get(query).json()) if (s.get("id").asLong() == slotId) return s.get("free").asInt();
        return 0;
    }

    @Test
    void twoHundredConcurrentBookingsOfAOnePlaceSlotGiveOneAppointment() throws Exception {
        long slot = openSlot(api, 1);
        int clients = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                String phone = freshPhone();
                answers.add(pool.submit(() -> {
                    go.await();
                    return book(slot, UUID.randomUUID().toString(), "Client " + phone.substring(8), "1980-01-01", phone).status();
                }));
            }
            go.countDown();
            int created = 0;
            int conflicts = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                if (status == 201) created++;
                else if (status == 409) conflicts++;
            }
            assertThat(created).isEqualTo(1);
            assertThat(conflicts).isEqualTo(199);
        }
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE slot_id = ? AND status = 'BOOKED'").param(slot)
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameAnswerAndADifferentBodyIsRefused() {
        long slot = openSlot(api, 3);
        String key = UUID.randomUUID().toString();
        String phone = freshPhone();
        Api.Answer first = book(slot, key, "Olena K", "1979-11-30", phone);
        Api.Answer retry = book(slot, key, "Olena K", "1979-11-30", phone);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Location")).endsWith("/api/v1/appointments/" + first.json().get("reference").asString());
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.json().get("reference").asString()).isEqualTo(first.json().get("reference").asString());
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isEqualTo(1);

        Api.Answer reused = book(slot, key, "Someone Else", "1979-11-30", freshPhone());
        assertProblem(reused, 422, "idempotency-key-reused");

        // A refusal is remembered too: the retry of a full-slot attempt stays a 409 after a place frees up.
        long full = openSlot(api, 1);
        assertThat(book(full, UUID.randomUUID().toString(), "A", "1970-01-01", freshPhone()).status()).isEqualTo(201);
        String refusedKey = UUID.randomUUID().toString();
        String refusedPhone = freshPhone();
        assertProblem(book(full, refusedKey, "B", "1970-01-01", refusedPhone), 409, "slot-full");
        assertProblem(book(full, refusedKey, "B", "1970-01-01", refusedPhone), 409, "slot-full");
    }

    @Test
    void concurrentRetriesWithOneKeyBookOnce() throws Exception {
        long slot = openSlot(api, 5);
        String key = UUID.randomUUID().toString();
        String phone = freshPhone();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return book(slot, key, "Hamid S", "1975-10-10", phone);
                }));
            }
            go.countDown();
            java.util.Set<String> references = new java.util.HashSet<>();
            for (Future<Api.Answer> answer : answers) {
                assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(201);
                references.add(answer.get().json().get("reference").asString());
            }
            assertThat(references).hasSize(1);
        }
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void onePersonHoldsOneActiveAppointmentPerProcedure() {
        long first = openSlot(api, 2);
        long second = openSlot(api, 2);
        String phone = freshPhone();
        assertThat(book(first, UUID.randomUUID().toString(), "Karim D", "1992-05-05", phone).status()).isEqualTo(201);
        Api.Answer again = book(second, UUID.randomUUID().toString(), "Karim D", "1992-05-05", phone);
        assertProblem(again, 409, "already-booked");
        assertThat(again.body()).doesNotContain("reference");
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(second).query(Integer.class).single()).isZero();
        // Another person sharing the phone (another birth date) may book; so may the same person for another procedure.
        assertThat(book(second, UUID.randomUUID().toString(), "Sara D", "2001-02-03", phone).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/appointments", Api.booking(second, "REMISE_TITRE", "Karim D", "1992-05-05", phone, "fr"),
                "Idempotency-Key", UUID.randomUUID().toString()).status()).isEqualTo(201);
    }

    @Test
    void appointmentsAreInvisibleWithoutTheRightPhoneNumber() {
        long slot = openSlot(api, 1);
        String phone = freshPhone();
        Api.Answer booked = book(slot, UUID.randomUUID().toString(), "Léa M", "1999-09-09", phone);
        String reference = booked.json().get("reference").asString();
        String national = "0" + phone.substring(3, 4) + " " + phone.substring(4, 6) + " " + phone.substring(6, 8) + " "
                + phone.substring(8, 10) + " " + phone.substring(10);

        Api.Answer found = api.get("/api/v1/appointments/" + reference + "?phone=" + national.replace(" ", "%20"));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("applicant").get("name").asString()).isEqualTo("Léa M");
        assertThat(found.json().get("status").asString()).isEqualTo("BOOKED");

        Api.Answer wrongPhone = api.get("/api/v1/appointments/" + reference + "?phone=%2B33699999999");
        String unknown = fr.guichet.booking.Reference.fromPayload(reference.startsWith("9") ? "12345678" : "98765432").value();
        Api.Answer unknownReference = api.get("/api/v1/appointments/" + unknown + "?phone=%2B33699999999");
        Api.Answer garbage = api.get("/api/v1/appointments/not-a-reference?phone=%2B33699999999");
        for (Api.Answer answer : List.of(wrongPhone, unknownReference, garbage)) assertProblem(answer, 404, "not-found");
        assertThat(wrongPhone.body()).isEqualTo(unknownReference.body()).isEqualTo(garbage.body());
        assertThat(api.delete("/api/v1/appointments/" + reference + "?phone=%2B33699999999").body()).isEqualTo(wrongPhone.body());
        assertThat(api.get("/api/v1/appointments/" + reference + "?phone=" + phone.replace("+", "%2B")).status()).isEqualTo(200);
        assertProblem(api.get("/api/v1/appointments/" + reference + "?phone=hello"), 422, "invalid-request");
    }

    @Test
    void cancellingFreesThePlaceOnce() {
        long slot = openSlot(api, 1);
        String phone = freshPhone().replace("+", "%2B");
        String reference = book(slot, UUID.randomUUID().toString(), "Ivan P", "1988-08-08", freshPhoneFrom(phone)).json().get("reference").asString();
        Api.Answer cancelled = api.delete("/api/v1/appointments/" + reference + "?phone=" + phone);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isZero();
        assertProblem(api.delete("/api/v1/appointments/" + reference + "?phone=" + phone), 409, "not-active");
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isZero();
        assertThat(api.get("/api/v1/appointments/" + reference + "?phone=" + phone).json().get("status").asString()).isEqualTo("CANCELLED");
        // The same person may book again once cancelled.
        assertThat(book(slot, UUID.randomUUID().toString(), "Ivan P", "1988-08-08", freshPhoneFrom(phone)).status()).isEqualTo(201);
    }

    private static String freshPhoneFrom(String encoded) {
        return encoded.replace("%2B", "+");
    }

    @Test
    void movingTakesTheNewPlaceBeforeFreeingTheOld() {
        long from = openSlot(api, 1);
        long to = openSlot(api, 1);
        long full = openSlot(api, 1);
        String phone = freshPhone();
        String q = "?phone=" + phone.replace("+", "%2B");
        assertThat(book(full, UUID.randomUUID().toString(), "Other", "1970-01-01", freshPhone()).status()).isEqualTo(201);
        String reference = book(from, UUID.randomUUID().toString(), "Nadia R", "1995-12-24", phone).json().get("reference").asString();

        assertProblem(api.post("/api/v1/appointments/" + reference + "/move" + q, Map.of("slotId", full),
                "Idempotency-Key", UUID.randomUUID().toString()), 409, "slot-full");
        assertThat(api.get("/api/v1/appointments/" + reference + q).json().get("status").asString()).isEqualTo("BOOKED");

        String key = UUID.randomUUID().toString();
        Api.Answer moved = api.post("/api/v1/appointments/" + reference + "/move" + q, Map.of("slotId", to), "Idempotency-Key", key);
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        String newReference = moved.json().get("reference").asString();
        assertThat(newReference).isNotEqualTo(reference);
        assertThat(moved.json().get("slotId").asLong()).isEqualTo(to);
        assertThat(api.post("/api/v1/appointments/" + reference + "/move" + q, Map.of("slotId", to), "Idempotency-Key", key)
                .json().get("reference").asString()).isEqualTo(newReference);
        assertThat(api.get("/api/v1/appointments/" + reference + q).json().get("status").asString()).isEqualTo("MOVED");
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(from).query(Integer.class).single()).isZero();
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(to).query(Integer.class).single()).isEqualTo(1);
        assertProblem(api.post("/api/v1/appointments/" + reference + "/move?phone=%2B33699999999", Map.of("slotId", from),
                "Idempotency-Key", UUID.randomUUID().toString()), 404, "not-found");
    }

    @Test
    void crossingMovesBetweenTwoSlotsAllSucceedAndKeepTheCounts() throws Exception {
        // Room for everyone on either side, so every move must succeed whatever the order: this is about locks.
        long left = openSlot(api, 20);
        long right = openSlot(api, 20);
        record Held(String reference, String phone, long to) {}
        List<Held> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long from = i % 2 == 0 ? left : right;
            String phone = freshPhone();
            String reference = book(from, UUID.randomUUID().toString(), "Move " + i, "1980-02-02", phone).json().get("reference").asString();
            held.add(new Held(reference, phone, from == left ? right : left));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Answer>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Held h : held) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return api.post("/api/v1/appointments/" + h.reference() + "/move?phone=" + h.phone().replace("+", "%2B"),
                            Map.of("slotId", h.to()), "Idempotency-Key", UUID.randomUUID().toString());
                }));
            }
            go.countDown();
            for (Future<Api.Answer> answer : answers) assertThat(answer.get().status()).as(answer.get().body()).isEqualTo(200);
        }
        for (long slot : List.of(left, right)) {
            assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isEqualTo(10);
            assertThat(jdbc.sql("SELECT count(*) FROM appointments WHERE slot_id = ? AND status = 'BOOKED'").param(slot)
                    .query(Integer.class).single()).isEqualTo(10);
        }
    }

    @Test
    void aQueuedRequestIsAcceptedOnceWithAReference() {
        Map<String, Object> body = Map.of("procedure", "RECEPISSE_RENOUVELLEMENT", "site", "VIENNE", "documentExpiry",
                LocalDate.now().plusDays(40).toString(),
                "applicant", Map.of("name", "Fatima Z", "birthDate", "1983-04-04", "phone", "06 12 34 00 01", "language", "ar"));
        Api.Answer first = api.post("/api/v1/requests", body);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        String reference = first.json().get("reference").asString();
        assertThat(reference).matches("[0-9]{9}");
        assertThat(first.json().get("status").asString()).isEqualTo("WAITING");
        assertThat(api.post("/api/v1/requests", body).json().get("reference").asString()).isEqualTo(reference);
        String key = UUID.randomUUID().toString();
        assertThat(api.post("/api/v1/requests", body, "Idempotency-Key", key).status()).isEqualTo(202);
        assertProblem(api.post("/api/v1/requests", Map.of("procedure", "REMISE_TITRE", "applicant", body.get("applicant")),
                "Idempotency-Key", key), 422, "idempotency-key-reused");
        assertProblem(api.post("/api/v1/requests", Map.of("procedure", "NOPE", "site", "PARIS", "applicant", body.get("applicant"))),
                422, "invalid-request");
    }

    @Test
    void namesInAnyScriptAndHostileTextAreStoredAndReturnedIntact() {
        List<String> names = List.of("محمد بن علي", "Олена Коваленко", "রহিম উদ্দিন", "محمد‌رضا احمدی", "Zoë d'Éon-Łukasz 👩🏽‍⚕️",
                "Robert'); DROP TABLE appointments;--", "<script>alert('x')</script>", "' OR 1=1 --", "${jndi:ldap://x/a}");
        long slot = openSlot(api, names.size());
        for (String name : names) {
            String phone = freshPhone();
            Api.Answer booked = book(slot, UUID.randomUUID().toString(), name, "1990-01-01", phone);
            assertThat(booked.status()).as(name).isEqualTo(201);
            assertThat(booked.json().get("applicant").get("name").asString()).isEqualTo(name);
            String reference = booked.json().get("reference").asString();
            assertThat(api.get("/api/v1/appointments/" + reference + "?phone=" + phone.replace("+", "%2B"))
                    .json().get("applicant").get("name").asString()).isEqualTo(name);
            assertThat(jdbc.sql("SELECT applicant_name FROM appointments WHERE reference = ?").param(reference)
                    .query(String.class).single()).isEqualTo(name);
        }
        assertThat(jdbc.sql("SELECT count(*) FROM appointments").query(Integer.class).single()).isPositive();
    }

    @Test
    void aPathTomcatRefusesBeforeTheApplicationGetsAProblemNotAnHtmlPage() {
        // An encoded NUL or slash: Tomcat refuses the path while mapping it, before any controller or filter.
        for (String path : List.of("/api/v1/appointments/%00?phone=%2B33612345678", "/api/v1/appointments/..%2F..%2Fetc",
                "/twilio/audio/fr/%00")) {
            Api.Answer answer = api.get(path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
            assertThat(answer.json().get("code").asString()).isEqualTo("malformed-request");
        }
    }

    @Test
    void badInputGetsAProblemThatSaysWhatIsWrong() {
        long slot = openSlot(api, 1);
        String key = "Idempotency-Key";
        assertProblem(api.post("/api/v1/appointments", "{\"slotId\": 1, \"procedure\": ", key, "k1"), 400, "malformed-body");
        assertProblem(api.post("/api/v1/appointments", "", key, "k1b"), 400, "malformed-body");
        assertProblem(api.post("/api/v1/appointments", "[1,2,3]", key, "k1c"), 400, null);

        Api.Answer wrongType = api.post("/api/v1/appointments", "{\"slotId\": \"abc\", \"procedure\": \"" + PROCEDURE + "\"}", key, "k2");
        assertProblem(wrongType, 422, "invalid-request");
        assertThat(fields(wrongType)).containsExactly("slotId");
        Api.Answer badDate = api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "A", "1990-13-45", "0612345678", "fr"), key, "k3");
        assertProblem(badDate, 422, "invalid-request");
        assertThat(fields(badDate)).containsExactly("applicant.birthDate");

        Api.Answer everything = api.post("/api/v1/appointments", Map.of("procedure", "NOT_A_PROCEDURE",
                "applicant", Map.of("name", " ", "birthDate", LocalDate.now().plusDays(3).toString(), "phone", "12", "language", "xx")), key, "k4");
        assertProblem(everything, 422, "invalid-request");
        assertThat(fields(everything)).containsExactlyInAnyOrder("slotId", "procedure", "applicant.name", "applicant.birthDate",
                "applicant.phone", "applicant.language");

        assertThat(fields(api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "Bad\u0000Name", "1990-01-01", freshPhone(), "fr"), key, "k5")))
                .containsExactly("applicant.name");
        assertThat(fields(api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "x".repeat(201), "1990-01-01", freshPhone(), "fr"), key, "k6")))
                .containsExactly("applicant.name");
        assertThat(fields(api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "Ok", "1990-01-01", "06 12 34 56", "fr"), key, "k7")))
                .containsExactly("applicant.phone");

        Api.Answer unknownSlot = api.post("/api/v1/appointments", Api.booking(987654321L, PROCEDURE, "Ok", "1990-01-01", freshPhone(), "fr"), key, "k8");
        assertProblem(unknownSlot, 422, "invalid-request");
        assertThat(unknownSlot.body()).contains("is not a known slot");
        long past = openSlot(api, 1);
        jdbc.sql("UPDATE slots SET start_at = now() - interval '2 hours' WHERE id = ?").param(past).update();
        assertThat(api.post("/api/v1/appointments", Api.booking(past, PROCEDURE, "Ok", "1990-01-01", freshPhone(), "fr"), key, "k9").body())
                .contains("is in the past");
        assertThat(api.post("/api/v1/appointments", Api.booking(slot, "ANEF_ETUDIANT", "Ok", "1990-01-01", freshPhone(), "fr"), key, "k10").body())
                .contains("does not accept this procedure");

        assertProblem(api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "Ok", "1990-01-01", freshPhone(), "fr")), 400, null);
        assertProblem(api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "Ok", "1990-01-01", freshPhone(), "fr"), key, "bad key\u00e9"), 422, null);

        byte[] huge = ("{\"procedure\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertProblem(api.postBytes("/api/v1/appointments", huge, key, "k11"), 413, "body-too-large");
        assertProblem(api.post("/api/v1/appointments", "text", key, "k12", "Content-Type", "text/plain"), 415, null);
        // Streamed with no declared length: refused as soon as the limit is crossed.
        Api.Answer streamed = api.postStream("/api/v1/appointments", huge, key, "k13");
        assertProblem(streamed, 413, "body-too-large");
        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&from=%2B99999-01-01T00:00:00Z&to=%2B99999-01-02T00:00:00Z"), 422, null);
        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&from=0001-01-01&to=0001-01-02"), 422, null);

        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&site=NOWHERE"), 422, "invalid-request");
        assertProblem(api.get("/api/v1/slots?procedure=%00&site=%00"), 422, "invalid-request");
        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&from=tomorrow"), 422, "invalid-request");
        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&from=2027-03-01&to=2026-03-01"), 422, "invalid-request");
        assertProblem(api.get("/api/v1/slots?procedure=" + PROCEDURE + "&limit=many"), 400, null);
        assertProblem(api.get("/api/v1/slots"), 400, null);
        assertProblem(api.get("/api/v1/nothing-here"), 404, null);
        assertProblem(api.delete("/api/v1/sites"), 405, null);
        // A client that accepts no JSON is told so, still as a problem.
        assertProblem(api.get("/api/v1/appointments/123456789?phone=0612345678", "Accept", "text/html"), 406, null);
        assertThat(api.get("/api/v1/sites", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8").status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT booked FROM slots WHERE id = ?").param(slot).query(Integer.class).single()).isZero();
    }

    @Test
    void theApiIsDescribedAtV3ApiDocs() {
        Api.Answer docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        for (String path : List.of("/api/v1/sites", "/api/v1/procedures", "/api/v1/slots", "/api/v1/appointments",
                "/api/v1/appointments/{reference}", "/api/v1/appointments/{reference}/move", "/api/v1/requests",
                "/api/v1/admin/slots", "/api/v1/admin/appointments", "/api/v1/admin/appointments/{reference}/attended",
                "/api/v1/admin/appointments/{reference}/no-show")) {
            assertThat(paths.has(path)).as(path).isTrue();
        }
        assertThat(paths.get("/api/v1/appointments").get("post").get("parameters").toString()).contains("Idempotency-Key");
        assertThat(docs.json().get("components").get("schemas").has("BookingBody")).isTrue();
        JsonNode bookResponses = paths.get("/api/v1/appointments").get("post").get("responses");
        assertThat(bookResponses.has("201")).isTrue();
        assertThat(bookResponses.get("409").get("content").has("application/problem+json")).isTrue();
        assertThat(bookResponses.has("422")).isTrue();
        assertThat(paths.get("/api/v1/appointments/{reference}").get("get").get("responses").has("404")).isTrue();
    }

    @Test
    void staffTokenIsRequired() {
        assertProblem(api.get("/api/v1/admin/appointments?site=GRENOBLE&date=" + LocalDate.now()), 401, "token-missing");
        assertProblem(api.get("/api/v1/admin/appointments?site=GRENOBLE&date=" + LocalDate.now(), "Authorization", "Bearer wrong"), 403, "token-refused");
        assertProblem(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE"), "Authorization", "Basic abc"), 403, "token-refused");
        assertProblem(api.post("/api/v1/admin/appointments/123456789/attended", Map.of()), 401, "token-missing");
        assertThat(api.get("/api/v1/admin/appointments?site=GRENOBLE&date=" + LocalDate.now(), staff()).status()).isEqualTo(200);
    }
}
