-- Appointments booked in an outside RDV Service Public through the adapter (package booking.rdvsp): the local record
-- that lets Guichet find them by reference and phone, list a person's or a worker's, show them to staff and keep
-- one active appointment per person and procedure, without asking the backend each time. The backend's rdv id
-- and user id tie the row to the backend; the reference (same space as the embedded appointments) is what the
-- person sees.
CREATE TABLE rdvsp_appointments (
  reference          CHAR(9) PRIMARY KEY REFERENCES booking_references (reference),
  rdv_id             BIGINT NOT NULL,
  user_id            BIGINT NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('BOOKED', 'ATTENDED', 'NO_SHOW', 'CANCELLED', 'MOVED')),
  -- The synthetic slot id the person chose (lieu id and start, see SlotIds).
  slot_id            BIGINT NOT NULL,
  site               TEXT NOT NULL REFERENCES sites (code),
  procedure          TEXT NOT NULL REFERENCES procedures (code),
  start_at           TIMESTAMPTZ NOT NULL,
  duration_minutes   INT NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
  applicant_name     TEXT NOT NULL,
  birth_date         DATE NOT NULL,
  phone              TEXT CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  language           TEXT NOT NULL,
  channel            TEXT NOT NULL CHECK (channel IN ('SMS', 'VOICE', 'WEB', 'WORKER', 'QUEUE')),
  booked_by          TEXT,
  override_duplicate BOOLEAN NOT NULL DEFAULT FALSE,
  -- Set when status is MOVED: the appointment that replaced this one.
  moved_to           CHAR(9),
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);
-- One active appointment per person (phone + birth date) and procedure, as for the embedded appointments.
CREATE UNIQUE INDEX rdvsp_appointments_one_active_per_person_uq
  ON rdvsp_appointments (phone, birth_date, procedure)
  WHERE status = 'BOOKED' AND NOT override_duplicate AND phone IS NOT NULL;
-- A backend rdv is one active appointment here (a move on the web replaces the row, the old one is MOVED).
CREATE UNIQUE INDEX rdvsp_appointments_active_rdv_uq ON rdvsp_appointments (rdv_id) WHERE status = 'BOOKED';
CREATE INDEX rdvsp_appointments_rdv_idx ON rdvsp_appointments (rdv_id);
CREATE INDEX rdvsp_appointments_phone_idx ON rdvsp_appointments (phone) WHERE phone IS NOT NULL;
CREATE INDEX rdvsp_appointments_booked_by_idx ON rdvsp_appointments (booked_by) WHERE booked_by IS NOT NULL;
CREATE INDEX rdvsp_appointments_site_start_idx ON rdvsp_appointments (site, start_at);

-- The backend user standing for a social worker (responsible_id of the people they book for), created once.
CREATE TABLE rdvsp_responsibles (
  booked_by  TEXT PRIMARY KEY,
  user_id    BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
