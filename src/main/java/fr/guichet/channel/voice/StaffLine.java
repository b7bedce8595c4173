package fr.guichet.channel.voice;

import fr.guichet.booking.Catalogue;
import fr.guichet.booking.FrenchPublicHolidays;
import fr.guichet.booking.Site;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
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
 * number), while the site is open. Outside its hours, on a public holiday, or with no number, the call becomes a
 * call-back request.
 *
 * <p>The hours are the site's own opening hours from the catalogue ({@link Catalogue#openingHours}: weekly periods,
 * French public holidays, the site's extra closed days). {@code app.voice.staff.hours} (e.g.
 * {@code MON-FRI 09:00-12:00 13:30-16:00}) overrides them only when it is set; French public holidays close the
 * override too. With neither (no catalogue, an unknown site), the line counts as closed: a call-back is never lost,
 * a transfer to nobody would be.
 */
final class StaffLine {
    /** A weekly window: days and times, in the zone. */
    record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {}

    /** Where to transfer now, or why not. */
    record Decision(Optional<String> number, String siteCode, boolean open) {}

    private final Clock clock;
    private final ZoneId zone;
    private final List<Window> override;
    private final String configuredPhone;
    private final String siteCode;
    private final Catalogue catalogue;

    /** {@code hoursOverride} empty or blank: the site's opening hours from {@code catalogue}. */
    StaffLine(Clock clock, ZoneId zone, String hoursOverride, String configuredPhone, String siteCode, Catalogue catalogue) {
        this.clock = clock;
        this.zone = zone;
        this.override = parse(hoursOverride);
        this.configuredPhone = configuredPhone == null ? "" : configuredPhone.strip();
        this.siteCode = siteCode == null ? "" : siteCode.strip();
        this.catalogue = catalogue;
    }

    Decision now() {
        Optional<Site> site = site();
        String code = site.map(Site::code).orElse(siteCode.isEmpty() ? null : siteCode);
        Optional<String> number = !configuredPhone.isEmpty() ? Optional.of(configuredPhone)
                : site.map(Site::staffPhone).filter(p -> p != null && !p.isBlank());
        return new Decision(number, code, isOpen(code, clock.instant()));
    }

    /** Whether staff answer at {@code site} at this instant: the override when set, else the site's opening hours. */
    boolean isOpen(String site, Instant at) {
        if (!override.isEmpty()) {
            ZonedDateTime local = at.atZone(zone);
            if (FrenchPublicHolidays.isHoliday(local.toLocalDate())) return false;
            LocalTime time = local.toLocalTime();
            return override.stream().anyMatch(w -> w.days().contains(local.getDayOfWeek()) && !time.isBefore(w.from()) && time.isBefore(w.to()));
        }
        if (catalogue == null || site == null) return false;
        try {
            return catalogue.isOpen(site, at);
        } catch (RuntimeException e) {
            // The catalogue being unavailable must not stop the call: the caller gets a call-back request instead.
            return false;
        }
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
