package fr.guichet.retention;

import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long personal data is kept (RGPD: a fixed, configurable time after the appointment, unless tied to an open
 * file; docs/retention.md).
 *
 * @param enabled          {@code APP_RETENTION_ENABLED}; false keeps everything (for a prefecture that erases by its
 *                         own means)
 * @param afterAppointment {@code APP_RETENTION_AFTER_APPOINTMENT}: appointments, closed requests, their reminders,
 *                         mandates and texts are erased this long after the appointment (or the request's closing)
 * @param conversations    {@code APP_RETENTION_CONVERSATIONS}: a conversation idle this long is forgotten (the
 *                         answers typed so far, the language chosen)
 * @param interval         how often the erasure runs
 */
@ConfigurationProperties("app.retention")
record RetentionProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("P6M") Period afterAppointment,
        @DefaultValue("P30D") Period conversations,
        @DefaultValue("PT6H") Duration interval) {

    RetentionProperties {
        if (afterAppointment.isNegative() || afterAppointment.isZero()) {
            throw new IllegalArgumentException("APP_RETENTION_AFTER_APPOINTMENT must be a positive period, e.g. P6M");
        }
        if (conversations.isNegative() || conversations.isZero()) {
            throw new IllegalArgumentException("APP_RETENTION_CONVERSATIONS must be a positive period, e.g. P30D");
        }
    }
}
