CREATE TABLE appointments (
  id                 BIGSERIAL PRIMARY KEY,
  reference          CHAR(9) NOT NULL UNIQUE REFERENCES booking_references (reference),
  status             TEXT NOT NULL CHECK (status IN ('BOOKED', 'ATTENDED', 'NO_SHOW', 'CANCELLED', 'MOVED')),
  slot_id            BIGINT NOT NULL REFERENCES slots (id),
  procedure          TEXT NOT NULL REFERENCES procedures (code),
  applicant_name     TEXT NOT NULL,
  birth_date         DATE NOT NULL,
  phone              TEXT CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  language           TEXT NOT NULL,
  channel            TEXT NOT NULL CHECK (channel IN ('SMS', 'VOICE', 'WEB', 'WORKER', 'QUEUE')),
  booked_by          TEXT,
  idempotency_key    TEXT,
  override_duplicate BOOLEAN NOT NULL DEFAULT FALSE,
  -- Set when status is MOVED: the appointment that replaced this one.
  moved_to           CHAR(9),
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);
-- One active appointment per person (phone + birth date) and procedure, unless staff override.
CREATE UNIQUE INDEX appointments_one_active_per_person_uq
  ON appointments (phone, birth_date, procedure)
  WHERE status = 'BOOKED' AND NOT override_duplicate AND phone IS NOT NULL;
CREATE INDEX appointments_phone_idx ON appointments (phone) WHERE phone IS NOT NULL;
CREATE INDEX appointments_slot_idx ON appointments (slot_id);
