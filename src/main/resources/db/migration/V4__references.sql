-- Appointments and queued requests share one reference space: a reference is registered here first, so a reference
-- found in one table is never in the other.
CREATE TABLE booking_references (
  reference  CHAR(9) PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('APPOINTMENT', 'REQUEST')),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
