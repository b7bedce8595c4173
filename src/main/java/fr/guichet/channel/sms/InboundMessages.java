package fr.guichet.channel.sms;

import fr.guichet.phone.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The inbound messages seen, by MessageSid, with the answer given. The first delivery of a sid claims it (a primary
 * key insert, so two racing deliveries cannot both win); a redelivery waits briefly for that answer and repeats it.
 */
@Component
class InboundMessages {
    private final JdbcClient jdbc;
    private final Clock clock;

    InboundMessages(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    boolean claim(String messageSid, PhoneNumber from) {
        return jdbc.sql("""
                INSERT INTO sms_inbound (message_sid, from_number, received_at) VALUES (:sid, :from, :now)
                ON CONFLICT (message_sid) DO NOTHING
                """).param("sid", messageSid).param("from", from.e164()).param("now", now()).update() == 1;
    }

    void answer(String messageSid, String xml) {
        jdbc.sql("UPDATE sms_inbound SET answer_xml = :xml, answered_at = :now WHERE message_sid = :sid")
                .param("xml", xml).param("now", now()).param("sid", messageSid).update();
    }

    Optional<String> answerOf(String messageSid) {
        return jdbc.sql("SELECT answer_xml FROM sms_inbound WHERE message_sid = :sid AND answer_xml IS NOT NULL")
                .param("sid", messageSid).query(String.class).optional();
    }

    /** Waits for the first delivery's answer, polling the table (that delivery may run on another instance). */
    Optional<String> awaitAnswer(String messageSid, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<String> answer = answerOf(messageSid);
            if (answer.isPresent() || System.nanoTime() > deadline) return answer;
            Thread.sleep(25);
        }
    }

    /** Counts one message from this number in the current minute and returns the count so far (all instances). */
    int countInCurrentMinute(PhoneNumber from) {
        OffsetDateTime window = now().truncatedTo(ChronoUnit.MINUTES);
        return jdbc.sql("""
                INSERT INTO sms_inbound_rate (phone, window_start, hits) VALUES (:phone, :window, 1)
                ON CONFLICT (phone, window_start) DO UPDATE SET hits = sms_inbound_rate.hits + 1
                RETURNING hits
                """).param("phone", from.e164()).param("window", window).query(Integer.class).single();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
