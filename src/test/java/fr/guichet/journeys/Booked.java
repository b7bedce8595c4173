package fr.guichet.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An appointment as the database holds it after a journey, and how its date must read in the person's language. */
record Booked(String reference, String status, String procedure, String channel, String language, String site, Instant start) {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static Booked find(JdbcClient jdbc, String reference) {
        return jdbc.sql("""
                        SELECT a.reference, a.status, a.procedure, a.channel, a.language, s.site, s.start_at
                        FROM appointments a JOIN slots s ON s.id = a.slot_id WHERE a.reference = :r""")
                .param("r", reference.replace(" ", ""))
                .query((rs, n) -> new Booked(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getTimestamp(7).toInstant()))
                .single();
    }

    /** The weekday, day, month and time the person must read or hear, whatever the date pattern of the locale. */
    static void assertSaysWhen(String text, Instant start, Locale locale) {
        ZonedDateTime at = start.atZone(PARIS);
        assertThat(text).contains(at.getDayOfWeek().getDisplayName(TextStyle.FULL, locale),
                at.getMonth().getDisplayName(TextStyle.FULL, locale), String.valueOf(at.getDayOfMonth()),
                at.format(DateTimeFormatter.ofPattern("H:mm")));
    }
}
