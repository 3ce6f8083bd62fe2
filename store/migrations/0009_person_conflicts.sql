-- What the centre found about the desk's people (SYNC.md, the feed's
-- conflict change): two desks' versions of one person that differ in name,
-- birth date or sex, or two desks' overlapping permits. Kept as pulled
-- (payload: the wire's Conflict); status is the centre's, or 'resolving'
-- once a clerk here has chosen and the resolution waits to be pushed.
CREATE TABLE person_conflicts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    id_number  TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('open', 'resolving', 'resolved')),
    payload    TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX person_conflicts_person ON person_conflicts (id_number, status);
CREATE INDEX person_conflicts_status ON person_conflicts (status);
