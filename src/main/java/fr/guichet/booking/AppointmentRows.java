package fr.guichet.booking;

import fr.guichet.phone.PhoneNumber;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads appointments: every query selects {@link #COLUMNS} from {@code appointments a JOIN slots s}. {@link #map} is
 * public for the outside backends' own tables, which use the same column names.
 */
public final class AppointmentRows {
    static final String COLUMNS = """
            a.id, a.reference, a.status, a.slot_id, s.site, s.start_at, s.duration_minutes, a.procedure,
            a.applicant_name, a.birth_date, a.phone, a.language, a.channel, a.booked_by, a.created_at""";
    static final String FROM = " FROM appointments a JOIN slots s ON s.id = a.slot_id ";

    private AppointmentRows() {}

    /** pgjdbc binds {@code OffsetDateTime} to {@code timestamptz}, not {@code Instant}. */
    static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(java.time.ZoneOffset.UTC);
    }

    public static Appointment map(ResultSet rs, int rowNum) throws SQLException {
        String phone = rs.getString("phone");
        return new Appointment(
                new Reference(rs.getString("reference")),
                AppointmentStatus.valueOf(rs.getString("status")),
                rs.getLong("slot_id"),
                rs.getString("site"),
                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                Duration.ofMinutes(rs.getInt("duration_minutes")),
                rs.getString("procedure"),
                new Applicant(rs.getString("applicant_name"), rs.getObject("birth_date", LocalDate.class),
                        phone == null ? null : new PhoneNumber(phone), rs.getString("language")),
                BookingChannel.valueOf(rs.getString("channel")),
                rs.getString("booked_by"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
