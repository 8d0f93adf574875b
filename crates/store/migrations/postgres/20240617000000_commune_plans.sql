-- Kế hoạch CCHC của xã: each commune's plan of a year, derived from the district plan (its id
-- and content fingerprint kept as the parent) or imported from the commune's decision text.
-- `content` is the whole plan as `cchc-plan/1` JSON; `status` is `draft` (the commune edits)
-- or `issued` (read-only, with its number, date and signed file, an evidence file's id).
CREATE TABLE commune_plans (
    year           INTEGER NOT NULL,
    unit_id        TEXT NOT NULL,
    parent_plan_id BIGINT NOT NULL,
    parent_version TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'issued')),
    source         TEXT NOT NULL CHECK (source IN ('derived', 'imported')),
    edited         BOOLEAN NOT NULL DEFAULT FALSE,
    content        TEXT NOT NULL,
    issue_number   TEXT,
    issued_on      TEXT,
    file_id        TEXT,
    updated_by     TEXT NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (year, unit_id)
);
