package fr.guichet.booking;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When a site's counters and phone line are staffed: weekly periods in the site's time zone, closed on French public
 * holidays (computed) and on the site's extra closed dates. The voice channel asks {@link #isOpen(Instant)} before
 * transferring a call to a person.
 */
public record OpeningHours(ZoneId zone, Map<DayOfWeek, List<Period>> weekly, Set<LocalDate> closedDates) {

    /** One opening period of a day, {@code opens} inclusive, {@code closes} exclusive. */
    public record Period(LocalTime opens, LocalTime closes) {
        public Period {
            Objects.requireNonNull(opens, "opens");
            Objects.requireNonNull(closes, "closes");
            if (!opens.isBefore(closes)) throw new IllegalArgumentException("a period must open before it closes");
        }

        boolean contains(LocalTime time) {
            return !time.isBefore(opens) && time.isBefore(closes);
        }
    }

    public OpeningHours {
        Objects.requireNonNull(zone, "zone");
        EnumMap<DayOfWeek, List<Period>> copy = new EnumMap<>(DayOfWeek.class);
        weekly.forEach((day, periods) -> copy.put(day, periods.stream()
                .sorted(java.util.Comparator.comparing(Period::opens)).toList()));
        weekly = java.util.Collections.unmodifiableMap(copy);
        closedDates = Set.copyOf(closedDates);
    }

    /** Whether the site is closed all day: a public holiday, an extra closed date, or a day with no hours. */
    public boolean isClosedOn(LocalDate day) {
        return FrenchPublicHolidays.isHoliday(day) || closedDates.contains(day) || weekly.getOrDefault(day.getDayOfWeek(), List.of()).isEmpty();
    }

    /** The periods the site is open on this (local) day; empty when closed. */
    public List<Period> periodsOn(LocalDate day) {
        return isClosedOn(day) ? List.of() : weekly.getOrDefault(day.getDayOfWeek(), List.of());
    }

    /** Whether the instant falls within opening hours at the site. */
    public boolean isOpen(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime time = local.toLocalTime();
        return periodsOn(local.toLocalDate()).stream().anyMatch(p -> p.contains(time));
    }
}
