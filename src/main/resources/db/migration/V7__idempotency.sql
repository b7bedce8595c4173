-- The outcome of every booking and move, by idempotency key: the same key always returns the same outcome.
-- The row is claimed (inserted) in the booking's own transaction, so a concurrent retry with the same key waits for
-- the first attempt to commit and then reads its outcome; `fingerprint` tells a retry from a different request.
CREATE TABLE idempotency_records (
  idempotency_key TEXT PRIMARY KEY,
  operation       TEXT NOT NULL,
  fingerprint     TEXT NOT NULL,
  outcome         TEXT,
  reference       CHAR(9),
  slot_id         BIGINT,
  procedure       TEXT,
  created_at      TIMESTAMPTZ NOT NULL
);
