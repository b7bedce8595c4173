package fr.guichet.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long before an appointment a reminder goes, as configured ({@code APP_REMINDER_OFFSETS}, ISO-8601 durations).
 *
 * <p>The day part and the time part mean different things across a daylight-saving change, on purpose: {@code P2D} is
 * "two days before, at the same time on the clock" (an appointment at 10:00 on Monday gets its reminder at 10:00 on
 * Saturday, whatever the change in between), while {@code PT16H} is sixteen real hours. {@link Duration#parse} would
 * read {@code P2D} as 48 hours and send the reminder an hour early or late on the weekend of a change.
 *
 * @param iso  the text as configured (also the suffix of the purpose key {@code reminder:<reference>:<iso>})
 * @param days calendar days (weeks count as 7), applied to the local date in {@code app.time-zone}
 * @param time hours, minutes and seconds, applied as elapsed time
 */
record ReminderOffset(String iso, Period days, Duration time) {
    private static final Pattern FORM = Pattern.compile(
            "P(?:(\\d{1,3})W)?(?:(\\d{1,3})D)?(?:T(?:(\\d{1,4})H)?(?:(\\d{1,5})M)?(?:(\\d{1,6})S)?)?");

    ReminderOffset {
        Objects.requireNonNull(iso, "iso");
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(time, "time");
    }

    /**
     * Parses {@code P2D}, {@code PT16H}, {@code P1DT12H}, {@code P1W}…
     *
     * @throws IllegalArgumentException for months or years (their length varies), zero, negative or malformed values,
     *                                  so a wrong setting stops the start rather than sending at the wrong time
     */
    static ReminderOffset parse(String text) {
        String iso = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
        Matcher m = FORM.matcher(iso);
        if (iso.equals("P") || iso.endsWith("T") || !m.matches()) {
            throw new IllegalArgumentException("APP_REMINDER_OFFSETS: '" + text + "' is not an ISO-8601 duration such as P2D or PT16H"
                    + " (weeks, days, hours, minutes, seconds)");
        }
        int days = number(m.group(1)) * 7 + number(m.group(2));
        Duration time = Duration.ofHours(number(m.group(3))).plusMinutes(number(m.group(4))).plusSeconds(number(m.group(5)));
        if (days == 0 && time.isZero()) throw new IllegalArgumentException("APP_REMINDER_OFFSETS: '" + text + "' is zero");
        return new ReminderOffset(iso, Period.ofDays(days), time);
    }

    /** A comma-separated list; blank means no reminders. Duplicates are refused (one purpose key per offset). */
    static List<ReminderOffset> parseList(String setting) {
        List<ReminderOffset> out = new ArrayList<>();
        if (setting == null || setting.isBlank()) return out;
        for (String part : setting.split(",")) {
            if (part.isBlank()) continue;
            ReminderOffset offset = parse(part);
            if (out.stream().anyMatch(o -> o.iso().equals(offset.iso()))) {
                throw new IllegalArgumentException("APP_REMINDER_OFFSETS: '" + offset.iso() + "' is given twice");
            }
            out.add(offset);
        }
        return List.copyOf(out);
    }

    private static int number(String group) {
        return group == null ? 0 : Integer.parseInt(group);
    }

    /** The nominal time of the reminder for an appointment starting at {@code start}. */
    Instant before(Instant start, ZoneId zone) {
        return start.atZone(zone).minus(days).toInstant().minus(time);
    }
}
