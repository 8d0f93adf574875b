-- Phiên bản kế hoạch: the revision of a stored plan's document, one more at every replace, so
-- that a process may keep the parsed document keyed by (plan id, revision) and check the
-- revision, one small query, on every read: another server's replace shows at once.
ALTER TABLE plans ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
