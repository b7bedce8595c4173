package fr.guichet.booking;

/** An idempotency key that was used before for a different request; the first request stands. */
public final class IdempotencyKeyReusedException extends IllegalStateException {
    private final String idempotencyKey;

    public IdempotencyKeyReusedException(String idempotencyKey) {
        super("Idempotency key already used for a different request");
        this.idempotencyKey = idempotencyKey;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }
}
