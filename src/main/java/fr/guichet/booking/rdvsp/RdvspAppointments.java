package fr.guichet.booking.rdvsp;

import fr.guichet.booking.Applicant;
import fr.guichet.booking.Appointment;
import fr.guichet.booking.AppointmentRows;
import fr.guichet.booking.AppointmentStatus;
import fr.guichet.booking.Reference;
import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The local record of the appointments booked at the backend ({@code rdvsp_appointments}). */
final class RdvspAppointments {
    private static final String COLUMNS = """
            reference, status, slot_id, site, start_at, duration_minutes, procedure, applicant_name, birth_date, phone,
            language, channel, booked_by, created_at, rdv_id, user_id""";

    /** An appointment and the backend's ids for it. */
    record Held(Appointment appointment, long rdvId, long userId) {}

    private final JdbcClient jdbc;

    RdvspAppointments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Inserts a booked appointment; false when the person already holds an active one for the procedure. */
    boolean insert(Appointment a, long rdvId, long userId, boolean override) {
        Applicant p = a.applicant();
        return jdbc.sql("""
                        INSERT INTO rdvsp_appointments (reference, rdv_id, user_id, status, slot_id, site, procedure, start_at,
                            duration_minutes, applicant_name, birth_date, phone, language, channel, booked_by, override_duplicate,
                            created_at, updated_at)
                        VALUES (?, ?, ?, 'BOOKED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (phone, birth_date, procedure)
                          WHERE status = 'BOOKED' AND NOT override_duplicate AND phone IS NOT NULL
                        DO NOTHING""")
                .params(a.reference().value(), rdvId, userId, a.slotId(), a.site(), a.procedure(), utc(a.start()),
                        (int) a.duration().toMinutes(), p.name(), p.birthDate(), p.phone() == null ? null : p.phone().e164(),
                        p.language(), a.channel().name(), a.bookedBy(), override, utc(a.createdAt()), utc(a.createdAt()))
                .update() == 1;
    }

    /** The person's active appointment for the procedure (phone + birth date, or name + birth date without a phone). */
    Optional<Reference> active(Applicant p, String procedure) {
        if (p.phone() != null) {
            return jdbc.sql("""
                            SELECT reference FROM rdvsp_appointments
                            WHERE phone = ? AND birth_date = ? AND procedure = ? AND status = 'BOOKED' AND NOT override_duplicate""")
                    .params(p.phone().e164(), p.birthDate(), procedure)
                    .query((rs, n) -> new Reference(rs.getString(1))).optional();
        }
        return jdbc.sql("""
                        SELECT reference FROM rdvsp_appointments
                        WHERE phone IS NULL AND birth_date = ? AND procedure = ? AND status = 'BOOKED' AND NOT override_duplicate
                          AND lower(regexp_replace(btrim(applicant_name), '\\s+', ' ', 'g')) = ?
                        LIMIT 1""")
                .params(p.birthDate(), procedure, identity(p))
                .query((rs, n) -> new Reference(rs.getString(1))).optional();
    }

    static String identity(Applicant p) {
        return p.name().strip().replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Serialises bookings for one person and procedure (transaction-scoped), so the check for an active appointment
     * and the booking at the backend cannot interleave with another booking for the same person.
     */
    void lockPerson(Applicant p, String procedure) {
        String who = p.phone() != null ? p.phone().e164() : "no-phone:" + identity(p);
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(?, 60))")
                .param(who + ":" + p.birthDate() + ":" + procedure).query((rs, n) -> 1).single();
    }

    Optional<Held> byReference(Reference reference) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM rdvsp_appointments WHERE reference = ?")
                .param(reference.value()).query(RdvspAppointments::held).optional();
    }

    /** Locks the row for a change. */
    Optional<Held> byReferenceForUpdate(Reference reference) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM rdvsp_appointments WHERE reference = ? FOR UPDATE")
                .param(reference.value()).query(RdvspAppointments::held).optional();
    }

    /** The active appointment for a backend rdv, locked for a change. */
    Optional<Held> activeByRdvForUpdate(long rdvId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM rdvsp_appointments WHERE rdv_id = ? AND status = 'BOOKED' FOR UPDATE")
                .param(rdvId).query(RdvspAppointments::held).optional();
    }

    /** The latest appointment for a backend rdv, whatever its status. */
    Optional<Held> latestByRdv(long rdvId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM rdvsp_appointments WHERE rdv_id = ? ORDER BY created_at DESC, reference LIMIT 1")
                .param(rdvId).query(RdvspAppointments::held).optional();
    }

    List<Appointment> upcoming(PhoneNumber phone, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM rdvsp_appointments WHERE phone = ? AND status = 'BOOKED'
                           AND start_at + make_interval(mins => duration_minutes) > ?
                         ORDER BY start_at, reference""")
                .params(phone.e164(), utc(now)).query(RdvspAppointments::held).list()
                .stream().map(Held::appointment).toList();
    }

    List<Appointment> upcomingBookedBy(String bookedBy, Instant now) {
        return jdbc.sql("SELECT " + COLUMNS + " " + """
                         FROM rdvsp_appointments WHERE booked_by = ? AND status = 'BOOKED' AND start_at > ?
                         ORDER BY start_at, reference""")
                .params(bookedBy, utc(now)).query(RdvspAppointments::held).list()
                .stream().map(Held::appointment).toList();
    }

    List<Appointment> startingBetween(String site, Instant from, Instant to) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM rdvsp_appointments WHERE site = ? AND start_at >= ? AND start_at < ? ORDER BY start_at, reference")
                .params(site, utc(from), utc(to)).query(RdvspAppointments::held).list()
                .stream().map(Held::appointment).toList();
    }

    void setStatus(Reference reference, AppointmentStatus status, Instant now) {
        jdbc.sql("UPDATE rdvsp_appointments SET status = ?, updated_at = ? WHERE reference = ?")
                .params(status.name(), utc(now), reference.value()).update();
    }

    void markMoved(Reference reference, Reference to, Instant now) {
        jdbc.sql("UPDATE rdvsp_appointments SET status = 'MOVED', moved_to = ?, updated_at = ? WHERE reference = ?")
                .params(to.value(), utc(now), reference.value()).update();
    }

    boolean overrides(Reference reference) {
        return jdbc.sql("SELECT override_duplicate FROM rdvsp_appointments WHERE reference = ?")
                .param(reference.value()).query(Boolean.class).optional().orElse(false);
    }

    private static Held held(ResultSet rs, int n) throws SQLException {
        return new Held(AppointmentRows.map(rs, n), rs.getLong("rdv_id"), rs.getLong("user_id"));
    }
}
