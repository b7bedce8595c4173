package fr.guichet.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the social workers' space ({@code app.workers.*}, env {@code APP_WORKERS_*}).
 *
 * @param pinAttempts    wrong PINs in a row before the space locks
 * @param lockFor        how long it stays locked
 * @param sessionTimeout how long a PIN opens the space for (renewed by every action)
 * @param pinIterations  PBKDF2 iterations for new PIN hashes (stored with each hash, so it can be raised later)
 */
@ConfigurationProperties("app.workers")
public record WorkerProperties(
        @DefaultValue("5") int pinAttempts,
        @DefaultValue("PT15M") Duration lockFor,
        @DefaultValue("PT30M") Duration sessionTimeout,
        @DefaultValue("210000") int pinIterations) {}
