package fr.guichet.channel.voice;

import fr.guichet.booking.Catalogue;
import fr.guichet.booking.Site;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a caller who asks for a person is put through: the staff number of the handover site (or a configured
 * number), during the hours staff answer the phone. Outside them, or with no number, the call becomes a call-back
 * request.
 *
 * <p>The hours are configured here ({@code app.voice.staff.hours}, e.g. {@code MON-FRI 09:00-12:00 13:30-16:00}) until
 * the booking package publishes the sites' opening hours; then {@link #isOpen} should read those.
 */
final class StaffLine {
    /** A weekly window: days and times, in the zone. */
    record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {}

    /** Where to transfer now, or why not. */
    record Decision(Optional<String> number, String siteCode, boolean open) {}

    private final Clock clock;
    private final ZoneId zone;
    private final List<Window> windows;
    private final String configuredPhone;
    private final String siteCode;
    private final Catalogue catalogue;

    StaffLine(Clock clock, ZoneId zone, String hours, String configuredPhone, String siteCode, Catalogue catalogue) {
        this.clock = clock;
        this.zone = zone;
        this.windows = parse(hours);
        this.configuredPhone = configuredPhone == null ? "" : configuredPhone.strip();
        this.siteCode = siteCode == null ? "" : siteCode.strip();
        this.catalogue = catalogue;
    }

    Decision now() {
        Optional<Site> site = site();
        String code = site.map(Site::code).orElse(siteCode.isEmpty() ? null : siteCode);
        Optional<String> number = !configuredPhone.isEmpty() ? Optional.of(configuredPhone)
                : site.map(Site::staffPhone).filter(p -> !p.isBlank());
        return new Decision(number, code, isOpen(ZonedDateTime.now(clock.withZone(zone))));
    }

    boolean isOpen(ZonedDateTime at) {
        ZonedDateTime local = at.withZoneSameInstant(zone);
        LocalTime time = local.toLocalTime();
        return windows.stream().anyMatch(w -> w.days().contains(local.getDayOfWeek()) && !time.isBefore(w.from()) && time.isBefore(w.to()));
    }

    private Optional<Site> site() {
        if (catalogue == null) return Optional.empty();
        try {
            if (!siteCode.isEmpty()) return catalogue.site(siteCode);
            return catalogue.sites().stream().findFirst();
        } catch (RuntimeException e) {
            // The catalogue being unavailable must not stop the call: the caller gets a call-back request instead.
            return Optional.empty();
        }
    }

    /** {@code MON-FRI 09:00-12:00 13:30-16:00; SAT 09:00-11:00}: day ranges, then one or more time ranges. */
    static List<Window> parse(String spec) {
        List<Window> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String part : spec.split(";")) {
            String[] tokens = part.strip().split("\\s+");
            if (tokens.length < 2) throw new IllegalArgumentException("app.voice.staff.hours: expected 'DAYS HH:MM-HH:MM …' in '" + part + "'");
            Set<DayOfWeek> days = days(tokens[0]);
            for (int i = 1; i < tokens.length; i++) {
                String[] range = tokens[i].split("-");
                if (range.length != 2) throw new IllegalArgumentException("app.voice.staff.hours: bad time range '" + tokens[i] + "'");
                out.add(new Window(days, LocalTime.parse(range[0]), LocalTime.parse(range[1])));
            }
        }
        return out;
    }

    private static Set<DayOfWeek> days(String token) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : token.split(",")) {
            String[] range = item.split("-");
            DayOfWeek from = day(range[0]);
            DayOfWeek to = range.length > 1 ? day(range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) break;
            }
        }
        return days;
    }

    private static DayOfWeek day(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) if (d.name().startsWith(n) && n.length() >= 3) return d;
        throw new IllegalArgumentException("app.voice.staff.hours: unknown day '" + name + "'");
    }
}
