package fr.guichet.retention;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The erasure as a db-scheduler task: persistent, one run at a time in the cluster, every {@code app.retention.interval}. */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {
    @Bean
    @ConditionalOnProperty(name = "app.retention.enabled", havingValue = "true", matchIfMissing = true)
    RecurringTask<Void> retentionTask(Erasure erasure, RetentionProperties properties) {
        return Tasks.recurring("retention", FixedDelay.of(properties.interval()))
                .execute((instance, context) -> erasure.run());
    }
}
