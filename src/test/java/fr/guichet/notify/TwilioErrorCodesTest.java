package fr.guichet.notify;

import static org.assertj.core.api.Assertions.assertThat;

import fr.guichet.notify.TwilioSender.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What each Twilio answer means for a text and its number (twilio.md §5.3). */
class TwilioErrorCodesTest {
    @Test
    void transientFailuresAreRetried() {
        assertThat(TwilioSender.classify(20429, 429)).isEqualTo(Outcome.RETRY);
        assertThat(TwilioSender.classify(30003, 400)).isEqualTo(Outcome.RETRY);
        assertThat(TwilioSender.classify(30008, 400)).isEqualTo(Outcome.RETRY);
        assertThat(TwilioSender.classify(20500, 500)).isEqualTo(Outcome.RETRY);
        assertThat(TwilioSender.classify(null, 503)).isEqualTo(Outcome.RETRY);
        assertThat(TwilioSender.classify(null, null)).isEqualTo(Outcome.RETRY);
    }

    @Test
    void permanentFailuresAreNot() {
        assertThat(TwilioSender.classify(21211, 400)).isEqualTo(Outcome.NOT_SMS_CAPABLE);
        assertThat(TwilioSender.classify(21614, 400)).isEqualTo(Outcome.NOT_SMS_CAPABLE);
        assertThat(TwilioSender.classify(30005, 400)).isEqualTo(Outcome.NOT_SMS_CAPABLE);
        assertThat(TwilioSender.classify(30006, 400)).isEqualTo(Outcome.NOT_SMS_CAPABLE);
        assertThat(TwilioSender.classify(21610, 400)).isEqualTo(Outcome.OPTED_OUT);
        assertThat(TwilioSender.classify(21408, 400)).isEqualTo(Outcome.FAILED);
        assertThat(TwilioSender.classify(20003, 401)).isEqualTo(Outcome.FAILED);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        OutboxRetryPolicy policy = new OutboxRetryPolicy(6, Duration.ofSeconds(5), Duration.ofMinutes(1));
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.backoff(60)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void deliveryStatesAreOrdered() {
        assertThat(DeliveryReports.rank("queued")).isLessThan(DeliveryReports.rank("sending"));
        assertThat(DeliveryReports.rank("sending")).isLessThan(DeliveryReports.rank("sent"));
        assertThat(DeliveryReports.rank("sent")).isLessThan(DeliveryReports.rank("delivered"));
        assertThat(DeliveryReports.rank("sent")).isLessThan(DeliveryReports.rank("undelivered"));
        assertThat(DeliveryReports.rank("whatever")).isZero();
    }
}
