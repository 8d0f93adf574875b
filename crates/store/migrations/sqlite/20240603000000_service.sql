-- Service delivery (issue 4): the procedure catalogue, dossiers and their running totals.
-- Kept in a file of its own; dates are ISO text ('YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS', local
-- time) in both databases, so the SQL is written once and compares them as text.

-- Thủ tục hành chính: the catalogue as it stands.
CREATE TABLE procedures (
    code           TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    field          TEXT NOT NULL,
    district       INTEGER NOT NULL,
    commune        INTEGER NOT NULL,
    online_level   TEXT NOT NULL CHECK (online_level IN ('toan_trinh', 'mot_phan', 'khong')),
    has_fee        INTEGER NOT NULL,
    online_payment INTEGER NOT NULL,
    internal       INTEGER NOT NULL
);

-- Một lần nhập: `import_id` on a dossier is the import that last wrote or confirmed it, which
-- finds a code twice in one file without holding the file's codes in memory.
CREATE TABLE service_imports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    file        TEXT NOT NULL,
    imported_at TEXT NOT NULL
);

-- Hồ sơ: one row per dossier code; a newer export replaces the row.
CREATE TABLE dossiers (
    code              TEXT PRIMARY KEY NOT NULL,
    procedure_code    TEXT NOT NULL,
    unit_id           TEXT NOT NULL,
    channel           TEXT NOT NULL,
    received_at       TEXT NOT NULL,
    received_on       TEXT NOT NULL,
    due_at            TEXT NOT NULL,
    due_on            TEXT NOT NULL,
    returned_at       TEXT,
    returned_on       TEXT,
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
CREATE INDEX dossiers_by_day ON dossiers (received_on, unit_id);

-- Số liệu cộng dồn: per unit, procedure and day received, the counts of `Tally`.
CREATE TABLE service_totals (
    unit_id            TEXT NOT NULL,
    procedure_code     TEXT NOT NULL,
    day                TEXT NOT NULL,
    received           INTEGER NOT NULL,
    withdrawn          INTEGER NOT NULL,
    returned           INTEGER NOT NULL,
    returned_digitized INTEGER NOT NULL,
    inputs_digitized   INTEGER NOT NULL,
    online             INTEGER NOT NULL,
    reused             INTEGER NOT NULL,
    paid_online        INTEGER NOT NULL,
    rated              INTEGER NOT NULL,
    satisfied          INTEGER NOT NULL,
    decided            INTEGER NOT NULL,
    on_time            INTEGER NOT NULL,
    late_apologized    INTEGER NOT NULL,
    PRIMARY KEY (day, unit_id, procedure_code)
);
