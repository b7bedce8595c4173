package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When reminders go: offsets in Europe/Paris across the daylight-saving changes, quiet hours, skipped and merged ones. */
class ReminderPlanTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final List<ReminderOffset> DEFAULT = ReminderOffset.parseList("P2D,PT16H");
    static final QuietHours QUIET = QuietHours.parse("20:00-09:00", PARIS);
    static final Duration MIN_LEAD = Duration.ofHours(2);

    static Instant paris(String local) {
        return LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }

    static List<ReminderPlan.Planned> plan(String start, String now) {
        return ReminderPlan.plan(paris(start), paris(now), DEFAULT, QUIET, MIN_LEAD, PARIS);
    }

    static ReminderPlan.Planned offset(List<ReminderPlan.Planned> plan, String iso) {
        return plan.stream().filter(p -> p.offset().iso().equals(iso)).findFirst().orElseThrow();
    }

    @Test
    void twoDaysBeforeKeepsTheClockTimeAcrossTheSpringChangeAndSixteenHoursAreRealHours() {
        // Monday 30 March 2026 at 10:00 CEST; the clocks went forward on Sunday 29 March.
        List<ReminderPlan.Planned> plan = plan("2026-03-30T10:00", "2026-03-25T12:00");
        // P2D: Saturday 28 March at 10:00 CET (09:00 UTC), not 48 hours before (08:00 UTC = 09:00 CET).
        assertThat(offset(plan, "P2D").due()).isEqualTo(Instant.parse("2026-03-28T09:00:00Z"));
        // PT16H: Sunday 29 March 18:00 CEST is a Sunday; Monday 09:00 is too close to 10:00 → Saturday 19:59 CET.
        assertThat(offset(plan, "PT16H").nominal()).isEqualTo(Instant.parse("2026-03-29T16:00:00Z"));
        assertThat(offset(plan, "PT16H").due()).isEqualTo(Instant.parse("2026-03-28T18:59:00Z"));

        // Without quiet hours, sixteen hours before noon on Sunday 29 March (CEST) is 19:00 on Saturday (CET), not 20:00.
        List<ReminderPlan.Planned> plain = ReminderPlan.plan(paris("2026-03-29T12:00"), paris("2026-03-20T12:00"), DEFAULT,
                QuietHours.none(PARIS), MIN_LEAD, PARIS);
        assertThat(offset(plain, "PT16H").due()).isEqualTo(paris("2026-03-28T19:00"));
        assertThat(offset(plain, "P2D").due()).isEqualTo(paris("2026-03-27T12:00"));
    }

    @Test
    void theAutumnChangeToo() {
        // Monday 26 October 2026 at 14:00 CET; the clocks went back on Sunday 25 October.
        List<ReminderPlan.Planned> plan = plan("2026-10-26T14:00", "2026-10-20T12:00");
        // P2D: Saturday 24 October at 14:00 CEST = 12:00 UTC (48 hours would be 13:00 UTC = 15:00 CEST).
        assertThat(offset(plan, "P2D").due()).isEqualTo(Instant.parse("2026-10-24T12:00:00Z"));
        // PT16H: Sunday 22:00 CET → waits for Monday 09:00 CET (08:00 UTC), still five hours before.
        assertThat(offset(plan, "PT16H").nominal()).isEqualTo(Instant.parse("2026-10-25T21:00:00Z"));
        assertThat(offset(plan, "PT16H").due()).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
    }

    @Test
    void aReminderDueAtNightWaitsForTheMorningWhenThatIsEarlyEnough() {
        // Wednesday 4 March 2026 at 14:00: PT16H is Tuesday 22:00 → Wednesday 09:00.
        assertThat(offset(plan("2026-03-04T14:00", "2026-03-01T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-04T09:00"));
        // At 11:00: Tuesday 19:00, before the quiet hours begin.
        assertThat(offset(plan("2026-03-04T11:00", "2026-03-01T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-03T19:00"));
        // 10:30: Tuesday 18:30, allowed as it is.
        assertThat(offset(plan("2026-03-04T10:30", "2026-03-01T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-03T18:30"));
    }

    @Test
    void tooCloseToTheAppointmentItGoesAtTheLastAllowedMinuteBefore() {
        // Monday 9 March 2026 at 09:00: PT16H is Sunday 17:00; the end of quiet time is Monday 09:00, the start itself
        // → Saturday 19:59.
        assertThat(offset(plan("2026-03-09T09:00", "2026-03-02T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-07T19:59"));
        // Monday 9 March at 10:30: Monday 09:00 is only 1 h 30 before (less than the 2 h minimum) → Saturday 19:59 as well.
        assertThat(offset(plan("2026-03-09T10:30", "2026-03-02T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-07T19:59"));
        // Monday 9 March at 11:00: Monday 09:00 is 2 h before, early enough.
        assertThat(offset(plan("2026-03-09T11:00", "2026-03-02T10:00"), "PT16H").due()).isEqualTo(paris("2026-03-09T09:00"));
    }

    @Test
    void publicHolidaysAndSundaysAreQuietAndTwoRemindersPushedTogetherBecomeOne() {
        // Tuesday 7 April 2026 at 10:00, after Easter Monday: P2D is Sunday 10:00, PT16H is Easter Monday 18:00.
        // Both would wait for Tuesday 09:00, too close: both fall back to Saturday 4 April 19:59 — sent once.
        List<ReminderPlan.Planned> plan = plan("2026-04-07T10:00", "2026-03-30T10:00");
        assertThat(offset(plan, "P2D").due()).isEqualTo(paris("2026-04-04T19:59"));
        assertThat(offset(plan, "PT16H").due()).isNull();
        assertThat(offset(plan, "PT16H").skip()).isEqualTo(ReminderPlan.Skip.MERGED);
        // 14 July 2026 is a Tuesday and a holiday: an appointment on Wednesday 15 at 10:00 gets PT16H on Monday 13 at 19:59.
        assertThat(offset(plan("2026-07-15T10:00", "2026-07-01T10:00"), "PT16H").due()).isEqualTo(paris("2026-07-13T19:59"));
    }

    @Test
    void offsetsAlreadyPastWhenBookingAreSkipped() {
        // Booked on Tuesday 3 March at 11:00 for Wednesday 4 March at 14:00: P2D was on Monday.
        List<ReminderPlan.Planned> plan = plan("2026-03-04T14:00", "2026-03-03T11:00");
        assertThat(offset(plan, "P2D").skip()).isEqualTo(ReminderPlan.Skip.PAST);
        assertThat(offset(plan, "PT16H").due()).isEqualTo(paris("2026-03-04T09:00"));
        // Booked on Saturday 7 March at 21:00 for Monday 9 at 09:00: PT16H would have been Saturday 19:59, already past.
        List<ReminderPlan.Planned> late = plan("2026-03-09T09:00", "2026-03-07T21:00");
        assertThat(offset(late, "PT16H").skip()).isEqualTo(ReminderPlan.Skip.QUIET_HOURS);
        assertThat(offset(late, "P2D").skip()).isEqualTo(ReminderPlan.Skip.PAST);
    }

    @Test
    void offsetsAreIsoDurationsWithCalendarDaysAndElapsedTime() {
        assertThat(DEFAULT).extracting(ReminderOffset::iso).containsExactly("P2D", "PT16H");
        assertThat(ReminderOffset.parse("p1dt12h")).isEqualTo(new ReminderOffset("P1DT12H", Period.ofDays(1), Duration.ofHours(12)));
        assertThat(ReminderOffset.parse("P1W").days()).isEqualTo(Period.ofDays(7));
        assertThat(ReminderOffset.parse("PT90M").time()).isEqualTo(Duration.ofMinutes(90));
        assertThat(ReminderOffset.parseList(" ")).isEmpty();
        for (String bad : List.of("P1M", "P1Y", "PT0S", "P0D", "2 days", "P", "PT", "-P2D", "P2DT")) {
            assertThatThrownBy(() -> ReminderOffset.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("APP_REMINDER_OFFSETS");
        }
        assertThatThrownBy(() -> ReminderOffset.parseList("P2D,P2D")).hasMessageContaining("twice");
    }
}
