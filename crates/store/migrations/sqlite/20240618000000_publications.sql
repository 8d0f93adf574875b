-- Công khai: what the standing office has published on the public pages (/cong-khai). A row
-- exists while its item is published: `kind` 'ranking' (the communes' reform-index ranking,
-- `subject` its year) or 'report' (the periodic report, `subject` its period code).
-- Withdrawing deletes the row; publishing again writes a new time.
CREATE TABLE publications (
    kind         TEXT NOT NULL CHECK (kind IN ('ranking', 'report')),
    subject      TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (kind, subject)
);
