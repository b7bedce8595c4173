-- RDV Service Public rdvs Guichet no longer uses (the old rdv of a move, a booking that lost a race) whose cancellation
-- the backend did not take: cancelled again by the replay task until it does, so the place is not lost there.
CREATE TABLE rdvsp_orphans (
  rdv_id           BIGINT PRIMARY KEY,
  attempts         INT NOT NULL DEFAULT 1,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  last_error       TEXT NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX rdvsp_orphans_due_idx ON rdvsp_orphans (next_attempt_at);
