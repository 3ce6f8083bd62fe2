-- Idempotency is per desk (SYNC.md): an op_id is the sending desk's own, so
-- the key of a processed op is (desk_id, op_id), kept unique by the table
-- itself rather than by a check before the insert. SQLite cannot change a
-- primary key in place: the table is rebuilt with its rows.
CREATE TABLE sync_ops_per_desk (
    desk_id      TEXT NOT NULL,
    op_id        TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    payload_hash BLOB NOT NULL,
    status       TEXT NOT NULL,
    code         TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    detail       BLOB,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (desk_id, op_id)
) WITHOUT ROWID;
INSERT INTO sync_ops_per_desk (desk_id, op_id, entity, entity_id, payload_hash, status, code, message, detail, received_at)
    SELECT desk_id, op_id, entity, entity_id, payload_hash, status, code, message, detail, received_at FROM sync_ops;
DROP TABLE sync_ops;
ALTER TABLE sync_ops_per_desk RENAME TO sync_ops;
