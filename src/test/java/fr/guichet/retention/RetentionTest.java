package fr.guichet.retention;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.GuichetApplication;
import fr.guichet.TestClock;
import fr.guichet.booking.Applicant;
import fr.guichet.booking.BookingChannel;
import fr.guichet.booking.BookingCommand;
import fr.guichet.booking.BookingOutcome;
import fr.guichet.booking.BookingPort;
import fr.guichet.booking.NewRequest;
import fr.guichet.booking.Requests;
import fr.guichet.phone.PhoneNumber;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The erasure against the real embedded PostgreSQL, with appointments booked through the real booking port (so their
 * reminders, convocation and idempotency rows are the real ones) and a clock moved past the retention period. The
 * scheduled task is off here: the test runs the erasure itself, at the times it chooses.
 */
@SpringBootTest(classes = {GuichetApplication.class, RetentionTest.Time.class},
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "app.data-dir=${java.io.tmpdir}/guichet-tests/${random.uuid}",
                "app.retention.enabled=false",
        })
class RetentionTest {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Monday 1 March 2027, 09:30 in Paris. */
    static final Instant START = LocalDateTime.of(2027, 3, 1, 9, 30).atZone(PARIS).toInstant();


    @TestConfiguration
    static class Time {
        @Bean @Primary TestClock testClock() { return new TestClock(START); }
    }

    @Autowired JdbcClient jdbc;
    @Autowired TestClock clock;
    @Autowired BookingPort bookings;
    @Autowired Requests requests;
    @Autowired Erasure erasure;

    @Test
    void sixMonthsAfterTheAppointmentThePersonsDataIsGoneExceptWhatAnOpenFileNeeds() {
        // Only this test's places: a queued request then stays waiting (no demo slot to be convoked to).
        jdbc.sql("DELETE FROM slots WHERE id NOT IN (SELECT slot_id FROM appointments)").update();
        Instant soon = START.plus(Duration.ofDays(2));
        String old = book(slot(soon), "+33611000001");
        String kept = book(slot(START.plus(Duration.ofDays(150))), "+33611000002");
        String inOpenFile = book(slot(soon.plus(Duration.ofHours(1))), "+33611000003");
        String inDecidedFile = book(slot(soon.plus(Duration.ofHours(2))), "+33611000004");
        jdbc.sql("UPDATE appointments SET status = 'ATTENDED' WHERE reference IN (:a, :b)").param("a", inOpenFile).param("b", inDecidedFile).update();
        jdbc.sql("INSERT INTO recepisse_files (first_appointment, created_at) VALUES (:r, :at)").param("r", inOpenFile).param("at", utc(soon)).update();
        jdbc.sql("INSERT INTO recepisse_files (first_appointment, created_at, decided_at, outcome) VALUES (:r, :at, :at, 'GRANTED')")
                .param("r", inDecidedFile).param("at", utc(soon)).update();
        // The convocation of the old appointment was sent (a pending text is never erased).
        jdbc.sql("UPDATE sms_outbox SET status = 'SENT' WHERE purpose_key = :p").param("p", "convocation:" + old).update();
        assertThat(count("reminders WHERE reference = '" + old + "'")).as("the booking planned its reminders").isPositive();

        long worker = jdbc.sql("""
                        INSERT INTO workers (name, organisation, language, daily_limit, pin_hash, created_at, updated_at)
                        VALUES ('Claire Martin', 'La Cimade', 'fr', 5, 'x', now(), now()) RETURNING id""").query(Long.class).single();
        for (String r : new String[] {old, kept}) {
            jdbc.sql("""
                    INSERT INTO worker_mandates (worker_id, reference, person_initials, person_has_phone, channel, agreed_at)
                    VALUES (:w, :r, 'A. D.', true, 'SMS', :at)""").param("w", worker).param("r", r).param("at", utc(START)).update();
        }
        String waiting = request("+33611000005", "waiting");
        String withdrawn = request("+33611000006", "withdrawn");
        jdbc.sql("UPDATE requests SET status = 'WITHDRAWN' WHERE reference = :r").param("r", withdrawn).update();
        jdbc.sql("UPDATE sms_outbox SET status = 'SENT' WHERE purpose_key LIKE 'ack:%'").update();

        // Six months and a day after the first appointments (local calendar), and conversations idle 31 and 10 days.
        clock.set(ZonedDateTime.ofInstant(soon, PARIS).plusMonths(6).plusDays(1).toInstant());
        conversation("+33611000007", clock.instant().minus(Duration.ofDays(31)));
        conversation("+33611000008", clock.instant().minus(Duration.ofDays(10)));

        Erasure.Erased erased = erasure.run();

        assertThat(erased.appointments()).isEqualTo(2);
        assertThat(appointment(old)).isZero();
        assertThat(appointment(inDecidedFile)).isZero();
        assertThat(count("reminders WHERE reference = '" + old + "'")).isZero();
        assertThat(count("reminder_appointments WHERE reference = '" + old + "'")).isZero();
        assertThat(count("sms_outbox WHERE purpose_key = 'convocation:" + old + "'")).isZero();
        assertThat(count("sms_outbox WHERE to_number = '+33611000001'")).isZero();
        assertThat(count("idempotency_records WHERE reference = '" + old + "'")).isZero();
        // The reference stays taken: it is never given to someone else.
        assertThat(count("booking_references WHERE reference = '" + old + "'")).isEqualTo(1);

        assertThat(count("worker_mandates WHERE reference = '" + old + "'")).isZero();
        assertThat(count("worker_mandates WHERE reference = '" + kept + "'")).isEqualTo(1);
        assertThat(appointment(kept)).as("its day is not past the period").isEqualTo(1);
        assertThat(count("reminders WHERE reference = '" + kept + "'")).isPositive();
        assertThat(appointment(inOpenFile)).as("a récépissé file without decision is open").isEqualTo(1);

        assertThat(erased.requests()).isEqualTo(1);
        assertThat(count("requests WHERE reference = '" + withdrawn + "'")).isZero();
        assertThat(count("sms_outbox WHERE purpose_key = 'ack:" + withdrawn + "'")).isZero();
        assertThat(count("requests WHERE reference = '" + waiting + "'")).as("a waiting request is an open file").isEqualTo(1);
        assertThat(count("sms_outbox WHERE purpose_key = 'ack:" + waiting + "'")).as("its acknowledgement of receipt with it").isEqualTo(1);

        assertThat(erased.conversations()).isEqualTo(1);
        assertThat(count("conversation WHERE phone = '+33611000007'")).isZero();
        assertThat(count("conversation WHERE phone = '+33611000008'")).isEqualTo(1);

        // A second run finds nothing more.
        assertThat(erasure.run().total()).isZero();
    }

    private long slot(Instant start) {
        return jdbc.sql("""
                        INSERT INTO slots (site, start_at, duration_minutes, capacity, procedures)
                        VALUES ('GRENOBLE', :start, 30, 1, ARRAY['AES_VIE_PRIVEE']) RETURNING id""")
                .param("start", utc(start)).query(Long.class).single();
    }

    private String book(long slot, String phone) {
        BookingOutcome outcome = bookings.book(new BookingCommand("retention-test:" + phone, slot, "AES_VIE_PRIVEE",
                new Applicant("Amina Diallo", LocalDate.of(1990, 3, 12), new PhoneNumber(phone), "fr"), BookingChannel.SMS, null, false));
        assertThat(outcome).isInstanceOf(BookingOutcome.Booked.class);
        return ((BookingOutcome.Booked) outcome).appointment().reference().value();
    }

    private String request(String phone, String key) {
        return requests.submit(new NewRequest("retention-test:" + key, "AES_VIE_PRIVEE", null,
                new Applicant("Karim Sow", LocalDate.of(1985, 1, 2), new PhoneNumber(phone), "fr"), null, BookingChannel.SMS, null))
                .reference().value();
    }

    private void conversation(String phone, Instant lastActivity) {
        jdbc.sql("""
                        INSERT INTO conversation (phone, language, mode, flow, node, variables, retries, history, updated_at, version)
                        VALUES (:phone, 'fr', 'FLOW', 'booking', 'name', '{"name": "Awa Traoré"}'::jsonb, 0, '[]'::jsonb, :at, 1)""")
                .param("phone", phone).param("at", utc(lastActivity)).update();
    }

    private int appointment(String reference) {
        return count("appointments WHERE reference = '" + reference + "'");
    }

    private int count(String fromWhere) {
        return jdbc.sql("SELECT count(*) FROM " + fromWhere).query(Integer.class).single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
