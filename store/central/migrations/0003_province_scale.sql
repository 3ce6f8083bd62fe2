-- The centre's schema, version 3: the centre at province scale.
--
-- 1. People's name index kept at the end of a push, not at every op.
--
-- A push applies in one transaction with a savepoint per op, and SQLite's
-- FTS5 writes its pending terms to disk at every savepoint it is released
-- from: one index segment per pushed person, a fifth of the centre's time.
-- On the centre the store's triggers are replaced by ones that note the
-- person's row here; the centre indexes the noted rows once, before the
-- push commits (flushPeopleSearch), so a search sees every committed
-- person. was_indexed says whether people_fts holds old_folded for the row
-- (a row made in the push has nothing to remove); the first note of a row
-- in a push is the one kept.
CREATE TABLE IF NOT EXISTS people_fts_queue (
    rid         INTEGER PRIMARY KEY,
    was_indexed INTEGER NOT NULL,
    old_folded  TEXT
);
DROP TRIGGER IF EXISTS people_fts_ai;
DROP TRIGGER IF EXISTS people_fts_ad;
DROP TRIGGER IF EXISTS people_fts_au;
CREATE TRIGGER IF NOT EXISTS people_fts_queue_ai AFTER INSERT ON people BEGIN
    INSERT INTO people_fts_queue (rid, was_indexed, old_folded) VALUES (new.rowid, 0, NULL) ON CONFLICT (rid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS people_fts_queue_ad AFTER DELETE ON people BEGIN
    INSERT INTO people_fts_queue (rid, was_indexed, old_folded) VALUES (old.rowid, 1, old.folded) ON CONFLICT (rid) DO NOTHING;
END;
CREATE TRIGGER IF NOT EXISTS people_fts_queue_au AFTER UPDATE OF folded ON people BEGIN
    INSERT INTO people_fts_queue (rid, was_indexed, old_folded) VALUES (old.rowid, 1, old.folded) ON CONFLICT (rid) DO NOTHING;
END;

-- 2. A compacted feed. A change names a record whose current state a pull
-- sends, so a newer change of the same record for the same desks (or more)
-- makes the older one say nothing more: feed() deletes it, and the feed
-- holds each record about once, however often it changed (one revocation
-- list, not one per revocation). This index finds the older one.
CREATE INDEX IF NOT EXISTS changes_entity ON changes (entity, entity_id, unit);
