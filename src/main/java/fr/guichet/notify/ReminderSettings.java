package fr.guichet.notify;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;

/**
 * The reminders' configuration (docs/reminders.md), read once at start-up by {@link ReminderConfiguration}.
 *
 * @param offsets          {@code APP_REMINDER_OFFSETS}: when reminders go before the appointment; empty: none
 * @param minLead          a reminder moved out of quiet hours must still arrive at least this long before the start
 * @param sentByGuichet    false when {@code app.booking.texts-sent-by=backend}: the outside booking backend texts the
 *                         people itself, so Guichet sends no reminders (nor calls)
 * @param replyWindow      how long after a reminder was sent a reply to it is still understood as one
 * @param smsRatePerSecond the outbox's rate ({@code app.sms.rate-per-second}): reminders are handed over at that pace
 *                         so that a burst never queues other texts (replies, convocations) behind it for long
 */
record ReminderSettings(
        List<ReminderOffset> offsets,
        Duration minLead,
        boolean sentByGuichet,
        ZoneId zone,
        Duration dispatchInterval,
        int batchSize,
        Period replyWindow,
        double smsRatePerSecond,
        String publicBaseUrl,
        Calls calls) {

    /**
     * @param attempts     calls in all (the first included) when nobody answers, the line is busy or the call fails
     * @param retryAfter   wait before the next attempt (then moved out of quiet hours)
     * @param ringFor      how long a call rings before it counts as not answered
     * @param perSecond    calls placed per second at most (Twilio's default limit is one per second)
     * @param claimTimeout lease on a call being placed: after it, a call Twilio never confirmed counts as failed
     */
    record Calls(int attempts, Duration retryAfter, Duration ringFor, double perSecond, Duration claimTimeout) {}

    ReminderSettings {
        offsets = List.copyOf(offsets);
        publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
    }

    boolean enabled() {
        return sentByGuichet && !offsets.isEmpty();
    }
}
