-- Sites (prefecture and sub-prefecture counters) and the procedure catalogue.
-- Names and document lists of procedures are texts in locales/ (procedure.<code>.name / .documents), not columns:
-- the database holds only stable codes, so nothing sensitive is stored as free text.
CREATE TABLE sites (
  code        TEXT PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{1,40}$'),
  name        TEXT NOT NULL,
  address     TEXT NOT NULL,
  phone       TEXT NOT NULL,
  staff_phone TEXT,
  zone        TEXT NOT NULL,
  position    INT  NOT NULL DEFAULT 0,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Weekly opening hours: several periods a day (morning, afternoon). ISO weekday: 1 = Monday … 7 = Sunday.
CREATE TABLE site_opening_hours (
  site    TEXT NOT NULL REFERENCES sites (code),
  weekday SMALLINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens   TIME NOT NULL,
  closes  TIME NOT NULL,
  CHECK (opens < closes),
  PRIMARY KEY (site, weekday, opens)
);

-- Closed days beyond the French public holidays (which are computed, never listed): bridges, local closures.
CREATE TABLE site_closed_dates (
  site TEXT NOT NULL REFERENCES sites (code),
  day  DATE NOT NULL,
  PRIMARY KEY (site, day)
);

CREATE TABLE procedures (
  code             TEXT PRIMARY KEY CHECK (code ~ '^[A-Z0-9_]{1,40}$'),
  anef             BOOLEAN NOT NULL,
  duration_minutes INT NOT NULL CHECK (duration_minutes > 0),
  worker_may_book  BOOLEAN NOT NULL,
  renewal          BOOLEAN NOT NULL,
  -- ANEF procedures are filed online: the counter appointment they lead to is this help procedure.
  pan_procedure    TEXT REFERENCES procedures (code),
  position         INT NOT NULL DEFAULT 0,
  CHECK (NOT anef OR pan_procedure IS NOT NULL)
);
