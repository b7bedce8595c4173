package fr.guichet.booking.web;

import static fr.guichet.booking.web.ApiFixture.PROCEDURE;
import static fr.guichet.booking.web.ApiFixture.freshPhone;
import static fr.guichet.booking.web.ApiFixture.staff;
import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** The staff booking API: slots one by one or from opening hours (public holidays skipped), the day list, marks. */
@GuichetTest
@TestPropertySource(properties = "app.admin-token=" + ApiFixture.STAFF_TOKEN)
class StaffBookingApiTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    Api api;

    @BeforeEach
    void client() {
        api = new Api(port);
    }

    private List<LocalDate> slotDays(String site, LocalDate from, LocalDate to) {
        return jdbc.sql("""
                        SELECT DISTINCT (start_at AT TIME ZONE 'Europe/Paris')::date FROM slots
                        WHERE site = ? AND (start_at AT TIME ZONE 'Europe/Paris')::date BETWEEN ? AND ? ORDER BY 1""")
                .params(site, from, to).query(LocalDate.class).list();
    }

    @Test
    void anOpeningHoursTemplateSkipsWeekendsAndComputedPublicHolidays() {
        // Easter 2027 is 28 March: Easter Monday 29 March, Ascension Thursday 6 May, Whit Monday 17 May.
        LocalDate from = LocalDate.of(2027, 3, 29);
        LocalDate to = LocalDate.of(2027, 5, 17);
        Map<String, Object> template = Map.of("site", "LA_TOUR_DU_PIN", "from", from.toString(), "to", to.toString(),
                "durationMinutes", 30, "capacity", 2);
        Api.Answer created = api.post("/api/v1/admin/slots", template, staff());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        List<LocalDate> days = slotDays("LA_TOUR_DU_PIN", from, to);
        assertThat(days).doesNotContain(LocalDate.of(2027, 3, 29), LocalDate.of(2027, 5, 1), LocalDate.of(2027, 5, 6),
                LocalDate.of(2027, 5, 8), LocalDate.of(2027, 5, 17));
        assertThat(days).contains(LocalDate.of(2027, 3, 30), LocalDate.of(2027, 5, 5), LocalDate.of(2027, 5, 7));
        assertThat(days).allMatch(d -> d.getDayOfWeek().getValue() <= 5);
        // Mornings 9:00–12:00 in 30 minutes: six a day, in local time whatever the daylight-saving change (28 March).
        int perDay = created.json().get("created").asInt() / days.size();
        assertThat(perDay).isEqualTo(6);
        assertThat(jdbc.sql("""
                        SELECT min((start_at AT TIME ZONE 'Europe/Paris')::time)::text FROM slots
                        WHERE site = 'LA_TOUR_DU_PIN' AND start_at >= '2027-03-29' AND start_at < '2027-05-18'""")
                .query(String.class).single()).isEqualTo("09:00:00");

        Api.Answer again = api.post("/api/v1/admin/slots", template, staff());
        assertThat(again.json().get("created").asInt()).isZero();
        assertThat(again.json().get("alreadyThere").asInt()).isEqualTo(created.json().get("created").asInt());

        // A single slot on a public holiday is refused; on a closed date too.
        Instant whitMonday = LocalDateTime.of(2027, 5, 17, 10, 0).atZone(PARIS).toInstant();
        Api.Answer holiday = api.post("/api/v1/admin/slots", Map.of("site", "VIENNE", "start", whitMonday.toString(), "capacity", 1), staff());
        assertThat(holiday.status()).isEqualTo(422);
        assertThat(holiday.body()).contains("public holiday");
    }

    @Test
    void slotInputIsChecked() {
        Instant start = ApiFixture.freshStart(70);
        Api.Answer wrong = api.post("/api/v1/admin/slots", Map.of("site", "NOWHERE", "start", start.toString(), "capacity", 0,
                "durationMinutes", 2, "procedures", List.of("NOPE")), staff());
        assertThat(wrong.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        wrong.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("site", "capacity", "durationMinutes", "procedures");
        assertThat(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE", "capacity", 1), staff()).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE", "capacity", 1, "start", "2020-01-01T10:00:00Z"), staff())
                .body()).contains("is in the past");
        Map<String, Object> one = Map.of("site", "GRENOBLE", "start", start.toString(), "capacity", 1, "procedures", List.of(PROCEDURE));
        assertThat(api.post("/api/v1/admin/slots", one, staff()).status()).isEqualTo(201);
        assertThat(api.post("/api/v1/admin/slots", one, staff()).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE", "capacity", 1, "from", "2027-01-01", "to", "2029-01-01"),
                staff()).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE", "capacity", 1, "start", "+99999-01-01T10:00:00Z"), staff())
                .status()).isEqualTo(422);
        assertThat(api.post("/api/v1/admin/slots", Map.of("site", "GRENOBLE", "capacity", 1, "from", "+99999-01-01", "to", "+99999-01-02"),
                staff()).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/admin/appointments?site=GRENOBLE&date=0001-01-01", staff()).status()).isEqualTo(422);
    }

    @Test
    void staffSeeTheDayAndMarkAttendanceOnceTheAppointmentHasStarted() {
        Instant start = ApiFixture.freshStart(55);
        long slot = ApiFixture.openSlot(api, "VIENNE", start, 2, null);
        String phone = freshPhone();
        Api.Answer booked = api.post("/api/v1/appointments", Api.booking(slot, PROCEDURE, "Ahmad Q", "1991-06-15", phone, "fa-AF"),
                "Idempotency-Key", UUID.randomUUID().toString());
        String reference = booked.json().get("reference").asString();
        LocalDate day = start.atZone(PARIS).toLocalDate();

        JsonNode list = api.get("/api/v1/admin/appointments?site=VIENNE&date=" + day, staff()).json();
        List<String> references = new ArrayList<>();
        list.forEach(a -> references.add(a.get("reference").asString()));
        assertThat(references).contains(reference);
        assertThat(list.toString()).contains("Ahmad Q").contains(phone).contains("fa-AF");

        Api.Answer early = api.post("/api/v1/admin/appointments/" + reference + "/no-show", Map.of(), staff());
        assertThat(early.status()).isEqualTo(409);
        assertThat(early.json().get("code").asString()).isEqualTo("not-started");
        jdbc.sql("UPDATE slots SET start_at = now() - interval '1 hour' WHERE id = ?").param(slot).update();
        Api.Answer absent = api.post("/api/v1/admin/appointments/" + reference + "/no-show", Map.of(), staff());
        assertThat(absent.status()).isEqualTo(200);
        assertThat(absent.json().get("status").asString()).isEqualTo("NO_SHOW");
        Api.Answer corrected = api.post("/api/v1/admin/appointments/" + reference + "/attended", Map.of(), staff());
        assertThat(corrected.json().get("status").asString()).isEqualTo("ATTENDED");
        assertThat(api.get("/api/v1/appointments/" + reference + "?phone=" + phone.replace("+", "%2B")).json().get("status").asString())
                .isEqualTo("ATTENDED");
        assertThat(api.post("/api/v1/admin/appointments/123456789/attended", Map.of(), staff()).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/admin/appointments?site=NOWHERE&date=" + day, staff()).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/admin/appointments?site=VIENNE&date=someday", staff()).status()).isEqualTo(400);
    }
}
