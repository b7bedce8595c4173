-- Which one-time data loads have run (the Isère demo data): a restart never loads them twice.
CREATE TABLE data_loads (
  name      TEXT PRIMARY KEY,
  loaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
