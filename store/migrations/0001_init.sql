-- Thông Hành schema, version 1. Times are Unix seconds (UTC); dates are
-- 'YYYY-MM-DD' in Vietnam time. IDs made on desks are ULIDs.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

-- Units: administrative units (the territory and its People's Committee share
-- the GSO code) and bodies (departments, agencies, the industrial-parks board,
-- command centres) with codes of their own. locality is the administrative unit
-- a body serves (a command centre's commune, a department's province).
CREATE TABLE units (
    code     INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    folded   TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('province_pc', 'district_pc', 'commune_pc',
                 'department', 'agency', 'industrial_parks', 'command_centre')),
    type     TEXT NOT NULL DEFAULT '',
    level    INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    parent   INTEGER REFERENCES units (code),
    locality INTEGER REFERENCES units (code),
    issues_cat1 INTEGER NOT NULL DEFAULT 0  -- departments: may license enterprises (Industry and Trade, Transport, ICT)
);

CREATE TABLE officers (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    unit          INTEGER NOT NULL REFERENCES units (code),
    roles         TEXT NOT NULL,           -- comma list of clerk, approver, admin, checker
    password_hash TEXT NOT NULL,           -- argon2id PHC string
    active        INTEGER NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE desks (
    id         TEXT PRIMARY KEY,
    unit       INTEGER NOT NULL REFERENCES units (code),
    number     INTEGER NOT NULL,
    label      TEXT NOT NULL,
    public_key BLOB,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (unit, number)
);

-- The desk's signing key, wrapped (argon2id + AEAD) once per approver, so a
-- clerk's login at the same PC cannot sign.
CREATE TABLE desk_key_wraps (
    desk_id    TEXT NOT NULL REFERENCES desks (id),
    officer_id TEXT NOT NULL REFERENCES officers (id),
    wrapped    BLOB NOT NULL,
    PRIMARY KEY (desk_id, officer_id)
);

CREATE TABLE enterprises (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    folded        TEXT NOT NULL,
    tax_code      TEXT NOT NULL UNIQUE,
    district      INTEGER NOT NULL REFERENCES units (code),
    managing_unit INTEGER NOT NULL REFERENCES units (code)
);

CREATE TABLE people (
    id             TEXT PRIMARY KEY,
    id_number      TEXT NOT NULL UNIQUE,
    full_name      TEXT NOT NULL,
    folded         TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    sex            TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    phone          TEXT NOT NULL DEFAULT '',
    commune        INTEGER NOT NULL REFERENCES units (code),
    hamlet         TEXT NOT NULL DEFAULT '',
    address        TEXT NOT NULL DEFAULT '',
    employer       INTEGER REFERENCES units (code),
    enterprise_id  TEXT REFERENCES enterprises (id),
    command_centre INTEGER REFERENCES units (code),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

-- Name search: a whole-name prefix (the common "nguyen van d…") walks this
-- index; words anywhere in the name go through the FTS table below.
CREATE INDEX people_folded ON people (folded);

-- Folded tokens, kept in step by triggers.
CREATE VIRTUAL TABLE people_fts USING fts5 (
    folded, content = 'people', content_rowid = 'rowid', tokenize = 'unicode61'
);
CREATE TRIGGER people_fts_ai AFTER INSERT ON people BEGIN
    INSERT INTO people_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;
CREATE TRIGGER people_fts_ad AFTER DELETE ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
END;
CREATE TRIGGER people_fts_au AFTER UPDATE OF folded ON people BEGIN
    INSERT INTO people_fts (people_fts, rowid, folded) VALUES ('delete', old.rowid, old.folded);
    INSERT INTO people_fts (rowid, folded) VALUES (new.rowid, new.folded);
END;

CREATE TABLE applications (
    id             TEXT PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
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
    source         TEXT NOT NULL CHECK (source IN ('walk_in', 'online')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'forwarded', 'approved', 'rejected', 'withdrawn')),
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
) WITHOUT ROWID; -- the ULID key orders rows by creation: one B-tree, not two
CREATE INDEX applications_queue ON applications (queue_unit, status, created_at);
CREATE INDEX applications_person ON applications (person_id);

CREATE TABLE permits (
    serial         TEXT PRIMARY KEY,
    application_id TEXT NOT NULL UNIQUE REFERENCES applications (id),
    unit           INTEGER NOT NULL REFERENCES units (code),
    desk_no        INTEGER NOT NULL,
    category       INTEGER NOT NULL,
    holder_name    TEXT NOT NULL,
    folded         TEXT NOT NULL,
    id_number      TEXT NOT NULL,
    valid_from     INTEGER NOT NULL,
    valid_until    INTEGER NOT NULL,
    qr             TEXT NOT NULL,
    approved_by    TEXT NOT NULL REFERENCES officers (id),
    issued_at      INTEGER NOT NULL,
    revoked_at     INTEGER NOT NULL DEFAULT 0,
    revoked_by     TEXT NOT NULL DEFAULT '',
    revoke_reason  TEXT NOT NULL DEFAULT '',
    printed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX permits_unit_issued ON permits (unit, issued_at);
CREATE INDEX permits_id_number ON permits (id_number);

-- Every serial this desk knows to be revoked (its own, and the province's list).
CREATE TABLE revocations (
    serial     TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    reason     TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE zones (
    id         TEXT PRIMARY KEY,
    commune    INTEGER NOT NULL REFERENCES units (code),
    name       TEXT NOT NULL,
    risk       TEXT NOT NULL CHECK (risk IN ('at_risk', 'high_risk', 'very_high_risk', 'lockdown')),
    hamlets    TEXT NOT NULL DEFAULT '',   -- newline separated; empty = the whole commune
    created_at INTEGER NOT NULL
);

CREATE TABLE markets (
    id           TEXT PRIMARY KEY,
    zone_id      TEXT NOT NULL REFERENCES zones (id),
    name         TEXT NOT NULL,
    hamlets      TEXT NOT NULL DEFAULT '', -- hamlets sent to this market, newline separated
    open_minute  INTEGER NOT NULL,
    close_minute INTEGER NOT NULL,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    CHECK (close_minute > open_minute)
);

CREATE TABLE households (
    id             TEXT PRIMARY KEY,
    commune        INTEGER NOT NULL REFERENCES units (code),
    code           TEXT NOT NULL,
    representative TEXT NOT NULL,
    folded         TEXT NOT NULL,
    id_number      TEXT NOT NULL,
    hamlet         TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    members        INTEGER NOT NULL CHECK (members > 0),
    updated_at     INTEGER NOT NULL,
    UNIQUE (commune, code)
);

CREATE TABLE vouchers (
    serial       TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    market_id    TEXT NOT NULL REFERENCES markets (id),
    slot_start   INTEGER NOT NULL,
    slot_end     INTEGER NOT NULL,
    qr           TEXT NOT NULL,
    issued_by    TEXT NOT NULL REFERENCES officers (id),
    issued_at    INTEGER NOT NULL,
    used_at      INTEGER NOT NULL DEFAULT 0,
    printed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX vouchers_household ON vouchers (household_id);

-- A scan keeps the serial and nothing else of the holder.
CREATE TABLE scan_events (
    id         TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    serial     TEXT NOT NULL,
    kind       INTEGER NOT NULL,
    verdict    TEXT NOT NULL,
    checkpoint INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    desk_id    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX scan_events_serial ON scan_events (serial);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || fields).
CREATE TABLE audit (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    at         INTEGER NOT NULL,
    officer_id TEXT NOT NULL,
    unit       INTEGER NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  BLOB NOT NULL,
    hash       BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- SYNC.md: every write the centre must know appends an op here, in the same
-- transaction as the write.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY, -- rowid: rows are never deleted, so it only grows
    op_id        TEXT NOT NULL UNIQUE,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    op           TEXT NOT NULL,
    payload      BLOB NOT NULL,
    payload_hash BLOB NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'in_flight', 'done', 'rejected', 'conflict')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, seq);
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
