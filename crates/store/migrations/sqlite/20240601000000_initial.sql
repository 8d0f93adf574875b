-- Đơn vị: the unit registry. `parent_id` has no foreign key because a registry file may list
-- a child before its parent, and plans keep unit ids that the registry may not (yet) hold.
CREATE TABLE units (
    id        TEXT PRIMARY KEY NOT NULL,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    parent_id TEXT,
    aliases   TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    source    TEXT NOT NULL DEFAULT '',
    ord       INTEGER NOT NULL UNIQUE     -- registry order; an updated unit keeps its place
);

-- Kế hoạch: `document` is the whole `cchc-plan/1` JSON and the source of truth for reading a
-- plan back; the tables below are its queryable projection, written in the same transaction.
CREATE TABLE plans (
    id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: ids appear in URLs
    decision_number TEXT NOT NULL,
    decision_date   TEXT,
    owner_text      TEXT NOT NULL,
    owner_unit_id   TEXT,
    year            INTEGER NOT NULL,
    title           TEXT NOT NULL,
    document        TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (decision_number, owner_text)
);

-- Chỉ tiêu: indicators will refer to a target by (plan_id, code).
CREATE TABLE plan_targets (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    code    TEXT NOT NULL,
    area    INTEGER NOT NULL,
    text    TEXT NOT NULL,
    ord     INTEGER NOT NULL,
    PRIMARY KEY (plan_id, code)
);

-- Hoạt động: execution reports will refer to an activity by (plan_id, key).
CREATE TABLE plan_activities (
    plan_id        INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    section_code   TEXT NOT NULL,
    part_code      TEXT,
    row_no         TEXT NOT NULL,
    task_code      TEXT,
    code           TEXT,
    text           TEXT NOT NULL,
    outputs        TEXT,
    funding        TEXT,
    deadline_text  TEXT,
    deadline_kind  TEXT CHECK (deadline_kind IN ('date', 'period', 'recurring', 'conditional')),
    deadline_start TEXT,
    deadline_end   TEXT,
    ord            INTEGER NOT NULL,
    PRIMARY KEY (plan_id, key)
);

-- Chủ trì / phối hợp: exactly one of unit_id, group_id, unresolved; `text` is the source words.
CREATE TABLE activity_units (
    plan_id      INTEGER NOT NULL,
    activity_key TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('lead', 'coordinator')),
    ord          INTEGER NOT NULL,
    unit_id      TEXT,
    group_id     TEXT,
    unresolved   TEXT,
    text         TEXT NOT NULL,
    PRIMARY KEY (plan_id, activity_key, role, ord),
    FOREIGN KEY (plan_id, activity_key)
        REFERENCES plan_activities (plan_id, key) ON DELETE CASCADE,
    CHECK ((unit_id IS NOT NULL) + (group_id IS NOT NULL) + (unresolved IS NOT NULL) = 1)
);

CREATE INDEX activity_units_by_unit ON activity_units (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX activity_units_by_group ON activity_units (group_id) WHERE group_id IS NOT NULL;
