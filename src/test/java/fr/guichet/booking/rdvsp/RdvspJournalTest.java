package fr.guichet.booking.rdvsp;

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

/**
 * A booking through RDV Service Public records its attempt on a pool of its own: with one connection left in the
 * service's pool, the booking that takes it still goes through. Before, it asked the same pool for a second one and
 * waited for the pool's timeout (30 s), and bookings at once as many as the pool held waited on each other.
 */
class RdvspJournalTest extends RdvspServiceTest {
    @Autowired DataSource dataSource;

    @Test
    void aBookingGoesThroughWithOneConnectionLeftInTheServicesPool() throws Exception {
        stubs.healthy();
        long slot = slotIds().getFirst();
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        List<Connection> held = new ArrayList<>();
        try {
            while (held.size() < pool.getMaximumPoolSize() - 1) held.add(pool.getConnection());
            CompletableFuture<Answer> booked = CompletableFuture.supplyAsync(
                    () -> bookOnTheWeb("journal-1", slot, freshNumber(), "fr", "1977-07-07"));
            assertThat(booked).succeedsWithin(Duration.ofSeconds(10))
                    .satisfies(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(201));
        } finally {
            for (Connection c : held) c.close();
        }
    }
}
