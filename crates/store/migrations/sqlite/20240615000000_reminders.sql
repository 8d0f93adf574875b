-- Nhắc việc (reminders): an account's e-mail, the reminder jobs and the in-app notices.

-- Thư điện tử của tài khoản: where its reminders are sent (optional).
ALTER TABLE users ADD COLUMN email TEXT;

-- One reminder to one account: unique per period, unit, kind, step and recipient, so that
-- however many servers compute it, it is inserted (and sent) once. `state`: `pending` (due at
-- `next_at`), `sending` (claimed by a worker), `sent`, or `failed` (gave up).
CREATE TABLE reminder_jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    period     TEXT NOT NULL,
    unit_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    step       INTEGER NOT NULL,
    recipient  TEXT NOT NULL,
    email      TEXT,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL,
    state      TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_at    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    UNIQUE (period, unit_id, kind, step, recipient)
);
CREATE INDEX reminder_jobs_due ON reminder_jobs (state, next_at);

-- Thông báo trong ứng dụng: what an account reads on /thong-bao; unread while `read_at` is null.
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    username   TEXT NOT NULL,
    job_id     INTEGER UNIQUE REFERENCES reminder_jobs (id),
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notices_by_user ON notices (username, id);
