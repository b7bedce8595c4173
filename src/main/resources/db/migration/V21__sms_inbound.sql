-- Inbound SMS seen, keyed by Twilio's MessageSid: a redelivery gets the stored answer and triggers nothing again.
CREATE TABLE sms_inbound (
  message_sid  TEXT PRIMARY KEY,
  from_number  TEXT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  answer_xml   TEXT,
  answered_at  TIMESTAMPTZ
);
CREATE INDEX sms_inbound_received_idx ON sms_inbound (received_at);

-- Per-number inbound counter in fixed one-minute windows (abuse limit), shared by every instance.
CREATE TABLE sms_inbound_rate (
  phone        TEXT NOT NULL,
  window_start TIMESTAMPTZ NOT NULL,
  hits         INT NOT NULL,
  PRIMARY KEY (phone, window_start)
);
