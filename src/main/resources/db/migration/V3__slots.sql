-- A time at a site when `capacity` counters receive people. `booked` is kept in the same row so that the capacity
-- guarantee is one conditional UPDATE (booked < capacity) under the row lock, whatever the concurrency; the CHECK
-- is the last line of defence.
CREATE TABLE slots (
  id               BIGSERIAL PRIMARY KEY,
  site             TEXT NOT NULL REFERENCES sites (code),
  start_at         TIMESTAMPTZ NOT NULL,
  duration_minutes INT NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
  capacity         INT NOT NULL CHECK (capacity BETWEEN 0 AND 1000),
  booked           INT NOT NULL DEFAULT 0,
  -- Procedure codes accepted, sorted; never empty.
  procedures       TEXT[] NOT NULL CHECK (cardinality(procedures) > 0),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (booked >= 0 AND booked <= capacity)
);
-- One slot per site, time and set of procedures: re-running an opening-hours template adds nothing twice.
CREATE UNIQUE INDEX slots_site_start_procedures_uq ON slots (site, start_at, procedures);
-- Free-slot searches: by time, only rows with room left.
CREATE INDEX slots_free_by_start_idx ON slots (start_at) WHERE booked < capacity;
