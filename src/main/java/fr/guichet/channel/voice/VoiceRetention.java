package fr.guichet.channel.voice;

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
 * Keeps the call tables small and personal data short-lived: the stored answers per step only outlive Twilio's
 * retries; call rows (with the number) are kept for statistics for {@code app.voice.call-retention}; handled
 * call-back requests go with them. One db-scheduler task: one instance runs it at a time.
 */
@Configuration(proxyBeanMethods = false)
class VoiceRetention {
    @Bean
    RecurringTask<Void> voiceRetentionTask(JdbcClient jdbc, Clock clock,
            @Value("${app.voice.step-retention:2d}") Duration keepSteps,
            @Value("${app.voice.call-retention:90d}") Duration keepCalls) {
        return Tasks.recurring("voice-retention", FixedDelay.of(Duration.ofMinutes(30)))
                .execute((instance, context) -> {
                    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
                    jdbc.sql("DELETE FROM voice_call_step WHERE created_at < :before").param("before", now.minus(keepSteps)).update();
                    jdbc.sql("DELETE FROM voice_call_status WHERE received_at < :before").param("before", now.minus(keepCalls)).update();
                    jdbc.sql("DELETE FROM voice_call WHERE updated_at < :before").param("before", now.minus(keepCalls)).update();
                    jdbc.sql("DELETE FROM voice_callback_request WHERE done_at < :before").param("before", now.minus(keepCalls)).update();
                });
    }
}
