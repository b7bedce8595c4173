-- The queue (issue 7, fr.guichet.queue): what allocation, renewals and récépissé follow-ups need on top of the
-- requests of V6. The request row stays the one place a demand lives; these columns say when it may be served and
-- by when it must be.
ALTER TABLE requests
  -- REQUEST: recorded because no slot fitted; RENEWAL: a permit's expiry registered ahead; RECEPISSE: the next
  -- convocation of a file whose récépissé runs out.
  ADD COLUMN kind            TEXT NOT NULL DEFAULT 'REQUEST' CHECK (kind IN ('REQUEST', 'RENEWAL', 'RECEPISSE')),
  -- When the request entered (or, after an unanswered offer, re-entered) the queue: not served before, and the
  -- order of arrival. Null: received_at.
  ADD COLUMN queued_at       TIMESTAMPTZ,
  -- The convocation must be sent by then (renewals: expiry minus two months); null: no promise beyond the queue.
  ADD COLUMN convoke_by      TIMESTAMPTZ,
  ADD COLUMN convoked_at     TIMESTAMPTZ,
  -- How many times a place was given to it (convocation or offer): part of the idempotency key of each booking.
  ADD COLUMN allocations     INT NOT NULL DEFAULT 0,
  ADD COLUMN offers_lapsed   INT NOT NULL DEFAULT 0,
  -- The person asked once for another date after a convocation of the queue.
  ADD COLUMN other_asked     BOOLEAN NOT NULL DEFAULT FALSE,
  -- First reported at risk of missing convoke_by (so the alert is logged once, not at every sweep).
  ADD COLUMN at_risk_since   TIMESTAMPTZ;

-- The order of service read in index order (QueueOrder.firstSteps): expiries within the window, soonest first; then
-- arrival. The first request is found without sorting the whole queue.
CREATE INDEX requests_queue_expiry_idx ON requests (document_expiry, (COALESCE(queued_at, received_at)), id)
  WHERE status = 'WAITING' AND document_expiry IS NOT NULL;
CREATE INDEX requests_queue_arrival_idx ON requests ((COALESCE(queued_at, received_at)), id) WHERE status = 'WAITING';
CREATE INDEX requests_appointment_idx ON requests (appointment) WHERE appointment IS NOT NULL;

-- An offer of a held place (sites in `offer` mode): the place is booked for the request (booked_by 'queue:offer')
-- until the person accepts by reply or the offer lapses and the place goes to the next request.
CREATE TABLE queue_offers (
  id          BIGSERIAL PRIMARY KEY,
  request_id  BIGINT NOT NULL REFERENCES requests (id),
  appointment CHAR(9) NOT NULL UNIQUE,
  status      TEXT NOT NULL CHECK (status IN ('OPEN', 'ACCEPTED', 'LAPSED', 'DECLINED')),
  expires_at  TIMESTAMPTZ NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL,
  decided_at  TIMESTAMPTZ
);
-- One open offer per request at a time.
CREATE UNIQUE INDEX queue_offers_one_open_uq ON queue_offers (request_id) WHERE status = 'OPEN';
CREATE INDEX queue_offers_due_idx ON queue_offers (expires_at) WHERE status = 'OPEN';

-- A file under examination whose applicant holds récépissés: convoked again before each runs out, until a decision.
CREATE TABLE recepisse_files (
  id                BIGSERIAL PRIMARY KEY,
  first_appointment CHAR(9) NOT NULL UNIQUE,
  created_at        TIMESTAMPTZ NOT NULL,
  decided_at        TIMESTAMPTZ,
  outcome           TEXT
);

-- One récépissé per attended appointment where staff issued it, and the request for the next convocation.
CREATE TABLE recepisses (
  appointment CHAR(9) PRIMARY KEY,
  file_id     BIGINT NOT NULL REFERENCES recepisse_files (id),
  expires     DATE NOT NULL,
  follow_up   CHAR(9) NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX recepisses_file_idx ON recepisses (file_id);

ALTER TABLE requests ADD COLUMN recepisse_file BIGINT REFERENCES recepisse_files (id);

-- One allocation sweep at a time in the whole cluster, and none lost: a sweep holds the lease while it runs (real
-- time of the database, not the service's clock: it bounds how long a crashed instance blocks the others); a sweep
-- asked for meanwhile sets `again`, and the running one makes one more pass.
CREATE TABLE queue_sweep (
  id            INT PRIMARY KEY CHECK (id = 1),
  running_until TIMESTAMPTZ NOT NULL,
  holder        TEXT,
  again         BOOLEAN NOT NULL
);
INSERT INTO queue_sweep (id, running_until, holder, again) VALUES (1, '-infinity', NULL, FALSE);
