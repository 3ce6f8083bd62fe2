package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var leanNow = time.Date(2021, 9, 21, 9, 0, 0, 0, Vietnam)

func leanIntake(i int) Intake {
	return Intake{
		Person: Person{IDNumber: fmt.Sprintf("082190%06d", i), FullName: "Lê Thị Hồng", BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, Vietnam),
			Sex: SexFemale, Phone: "0912345678", Commune: 28291, Hamlet: "Ấp 3", Address: "Số 12, Ấp 3"},
		Application: Application{Category: CatResident, Purpose: PurposeMedical, Area: []uint32{28291, 28249},
			Route: "Nhà → Bệnh viện", ValidFrom: leanNow, ValidUntil: leanNow.AddDate(0, 0, 3)},
	}
}

// tableDump is every row of a table, in key order, as text.
func tableDump(t *testing.T, db *DB, table, order string) string {
	t.Helper()
	return queryDump(t, db, `SELECT * FROM `+table+` ORDER BY `+order)
}

// queryDump is every row a query returns, as text.
func queryDump(t *testing.T, db *DB, query string) string {
	t.Helper()
	rows, err := db.sql.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, vals...)
	}
	return b.String()
}

// A desk's database from before migration 3 (applications WITHOUT ROWID, a
// unique number and op_id) upgrades with every row, seq and foreign key kept.
func TestMigrationLeanWritesKeepsEveryRow(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "desk.db")
	old, err := openAt(ctx, file, 2)
	if err != nil {
		t.Fatal(err)
	}
	old.SetClock(func() time.Time { return leanNow })
	if err := old.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	ins := make([]Intake, 30)
	for i := range ins {
		ins[i] = leanIntake(i)
	}
	apps, err := old.SubmitBatch(ctx, System(), ins)
	if err != nil {
		t.Fatal(err)
	}
	// A permit references an application: the rebuild must not orphan it.
	if _, err := old.sql.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, created_at)
		VALUES ('OFF1', 'pheduyet', 'Trần Văn Duyệt', 28291, 'approver', 'x', 0)`); err != nil {
		t.Fatal(err)
	}
	if _, err := old.sql.Exec(`UPDATE applications SET status = 'approved' WHERE id = ?`, apps[7].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := old.sql.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
		valid_from, valid_until, qr, approved_by, issued_at) VALUES ('28291-1-1', ?, 28291, 1, 4, 'Lê Thị Hồng', 'le thi hong', ?, 0, 1, 'QR', 'OFF1', 0)`,
		apps[7].ID, ins[7].Person.IDNumber); err != nil {
		t.Fatal(err)
	}
	beforeApps := tableDump(t, old, "applications", "id")
	beforeOutbox := tableDump(t, old, "outbox", "seq")
	beforePermits := tableDump(t, old, "permits", "serial")
	old.Close()

	db, err := Open(ctx, file)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	var version int
	db.sql.QueryRow(`SELECT MAX(version) FROM schema_migrations`).Scan(&version)
	if version != SchemaVersion() || version < 3 {
		t.Fatalf("schema version after upgrade = %d", version)
	}
	if got := tableDump(t, db, "applications", "id"); got != beforeApps {
		t.Errorf("applications changed by the upgrade:\n%s\nwant\n%s", got, beforeApps)
	}
	if got := tableDump(t, db, "outbox", "seq"); got != beforeOutbox {
		t.Error("outbox rows or seqs changed by the upgrade")
	}
	if got := tableDump(t, db, "permits", "serial"); got != beforePermits {
		t.Error("permits changed by the upgrade")
	}
	var problems int
	db.sql.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&problems)
	if problems != 0 {
		t.Errorf("%d foreign key problems after the upgrade", problems)
	}
	var integrity string
	db.sql.QueryRow(`PRAGMA integrity_check`).Scan(&integrity)
	if integrity != "ok" {
		t.Errorf("integrity_check = %s", integrity)
	}
	// The rules the rebuilt tables must still enforce.
	if _, err := db.sql.Exec(`UPDATE applications SET status = 'maybe' WHERE id = ?`, apps[0].ID); err == nil {
		t.Error("an unknown status was accepted after the upgrade")
	}
	if _, err := db.sql.Exec(`UPDATE outbox SET state = 'lost' WHERE seq = 1`); err == nil {
		t.Error("an unknown outbox state was accepted after the upgrade")
	}
	if _, err := db.sql.Exec(`UPDATE outbox SET payload = 'edited' WHERE seq = 1`); err == nil {
		t.Error("an outbox payload was edited after the upgrade")
	}
	if _, err := db.sql.Exec(`DELETE FROM applications WHERE id = ?`, apps[7].ID); err == nil {
		t.Error("the application of a permit was deleted after the upgrade")
	}
	// And the desk goes on numbering where it was.
	db.SetClock(func() time.Time { return leanNow })
	more, err := db.SubmitBatch(ctx, System(), ins[:2])
	if err != nil {
		t.Fatal(err)
	}
	if more[0].Number == apps[0].Number || more[1].Number == apps[29].Number {
		t.Errorf("numbers reused after the upgrade: %s, %s", more[0].Number, more[1].Number)
	}
}

// The hand-written payload is byte for byte what encoding/json writes of the
// wire type, for plain and awkward text alike; a field added to
// wire.Application and not to the appender fails here.
func TestApplicationJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	texts := []string{"", "Nhà → Bệnh viện", "a\"b\\c", "<script>&", "tab\there\nnew", "\u2028\u2029", "bad \xff utf8",
		"Nguyễn Văn Đức", "emoji 😀", "\x00\x1f", "e\u0301 decomposed"}
	pick := func() string { return texts[r.IntN(len(texts))] }
	for i := range 500 {
		a := Application{ID: NewID(leanNow), Number: pick(), PersonID: pick(), Category: r.IntN(6), Purpose: r.IntN(9) - 1,
			PurposeNote: pick(), Route: pick(), ValidFrom: leanNow.Add(time.Duration(r.Int64N(1e15))),
			ValidUntil: leanNow.Add(time.Duration(r.Int64N(1e15))).In(time.UTC), HasHours: r.IntN(2) == 0,
			HoursFrom: r.IntN(1440), HoursTo: r.IntN(1440), Vehicle: pick(), Employer: r.Uint32(), EnterpriseID: pick(),
			CommandCentre: r.Uint32(), Source: pick(), Status: pick(), QueueUnit: r.Uint32(), ReceivedUnit: r.Uint32(),
			ReceivedBy: pick(), DecidedBy: pick(), Reason: pick(), Version: r.IntN(1 << 20), CreatedAt: leanNow}
		if i%3 != 0 {
			a.DecidedAt = leanNow.Add(time.Duration(r.Int64N(1e12)))
		}
		switch i % 4 {
		case 0: // nil area: null
		case 1:
			a.Area = []uint32{}
		default:
			for range 1 + r.IntN(5) {
				a.Area = append(a.Area, r.Uint32())
			}
		}
		want, err := json.Marshal(ApplicationToWire(a))
		if err != nil {
			t.Fatal(err)
		}
		if got := appendApplicationJSON(nil, &a); !bytes.Equal(got, want) {
			t.Fatalf("application %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// Inside a transaction the outbox reads its queued ops once flushed (the
// desk's outbox readers flush first); a rolled-back transaction leaves none.
func TestQueuedOutboxIsVisibleInItsTransaction(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var before int
	db.sql.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&before)
	err = db.Write(ctx, func(tx *Tx) error {
		for i := range 123 {
			if err := tx.enqueue("audit", fmt.Sprint(i), "append", map[string]int{"i": i}); err != nil {
				return err
			}
		}
		if err := tx.flushOutbox(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(`SELECT COUNT(*) FROM outbox WHERE entity = 'audit'`).Scan(&n); err != nil {
			return err
		}
		if n != 123 {
			t.Errorf("the transaction sees %d of its 123 queued ops", n)
		}
		if err := tx.enqueue("audit", "late", "append", 1); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var after int
	db.sql.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&after)
	if after-before != 124 {
		t.Errorf("committed %d ops, want 124", after-before)
	}
	// Seq order is enqueue order, payload hashes match.
	rows, err := db.sql.Query(`SELECT entity_id, payload, payload_hash FROM outbox WHERE entity = 'audit' ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var id string
		var payload, hash []byte
		rows.Scan(&id, &payload, &hash)
		if want := fmt.Sprint(i); i < 123 && id != want || i == 123 && id != "late" {
			t.Errorf("op %d is %s", i, id)
		}
		if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], hash) {
			t.Errorf("op %d: hash does not match its payload", i)
		}
		i++
	}
	rolledBack := db.Write(ctx, func(tx *Tx) error {
		tx.enqueue("audit", "never", "append", 1)
		return fmt.Errorf("bỏ")
	})
	var never int
	db.sql.QueryRow(`SELECT COUNT(*) FROM outbox WHERE entity_id = 'never'`).Scan(&never)
	if rolledBack == nil || never != 0 {
		t.Errorf("a rolled-back transaction left %d ops", never)
	}
}

// When one row of a multi-row INSERT is refused, the error names it and the
// batch writes nothing.
func TestBatchInsertNamesTheRefusedRow(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetClock(func() time.Time { return leanNow })
	if err := db.SeedProvince(ctx); err != nil {
		t.Fatal(err)
	}
	ins := make([]Intake, 120)
	for i := range ins {
		ins[i] = leanIntake(i)
	}
	apps, err := db.SubmitBatch(ctx, System(), ins)
	if err != nil {
		t.Fatal(err)
	}
	var before int
	db.sql.QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&before)
	err = db.Write(ctx, func(tx *Tx) error {
		again := make([]Application, len(apps))
		for i, a := range apps {
			a.ID, a.Number = NewID(tx.Now), fmt.Sprintf("X-%d", i)
			again[i] = a
		}
		again[73].PersonID = "nobody" // passes every check in Go, refused by the foreign key
		return tx.insertApplications(again, 0)
	})
	if err == nil || !strings.Contains(err.Error(), "hồ sơ thứ 74") {
		t.Fatalf("error = %v, want it to name application 74", err)
	}
	var after int
	db.sql.QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&after)
	if after != before {
		t.Errorf("a refused batch wrote %d applications", after-before)
	}
}

// Close stops the background checkpointer.
func TestCloseStopsTheCheckpointer(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.noteWrite()
	done := db.checkpointerDone
	db.Close()
	select {
	case <-done:
	default:
		t.Fatal("the checkpointer still runs after Close")
	}
}
