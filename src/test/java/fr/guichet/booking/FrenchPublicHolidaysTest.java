package fr.guichet.booking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrenchPublicHolidaysTest {
    @Test
    void easterIsComputedForKnownYears() {
        assertThat(FrenchPublicHolidays.easterSunday(2024)).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(FrenchPublicHolidays.easterSunday(2025)).isEqualTo(LocalDate.of(2025, 4, 20));
        assertThat(FrenchPublicHolidays.easterSunday(2026)).isEqualTo(LocalDate.of(2026, 4, 5));
        assertThat(FrenchPublicHolidays.easterSunday(2027)).isEqualTo(LocalDate.of(2027, 3, 28));
        assertThat(FrenchPublicHolidays.easterSunday(2038)).isEqualTo(LocalDate.of(2038, 4, 25));
        assertThat(FrenchPublicHolidays.easterSunday(2285)).isEqualTo(LocalDate.of(2285, 3, 22));
    }

    @Test
    void theElevenHolidaysOf2026() {
        assertThat(FrenchPublicHolidays.of(2026)).containsExactlyInAnyOrder(
                LocalDate.of(2026, 1, 1), LocalDate.of(2026, 4, 6), LocalDate.of(2026, 5, 1), LocalDate.of(2026, 5, 8),
                LocalDate.of(2026, 5, 14), LocalDate.of(2026, 5, 25), LocalDate.of(2026, 7, 14), LocalDate.of(2026, 8, 15),
                LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 11), LocalDate.of(2026, 12, 25));
        // Alsace-Moselle only, not Isère.
        assertThat(FrenchPublicHolidays.isHoliday(LocalDate.of(2026, 4, 3))).isFalse();
        assertThat(FrenchPublicHolidays.isHoliday(LocalDate.of(2026, 12, 26))).isFalse();
    }

    @Test
    void openingHoursCloseOnHolidaysExtraClosedDatesAndDaysWithoutHours() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        OpeningHours hours = new OpeningHours(paris,
                Map.of(DayOfWeek.MONDAY, List.of(new OpeningHours.Period(LocalTime.of(13, 30), LocalTime.of(16, 0)),
                                new OpeningHours.Period(LocalTime.of(8, 45), LocalTime.of(12, 0))),
                        DayOfWeek.TUESDAY, List.of(new OpeningHours.Period(LocalTime.of(8, 45), LocalTime.of(12, 0)))),
                Set.of(LocalDate.of(2026, 6, 2)));
        assertThat(hours.periodsOn(LocalDate.of(2026, 6, 1))).extracting(OpeningHours.Period::opens)
                .containsExactly(LocalTime.of(8, 45), LocalTime.of(13, 30));
        assertThat(hours.isClosedOn(LocalDate.of(2026, 6, 2))).isTrue();      // extra closed date
        assertThat(hours.isClosedOn(LocalDate.of(2026, 5, 25))).isTrue();     // Whit Monday
        assertThat(hours.isClosedOn(LocalDate.of(2026, 6, 3))).isTrue();      // Wednesday: no hours
        assertThat(hours.isOpen(LocalDate.of(2026, 6, 1).atTime(9, 0).atZone(paris).toInstant())).isTrue();
        assertThat(hours.isOpen(LocalDate.of(2026, 6, 1).atTime(12, 0).atZone(paris).toInstant())).isFalse();
        assertThat(hours.isOpen(LocalDate.of(2026, 5, 25).atTime(9, 0).atZone(paris).toInstant())).isFalse();
    }
}
