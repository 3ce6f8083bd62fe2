-- The centre's schema, version 2: conflicts between desks (SYNC.md).
--
-- A conflict is what the centre keeps instead of overwriting: two desks'
-- versions of one person that differ in a field that identifies (name,
-- birth date, sex), or two desks' valid permits of one category for one
-- person over overlapping dates. held_* is the side the centre had, pushed_*
-- the side that arrived; for a person both versions are kept whole (JSON of
-- the wire's Person), for permits their serials. A resolution names who
-- closed it, from which desk, and (for a person) what was chosen.
CREATE TABLE conflicts (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('person', 'permit')),
    person_id     TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    held_desk     TEXT NOT NULL,
    held_unit     INTEGER NOT NULL,
    pushed_desk   TEXT NOT NULL,
    pushed_unit   INTEGER NOT NULL,
    held          TEXT NOT NULL DEFAULT '',
    pushed        TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    created_at    INTEGER NOT NULL,
    resolved_at   INTEGER NOT NULL DEFAULT 0,
    resolved_by   TEXT NOT NULL DEFAULT '',
    resolved_desk TEXT NOT NULL DEFAULT '',
    resolution    TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX conflicts_person ON conflicts (person_id, status);
CREATE INDEX conflicts_status ON conflicts (status, created_at);

-- Which desk the centre's version of each person's identifying fields came
-- from: the first that pushed it, or the one whose resolution set them.
CREATE TABLE person_sources (
    person_id TEXT PRIMARY KEY,
    desk_id   TEXT NOT NULL,
    unit      INTEGER NOT NULL
) WITHOUT ROWID;

-- Every look-up of an ID number a desk made at the centre (GET
-- /v1/people/lookup): who asked, for what, and whether it was answered.
CREATE TABLE person_lookups (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    desk_id   TEXT NOT NULL,
    unit      INTEGER NOT NULL,
    id_number TEXT NOT NULL,
    at        INTEGER NOT NULL,
    outcome   TEXT NOT NULL
);
CREATE INDEX person_lookups_desk ON person_lookups (desk_id, at);
