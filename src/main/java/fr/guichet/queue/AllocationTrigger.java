package fr.guichet.queue;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asks for an allocation now, once the current transaction has committed (the places or the request it made are
 * then visible to the sweep). Through db-scheduler, so exactly one instance runs it; a sweep already running makes
 * one more pass instead ({@link SweepLease}). If asking fails, the recurring sweep catches up.
 *
 * <p>The asking is done by one background thread, never by the committing one: after its commit, that thread still
 * holds its pooled connection until the transaction's clean-up, and a second connection asked for by every such
 * thread at once (a surge of queue requests) could leave none to give, stalling them all for the pool's timeout
 * (the catalogue had that stall, BENCHMARKS.md). Asks that come while one is waiting are the same ask.
 */
@Component
class AllocationTrigger implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(AllocationTrigger.class);
    private static final int FINISHING_CHECKS = 40;
    private static final Duration FINISHING_WAIT = Duration.ofMillis(50);

    private final ObjectProvider<Scheduler> scheduler;
    private final ObjectProvider<OneTimeTask<Void>> soon;
    private final SweepLease lease;
    private final TransactionTemplate own;
    private final ExecutorService asker = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("allocation-ask").daemon().factory());
    private final AtomicBoolean waiting = new AtomicBoolean();

    AllocationTrigger(ObjectProvider<Scheduler> scheduler, ObjectProvider<OneTimeTask<Void>> soon, SweepLease lease,
                      PlatformTransactionManager transactions) {
        this.scheduler = scheduler;
        this.soon = soon;
        this.lease = lease;
        this.own = new TransactionTemplate(transactions);
    }

    void afterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ask();
                }
            });
        } else {
            ask();
        }
    }

    private void ask() {
        if (!waiting.compareAndSet(false, true)) return;
        try {
            asker.execute(() -> {
                waiting.set(false);
                now();
            });
        } catch (RejectedExecutionException e) {
            waiting.set(false);
            log.info("Queue: shutting down, no allocation asked; the recurring one will do it");
        }
    }

    @Override
    public void destroy() {
        asker.shutdownNow();
    }

    private void now() {
        try {
            Scheduler s = scheduler.getIfAvailable();
            OneTimeTask<Void> task = soon.getIfAvailable();
            own.executeWithoutResult(status -> lease.askAgain());
            if (s == null || task == null) return;
            // A "soon" sweep already there takes this ask: running, it makes one more pass; not started, it will see
            // what was committed. One that ended its last pass but has not yet left the scheduler's table would miss
            // it: wait for it to go (a few tens of milliseconds), then schedule another. The scheduler's own time
            // decides when it runs (its clock, not the service's): due at once.
            for (int check = 1; !s.scheduleIfNotExists(task.instance("soon"), Instant.now()); check++) {
                if (lease.held() || check >= FINISHING_CHECKS) return;
                Thread.sleep(FINISHING_WAIT.toMillis());
            }
            s.triggerCheckForDueExecutions();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Queue: could not ask for an allocation now ({}); the recurring one will do it", e.getClass().getSimpleName());
        }
    }
}
