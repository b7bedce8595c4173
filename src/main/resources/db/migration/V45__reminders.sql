-- Reminders before appointments (issue 7; docs/reminders.md). Tables of fr.guichet.notify (Reminder*).

-- What reminders know of each appointment. Written by the listener of the booking events inside the booking's own
-- transaction: a reminder never outlives its appointment, and none is lost for a booking that committed.
CREATE TABLE reminder_appointments (
  reference        CHAR(9) PRIMARY KEY,
  status           TEXT NOT NULL CHECK (status IN ('BOOKED', 'CANCELLED', 'MOVED')),
  -- Set when MOVED: the appointment that replaced this one (a reply to an old reminder follows it).
  moved_to         CHAR(9),
  site             TEXT NOT NULL,
  start_at         TIMESTAMPTZ NOT NULL,
  -- The person's number; null when a social worker booked for someone without a phone (then booked_by names the worker).
  phone            TEXT,
  language         TEXT NOT NULL,
  booked_by        TEXT,
  -- Never the name: a reminder sent to a worker names the person by initials.
  initials         TEXT NOT NULL,
  -- Reminders still to be computed: appointments booked before this table existed (back-filled below), or a listener
  -- that failed behind its savepoint. The dispatcher computes them on its next pass.
  schedule_pending BOOLEAN NOT NULL DEFAULT FALSE,
  -- The person confirmed they will come (reply CONFIRMER / 1, or key 1 on a reminder call). Staff see it.
  confirmed_at     TIMESTAMPTZ,
  confirmed_via    TEXT CHECK (confirmed_via IN ('SMS', 'CALL')),
  -- ANNULER during a conversation in progress is only taken the second time, within ten minutes of the first.
  cancel_asked_at  TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX reminder_appointments_day_idx ON reminder_appointments (site, start_at);
CREATE INDEX reminder_appointments_pending_idx ON reminder_appointments (reference) WHERE schedule_pending;

-- One row per appointment and configured offset; the dispatcher claims due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE reminders (
  id               BIGSERIAL PRIMARY KEY,
  reference        CHAR(9) NOT NULL REFERENCES reminder_appointments (reference),
  offset_iso       TEXT NOT NULL,
  nominal_at       TIMESTAMPTZ NOT NULL,
  -- When it goes: the nominal time moved out of quiet hours. Null for a reminder skipped when planned.
  due_at           TIMESTAMPTZ,
  -- SCHEDULED → TEXTED (handed to the outbox, purpose reminder:<reference>:<offset>)
  --           → CALLING → CALLED | UNREACHED | NOT_PLACED | CALL_UNCONFIRMED
  -- or DROPPED (appointment cancelled or moved) or SKIPPED (reason).
  status           TEXT NOT NULL CHECK (status IN ('SCHEDULED', 'TEXTED', 'CALLING', 'CALLED', 'UNREACHED', 'NOT_PLACED',
                                                   'CALL_UNCONFIRMED', 'DROPPED', 'SKIPPED')),
  -- PAST, QUIET_HOURS, MERGED, TOO_LATE, BACKEND_SENDS, NO_RECIPIENT, CALL_DECLINED, CANCELLED, MOVED, NO_OFFSET
  reason           TEXT,
  channel          TEXT CHECK (channel IN ('SMS', 'CALL')),
  recipient        TEXT CHECK (recipient IN ('PERSON', 'WORKER')),
  to_number        TEXT,
  language         TEXT,
  sent_at          TIMESTAMPTZ,
  answered_at      TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL,
  UNIQUE (reference, offset_iso)
);
CREATE INDEX reminders_due_idx ON reminders (due_at) WHERE status = 'SCHEDULED';
CREATE INDEX reminders_to_number_idx ON reminders (to_number, sent_at DESC) WHERE to_number IS NOT NULL;

-- Reminder calls to fixed lines: one row per attempt (up to app.reminder.call.attempts), claimed like the outbox.
CREATE TABLE reminder_calls (
  id               BIGSERIAL PRIMARY KEY,
  reminder_id      BIGINT NOT NULL REFERENCES reminders (id),
  attempt          INT NOT NULL CHECK (attempt >= 1),
  due_at           TIMESTAMPTZ NOT NULL,
  -- PENDING → PLACING → PLACED → ANSWERED (completed) | NO_ANSWER | BUSY | FAILED | CANCELED;
  -- REFUSED (Twilio 4xx), NOT_PLACED_NO_CREDENTIALS, DROPPED, LOST (no answer from Twilio after a crash), UNCONFIRMED
  status           TEXT NOT NULL,
  claimed_at       TIMESTAMPTZ,
  call_sid         TEXT UNIQUE,
  error_code       INT,
  duration_s       INT,
  -- What the person pressed: CONFIRMED, CANCELLED, KEPT.
  keys             TEXT,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL,
  UNIQUE (reminder_id, attempt)
);
CREATE INDEX reminder_calls_due_idx ON reminder_calls (due_at) WHERE status = 'PENDING';
CREATE INDEX reminder_calls_claimed_idx ON reminder_calls (claimed_at) WHERE status IN ('PLACING', 'PLACED');

-- Appointments already booked get their reminders too: computed by the dispatcher at the first start.
INSERT INTO reminder_appointments (reference, status, site, start_at, phone, language, booked_by, initials,
                                   schedule_pending, created_at, updated_at)
SELECT a.reference, 'BOOKED', s.site, s.start_at, a.phone, a.language, a.booked_by,
       array_to_string(ARRAY(SELECT left(p.part, 1) || '.'
                             FROM regexp_split_to_table(btrim(a.applicant_name), '\s+') WITH ORDINALITY AS p (part, n)
                             WHERE p.part <> '' ORDER BY p.n), ' '),
       TRUE, now(), now()
FROM appointments a JOIN slots s ON s.id = a.slot_id
WHERE a.status = 'BOOKED' AND s.start_at > now()
ON CONFLICT (reference) DO NOTHING;
