package fr.guichet.queue;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asks for an allocation now, once the current transaction has committed (the places or the request it made are
 * then visible to the sweep). Through db-scheduler, so exactly one instance runs it; a sweep already running makes
 * one more pass instead ({@link SweepLease}). If asking fails, the recurring sweep catches up.
 */
@Component
class AllocationTrigger {
    private static final Logger log = LoggerFactory.getLogger(AllocationTrigger.class);

    private final ObjectProvider<Scheduler> scheduler;
    private final ObjectProvider<OneTimeTask<Void>> soon;
    private final SweepLease lease;
    private final TransactionTemplate own;

    AllocationTrigger(ObjectProvider<Scheduler> scheduler, ObjectProvider<OneTimeTask<Void>> soon, SweepLease lease,
                      PlatformTransactionManager transactions) {
        this.scheduler = scheduler;
        this.soon = soon;
        this.lease = lease;
        // After a commit the finished transaction's connection is still bound to the thread: work done then would run
        // on it, outside any transaction that commits. A transaction of its own, on a connection of its own.
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    void afterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    now();
                }
            });
        } else {
            now();
        }
    }

    private void now() {
        try {
            Scheduler s = scheduler.getIfAvailable();
            OneTimeTask<Void> task = soon.getIfAvailable();
            own.executeWithoutResult(status -> {
                lease.askAgain();
                // The scheduler's own time decides when it runs (its clock, not the service's): due at once.
                if (s != null && task != null) s.scheduleIfNotExists(task.instance("soon"), Instant.now());
            });
            if (s != null) s.triggerCheckForDueExecutions();
        } catch (RuntimeException e) {
            log.warn("Queue: could not ask for an allocation now ({}); the recurring one will do it", e.getClass().getSimpleName());
        }
    }
}
