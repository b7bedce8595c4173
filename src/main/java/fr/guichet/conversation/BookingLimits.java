package fr.guichet.conversation;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Limits per phone number on booking by SMS and phone, against the bulk bookings that feed resale: so many booking
 * attempts an hour ({@code app.limits.booking-attempts-per-hour}, default 3), and so many appointments to come held
 * by one number ({@code app.limits.active-appointments-per-number}, default 3: a family may share a phone). An attempt
 * is a confirmed request to book or to join the queue; one refused because the slot had just been taken does not
 * count. Social workers are not concerned: they have their own daily limit.
 */
final class BookingLimits {
    private static final Duration WINDOW = Duration.ofHours(1);

    enum Refusal { ATTEMPTS, ACTIVE }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final int attemptsPerHour;
    private final int activePerNumber;

    BookingLimits(JdbcClient jdbc, Clock clock, int attemptsPerHour, int activePerNumber) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.attemptsPerHour = attemptsPerHour;
        this.activePerNumber = activePerNumber;
    }

    /** Why this attempt is refused, if it is; an attempt already counted (a retried turn) is never refused for itself. */
    Optional<Refusal> refusal(PhoneNumber phone, String attemptKey, int activeAppointments) {
        if (activeAppointments >= activePerNumber) return Optional.of(Refusal.ACTIVE);
        int earlier = jdbc.sql("""
                        SELECT count(*) FROM booking_attempt
                        WHERE phone = :phone AND attempted_at > :since AND attempt_key <> :key""")
                .param("phone", phone.e164()).param("since", utc(clock.instant().minus(WINDOW))).param("key", attemptKey)
                .query(Integer.class).single();
        return earlier >= attemptsPerHour ? Optional.of(Refusal.ATTEMPTS) : Optional.empty();
    }

    void record(PhoneNumber phone, String attemptKey) {
        jdbc.sql("INSERT INTO booking_attempt (attempt_key, phone, attempted_at) VALUES (:key, :phone, :at) ON CONFLICT DO NOTHING")
                .param("key", attemptKey).param("phone", phone.e164()).param("at", utc(clock.instant())).update();
    }

    /** Attempts older than the window count for nothing; the retention task calls this. */
    int forgetBefore(Instant before) {
        return jdbc.sql("DELETE FROM booking_attempt WHERE attempted_at < :before").param("before", utc(before)).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
