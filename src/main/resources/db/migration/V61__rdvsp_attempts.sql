-- Every booking sent to RDV Service Public, by Guichet idempotency key. The backend has no idempotency key, so this
-- row is Guichet's: it is committed before the first call (so a crash mid-call leaves a trace to reconcile), says
-- whether a POST may have reached the backend without an answer (then the booking is looked up before any retry),
-- keeps the request for the replay while the backend is down, and keeps the outcome so the same key always gives
-- the same answer.
CREATE TABLE rdvsp_attempts (
  idempotency_key    TEXT PRIMARY KEY,
  fingerprint        TEXT NOT NULL,
  -- IN_FLIGHT: being sent now; PENDING: waiting for the backend (replayed); DONE: outcome known;
  -- FAILED: refused for a reason a retry cannot fix (staff alerted); ABANDONED: an interrupted attempt that did not book.
  state              TEXT NOT NULL CHECK (state IN ('IN_FLIGHT', 'PENDING', 'DONE', 'FAILED', 'ABANDONED')),
  slot_id            BIGINT NOT NULL,
  site               TEXT NOT NULL,
  procedure          TEXT NOT NULL,
  start_at           TIMESTAMPTZ NOT NULL,
  applicant_name     TEXT NOT NULL,
  birth_date         DATE NOT NULL,
  phone              TEXT,
  language           TEXT NOT NULL,
  channel            TEXT NOT NULL,
  booked_by          TEXT,
  override_duplicate BOOLEAN NOT NULL,
  -- A move: the appointment being replaced (a move is never replayed; the person was told to try again).
  moves_from         CHAR(9),
  user_id            BIGINT,
  -- A POST /rdvs was sent and no answer came back: the backend may hold the booking.
  posted             BOOLEAN NOT NULL DEFAULT FALSE,
  outcome            TEXT,
  reference          CHAR(9),
  attempts           INT NOT NULL DEFAULT 0,
  next_attempt_at    TIMESTAMPTZ NOT NULL,
  last_error         TEXT,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX rdvsp_attempts_due_idx ON rdvsp_attempts (next_attempt_at) WHERE state IN ('IN_FLIGHT', 'PENDING');
