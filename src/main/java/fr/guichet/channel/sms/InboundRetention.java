package fr.guichet.channel.sms;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the de-duplication and abuse-limit tables small: one db-scheduler task (one instance runs it at a time).
 * A MessageSid is kept long enough to outlive any Twilio redelivery; rate windows only for the current minute.
 */
@Configuration(proxyBeanMethods = false)
class InboundRetention {
    @Bean
    RecurringTask<Void> smsInboundRetention(JdbcClient jdbc, Clock clock,
                                            @Value("${app.sms.inbound-retention:30d}") Duration keepSids) {
        return Tasks.recurring("sms-inbound-retention", FixedDelay.of(Duration.ofMinutes(10)))
                .execute((instance, context) -> {
                    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
                    jdbc.sql("DELETE FROM sms_inbound WHERE received_at < :before").param("before", now.minus(keepSids)).update();
                    jdbc.sql("DELETE FROM sms_inbound_rate WHERE window_start < :before").param("before", now.minusMinutes(5)).update();
                });
    }
}
