-- Phải đổi mật khẩu: set on an account whose password someone else chose (the first
-- administrator's one-time password, a reset by an administrator); cleared when the account
-- changes its own password. While set, the account may only change its password or sign out.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- An account's own sessions are listed on its sessions page.
CREATE INDEX sessions_by_user ON sessions (user_id);
