-- Test sites of the queue's tests (QueueServiceTest only): one per test class, so tests sharing the service never
-- see each other's slots and requests. Open Monday to Friday, 09:00-17:00.
INSERT INTO sites (code, name, address, phone, staff_phone, zone, position) VALUES
  ('QA', 'Antenne de test A', '1 rue de l''Essai, 38000 Grenoble', '04 76 00 00 01', NULL, 'Europe/Paris', 101),
  ('QB', 'Antenne de test B', '2 rue de l''Essai, 38000 Grenoble', '04 76 00 00 02', NULL, 'Europe/Paris', 102),
  ('QC', 'Antenne de test C', '3 rue de l''Essai, 38000 Grenoble', '04 76 00 00 03', NULL, 'Europe/Paris', 103),
  ('QD', 'Antenne de test D', '4 rue de l''Essai, 38000 Grenoble', '04 76 00 00 04', NULL, 'Europe/Paris', 104),
  ('QOFFER', 'Antenne de test des offres', '5 rue de l''Essai, 38000 Grenoble', '04 76 00 00 05', NULL, 'Europe/Paris', 105),
  ('QCONC', 'Antenne de test concurrente', '6 rue de l''Essai, 38000 Grenoble', '04 76 00 00 06', NULL, 'Europe/Paris', 106);
INSERT INTO site_opening_hours (site, weekday, opens, closes)
SELECT s.code, d, '09:00', '17:00' FROM (VALUES ('QA'), ('QB'), ('QC'), ('QD'), ('QOFFER'), ('QCONC')) s(code), generate_series(1, 5) d;
