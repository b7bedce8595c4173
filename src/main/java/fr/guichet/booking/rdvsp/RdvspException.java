package fr.guichet.booking.rdvsp;

import java.time.Duration;

/**
 * Why a call to the backend did not give an answer to use. Carries the HTTP status and the backend's own error
 * sentences (never anything about the person: the backend does not echo names or numbers in them).
 */
final class RdvspException extends RuntimeException {
    enum Kind {
        /** No answer in time: the request may or may not have been carried out. */
        TIMEOUT,
        /** No connection: the request did not reach the backend. */
        UNREACHABLE,
        /** 401: the key or token is refused; staff must fix the configuration. */
        UNAUTHORIZED,
        /** 429: wait {@link #retryAfter()} before calling again. */
        RATE_LIMITED,
        /** 5xx: the backend failed; a POST may or may not have been carried out. */
        SERVER_ERROR,
        /** 404 (no slot after this date, no rdv for this id). */
        NOT_FOUND,
        /** 422 on a booking: no slot at this date any more. */
        SLOT_GONE,
        /** Any other refusal (400, 403, 422 on a user): a retry will not help. */
        REFUSED,
        /** A 2xx answer this adapter cannot read. */
        UNREADABLE
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;

    RdvspException(Kind kind, int status, String detail, Duration retryAfter) {
        super(kind + (status > 0 ? " (HTTP " + status + ")" : "") + (detail == null || detail.isBlank() ? "" : ": " + detail), null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    /** Whether the backend may have carried out a POST it did not answer. */
    boolean mayHaveHappened() {
        return kind == Kind.TIMEOUT || kind == Kind.SERVER_ERROR || kind == Kind.UNREADABLE;
    }

    /** Whether the backend is down or refusing for now: the request is kept and replayed. */
    boolean isTransient() {
        return kind == Kind.TIMEOUT || kind == Kind.UNREACHABLE || kind == Kind.UNAUTHORIZED || kind == Kind.RATE_LIMITED
                || kind == Kind.SERVER_ERROR || kind == Kind.UNREADABLE;
    }
}
