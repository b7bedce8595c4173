package fr.guichet.queue;

import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The queue's db-scheduler tasks (persistent, one execution in the cluster at a time): the recurring allocation
 * ({@code app.queue.interval}), and the same allocation asked for at once when places open or a request arrives.
 * Each run lapses due offers, serves what can be served, and checks the deadlines (at-risk alert).
 */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {
    static final String RECURRING = "queue-allocation";
    static final String SOON = "queue-allocation-soon";

    @Bean
    RecurringTask<Void> queueAllocation(Allocator allocator, AtRisk atRisk, QueueProperties properties) {
        return Tasks.recurring(RECURRING, FixedDelay.of(properties.interval()))
                .execute((instance, context) -> {
                    allocator.sweep();
                    atRisk.check();
                });
    }

    @Bean
    OneTimeTask<Void> queueAllocationSoon(Allocator allocator) {
        return Tasks.oneTime(SOON, Void.class)
                .execute((instance, context) -> allocator.sweep());
    }
}
