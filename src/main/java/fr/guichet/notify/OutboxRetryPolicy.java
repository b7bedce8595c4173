package fr.guichet.notify;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** How often and how patiently a transient failure is retried: exponential backoff, capped. */
@Component
class OutboxRetryPolicy {
    private final int maxAttempts;
    private final Duration base;
    private final Duration max;

    OutboxRetryPolicy(@Value("${app.sms.max-attempts:6}") int maxAttempts,
                      @Value("${app.sms.retry-base:5s}") Duration base,
                      @Value("${app.sms.retry-max:30m}") Duration max) {
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.max = max;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** The wait after the given (1-based) failed attempt: base, 2×base, 4×base… up to max. */
    Duration backoff(int attempt) {
        Duration wait = base.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
