-- Reform index of communes (Chỉ số CCHC cấp xã) and the satisfaction survey (khảo sát SIPAS).

-- Bộ chỉ số: one checked criteria set per year, kept whole as JSON (a `CriteriaSet`).
CREATE TABLE criteria_sets (
    year       INTEGER PRIMARY KEY NOT NULL,
    set_id     TEXT NOT NULL,
    document   TEXT NOT NULL,
    stored_by  TEXT NOT NULL,
    stored_at  TEXT NOT NULL
);

-- Kết quả chấm điểm: a commune's self-assessment and appraisal of a year (JSON `Evaluation`);
-- `state` is `draft` (the commune scores) or `submitted` (the standing office appraises).
CREATE TABLE reform_evaluations (
    year       INTEGER NOT NULL,
    unit_id    TEXT NOT NULL,
    set_id     TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
    content    TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (year, unit_id)
);

-- Phiếu khảo sát: anonymous; the device's cookie id and the address only as SHA-256.
CREATE TABLE survey_answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_id     TEXT NOT NULL,
    answered_on TEXT NOT NULL,
    r1          INTEGER,
    r2          INTEGER,
    r3          INTEGER,
    r4          INTEGER,
    r5          INTEGER,
    comment     TEXT NOT NULL,
    device_hash TEXT NOT NULL,
    addr_hash   TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE UNIQUE INDEX survey_answers_one_per_device ON survey_answers (unit_id, device_hash, answered_on);
CREATE INDEX survey_answers_by_addr ON survey_answers (addr_hash, at);
CREATE INDEX survey_answers_by_unit ON survey_answers (unit_id, answered_on);
