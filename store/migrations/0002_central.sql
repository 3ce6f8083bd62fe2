-- Thông Hành schema, version 2: what the central server keeps for sync
-- (SYNC.md). On a desk these tables stay empty, except that the outbox gets
-- its guard: an op is never edited once written.

-- Device tokens: the bearer token a desk got at enrollment, stored as its
-- SHA-256 only. A revoked token stays, so the desk is told why it is refused.
CREATE TABLE device_tokens (
    token_hash BLOB PRIMARY KEY,
    desk_id    TEXT NOT NULL REFERENCES desks (id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX device_tokens_desk ON device_tokens (desk_id);

-- One-time enrollment codes, stored as their SHA-256, each for one unit.
CREATE TABLE enroll_codes (
    code_hash  BLOB PRIMARY KEY,
    unit       INTEGER NOT NULL REFERENCES units (code),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER NOT NULL DEFAULT 0,
    desk_id    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Idempotency: every op a desk pushed and the server settled, kept forever.
-- The primary key, not a check-then-insert, is what stops two racing pushes
-- from applying one op twice. detail holds a conflict's current state, or the
-- payload of an entity the server archives without applying.
CREATE TABLE sync_ops (
    op_id        TEXT PRIMARY KEY,
    desk_id      TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    payload_hash BLOB NOT NULL,
    status       TEXT NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    detail       BLOB,
    received_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_ops_desk ON sync_ops (desk_id);

-- The change feed desks pull: what concerns the desks of a unit (0 = every
-- desk). The payload is read at pull time from the record's current state;
-- origin is the desk whose op caused the change (it already knows).
CREATE TABLE changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    unit       INTEGER NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    origin     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX changes_unit ON changes (unit, seq);

-- Two desks may create the same person (or enterprise) under different IDs;
-- the server keeps the first and maps the others to it.
CREATE TABLE id_aliases (
    entity TEXT NOT NULL,
    alias  TEXT NOT NULL,
    id     TEXT NOT NULL,
    PRIMARY KEY (entity, alias)
) WITHOUT ROWID;

-- Each desk's audit entries, its own hash chain, as the desk wrote them.
CREATE TABLE desk_audit (
    desk_id    TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    id         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    unit       INTEGER NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL,
    PRIMARY KEY (desk_id, seq)
) WITHOUT ROWID;

-- Officers are the province's (BRIEF.md: approving accounts are given to each
-- unit): on the server every change to one goes to its unit's desks.
CREATE TRIGGER officers_feed_insert AFTER INSERT ON officers
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.role')
BEGIN
    INSERT INTO changes (unit, entity, entity_id, created_at)
    VALUES (new.unit, 'officer', new.id, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER officers_feed_update AFTER UPDATE OF username, full_name, unit, roles, password_hash, active ON officers
WHEN EXISTS (SELECT 1 FROM settings WHERE key = 'central.role')
BEGIN
    INSERT INTO changes (unit, entity, entity_id, created_at)
    VALUES (new.unit, 'officer', new.id, CAST(strftime('%s', 'now') AS INTEGER));
END;

-- SYNC.md: a row in flight is never edited; a new edit is a new op.
CREATE TRIGGER outbox_ops_immutable BEFORE UPDATE OF op_id, entity, entity_id, op, payload, payload_hash ON outbox
BEGIN
    SELECT RAISE(ABORT, 'outbox ops are never edited: a new edit is a new op');
END;
