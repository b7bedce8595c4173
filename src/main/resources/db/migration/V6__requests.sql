-- Demands with no slot yet (the queue). Served in priority order by the allocation (queue issue).
CREATE TABLE requests (
  id               BIGSERIAL PRIMARY KEY,
  reference        CHAR(9) NOT NULL UNIQUE REFERENCES booking_references (reference),
  idempotency_key  TEXT NOT NULL UNIQUE,
  fingerprint      TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('WAITING', 'OFFERED', 'CONVOKED', 'WITHDRAWN')),
  procedure        TEXT NOT NULL REFERENCES procedures (code),
  site_preference  TEXT REFERENCES sites (code),
  applicant_name   TEXT NOT NULL,
  birth_date       DATE NOT NULL,
  phone            TEXT CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  language         TEXT NOT NULL,
  document_expiry  DATE,
  channel          TEXT NOT NULL CHECK (channel IN ('SMS', 'VOICE', 'WEB', 'WORKER', 'QUEUE')),
  booked_by        TEXT,
  appointment      CHAR(9),
  received_at      TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX requests_waiting_idx ON requests (procedure, document_expiry NULLS LAST, received_at) WHERE status = 'WAITING';
CREATE INDEX requests_phone_idx ON requests (phone) WHERE phone IS NOT NULL;
