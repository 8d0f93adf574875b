-- Dossiers found by the month received (YYYYMM, an integer), not by day and unit.
--
-- A day index built at the end of an import made SQLite sort every dossier (seconds per
-- million), and kept up row by row it costs as much: its keys have hundreds of insertion
-- points. A month has a dozen, each at the end of its range (the row id grows), so the index
-- is kept up as rows arrive at little cost. The table becomes a row-id table with the dossier
-- code in a unique index, so the month index's entries are an integer and a row id.
--
-- The days (`received_on`, `due_on`, `returned_on`) become virtual columns computed from the
-- times: the same SQL reads them, and each row is thirty bytes shorter to write. They carry no
-- NOT NULL (their times do), which would make SQLite compute them on every insert.
CREATE TABLE dossiers_by_rowid (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL,
    procedure_code    TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    channel           TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    received_on       TEXT GENERATED ALWAYS AS (substr(received_at, 1, 10)) VIRTUAL,
    received_month    INTEGER NOT NULL,
    due_at            TEXT NOT NULL,
    due_on            TEXT GENERATED ALWAYS AS (substr(due_at, 1, 10)) VIRTUAL,
    returned_at       TEXT,
    returned_on       TEXT GENERATED ALWAYS AS (substr(returned_at, 1, 10)) VIRTUAL,
    status            TEXT NOT NULL,
    inputs_digitized  INTEGER NOT NULL,
    results_digitized INTEGER NOT NULL,
    data_reused       INTEGER NOT NULL,
    paid_online       INTEGER NOT NULL,
    rating            TEXT,
    apology           INTEGER NOT NULL,
    import_id         INTEGER NOT NULL,
    import_row        INTEGER NOT NULL
);
INSERT INTO dossiers_by_rowid (code, procedure_code, unit_id, channel, received_at,
    received_month, due_at, returned_at, status, inputs_digitized, results_digitized,
    data_reused, paid_online, rating, apology, import_id, import_row)
SELECT code, procedure_code, unit_id, channel, received_at,
    CAST(substr(received_on, 1, 4) || substr(received_on, 6, 2) AS INTEGER), due_at,
    returned_at, status, inputs_digitized, results_digitized, data_reused,
    paid_online, rating, apology, import_id, import_row
FROM dossiers ORDER BY code;
DROP TABLE dossiers;
ALTER TABLE dossiers_by_rowid RENAME TO dossiers;
CREATE UNIQUE INDEX dossiers_code ON dossiers (code);
CREATE INDEX dossiers_by_month ON dossiers (received_month);
