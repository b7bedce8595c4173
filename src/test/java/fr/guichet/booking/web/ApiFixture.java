package fr.guichet.booking.web;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.booking.FrenchPublicHolidays;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens fresh slots through the staff API at distinct future times, away from public holidays. */
final class ApiFixture {
    static final String STAFF_TOKEN = "booking-staff-token";
    static final String PROCEDURE = "AES_VIE_PRIVEE";
    private static final AtomicInteger next = new AtomicInteger();
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private ApiFixture() {}

    static String[] staff() {
        return new String[] {"Authorization", "Bearer " + STAFF_TOKEN};
    }

    /** A start no other test uses: from 50 days ahead, five minutes apart, on days that are not public holidays. */
    static Instant freshStart(int daysAhead) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(daysAhead))
                .plus(Duration.ofMinutes(5L * next.incrementAndGet()));
        while (FrenchPublicHolidays.isHoliday(start.atZone(PARIS).toLocalDate())) start = start.plus(Duration.ofDays(1));
        return start;
    }

    static long openSlot(Api api, String site, Instant start, int capacity, List<String> procedures) {
        Map<String, Object> body = procedures == null
                ? Map.of("site", site, "start", start.toString(), "durationMinutes", 30, "capacity", capacity)
                : Map.of("site", site, "start", start.toString(), "durationMinutes", 30, "capacity", capacity, "procedures", procedures);
        Api.Answer answer = api.post("/api/v1/admin/slots", body, staff());
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("slot").get("id").asLong();
    }

    static long openSlot(Api api, int capacity) {
        return openSlot(api, "GRENOBLE", freshStart(50), capacity, null);
    }

    /** A French mobile number no other booking in this run uses. */
    static String freshPhone() {
        return "+3361%07d".formatted(next.incrementAndGet() + 1_000_000);
    }
}
