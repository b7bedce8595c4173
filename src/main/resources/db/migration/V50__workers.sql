-- Social workers and association volunteers who book for the people they accompany (issue 6).
CREATE TABLE workers (
  id              BIGSERIAL PRIMARY KEY,
  name            TEXT NOT NULL,
  organisation    TEXT NOT NULL,
  language        TEXT NOT NULL,
  daily_limit     INT NOT NULL CHECK (daily_limit BETWEEN 1 AND 1000),
  -- PBKDF2 hash with its salt and iteration count; the PIN itself is never stored.
  pin_hash        TEXT NOT NULL,
  active          BOOLEAN NOT NULL DEFAULT TRUE,
  failed_pins     INT NOT NULL DEFAULT 0,
  locked_until    TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL,
  updated_at      TIMESTAMPTZ NOT NULL
);

-- A number belongs to one worker at most: it is how the worker is recognised.
CREATE TABLE worker_phones (
  phone      TEXT PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  worker_id  BIGINT NOT NULL REFERENCES workers (id)
);
CREATE INDEX worker_phones_worker_idx ON worker_phones (worker_id);

-- Every PIN attempt, right or wrong or refused while locked (audit).
CREATE TABLE worker_pin_attempts (
  id         BIGSERIAL PRIMARY KEY,
  worker_id  BIGINT NOT NULL REFERENCES workers (id),
  phone      TEXT NOT NULL,
  channel    TEXT NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('ACCEPTED', 'WRONG', 'LOCKED_OUT', 'INACTIVE')),
  at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX worker_pin_attempts_worker_idx ON worker_pin_attempts (worker_id, at);

-- An open worker space per phone number: survives restarts and is shared by SMS and voice.
CREATE TABLE worker_sessions (
  phone                TEXT PRIMARY KEY,
  worker_id            BIGINT NOT NULL REFERENCES workers (id),
  authenticated_until  TIMESTAMPTZ NOT NULL
);

-- The mandate: the worker confirmed that the person agreed to this booking, at this time.
CREATE TABLE worker_mandates (
  id                BIGSERIAL PRIMARY KEY,
  worker_id         BIGINT NOT NULL REFERENCES workers (id),
  reference         CHAR(9) NOT NULL UNIQUE,
  person_initials   TEXT NOT NULL,
  person_has_phone  BOOLEAN NOT NULL,
  channel           TEXT NOT NULL,
  agreed_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX worker_mandates_worker_day_idx ON worker_mandates (worker_id, agreed_at);
