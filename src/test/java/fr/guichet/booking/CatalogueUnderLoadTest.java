package fr.guichet.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import fr.guichet.GuichetTest;
import fr.guichet.TestClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The catalogue under load: when its snapshot is due to be read again while every pooled connection is held (by
 * transactions that read the catalogue themselves), a reader gets the snapshot it has at once, and the new one comes
 * in the background once a connection is free. Before, the reader that found the snapshot expired loaded it while
 * every other reader waited, and that load waited for a connection the waiting readers held: nothing moved for the
 * pool's 30 s timeout, every 30 s under load.
 */
@GuichetTest
@Import(CatalogueUnderLoadTest.Clocks.class)
class CatalogueUnderLoadTest {
    @TestConfiguration
    static class Clocks {
        @Bean @Primary TestClock testClock() { return new TestClock(Instant.parse("2027-03-10T09:00:00Z")); }
    }

    @Autowired Catalogue catalogue;
    @Autowired PostgresCatalogue postgresCatalogue;
    @Autowired TestClock clock;
    @Autowired DataSource dataSource;
    @Autowired JdbcClient jdbc;

    @Test
    void aSnapshotDueForReadingIsServedAtOnceWhileEveryConnectionIsHeldThenReadAgain() throws Exception {
        String phone = catalogue.site("VIENNE").orElseThrow().phone();
        jdbc.sql("UPDATE sites SET phone = '04 74 00 00 00' WHERE code = 'VIENNE'").update();
        clock.advance(Duration.ofSeconds(31));
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        try {
            while (held.size() < pool.getMaximumPoolSize()) held.add(pool.getConnection());
            String served = CompletableFuture.supplyAsync(() -> catalogue.site("VIENNE").orElseThrow().phone()).get(5, TimeUnit.SECONDS);
            assertThat(served).as("the snapshot it had").isEqualTo(phone);
        } finally {
            for (Connection c : held) c.close();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> catalogue.site("VIENNE").orElseThrow().phone().equals("04 74 00 00 00"));

        jdbc.sql("UPDATE sites SET phone = ? WHERE code = 'VIENNE'").param(phone).update();
        postgresCatalogue.refresh();
        assertThat(catalogue.site("VIENNE").orElseThrow().phone()).as("read again at once by refresh").isEqualTo(phone);
    }
}
