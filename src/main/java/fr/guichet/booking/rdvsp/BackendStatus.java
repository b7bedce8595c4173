package fr.guichet.booking.rdvsp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * How the backend answered lately, for staff: the {@code rdvServicePublic} health component (DOWN while the key or
 * token is refused, which only staff can fix; UNKNOWN, which does not bring the service's health down, while the
 * backend is unreachable or limiting us: Guichet keeps working and queues) and the staff view
 * {@code GET /api/v1/admin/backends/rdv-service-public}. Also holds the 429 pause: no call until it ends.
 */
final class BackendStatus implements HealthIndicator {
    private static final Logger log = LoggerFactory.getLogger(BackendStatus.class);

    enum State { NOT_CALLED_YET, OK, AUTH_REFUSED, UNREACHABLE, RATE_LIMITED }

    /** What staff see; no personal data, only calls by method and path. */
    record Snapshot(State state, Instant since, Instant lastSuccess, String lastFailedCall, String lastFailure,
                    Instant rateLimitedUntil) {}

    private final Clock clock;
    private State state = State.NOT_CALLED_YET;
    private Instant since;
    private Instant lastSuccess;
    private String lastFailedCall;
    private String lastFailure;
    private Instant rateLimitedUntil;

    BackendStatus(Clock clock) {
        this.clock = clock;
        this.since = clock.instant();
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(state, since, lastSuccess, lastFailedCall, lastFailure, rateLimitedUntil);
    }

    synchronized void succeeded() {
        Instant now = clock.instant();
        if (state != State.OK) {
            if (state != State.NOT_CALLED_YET) log.info("RDV Service Public answers again (was {})", state);
            state = State.OK;
            since = now;
        }
        lastSuccess = now;
    }

    /** Records the failure and returns it, so callers can {@code throw status.failed(…)}. */
    synchronized RdvspException failed(String call, RdvspException failure) {
        Instant now = clock.instant();
        State next = switch (failure.kind()) {
            case UNAUTHORIZED -> State.AUTH_REFUSED;
            case RATE_LIMITED -> State.RATE_LIMITED;
            default -> State.UNREACHABLE;
        };
        if (failure.kind() == RdvspException.Kind.RATE_LIMITED) {
            rateLimitedUntil = now.plus(failure.retryAfter() == null ? Duration.ofSeconds(60) : failure.retryAfter());
        }
        if (next != state) {
            if (next == State.AUTH_REFUSED) {
                // The staff alert: only staff can fix a refused key. Bookings wait in rdvsp_attempts meanwhile.
                log.error("RDV Service Public refuses Guichet's credentials (HTTP 401 on {}): check APP_RDVSP_API_KEY or "
                        + "APP_RDVSP_BEARER_TOKEN. Bookings are kept and replayed once it answers.", call);
            } else {
                log.warn("RDV Service Public {} on {}: {}", next == State.RATE_LIMITED ? "limits our calls" : "is not answering", call,
                        failure.getMessage());
            }
            state = next;
            since = now;
        }
        lastFailedCall = call;
        lastFailure = failure.getMessage();
        return failure;
    }

    /** Refuses to call while a 429's Retry-After runs. */
    synchronized void checkNotRateLimited() {
        Instant now = clock.instant();
        if (rateLimitedUntil != null && now.isBefore(rateLimitedUntil)) {
            throw new RdvspException(RdvspException.Kind.RATE_LIMITED, 0, "waiting for Retry-After",
                    Duration.between(now, rateLimitedUntil));
        }
    }

    @Override
    public synchronized Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state.name());
        details.put("since", since.toString());
        if (lastSuccess != null) details.put("lastSuccess", lastSuccess.toString());
        if (lastFailedCall != null) details.put("lastFailedCall", lastFailedCall);
        Status status = switch (state) {
            case AUTH_REFUSED -> Status.DOWN;
            case OK -> Status.UP;
            default -> Status.UNKNOWN;
        };
        return Health.status(status).withDetails(details).build();
    }
}
