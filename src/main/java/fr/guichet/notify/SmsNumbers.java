package fr.guichet.notify;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the service knows about a number as an SMS destination: opted out (the person texted STOP, or Twilio answered
 * 21610) or unable to receive texts (21211, 21614, 30005, 30006). The outbox never texts either kind.
 */
@Component
public class SmsNumbers implements TextReach {
    /** A number staff should know about. */
    public record Flagged(PhoneNumber phone, boolean optedOut, Instant optedOutAt, boolean smsCapable, Integer lastErrorCode,
                          Instant updatedAt) {}

    private final JdbcClient jdbc;
    private final Clock clock;

    SmsNumbers(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void optOut(PhoneNumber phone) {
        jdbc.sql("""
                INSERT INTO sms_number (phone, opted_out, opted_out_at, updated_at) VALUES (:phone, TRUE, :now, :now)
                ON CONFLICT (phone) DO UPDATE SET opted_out = TRUE, opted_out_at = :now, updated_at = :now
                """).param("phone", phone.e164()).param("now", now()).update();
    }

    public void optIn(PhoneNumber phone) {
        jdbc.sql("""
                INSERT INTO sms_number (phone, opted_out, updated_at) VALUES (:phone, FALSE, :now)
                ON CONFLICT (phone) DO UPDATE SET opted_out = FALSE, opted_out_at = NULL, updated_at = :now
                """).param("phone", phone.e164()).param("now", now()).update();
    }

    public boolean isOptedOut(PhoneNumber phone) {
        return jdbc.sql("SELECT opted_out FROM sms_number WHERE phone = :phone")
                .param("phone", phone.e164()).query(Boolean.class).optional().orElse(false);
    }

    public boolean canReceiveTexts(PhoneNumber phone) {
        return jdbc.sql("SELECT sms_capable FROM sms_number WHERE phone = :phone")
                .param("phone", phone.e164()).query(Boolean.class).optional().orElse(true);
    }

    @Override
    public boolean textsReach(PhoneNumber phone) {
        return phone.canReceiveTexts() && textsDoNotReach(List.of(phone.e164())).isEmpty();
    }

    /** Of these numbers (E.164), those texts do not reach (opted out, or unable to receive them): one query for a batch. */
    java.util.Set<String> textsDoNotReach(java.util.Collection<String> e164s) {
        if (e164s.isEmpty()) return java.util.Set.of();
        return java.util.Set.copyOf(jdbc.sql("SELECT phone FROM sms_number WHERE phone IN (:phones) AND (opted_out OR NOT sms_capable)")
                .param("phones", java.util.List.copyOf(e164s)).query(String.class).list());
    }

    void markNotSmsCapable(String e164, int errorCode) {
        jdbc.sql("""
                INSERT INTO sms_number (phone, sms_capable, last_error_code, updated_at) VALUES (:phone, FALSE, :code, :now)
                ON CONFLICT (phone) DO UPDATE SET sms_capable = FALSE, last_error_code = :code, updated_at = :now
                """).param("phone", e164).param("code", errorCode).param("now", now()).update();
    }

    void markOptedOutByTwilio(String e164) {
        jdbc.sql("""
                INSERT INTO sms_number (phone, opted_out, opted_out_at, last_error_code, updated_at)
                VALUES (:phone, TRUE, :now, 21610, :now)
                ON CONFLICT (phone) DO UPDATE SET opted_out = TRUE, opted_out_at = :now, last_error_code = 21610, updated_at = :now
                """).param("phone", e164).param("now", now()).update();
    }

    /** Numbers opted out or unable to receive texts, most recent first. */
    public List<Flagged> flagged(int limit) {
        return jdbc.sql("""
                SELECT phone, opted_out, opted_out_at, sms_capable, last_error_code, updated_at FROM sms_number
                WHERE opted_out OR NOT sms_capable ORDER BY updated_at DESC LIMIT :limit
                """).param("limit", limit)
                .query((rs, i) -> new Flagged(new PhoneNumber(rs.getString(1)), rs.getBoolean(2),
                        instant(rs.getObject(3, OffsetDateTime.class)), rs.getBoolean(4),
                        (Integer) rs.getObject(5), instant(rs.getObject(6, OffsetDateTime.class))))
                .list();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
