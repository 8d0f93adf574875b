-- Đã bãi bỏ: a procedure that a whole-catalogue import (`--replace`) no longer lists. Kept, for
-- its dossiers; left out of the catalogue measures.
ALTER TABLE procedures ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
