-- Booking attempts by SMS and phone, per number, for the abuse limit ("3 booking attempts an hour"). One row per
-- attempt's idempotency key, so a retried turn counts once. Rows older than a day are of no use (retention task).
CREATE TABLE booking_attempt (
    attempt_key  text PRIMARY KEY,
    phone        text        NOT NULL,
    attempted_at timestamptz NOT NULL
);
CREATE INDEX booking_attempt_phone_at ON booking_attempt (phone, attempted_at);
