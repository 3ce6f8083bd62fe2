-- Lean writes: what a walk-in batch and a bulk approval write per row, made
-- cheaper without changing a single value (issue 2's 20,000 applications a
-- second, issue 4's bulk approval within 3× of its floor).
--
-- 1. applications becomes an ordinary rowid table. As WITHOUT ROWID every
--    new row went into an index B-tree, which splits a page with a full
--    rebalance every dozen rows; a rowid table appends with a quick split.
-- 2. The application number keeps NOT NULL but loses its UNIQUE index on the
--    desk: it is unique by construction (unit, desk, that desk's counter) and
--    nothing looks an application up by number. The central server, where
--    every desk's numbers meet, adds a unique index of its own (store/central
--    migration 0001).
-- 3. The outbox's op_id loses its UNIQUE index: op IDs are ULIDs made by this
--    desk, and what guarantees exactly-once is the server's table of
--    processed ops, keyed by op_id (SYNC.md), which keeps its constraint.
-- 4. CHECK (x IN (a, b, c, ...)) built a temporary B-tree for the list in
--    every statement that wrote the column; the same checks are OR chains.
--
-- Rows are kept as they are (seq, ids, everything). permits reference
-- applications: the foreign key checks are deferred to COMMIT so that the
-- table can be dropped and filled again inside this one transaction.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE applications_copy AS SELECT * FROM applications;
DROP TABLE applications;
CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    number         TEXT NOT NULL,
    person_id      TEXT NOT NULL REFERENCES people (id),
    category       INTEGER NOT NULL CHECK (category BETWEEN 1 AND 5),
    purpose        INTEGER NOT NULL CHECK (purpose BETWEEN 1 AND 8),
    purpose_note   TEXT NOT NULL DEFAULT '',
    area           TEXT NOT NULL,          -- unit codes, comma separated
    route          TEXT NOT NULL DEFAULT '',
    valid_from     INTEGER NOT NULL,
    valid_until    INTEGER NOT NULL,
    hours_from     INTEGER,
    hours_to       INTEGER,
    vehicle        TEXT NOT NULL DEFAULT '',
    employer       INTEGER REFERENCES units (code),
    enterprise_id  TEXT REFERENCES enterprises (id),
    command_centre INTEGER REFERENCES units (code),
    source         TEXT NOT NULL CHECK (source = 'walk_in' OR source = 'online'),
    status         TEXT NOT NULL CHECK (status = 'pending' OR status = 'forwarded' OR status = 'approved'
                                        OR status = 'rejected' OR status = 'withdrawn'),
    queue_unit     INTEGER NOT NULL REFERENCES units (code),
    received_unit  INTEGER NOT NULL REFERENCES units (code),
    received_by    TEXT NOT NULL DEFAULT '',
    decided_by     TEXT NOT NULL DEFAULT '',
    decided_at     INTEGER NOT NULL DEFAULT 0,
    reason         TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK (valid_until > valid_from)
);
INSERT INTO applications SELECT * FROM applications_copy ORDER BY id;
DROP TABLE applications_copy;
CREATE INDEX applications_queue ON applications (queue_unit, status, created_at);
CREATE INDEX applications_person ON applications (person_id);

CREATE TEMP TABLE outbox_copy AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY, -- rowid: rows are never deleted, so it only grows
    op_id        TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    op           TEXT NOT NULL,
    payload      BLOB NOT NULL,
    payload_hash BLOB NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state = 'pending' OR state = 'in_flight' OR state = 'done' OR state = 'rejected' OR state = 'conflict'),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
INSERT INTO outbox SELECT * FROM outbox_copy ORDER BY seq;
DROP TABLE outbox_copy;
CREATE INDEX outbox_state ON outbox (state, seq);
-- SYNC.md: a row in flight is never edited; a new edit is a new op.
CREATE TRIGGER outbox_ops_immutable BEFORE UPDATE OF op_id, entity, entity_id, op, payload, payload_hash ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox ops are never edited: a new edit is a new op');
END;
