-- Dossiers found by the month received (YYYYMM, an integer), as on SQLite, where a day index
-- made every import sort or scatter its rows (see the SQLite migration of the same name). The
-- days become columns computed from the times (stored: PostgreSQL has no virtual ones), so
-- that both databases take the same insert.
ALTER TABLE dossiers ADD COLUMN received_month INTEGER;
UPDATE dossiers
   SET received_month = CAST(substr(received_on, 1, 4) || substr(received_on, 6, 2) AS INTEGER);
ALTER TABLE dossiers ALTER COLUMN received_month SET NOT NULL;
ALTER TABLE dossiers DROP COLUMN received_on, DROP COLUMN due_on, DROP COLUMN returned_on;
ALTER TABLE dossiers
    ADD COLUMN received_on TEXT NOT NULL GENERATED ALWAYS AS (substr(received_at, 1, 10)) STORED,
    ADD COLUMN due_on TEXT NOT NULL GENERATED ALWAYS AS (substr(due_at, 1, 10)) STORED,
    ADD COLUMN returned_on TEXT GENERATED ALWAYS AS (substr(returned_at, 1, 10)) STORED;
CREATE INDEX dossiers_by_month ON dossiers (received_month);
