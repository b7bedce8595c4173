package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    final QuietHours quiet = QuietHours.parse("20:00-09:00", PARIS);

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    @Test
    void aWeekdayAfternoonIsNotQuiet() {
        // Tuesday 3 March 2026, 14:00
        assertThat(quiet.nextAllowed(paris("2026-03-03T14:00"))).isEqualTo(paris("2026-03-03T14:00"));
    }

    @Test
    void anEveningTextWaitsForNineTheNextMorning() {
        assertThat(quiet.nextAllowed(paris("2026-03-03T20:00"))).isEqualTo(paris("2026-03-04T09:00"));
        assertThat(quiet.nextAllowed(paris("2026-03-04T06:30"))).isEqualTo(paris("2026-03-04T09:00"));
        assertThat(quiet.isQuiet(paris("2026-03-04T08:59"))).isTrue();
        assertThat(quiet.isQuiet(paris("2026-03-04T09:00"))).isFalse();
    }

    @Test
    void sundaysAndPublicHolidaysAreQuietAllDay() {
        // Saturday 4 April 2026 evening → Sunday 5 is closed, Monday 6 is Easter Monday → Tuesday 7 at 9:00.
        assertThat(quiet.nextAllowed(paris("2026-04-04T21:00"))).isEqualTo(paris("2026-04-07T09:00"));
        assertThat(quiet.nextAllowed(paris("2026-04-05T12:00"))).isEqualTo(paris("2026-04-07T09:00"));
        // 14 July 2026 (Tuesday), midday.
        assertThat(quiet.nextAllowed(paris("2026-07-14T12:00"))).isEqualTo(paris("2026-07-15T09:00"));
    }

    @Test
    void theWindowKeepsItsWallClockHoursAcrossDaylightSavingChanges() {
        // Spring forward: night of Saturday 28 to Sunday 29 March 2026; Sunday is closed anyway → Monday 30 at 9:00 CEST.
        Instant springMonday = quiet.nextAllowed(paris("2026-03-28T22:00"));
        assertThat(springMonday).isEqualTo(Instant.parse("2026-03-30T07:00:00Z"));
        // Fall back: night of Saturday 24 to Sunday 25 October 2026 → Monday 26 at 9:00 CET.
        assertThat(quiet.nextAllowed(paris("2026-10-24T23:30"))).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
        // The ambiguous hour (02:30 happens twice on 25 October) is inside the window either way.
        assertThat(quiet.isQuiet(Instant.parse("2026-10-25T00:30:00Z"))).isTrue();
        assertThat(quiet.isQuiet(Instant.parse("2026-10-25T01:30:00Z"))).isTrue();
    }

    @Test
    void aWindowInsideTheDayIsHonouredToo() {
        QuietHours lunch = QuietHours.parse("12:00-14:00", PARIS);
        assertThat(lunch.nextAllowed(paris("2026-03-03T12:30"))).isEqualTo(paris("2026-03-03T14:00"));
        assertThat(lunch.nextAllowed(paris("2026-03-03T11:00"))).isEqualTo(paris("2026-03-03T11:00"));
        // On a Sunday the whole day is closed: the next allowed time is Monday's first minute, outside the window.
        assertThat(lunch.nextAllowed(paris("2026-03-08T13:00"))).isEqualTo(paris("2026-03-09T00:00"));
    }

    @Test
    void anEmptySettingDisablesQuietHoursEvenOnSundays() {
        QuietHours none = QuietHours.parse("", PARIS);
        assertThat(none.enabled()).isFalse();
        assertThat(none.nextAllowed(paris("2026-04-05T23:00"))).isEqualTo(paris("2026-04-05T23:00"));
    }

    @Test
    void aMalformedSettingIsRefusedAtStart() {
        assertThatThrownBy(() -> QuietHours.parse("8pm to 9am", PARIS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("APP_QUIET_HOURS");
        assertThatThrownBy(() -> QuietHours.parse("09:00-09:00", PARIS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLastAllowedMinuteBeforeQuietTimeIsOneMinuteBeforeItBegan() {
        // Allowed times are themselves.
        assertThat(quiet.lastAllowedBefore(paris("2026-03-03T14:00"))).isEqualTo(paris("2026-03-03T14:00"));
        // A night: the evening it began, whether the time is before or after midnight.
        assertThat(quiet.lastAllowedBefore(paris("2026-03-03T22:00"))).isEqualTo(paris("2026-03-03T19:59"));
        assertThat(quiet.lastAllowedBefore(paris("2026-03-04T06:30"))).isEqualTo(paris("2026-03-03T19:59"));
        assertThat(quiet.isQuiet(paris("2026-03-03T19:59"))).isFalse();
    }

    @Test
    void theLastAllowedMinuteSkipsBackOverSundaysAndPublicHolidays() {
        // Sunday afternoon → Saturday 19:59.
        assertThat(quiet.lastAllowedBefore(paris("2026-03-08T17:00"))).isEqualTo(paris("2026-03-07T19:59"));
        // Easter Monday 6 April 2026 at 08:00 → over Sunday 5 → Saturday 4 April 19:59.
        assertThat(quiet.lastAllowedBefore(paris("2026-04-06T08:00"))).isEqualTo(paris("2026-04-04T19:59"));
        // Monday 06:00 (night that began on Sunday, a closed day) → Saturday 19:59.
        assertThat(quiet.lastAllowedBefore(paris("2026-03-09T06:00"))).isEqualTo(paris("2026-03-07T19:59"));
    }

    @Test
    void theLastAllowedMinuteKeepsWallClockHoursAcrossDaylightSavingChanges() {
        // Sunday 29 March 2026 (spring forward) 18:00 CEST → Saturday 28 March 19:59 CET = 18:59 UTC.
        assertThat(quiet.lastAllowedBefore(paris("2026-03-29T18:00"))).isEqualTo(Instant.parse("2026-03-28T18:59:00Z"));
        // Sunday 25 October 2026 (fall back) 18:00 CET → Saturday 24 October 19:59 CEST = 17:59 UTC.
        assertThat(quiet.lastAllowedBefore(paris("2026-10-25T18:00"))).isEqualTo(Instant.parse("2026-10-24T17:59:00Z"));
    }

    @Test
    void withQuietHoursDisabledEveryTimeIsTheLastAllowed() {
        QuietHours none = QuietHours.parse(" ", PARIS);
        assertThat(none.lastAllowedBefore(paris("2026-04-05T23:00"))).isEqualTo(paris("2026-04-05T23:00"));
    }
}
