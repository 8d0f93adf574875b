-- Execution (tổ chức thực hiện): accounts, sessions, reporting periods, unit reports and their
-- versions, evidence files, the audit log and settings.

-- Tài khoản: every account belongs to one unit; `password_hash` is an Argon2id PHC string.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    unit_id       TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'standing_office', 'reporter', 'unit_head', 'leader')),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    demo          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMPTZ NOT NULL
);

-- Phiên đăng nhập, server side: the table keeps the SHA-256 of the cookie's token, never the token.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);

-- Failed logins, keyed `user:NAME` or `addr:IP`, for throttling.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key);

-- Kỳ báo cáo.
CREATE TABLE periods (
    code      TEXT PRIMARY KEY,
    due_at    TIMESTAMPTZ NOT NULL,
    opened_by TEXT NOT NULL,
    opened_at TIMESTAMPTZ NOT NULL
);

-- Báo cáo của đơn vị trong kỳ: the current content (JSON ReportContent) and state; `version`
-- grows by one on every save and guards against lost updates.
CREATE TABLE reports (
    period       TEXT NOT NULL REFERENCES periods (code),
    unit_id      TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'returned', 'accepted')),
    version      BIGINT NOT NULL,
    content      TEXT NOT NULL,
    review       TEXT,
    submitted_at TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    updated_by   TEXT NOT NULL,
    PRIMARY KEY (period, unit_id)
);

-- Every state change keeps a copy, so versions can be compared.
CREATE TABLE report_versions (
    period   TEXT NOT NULL,
    unit_id  TEXT NOT NULL,
    version  BIGINT NOT NULL,
    state    TEXT NOT NULL,
    content  TEXT NOT NULL,
    review   TEXT,
    saved_at TIMESTAMPTZ NOT NULL,
    saved_by TEXT NOT NULL,
    PRIMARY KEY (period, unit_id, version),
    FOREIGN KEY (period, unit_id) REFERENCES reports (period, unit_id)
);

-- Tệp kiểm chứng: the bytes live on disk under `id` (random), outside any served folder.
CREATE TABLE evidence_files (
    id          TEXT PRIMARY KEY,
    period      TEXT NOT NULL,
    unit_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMPTZ NOT NULL
);

-- Nhật ký: append only, each entry's hash covers the previous hash and the entry.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    unit_id   TEXT,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_by_unit ON audit_log (unit_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
