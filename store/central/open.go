package central

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"sync"
	"time"

	"thonghanh/store"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is a centre's database: a store database (the province's units,
// officers, people, applications, permits, audit log) with the centre's own
// tables beside the store's.
type DB struct {
	*store.DB

	// writeMu lets one of the centre's writes at a time into SQLite: a
	// push, a desk's token noted as used, an enrollment. Writers then queue
	// here, in Go, in about their order of arrival, instead of in SQLite's
	// busy handler, which is not fair: with 184 desks pushing at once, a
	// token's write waited there past the busy timeout while pushes took
	// the lock one after another.
	writeMu sync.Mutex
}

// Write runs fn in a write transaction (store.DB.Write) once the centre's
// earlier writes are done.
func (db *DB) Write(ctx context.Context, fn func(tx *store.Tx) error) error {
	db.writeMu.Lock()
	defer db.writeMu.Unlock()
	return db.DB.Write(ctx, fn)
}

// tryWrite is Write when no other write of the centre is running or
// queued ahead, else nothing: for a write that may as well be done at a
// later request.
func (db *DB) tryWrite(ctx context.Context, fn func(tx *store.Tx) error) error {
	if !db.writeMu.TryLock() {
		return nil
	}
	defer db.writeMu.Unlock()
	return db.DB.Write(ctx, fn)
}

// Open opens (creating if needed) the SQLite file at file as the store
// opens a desk's, and, when it is a centre's (InitCentral made it so),
// brings the centre's own schema up to date, and has its transactions queue
// no outbox ops (store.DB.DropOutbox). A desk's file opened here is left as
// it is, its outbox too: the callers refuse it (IsCentral).
func Open(ctx context.Context, file string) (*DB, error) {
	sdb, err := store.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	db := &DB{DB: sdb}
	if db.IsCentral(ctx) {
		db.DropOutbox()
		if err := db.migrate(ctx); err != nil {
			sdb.Close()
			return nil, err
		}
		if err := db.catchUpPeopleSearch(ctx); err != nil {
			sdb.Close()
			return nil, err
		}
	}
	return db, nil
}

// migrate applies the centre's migrations not yet applied, counted in their
// own table (central_migrations) beside the store's schema_migrations: the
// two schemas move on separately. A centre made before this package existed
// has no central_migrations and gets them all; they create only what it
// lacks.
func (db *DB) migrate(ctx context.Context) error {
	s := db.SQL()
	if _, err := s.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS central_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("mở cơ sở dữ liệu %s: %w", db.Path(), err)
	}
	ms, err := store.ReadMigrations(migrationFS)
	if err != nil {
		return err
	}
	var have int
	if err := s.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM central_migrations`).Scan(&have); err != nil {
		return err
	}
	if known := ms[len(ms)-1].Version; have > known {
		return &store.Error{Code: store.ESchema, Message: fmt.Sprintf(
			"cơ sở dữ liệu %s do phiên bản Thông Hành mới hơn tạo (lược đồ máy chủ số %d, chương trình này chỉ biết đến số %d): hãy cài phiên bản mới, không mở bằng bản cũ để khỏi hỏng dữ liệu",
			db.Path(), have, known)}
	}
	for _, m := range ms {
		if m.Version <= have {
			continue
		}
		if err := apply(ctx, s, m); err != nil {
			return fmt.Errorf("nâng cấp lược đồ máy chủ %s: %w", m.Name, err)
		}
	}
	return nil
}

func apply(ctx context.Context, s *sql.DB, m store.Migration) error {
	tx, err := s.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO central_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}
