-- The SMS outbox: every text sent outside a TwiML reply. One row per purpose (convocation:…, reply:SM…), so a purpose
-- is sent once whatever retries and restarts happen.
CREATE TABLE sms_outbox (
  id               BIGSERIAL PRIMARY KEY,
  purpose_key      TEXT NOT NULL UNIQUE,
  to_number        TEXT NOT NULL,
  body             TEXT NOT NULL,
  language         TEXT,
  -- PENDING → SENDING → SENT; or FAILED, UNCONFIRMED, NOT_SENT_NO_CREDENTIALS, SUPPRESSED_OPTED_OUT, SUPPRESSED_NOT_SMS_CAPABLE
  status           TEXT NOT NULL,
  attempts         INT NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ NOT NULL,
  claimed_at       TIMESTAMPTZ,
  -- set when a SENDING row was found after a crash and put back once; a second crash leaves it UNCONFIRMED
  recovered        BOOLEAN NOT NULL DEFAULT FALSE,
  twilio_sid       TEXT UNIQUE,
  delivery_status  TEXT,
  error_code       INT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX sms_outbox_due_idx ON sms_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX sms_outbox_sending_idx ON sms_outbox (claimed_at) WHERE status = 'SENDING';

-- What we know about a number as an SMS destination: opted out (STOP, or Twilio error 21610), or not able to receive
-- texts (21211, 21614, 30005, 30006). Staff see these numbers.
CREATE TABLE sms_number (
  phone            TEXT PRIMARY KEY,
  opted_out        BOOLEAN NOT NULL DEFAULT FALSE,
  opted_out_at     TIMESTAMPTZ,
  sms_capable      BOOLEAN NOT NULL DEFAULT TRUE,
  last_error_code  INT,
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
