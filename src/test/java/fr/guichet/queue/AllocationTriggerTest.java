package fr.guichet.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Asking for an allocation after a commit never makes the committing thread wait for a second pooled connection.
 * Before, it asked in a transaction of its own from the committing thread, which still held its connection: with
 * every connection held by such threads (a surge of queue requests), all of them waited for the pool's timeout.
 */
class AllocationTriggerTest extends QueueServiceTest {
    @Autowired AllocationTrigger trigger;
    @Autowired DataSource dataSource;
    @Autowired PlatformTransactionManager transactions;

    @Test
    void theCommittingThreadAsksWithoutASecondConnectionEvenWhenThePoolHasNoneLeft() throws Exception {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        try {
            // Every connection but the one the transaction below takes.
            while (held.size() < pool.getMaximumPoolSize() - 1) held.add(pool.getConnection());
            CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions)
                    .executeWithoutResult(status -> {
                        jdbc.sql("SELECT 1").query(Integer.class).single();
                        trigger.afterCommit();
                    }));
            // Before: still waiting here after the pool's timeout (30 s), for a connection nobody could give.
            assertThat(committed).succeedsWithin(Duration.ofSeconds(5));
        } finally {
            for (Connection c : held) c.close();
        }
    }
}
