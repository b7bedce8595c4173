package fr.guichet.booking.rdvsp;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many bookings, moves and cancellations wait on RDV Service Public at once ({@code app.rdvsp.max-concurrent-calls}).
 * Each holds a pooled connection, and the person's lock, while the backend answers, for up to its timeout. Without a
 * limit a slow backend would take every connection of the pool, and the SMS and voice webhooks, which need one for any
 * answer, would wait with it. Above the limit a caller waits a moment, then is told the backend is unavailable (the
 * conversation queues the request; the web gets 503). A conversation turn keeps its own connection for the whole
 * turn, so there the limit shortens the hold to that moment instead of the backend's timeout.
 */
final class RdvspCallLimit {
    private static final Logger log = LoggerFactory.getLogger(RdvspCallLimit.class);
    /** Under the SMS webhook's 1.5 s reply deadline, so that the turn can still answer with the queued request. */
    static final Duration WAIT = Duration.ofSeconds(1);

    private final Semaphore permits;
    private final int max;

    RdvspCallLimit(int max) {
        if (max < 1) throw new IllegalArgumentException("app.rdvsp.max-concurrent-calls must be at least 1, not " + max);
        this.max = max;
        this.permits = new Semaphore(max, true);
    }

    /** {@code work} with a permit, or {@code busy} when none came within {@link #WAIT}. */
    <T> T call(Supplier<T> work, Supplier<T> busy) {
        boolean permitted;
        try {
            permitted = permits.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            log.warn("RDV Service Public: {} calls already waiting for the backend; this one is answered 'unavailable'", max);
            return busy.get();
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
