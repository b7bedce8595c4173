package fr.guichet.queue;

import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The cluster-wide lease of the allocation sweep ({@code queue_sweep}): one sweep runs at a time, so places are
 * given in the order of the queue; a sweep asked for while one runs is not lost but becomes one more pass of the
 * running one. Each sweep holds its own token. Times are the database's own, on purpose: a lease measures real time
 * between instances, whatever the service's clock says.
 */
@Component
class SweepLease {
    static final Duration LEASE = Duration.ofMinutes(5);

    private final JdbcClient jdbc;

    SweepLease(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the lease; false when another sweep holds it (which is then asked for one more pass). */
    boolean acquire(String token) {
        int taken = jdbc.sql("""
                        UPDATE queue_sweep SET running_until = clock_timestamp() + make_interval(secs => :secs), holder = :token,
                                               again = FALSE
                        WHERE id = 1 AND running_until < clock_timestamp()""")
                .param("secs", LEASE.toSeconds()).param("token", token)
                .update();
        if (taken == 1) return true;
        askAgain();
        return false;
    }

    /** Asks the running sweep, if any, for one more pass. */
    void askAgain() {
        jdbc.sql("UPDATE queue_sweep SET again = TRUE WHERE id = 1").update();
    }

    /** Whether a sweep holds the lease now (and will look at {@code again} when its pass ends). */
    boolean held() {
        return jdbc.sql("SELECT running_until > clock_timestamp() FROM queue_sweep WHERE id = 1").query(Boolean.class).single();
    }

    /** Keeps the lease during a long pass. */
    void renew(String token) {
        jdbc.sql("UPDATE queue_sweep SET running_until = clock_timestamp() + make_interval(secs => :secs) WHERE id = 1 AND holder = :token")
                .param("secs", LEASE.toSeconds()).param("token", token).update();
    }

    /**
     * Ends a pass: true (the lease kept and renewed) when more was asked for meanwhile; false (the lease released)
     * otherwise. One statement, so a request for more cannot fall between the check and the release.
     */
    boolean another(String token) {
        return jdbc.sql("""
                        UPDATE queue_sweep SET
                          running_until = CASE WHEN again THEN clock_timestamp() + make_interval(secs => :secs) ELSE '-infinity' END,
                          holder = CASE WHEN again THEN holder ELSE NULL END,
                          again = FALSE
                        WHERE id = 1 AND holder = :token
                        RETURNING running_until > '-infinity'""")
                .param("secs", LEASE.toSeconds()).param("token", token)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Gives the lease back after a failed pass, so the next sweep need not wait for it to run out. */
    void release(String token) {
        jdbc.sql("UPDATE queue_sweep SET running_until = '-infinity', holder = NULL WHERE id = 1 AND holder = :token")
                .param("token", token).update();
    }
}
