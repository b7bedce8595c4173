package fr.guichet.booking;

import static fr.guichet.booking.AppointmentRows.utc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Comparator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What prefecture staff do: open slots, see a day's appointments, mark people attended or absent. */
@Component
public class StaffDesk {
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Clock clock;
    private final Catalogue catalogue;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<OutsideAppointments> outside;

    StaffDesk(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock, Catalogue catalogue, ApplicationEventPublisher events,
              ObjectProvider<OutsideAppointments> outside) {
        this.events = events;
        this.outside = outside;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.clock = clock;
        this.catalogue = catalogue;
    }

    /** One slot; empty when the same slot (site, start, procedures) already exists. */
    public Optional<Slot> openSlot(String site, Instant start, Duration duration, int capacity, List<String> procedures) {
        Optional<Slot> opened = jdbc.sql("""
                        INSERT INTO slots (site, start_at, duration_minutes, capacity, procedures)
                        VALUES (?, ?, ?, ?, ?::text[])
                        ON CONFLICT (site, start_at, procedures) DO NOTHING
                        RETURNING id, site, start_at, duration_minutes, capacity, booked, procedures""")
                .params(site, utc(start), (int) duration.toMinutes(), capacity, sorted(procedures))
                .query((rs, n) -> PostgresBookingPort.slot(rs))
                .optional();
        opened.ifPresent(slot -> events.publishEvent(new SlotsOpened(site, 1)));
        return opened;
    }

    public record TemplateResult(int created, int alreadyThere) {}

    /**
     * Slots back to back through every opening period of the site from {@code from} to {@code to} (inclusive),
     * skipping closed days and public holidays. Run twice, it adds nothing the second time.
     */
    public TemplateResult openSlotsFromOpeningHours(String site, LocalDate from, LocalDate to, Duration duration, int capacity,
                                            List<String> procedures) {
        OpeningHours hours = catalogue.openingHours(site).orElseThrow(() -> new IllegalArgumentException("Unknown site"));
        ZoneId zone = hours.zone();
        List<Instant> starts = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (OpeningHours.Period period : hours.periodsOn(day)) {
                for (LocalTime start = period.opens(); !start.plus(duration).isAfter(period.closes())
                        && !start.plus(duration).isBefore(start); start = start.plus(duration)) {
                    starts.add(day.atTime(start).atZone(zone).toInstant());
                }
            }
        }
        String[] accepted = sorted(procedures);
        int[][] results = jdbcTemplate.batchUpdate("""
                        INSERT INTO slots (site, start_at, duration_minutes, capacity, procedures)
                        VALUES (?, ?, ?, ?, ?::text[]) ON CONFLICT (site, start_at, procedures) DO NOTHING""",
                starts, 500, (ps, start) -> {
                    ps.setString(1, site);
                    ps.setObject(2, utc(start));
                    ps.setInt(3, (int) duration.toMinutes());
                    ps.setInt(4, capacity);
                    ps.setObject(5, accepted);
                });
        int created = 0;
        for (int[] batch : results) for (int count : batch) created += Math.max(count, 0);
        if (created > 0) events.publishEvent(new SlotsOpened(site, created));
        return new TemplateResult(created, starts.size() - created);
    }

    private static String[] sorted(List<String> procedures) {
        return procedures.stream().distinct().sorted().toArray(String[]::new);
    }

    /**
     * Every appointment at the site on that local day, whatever its status, in time order: the embedded ones and
     * those booked in an outside backend ({@link OutsideAppointments}).
     */
    public List<Appointment> appointmentsOn(String site, LocalDate day) {
        ZoneId zone = catalogue.site(site).map(Site::zone).orElseThrow(() -> new IllegalArgumentException("Unknown site"));
        Instant from = day.atStartOfDay(zone).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
        List<Appointment> local = jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + """
                         WHERE s.site = ? AND s.start_at >= ? AND s.start_at < ?
                         ORDER BY s.start_at, a.id""")
                .params(site, utc(from), utc(to))
                .query(AppointmentRows::map)
                .list();
        OutsideAppointments elsewhere = outside.getIfAvailable();
        if (elsewhere == null) return local;
        List<Appointment> all = new ArrayList<>(local);
        all.addAll(elsewhere.startingBetween(site, from, to));
        all.sort(Comparator.comparing(Appointment::start));
        return List.copyOf(all);
    }

    /** One appointment by its reference, whatever its status (staff only: no phone number asked). */
    public Optional<Appointment> appointment(Reference reference) {
        return jdbc.sql("SELECT " + AppointmentRows.COLUMNS + AppointmentRows.FROM + " WHERE a.reference = ?")
                .param(reference.value())
                .query(AppointmentRows::map)
                .optional();
    }

    public enum MarkOutcome { MARKED, NOT_FOUND, NOT_ACTIVE, NOT_YET_STARTED }

    /**
     * Marks an appointment attended or no-show. A mark can be corrected (attended ↔ no-show); a cancelled or moved
     * appointment cannot be marked, and nobody is absent from an appointment that has not started.
     */
    public MarkOutcome mark(Reference reference, AppointmentStatus mark) {
        if (mark != AppointmentStatus.ATTENDED && mark != AppointmentStatus.NO_SHOW) {
            throw new IllegalArgumentException("only attended or no-show");
        }
        Instant now = clock.instant();
        OutsideAppointments elsewhere = outside.getIfAvailable();
        if (elsewhere != null) {
            Optional<MarkOutcome> marked = elsewhere.mark(reference, mark, now);
            if (marked.isPresent()) return marked.get();
        }
        record Current(String status, Instant start) {}
        Optional<Current> current = jdbc.sql("""
                        SELECT a.status, s.start_at FROM appointments a JOIN slots s ON s.id = a.slot_id
                        WHERE a.reference = ?""")
                .param(reference.value())
                .query((rs, n) -> new Current(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
                .optional();
        if (current.isEmpty()) return MarkOutcome.NOT_FOUND;
        if (mark == AppointmentStatus.NO_SHOW && current.get().start().isAfter(now)) return MarkOutcome.NOT_YET_STARTED;
        int updated = jdbc.sql("""
                        UPDATE appointments SET status = ?, updated_at = ?
                        WHERE reference = ? AND status IN ('BOOKED', 'ATTENDED', 'NO_SHOW')""")
                .params(mark.name(), utc(now), reference.value())
                .update();
        return updated == 1 ? MarkOutcome.MARKED : MarkOutcome.NOT_ACTIVE;
    }
}
