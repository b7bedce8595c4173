package fr.guichet.notify;

import fr.guichet.booking.FrenchPublicHolidays;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the service keeps quiet: a nightly window ({@code APP_QUIET_HOURS}, default {@code 20:00-09:00}, local time of
 * {@code app.time-zone}), plus all of Sundays and French public holidays. Texts and calls the service starts itself
 * (convocations, reminders, offers) that fall due in quiet time wait for its end; replies to the person's own message
 * are never held. An empty setting disables quiet hours altogether.
 *
 * <p>Computed on local dates and times, so a window keeps its wall-clock hours across the daylight-saving changes.
 */
public final class QuietHours {
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final Duration ONE_MINUTE = Duration.ofMinutes(1);

    private final ZoneId zone;
    /** Empty: never quiet. */
    private final Optional<Window> window;

    private record Window(LocalTime from, LocalTime until) {
        /** Whether a local time of day is inside the window (which may run over midnight). */
        boolean contains(LocalTime t) {
            return from.isAfter(until) ? !t.isBefore(from) || t.isBefore(until) : !t.isBefore(from) && t.isBefore(until);
        }
    }

    private QuietHours(ZoneId zone, Optional<Window> window) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.window = window;
    }

    /**
     * Parses {@code HH:mm-HH:mm}; a blank setting disables quiet hours.
     *
     * @throws IllegalArgumentException on any other form, so a wrong setting stops the start instead of texting at night
     */
    public static QuietHours parse(String setting, ZoneId zone) {
        if (setting == null || setting.isBlank()) return new QuietHours(zone, Optional.empty());
        Matcher m = WINDOW.matcher(setting.strip());
        if (!m.matches()) throw new IllegalArgumentException("APP_QUIET_HOURS must look like 20:00-09:00 (or be empty): " + setting);
        LocalTime from = LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        LocalTime until = LocalTime.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)));
        if (from.equals(until)) throw new IllegalArgumentException("APP_QUIET_HOURS starts and ends at the same time: " + setting);
        return new QuietHours(zone, Optional.of(new Window(from, until)));
    }

    public static QuietHours none(ZoneId zone) {
        return new QuietHours(zone, Optional.empty());
    }

    public boolean enabled() {
        return window.isPresent();
    }

    public boolean isQuiet(Instant instant) {
        if (window.isEmpty()) return false;
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        return closedDay(local.toLocalDate()) || window.get().contains(local.toLocalTime());
    }

    /** {@code instant} itself when it is allowed, otherwise the first allowed instant after it. */
    public Instant nextAllowed(Instant instant) {
        Instant t = instant;
        // Each pass leaves a closed day or a night window; a year of closed days cannot happen, the bound is a guard.
        for (int pass = 0; pass < 800 && isQuiet(t); pass++) {
            ZonedDateTime local = t.atZone(zone);
            LocalDate day = local.toLocalDate();
            if (closedDay(day)) {
                t = day.plusDays(1).atStartOfDay(zone).toInstant();
            } else {
                LocalTime until = window.orElseThrow().until();
                LocalDate end = local.toLocalTime().isBefore(until) ? day : day.plusDays(1);
                // A local time inside a spring-forward gap resolves later, never earlier.
                t = end.atTime(until).atZone(zone).toInstant();
            }
        }
        return t;
    }

    /**
     * {@code instant} itself when it is allowed, otherwise the last allowed minute before it: one minute before the
     * quiet time that holds {@code instant} began (19:59 for a 20:00 window, Saturday 19:59 for a Sunday). For a text
     * that cannot wait for the end of quiet time (the appointment would have begun) and must go early instead.
     */
    public Instant lastAllowedBefore(Instant instant) {
        Instant t = instant;
        // Each pass goes back before a closed day or a night window; the bound is a guard, as in nextAllowed.
        for (int pass = 0; pass < 800 && isQuiet(t); pass++) {
            ZonedDateTime local = t.atZone(zone);
            LocalDate day = local.toLocalDate();
            if (closedDay(day)) {
                t = day.atStartOfDay(zone).toInstant().minus(ONE_MINUTE);
            } else {
                Window w = window.orElseThrow();
                // A window over midnight that holds an early-morning time began the evening before.
                boolean begunYesterday = w.from().isAfter(w.until()) && local.toLocalTime().isBefore(w.until());
                LocalDate began = begunYesterday ? day.minusDays(1) : day;
                t = began.atTime(w.from()).atZone(zone).toInstant().minus(ONE_MINUTE);
            }
        }
        return t;
    }

    private static boolean closedDay(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SUNDAY || FrenchPublicHolidays.isHoliday(day);
    }

    @Override
    public String toString() {
        return window.map(w -> w.from() + "-" + w.until() + " " + zone + ", Sundays and public holidays").orElse("none");
    }
}
