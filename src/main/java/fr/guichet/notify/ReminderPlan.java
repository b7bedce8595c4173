package fr.guichet.notify;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * When each reminder of an appointment goes: pure (no clock, no database), so the rules can be tested on their own.
 *
 * <ol>
 *   <li>The nominal time is the offset before the start, computed in {@code app.time-zone} ({@link ReminderOffset}).</li>
 *   <li>An offset already past when the appointment is booked is skipped: the confirmation has just been sent.</li>
 *   <li>A nominal time in quiet hours waits for their end — unless that end is too close to the appointment
 *       (later than {@code minLead} before its start), then the reminder goes at the last allowed minute before the
 *       quiet time began (a Monday 09:00 appointment is not reminded at 09:00 on Monday, but on Saturday at 19:59).</li>
 *   <li>Two reminders that quiet hours pushed within an hour of each other are one: the later offset is dropped.</li>
 * </ol>
 */
final class ReminderPlan {
    /** Reminders closer than this to one another would read as a duplicate. */
    static final Duration MIN_GAP = Duration.ofHours(1);

    enum Skip { PAST, QUIET_HOURS, MERGED }

    /** One offset's outcome: {@code due} when it is sent, or why it is not ({@code skip}, with {@code due} null). */
    record Planned(ReminderOffset offset, Instant nominal, Instant due, Skip skip) {}

    private ReminderPlan() {}

    static List<Planned> plan(Instant start, Instant now, List<ReminderOffset> offsets, QuietHours quiet, Duration minLead,
            ZoneId zone) {
        List<Planned> out = new ArrayList<>();
        List<ReminderOffset> earliestFirst = offsets.stream()
                .sorted(Comparator.comparing((ReminderOffset o) -> o.before(start, zone))).toList();
        Instant latestUseful = start.minus(minLead);
        Instant lastKept = null;
        for (ReminderOffset offset : earliestFirst) {
            Instant nominal = offset.before(start, zone);
            if (!nominal.isAfter(now) || !nominal.isBefore(start)) {
                out.add(new Planned(offset, nominal, null, Skip.PAST));
                continue;
            }
            Instant due = quiet.nextAllowed(nominal);
            if (!due.equals(nominal) && due.isAfter(latestUseful)) due = quiet.lastAllowedBefore(nominal);
            if (!due.isAfter(now)) {
                out.add(new Planned(offset, nominal, null, Skip.QUIET_HOURS));
                continue;
            }
            if (lastKept != null && Duration.between(lastKept, due).abs().compareTo(MIN_GAP) < 0) {
                out.add(new Planned(offset, nominal, null, Skip.MERGED));
                continue;
            }
            out.add(new Planned(offset, nominal, due, null));
            lastKept = due;
        }
        return out;
    }
}
