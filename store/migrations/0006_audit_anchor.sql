-- The audit chain's anchors (SYNC.md, "Audit continuity").
--
-- On a desk: the head of its own chain (seq and hash) that the central
-- server last acknowledged. A tail cut or rewritten at or below it no longer
-- ends in that hash, so `audit verify` sees it without asking the centre.
CREATE TABLE audit_anchor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    seq      INTEGER NOT NULL,
    hash     BLOB NOT NULL,
    acked_at INTEGER NOT NULL
);

-- A desk that synced before this table existed starts from the newest of its
-- entries whose op the centre has already answered as done.
INSERT INTO audit_anchor (id, seq, hash, acked_at)
SELECT 1, a.seq, a.hash, o.updated_at FROM audit a JOIN outbox o ON o.entity = 'audit' AND o.entity_id = a.id
WHERE o.state = 'done' ORDER BY a.seq DESC LIMIT 1;

-- On the central server: every pushed audit entry it refused because it did
-- not chain from the last one held for that desk (a gap, a fork, or an entry
-- whose hash does not recompute), kept for `server audit verify`. One row per desk, entry and hash; a resend only
-- counts again.
CREATE TABLE desk_audit_refusals (
    desk_id   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    hash      BLOB NOT NULL,
    kind      TEXT NOT NULL CHECK (kind = 'gap' OR kind = 'fork' OR kind = 'hash'),
    reason    TEXT NOT NULL,
    first_at  INTEGER NOT NULL,
    last_at   INTEGER NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (desk_id, seq, hash)
) WITHOUT ROWID;

-- What the centre holds of a desk's chain is the evidence if the desk's own
-- copy is cut or rewritten: append-only, like the desk's.
CREATE TRIGGER desk_audit_no_update BEFORE UPDATE ON desk_audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER desk_audit_no_delete BEFORE DELETE ON desk_audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
