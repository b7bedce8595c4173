package fr.guichet.booking.rdvsp;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where a booking's attempt is recorded while the booking runs: transactions that commit at once, whatever becomes of
 * the booking's own (a crash or a rollback after a POST must still leave the trace the replay looks up), on a small
 * pool of their own. A booking holds its pooled connection all along, backend calls included; recording on a second
 * connection of the same pool let as many bookings at once as the pool holds wait on each other for the pool's
 * timeout, each for the connection another held.
 */
final class RdvspJournal implements DisposableBean {
    private static final int CONNECTIONS = 4;

    private final HikariDataSource pool;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final RdvspAttempts attempts;

    RdvspJournal(DataSource main) throws java.sql.SQLException {
        HikariDataSource source = main.unwrap(HikariDataSource.class);
        pool = new HikariDataSource();
        pool.setJdbcUrl(source.getJdbcUrl());
        pool.setUsername(source.getUsername());
        pool.setPassword(source.getPassword());
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(source.getDataSourceProperties());
        pool.setDataSourceProperties(properties);
        pool.setMaximumPoolSize(CONNECTIONS);
        pool.setMinimumIdle(0);
        pool.setPoolName(source.getPoolName() + "-rdvsp-journal");
        transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        jdbc = JdbcClient.create(pool);
        attempts = new RdvspAttempts(jdbc);
    }

    TransactionTemplate transactions() {
        return transactions;
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    /** The attempts, read and written on this pool. */
    RdvspAttempts attempts() {
        return attempts;
    }

    @Override
    public void destroy() {
        pool.close();
    }
}
