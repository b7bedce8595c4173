package fr.guichet.notify;

import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ReminderConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ReminderConfiguration.class);

    @Bean
    ReminderSettings reminderSettings(
            @Value("${app.reminder-offsets:P2D,PT16H}") String offsets,
            @Value("${app.reminder.min-lead:PT2H}") Duration minLead,
            @Value("${app.booking.texts-sent-by:guichet}") String textsSentBy,
            @Value("${app.time-zone:Europe/Paris}") ZoneId zone,
            @Value("${app.reminder.dispatch-interval:1s}") Duration dispatchInterval,
            @Value("${app.reminder.batch-size:500}") int batchSize,
            @Value("${app.reminder.reply-window:P30D}") Period replyWindow,
            @Value("${app.sms.rate-per-second:10}") double smsRatePerSecond,
            @Value("${app.public-base-url}") String publicBaseUrl,
            @Value("${app.reminder.call.attempts:3}") int callAttempts,
            @Value("${app.reminder.call.retry-after:PT1H}") Duration callRetryAfter,
            @Value("${app.reminder.call.ring-for:30s}") Duration ringFor,
            @Value("${app.reminder.call.per-second:1}") double callsPerSecond,
            @Value("${app.reminder.call.claim-timeout:5m}") Duration callClaimTimeout) {
        // The booking capability owns this setting and validates it; here only "backend" matters.
        String sender = textsSentBy.strip().toLowerCase(Locale.ROOT);
        if (!sender.equals("guichet") && !sender.equals("backend")) {
            log.warn("Reminders: app.booking.texts-sent-by={} is neither guichet nor backend; reminders are sent by Guichet", textsSentBy);
        }
        if (callAttempts < 1 || callAttempts > 10) throw new IllegalArgumentException("app.reminder.call.attempts must be 1 to 10");
        if (minLead.isNegative()) throw new IllegalArgumentException("app.reminder.min-lead must not be negative");
        ReminderSettings settings = new ReminderSettings(ReminderOffset.parseList(offsets), minLead, !sender.equals("backend"), zone,
                dispatchInterval, Math.clamp(batchSize, 1, 5000), replyWindow, smsRatePerSecond, publicBaseUrl,
                new ReminderSettings.Calls(callAttempts, callRetryAfter, ringFor, callsPerSecond, callClaimTimeout));
        if (!settings.sentByGuichet()) {
            log.info("Reminders: none sent by Guichet (app.booking.texts-sent-by=backend: the booking backend texts people itself)");
        } else if (settings.offsets().isEmpty()) {
            log.info("Reminders: none (APP_REMINDER_OFFSETS is empty)");
        } else {
            log.info("Reminders: {} before each appointment ({}), at least {} ahead when moved out of quiet hours; fixed lines get"
                    + " a call, {} attempts {} apart", settings.offsets().stream().map(ReminderOffset::iso).toList(), zone, minLead,
                    callAttempts, callRetryAfter);
        }
        return settings;
    }
}
