package fr.guichet.channel.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class StaffLineTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static StaffLine line(String hours, String at, String phone) {
        Clock clock = Clock.fixed(ZonedDateTime.parse(at).toInstant(), ZoneId.of("UTC"));
        return new StaffLine(clock, PARIS, hours, phone, "GRENOBLE", null);
    }

    @Test
    void openInsideTheWindowsInParisTimeAndClosedOutside() {
        String hours = "MON-FRI 09:00-12:00 13:30-16:00";
        assertThat(line(hours, "2026-03-10T10:15:00+01:00[Europe/Paris]", "+33476604949").now().open()).isTrue();   // Tuesday
        assertThat(line(hours, "2026-03-10T12:30:00+01:00[Europe/Paris]", "+33476604949").now().open()).isFalse();  // lunch
        assertThat(line(hours, "2026-03-10T16:00:00+01:00[Europe/Paris]", "+33476604949").now().open()).isFalse();  // end is exclusive
        assertThat(line(hours, "2026-03-14T10:15:00+01:00[Europe/Paris]", "+33476604949").now().open()).isFalse();  // Saturday
        // 08:30 UTC is 10:30 in Paris in summer time.
        assertThat(line(hours, "2026-07-07T08:30:00Z", "+33476604949").now().open()).isTrue();
    }

    @Test
    void publicHolidaysCloseTheConfiguredHoursToo() {
        String hours = "MON-FRI 09:00-12:00 13:30-16:00";
        // Ascension Thursday 2026, Easter Monday 2026, 14 July 2026 (a Tuesday).
        assertThat(line(hours, "2026-05-14T10:00:00+02:00[Europe/Paris]", "+33476604949").now().open()).isFalse();
        assertThat(line(hours, "2026-04-06T10:00:00+02:00[Europe/Paris]", "+33476604949").now().open()).isFalse();
        assertThat(line(hours, "2026-07-14T10:00:00+02:00[Europe/Paris]", "+33476604949").now().open()).isFalse();
        assertThat(line(hours, "2026-05-15T10:00:00+02:00[Europe/Paris]", "+33476604949").now().open()).isTrue();
    }

    @Test
    void withoutConfiguredHoursAndWithoutACatalogueTheLineCountsAsClosed() {
        assertThat(line("", "2026-03-10T10:15:00+01:00[Europe/Paris]", "+33476604949").now().open()).isFalse();
    }

    @Test
    void theConfiguredNumberIsUsedWhenNoCatalogueIsThere() {
        StaffLine.Decision decision = line("MON-FRI 09:00-12:00", "2026-03-10T10:15:00+01:00[Europe/Paris]", "+33476604949").now();
        assertThat(decision.number()).contains("+33476604949");
        assertThat(decision.siteCode()).isEqualTo("GRENOBLE");
        assertThat(line("MON-FRI 09:00-12:00", "2026-03-10T10:15:00+01:00[Europe/Paris]", "").now().number()).isEmpty();
    }

    @Test
    void severalDayGroupsAndBadSpecificationsAreReported() {
        StaffLine saturdays = line("MON,WED 09:00-10:00; SAT 09:00-11:00", "2026-03-14T10:15:00+01:00[Europe/Paris]", "+33476604949");
        assertThat(saturdays.now().open()).isTrue();
        assertThatThrownBy(() -> StaffLine.parse("MONDAY")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app.voice.staff.hours");
        assertThatThrownBy(() -> StaffLine.parse("XYZ 09:00-10:00")).hasMessageContaining("unknown day");
    }
}
