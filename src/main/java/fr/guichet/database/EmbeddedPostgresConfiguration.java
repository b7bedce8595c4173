package fr.guichet.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import com.zaxxer.hikari.HikariDataSource;

/**
 * With no {@code SPRING_DATASOURCE_URL}, Guichet runs on a real PostgreSQL unpacked from Maven Central jars,
 * whose data lives under {@code APP_DATA_DIR} and survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoOutsideDatabase.class)
class EmbeddedPostgresConfiguration {
    /**
     * No {@code SPRING_DATASOURCE_URL} (or a blank one). Not {@code @ConditionalOnProperty(havingValue = "")}: an
     * empty {@code havingValue} means "anything but false", so an outside database's URL matched too and was ignored.
     */
    static final class NoOutsideDatabase implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(@Value("${app.data-dir:./data}") Path dataDir) {
        Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
        try {
            Files.createDirectories(pgData);
            EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "on")
                    // The library's default is off, which may lose the last commits (a booking already confirmed to
                    // the person) when PostgreSQL or the machine crashes. Each commit waits for its WAL on disk.
                    .setServerConfig("synchronous_commit", "on"));
            log.info("Embedded PostgreSQL started on port {} with data in {}", postgres.port(), pgData);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData, e);
        }
    }

    @Bean
    DataSource dataSource(EmbeddedPostgresServer postgres, @Value("${app.database.pool-size:16}") int poolSize) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(postgres.jdbcUrl());
        pool.setUsername("postgres");
        pool.setMaximumPoolSize(poolSize);
        pool.setPoolName("guichet");
        // PostgreSQL's error DETAIL repeats the row ("Failing row contains (…, +33612345678, …)"): kept out of
        // exception messages, so a logged error never carries personal data.
        pool.addDataSourceProperty("logServerErrorDetail", "false");
        return pool;
    }
}
