package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // pure Go SQLite: the binary cross-compiles to Windows
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open Thông Hành database, a desk's or the central server's.
type DB struct {
	sql  *sql.DB
	path string

	clockMu sync.RWMutex
	clock   func() time.Time

	unitsMu sync.RWMutex
	units   *UnitIndex // loaded lazily; reset when units change

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // prepared once per database, reused by every Tx

	// noOutbox is set on the centre's database (DropOutbox): it pushes to
	// no one, so the ops the store's rules queue are not built at all.
	noOutbox atomic.Bool

	// The background checkpointer (checkpoint.go).
	wrote            chan struct{}
	stopCheckpoints  chan struct{}
	checkpointerDone chan struct{}
}

// Open opens (creating if needed) the SQLite file at path with WAL, foreign
// keys and a busy timeout, and brings its schema up to date. A database
// written by a newer program is refused rather than opened.
func Open(ctx context.Context, file string) (*DB, error) {
	return openAt(ctx, file, SchemaVersion())
}

// openAt is Open bringing the schema up to version only.
func openAt(ctx context.Context, file string, version int) (*DB, error) {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "wal_autocheckpoint(" + strconv.Itoa(walBackstopPages) + ")", "cache_size(-65536)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers queue at BEGIN instead of failing at COMMIT
	if err := ownerOnly(file, true); err != nil {
		return nil, err
	}
	dsn := "file:" + (&url.URL{Path: file}).EscapedPath() + "?" + q.Encode()
	sqlDB, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("mở cơ sở dữ liệu %s: %w", file, err)
	}
	db := &DB{sql: sqlDB, path: file, clock: time.Now, stmts: map[string]*sql.Stmt{}}
	if err := db.migrateTo(ctx, version); err != nil {
		sqlDB.Close()
		return nil, err
	}
	// SQLite makes the journal files with the database's mode; an older
	// desk's files are tightened here as well.
	for _, f := range []string{file + "-wal", file + "-shm"} {
		if err := ownerOnly(f, false); err != nil {
			sqlDB.Close()
			return nil, err
		}
	}
	db.startCheckpointer()
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error {
	db.stopCheckpointer()
	db.stmtMu.Lock()
	for _, s := range db.stmts {
		s.Close()
	}
	db.stmts = map[string]*sql.Stmt{}
	db.stmtMu.Unlock()
	return db.sql.Close()
}

// prepared returns the database-wide prepared statement for query. Parsing
// SQL cost more than running it on the bulk paths (submit, approve), so each
// query text is prepared once and every transaction reuses it.
func (db *DB) prepared(query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if s, ok := db.stmts[query]; ok {
		return s, nil
	}
	s, err := db.sql.Prepare(query)
	if err != nil {
		return nil, err
	}
	db.stmts[query] = s
	return s, nil
}

// Path is the file the database lives in.
func (db *DB) Path() string { return db.path }

// SQL exposes the handle for packages of the store room (store/batchsync) and tests.
func (db *DB) SQL() *sql.DB { return db.sql }

// SetClock replaces the clock; tests set it instead of sleeping.
func (db *DB) SetClock(now func() time.Time) {
	db.clockMu.Lock()
	db.clock = now
	db.clockMu.Unlock()
}

// Now is the database's idea of the current time.
func (db *DB) Now() time.Time {
	db.clockMu.RLock()
	defer db.clockMu.RUnlock()
	return db.clock()
}

// Migration is one numbered file of a schema's migrations.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// ReadMigrations reads the files migrations/NNNN_name.sql of fsys in the
// order of their numbers: the store's own, and the centre's (store/central),
// which counts its schema separately.
func ReadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		name := path.Base(e)
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		body, err := fs.ReadFile(fsys, e)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

func migrations() ([]Migration, error) { return ReadMigrations(migrationFS) }

// SchemaVersion is the newest migration this program knows (read once: the
// sync client and server ask for it on every batch).
var SchemaVersion = sync.OnceValue(func() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
})

// migrateTo applies the migrations up to version last (tests build older
// schemas with it to check an upgrade).
func (db *DB) migrateTo(ctx context.Context, last int) error {
	if _, err := db.sql.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("mở cơ sở dữ liệu %s: %w", db.path, err)
	}
	ms, err := migrations()
	if err != nil {
		return err
	}
	var have int
	if err := db.sql.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
		return err
	}
	if known := SchemaVersion(); have > known {
		return &Error{Code: ESchema, Message: fmt.Sprintf(
			"cơ sở dữ liệu %s do phiên bản Thông Hành mới hơn tạo (lược đồ số %d, chương trình này chỉ biết đến số %d): hãy cài phiên bản mới, không mở bằng bản cũ để khỏi hỏng dữ liệu",
			db.path, have, known)}
	}
	for _, m := range ms {
		if m.Version <= have || m.Version > last {
			continue
		}
		err := db.withTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().Unix())
			return err
		})
		if err != nil {
			return fmt.Errorf("nâng cấp lược đồ %s: %w", m.Name, err)
		}
	}
	return nil
}

func (db *DB) withTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Tx is one write transaction. It carries one timestamp taken at begin, so
// every row it writes agrees on "now", the statement cache, and the outbox
// ops queued until an explicit flush. The SQL transaction is not embedded:
// every statement goes through Exec, Query, QueryRow or Prepare, which keep
// the statement cache, and the few reads that must bypass the cache name
// sqlTx. What a use case caches lives in its own value (a submitBatch, a
// decisionBatch), except what is the whole transaction's: the counters,
// written back once at commit however many use cases numbered from them, and
// the audit chain's head, which every audited change in the transaction
// extends.
type Tx struct {
	sqlTx *sql.Tx
	db    *DB
	Now   time.Time
	stmts map[string]*sql.Stmt // this transaction's handles on db.prepared statements

	// counters holds counters read in this transaction, written back once at
	// commit: a bulk approval numbers thousands of permits from one read.
	counters map[string]int64
	// auditSeq and auditHead are the audit chain's head once read.
	auditLoaded bool
	auditSeq    int64
	auditHead   []byte
	// outboxQueue holds the ops enqueued and not yet written: Write flushes
	// it before COMMIT, and a statement that reads or changes the outbox in
	// a transaction that may have enqueued calls flushOutbox first.
	outboxQueue []queuedOp
	// noOutbox: the database keeps no outbox (DropOutbox), so enqueue
	// queues nothing.
	noOutbox bool
	// afterCommit runs once the transaction has committed, in order: what
	// lives outside the database (a scanner's memory) changes only with the
	// rows it mirrors.
	afterCommit []func()
}

// AfterCommit has fn run once tx has committed; never if it rolls back, or
// if a savepoint opened before this call is rolled back.
func (tx *Tx) AfterCommit(fn func()) { tx.afterCommit = append(tx.afterCommit, fn) }

// Prepare returns a transaction-bound handle on a statement prepared once
// for the database; it is closed with the transaction, not by the caller.
func (tx *Tx) Prepare(query string) (*sql.Stmt, error) {
	if s, ok := tx.stmts[query]; ok {
		return s, nil
	}
	shared, err := tx.db.prepared(query)
	if err != nil {
		return nil, err
	}
	s := tx.sqlTx.Stmt(shared)
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = s
	return s, nil
}

// Exec runs one statement through the statement cache. Only single
// statements: SQLite prepares the first of several and drops the rest.
func (tx *Tx) Exec(query string, args ...any) (sql.Result, error) {
	s, err := tx.Prepare(query)
	if err != nil {
		return nil, err
	}
	return s.Exec(args...)
}

// QueryRow runs a one-row query through the statement cache.
func (tx *Tx) QueryRow(query string, args ...any) *sql.Row {
	s, err := tx.Prepare(query)
	if err != nil {
		// Let the error surface at Scan, as sql.Tx.QueryRow does.
		return tx.sqlTx.QueryRow(query, args...)
	}
	return s.QueryRow(args...)
}

// Query runs a query through the statement cache.
func (tx *Tx) Query(query string, args ...any) (*sql.Rows, error) {
	s, err := tx.Prepare(query)
	if err != nil {
		return nil, err
	}
	return s.Query(args...)
}

// queryIn runs query, which ends in "IN", for keys in lists of up to 500
// and hands each row to scan: a batch's records in a few reads instead of one
// per key. These statements change shape with every list length, so they
// bypass the statement cache (which would otherwise keep hundreds of them);
// they must not read the outbox, whose queued ops only Exec, Query and
// QueryRow flush.
func (tx *Tx) queryIn(query string, keys []any, scan func(*sql.Rows) error) error {
	return queryIn(context.Background(), tx.sqlTx, query, keys, scan)
}

// queryIn is Tx.queryIn on any handle: a read outside a transaction (the
// queue's holders' permits) takes its keys the same way.
func queryIn(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, keys []any, scan func(*sql.Rows) error) error {
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		rows, err := q.QueryContext(ctx, query+` (?`+strings.Repeat(",?", len(part)-1)+`)`, part...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Write runs fn in a write transaction and commits when fn returns nil. Any
// error rolls everything back: nothing half-written.
func (db *DB) Write(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bắt đầu giao dịch: %w", err)
	}
	tx := &Tx{sqlTx: sqlTx, db: db, Now: db.Now(), noOutbox: db.noOutbox.Load()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flushOutbox(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := tx.flushCounters(); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("ghi giao dịch: %w", err)
	}
	db.noteWrite()
	for _, fn := range tx.afterCommit {
		fn()
	}
	return nil
}

// DB returns the database the transaction belongs to.
func (tx *Tx) DB() *DB { return tx.db }

// Setting reads a value from the settings table; ok is false when absent.
func (db *DB) Setting(ctx context.Context, key string) (value []byte, ok bool, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return value, err == nil, err
}

// Setting reads a setting inside tx; ok is false when absent.
func (tx *Tx) Setting(key string) (value []byte, ok bool, err error) {
	err = tx.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return value, err == nil, err
}

// Strings runs query, a SELECT of one text column, inside tx and returns
// its rows' values in order.
func (tx *Tx) Strings(query string, args ...any) ([]string, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Exists reports whether query, a one-row SELECT, finds a row inside tx.
func (tx *Tx) Exists(query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRow(query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// SetSetting writes a setting inside tx.
func (tx *Tx) SetSetting(key string, value []byte) error {
	_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// SetSetting writes one setting in its own transaction.
func (db *DB) SetSetting(ctx context.Context, key string, value []byte) error {
	return db.Write(ctx, func(tx *Tx) error { return tx.SetSetting(key, value) })
}

// nextCounter increments and returns a named counter inside tx. Writers are
// serialised (BEGIN IMMEDIATE), so the value read here cannot move under us.
func (tx *Tx) nextCounter(name string) (int64, error) {
	v, ok := tx.counters[name]
	if !ok {
		err := tx.QueryRow(`SELECT value FROM counters WHERE name = ?`, name).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		if tx.counters == nil {
			tx.counters = map[string]int64{}
		}
	}
	v++
	tx.counters[name] = v
	return v, nil
}

func (tx *Tx) flushCounters() error {
	for name, v := range tx.counters {
		if _, err := tx.Exec(`INSERT INTO counters (name, value) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, v); err != nil {
			return fmt.Errorf("ghi bộ đếm %s: %w", name, err)
		}
	}
	return nil
}

// Backup writes a consistent copy of the database, in use or not, to file
// (SQLite VACUUM INTO), readable by its owner only. The target must not
// exist.
func (db *DB) Backup(ctx context.Context, file string) error {
	// VACUUM INTO fills an empty file: made here, it is the owner's only
	// from the first byte (a backup holds what the database holds).
	f, err := os.OpenFile(file, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("sao lưu vào %s: %w", file, err)
	}
	f.Close()
	if _, err := db.sql.ExecContext(ctx, `VACUUM INTO ?`, file); err != nil {
		os.Remove(file)
		return fmt.Errorf("sao lưu vào %s: %w", file, err)
	}
	return nil
}

// ownerOnly makes file readable and writable by its owner only: a desk's
// database holds every officer's password hash and the desk key wrapped
// under the approvers' passwords, and the centre's holds the province's
// accounts. create makes the file (empty) when it is missing, so SQLite
// never creates it with the process's default mode.
func ownerOnly(file string, create bool) error {
	if create {
		f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			return fmt.Errorf("mở cơ sở dữ liệu %s: %w", file, err)
		}
		f.Close()
	}
	fi, err := os.Stat(file)
	if errors.Is(err, os.ErrNotExist) && !create {
		return nil
	}
	if err != nil {
		return fmt.Errorf("mở cơ sở dữ liệu %s: %w", file, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(file, fi.Mode().Perm()&0o700); err != nil {
			return fmt.Errorf("giới hạn quyền đọc %s: %w", file, err)
		}
	}
	return nil
}
