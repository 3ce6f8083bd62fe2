package central

// The people's name index on the centre (migration 0003): kept once per
// push, not once per op.

import (
	"context"
	"fmt"

	"thonghanh/store"
)

// flushPeopleSearch brings people_fts up to date with the people rows the
// transaction noted in people_fts_queue, outside any savepoint: the old
// terms of a row out, its current ones in. A push calls it once before it
// commits, so a search never misses a committed person.
func flushPeopleSearch(tx *store.Tx) error {
	for _, q := range []string{
		`INSERT INTO people_fts (people_fts, rowid, folded) SELECT 'delete', rid, old_folded FROM people_fts_queue WHERE was_indexed = 1`,
		`INSERT INTO people_fts (rowid, folded) SELECT p.rowid, p.folded FROM people_fts_queue q JOIN people p ON p.rowid = q.rid`,
		`DELETE FROM people_fts_queue`,
	} {
		if _, err := tx.Exec(q); err != nil {
			return fmt.Errorf("cập nhật chỉ mục tìm người: %w", err)
		}
	}
	return nil
}

// catchUpPeopleSearch indexes what a write outside a push left noted (the
// centre's other writes of people are few: an online application).
func (db *DB) catchUpPeopleSearch(ctx context.Context) error {
	return db.Write(ctx, flushPeopleSearch)
}
