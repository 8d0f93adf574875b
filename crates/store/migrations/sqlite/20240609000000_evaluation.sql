-- Evaluation (đánh giá): the registries behind the plan's targets 1.2 (initiatives), 1.3
-- (inspections and their remediation), 3.7 (dialogues) and 4.2 (staffing quotas).

-- Kiểm tra CCHC: planned (`planned_on`), then held (`held_on`) with findings and minutes.
CREATE TABLE inspections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    year       INTEGER NOT NULL,
    unit_id    TEXT NOT NULL,
    planned_on TEXT,
    held_on    TEXT,
    team       TEXT NOT NULL,
    content    TEXT NOT NULL,
    findings   TEXT NOT NULL,
    minutes    TEXT NOT NULL
);
CREATE INDEX inspections_by_year ON inspections (year);

-- Việc khắc phục sau kiểm tra: open while `done_on` is null.
CREATE TABLE remediation_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id),
    description   TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    done_on       TEXT
);
CREATE INDEX remediation_by_inspection ON remediation_items (inspection_id);

-- Sáng kiến CCHC and how far it was recognised.
CREATE TABLE initiatives (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    year            INTEGER NOT NULL,
    unit_id         TEXT NOT NULL,
    title           TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'accepted_district', 'accepted_province')),
    decision_number TEXT NOT NULL,
    decision_date   TEXT
);
CREATE INDEX initiatives_by_year ON initiatives (year);

-- Đối thoại của lãnh đạo với người dân, doanh nghiệp; `year` is the year of `held_on`.
CREATE TABLE dialogues (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    year         INTEGER NOT NULL,
    unit_id      TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    chair        TEXT NOT NULL,
    topic        TEXT NOT NULL,
    participants TEXT NOT NULL,
    attendance   INTEGER
);
CREATE INDEX dialogues_by_year ON dialogues (year);

-- Biên chế được giao của đơn vị trong năm.
CREATE TABLE staff_quotas (
    unit_id          TEXT NOT NULL,
    year             INTEGER NOT NULL,
    civil_servants   INTEGER NOT NULL CHECK (civil_servants >= 0),
    public_employees INTEGER NOT NULL CHECK (public_employees >= 0),
    PRIMARY KEY (unit_id, year)
);
