-- Dossiers found by the month received (YYYYMM, an integer), as on SQLite, where a day index
-- made every import sort or scatter its rows (see the SQLite migration of the same name).
ALTER TABLE dossiers ADD COLUMN received_month INTEGER;
UPDATE dossiers
   SET received_month = CAST(substr(received_on, 1, 4) || substr(received_on, 6, 2) AS INTEGER);
ALTER TABLE dossiers ALTER COLUMN received_month SET NOT NULL;
DROP INDEX dossiers_by_day;
CREATE INDEX dossiers_by_month ON dossiers (received_month);
