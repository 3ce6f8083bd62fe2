package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Format characters (Unicode Cf) are invisible and can reorder what a clerk
// reads: every text field refuses them, through CleanText.
func TestCleanTextRefusesFormatCharacters(t *testing.T) {
	for _, bad := range []string{"Nhà \u202e chợ", "Ấp\u200b3", "\ufeffẤp 3", "Ấp\u00ad3", "Ấp\u20663", "Ấp\u200d3", "Ấp\u061c3"} {
		_, err := CleanText(FieldRoute, bad, 100)
		if ErrorCode(err) != EInvalid || !strings.Contains(ErrorText(err, true), "format character") {
			t.Errorf("CleanText(%q) = %v, want an invalid format character", bad, err)
		}
	}
}

func openTrustDB(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetClock(func() time.Time { return leanNow })
	if err := db.SeedProvince(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// The desk's own entry points refuse a bidi override in every text field
// that reaches a record, and a start far ahead (the year 9999).
func TestDeskRefusesFormatCharactersAndFarValidity(t *testing.T) {
	ctx := context.Background()
	db := openTrustDB(t)
	rlo := "\u202e"
	checks := map[string]func() error{
		"route": func() error {
			in := leanIntake(1)
			in.Application.Route = "Nhà " + rlo + " chợ"
			_, err := db.Submit(ctx, System(), in)
			return err
		},
		"purpose note": func() error {
			in := leanIntake(2)
			in.Application.PurposeNote = "khám " + rlo + "bệnh"
			_, err := db.Submit(ctx, System(), in)
			return err
		},
		"address": func() error {
			in := leanIntake(3)
			in.Person.Address = "Số 12" + rlo
			_, err := db.Submit(ctx, System(), in)
			return err
		},
		"year 9999": func() error {
			in := leanIntake(4)
			in.Application.ValidFrom = time.Date(9999, 1, 1, 0, 0, 0, 0, Vietnam)
			in.Application.ValidUntil = in.Application.ValidFrom.AddDate(0, 0, 2)
			_, err := db.Submit(ctx, System(), in)
			return err
		},
		"zone name": func() error {
			_, err := db.CreateZone(ctx, System(), Zone{Commune: 28291, Name: "Vùng " + rlo, Risk: RiskHigh})
			return err
		},
		"zone hamlet": func() error {
			_, err := db.CreateZone(ctx, System(), Zone{Commune: 28291, Name: "Vùng 1", Risk: RiskHigh, Hamlets: []string{"Ấp" + rlo}})
			return err
		},
		"enterprise name": func() error {
			_, err := db.PutEnterprise(ctx, "", Enterprise{Name: "Công ty " + rlo, TaxCode: "1200100199", District: 815, ManagingUnit: 820301})
			return err
		},
		"username": func() error {
			_, err := db.CreateOfficer(ctx, "", NewOfficer{Username: "duyet" + rlo, FullName: "Trần Văn An", Unit: 28291,
				Roles: []Role{RoleClerk}, Password: "mat-khau-dai"})
			return err
		},
		"officer name": func() error {
			_, err := db.CreateOfficer(ctx, "", NewOfficer{Username: "bidi", FullName: "Trần" + rlo + " Văn", Unit: 28291,
				Roles: []Role{RoleClerk}, Password: "mat-khau-dai"})
			return err
		},
	}
	for name, f := range checks {
		if err := f(); ErrorCode(err) != EInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	if n := count(t, db, "applications") + count(t, db, "zones") + count(t, db, "enterprises"); n != 0 {
		t.Errorf("%d records written", n)
	}
	// A start within one permit's length ahead is still a request.
	in := leanIntake(5)
	in.Application.ValidFrom = StartOfDay(leanNow).AddDate(0, 0, 14)
	in.Application.ValidUntil = in.Application.ValidFrom.AddDate(0, 0, 3)
	if _, err := db.Submit(ctx, System(), in); err != nil {
		t.Errorf("a start 14 days ahead: %v", err)
	}
}

func count(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An enterprise must be managed by a unit that licenses workers: a commune
// is refused on the desk (and the centre uses the same function).
func TestEnterpriseUnderACommuneIsRefused(t *testing.T) {
	db := openTrustDB(t)
	_, err := db.PutEnterprise(context.Background(), "", Enterprise{Name: "Công ty May", TaxCode: "1200100198", District: 815, ManagingUnit: 28291})
	if ErrorCode(err) != EInvalid {
		t.Fatalf("enterprise under a commune: %v, want invalid", err)
	}
}

// Migration 7 keys processed ops by desk and op_id: every row is kept, and
// two desks may use the same op_id while one desk may not twice.
func TestMigrationSyncOpsPerDeskKeepsRows(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "central.db")
	old, err := openAt(ctx, file, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i, desk := range []string{"D1", "D2"} {
		if _, err := old.sql.Exec(`INSERT INTO sync_ops (op_id, desk_id, entity, entity_id, payload_hash, status, code, message, detail, received_at)
			VALUES (?, ?, 'application', 'A', x'01', 'accepted', '', 'đã nhận', x'02', ?)`, "OP"+desk, desk, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	const cols = `desk_id, op_id, entity, entity_id, payload_hash, status, code, message, detail, received_at`
	before := columnsDump(t, old, cols)
	old.Close()
	db, err := Open(ctx, file)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if got := columnsDump(t, db, cols); got != before {
		t.Errorf("sync_ops after upgrade:\n%s\nwant\n%s", got, before)
	}
	ins := `INSERT INTO sync_ops (desk_id, op_id, entity, entity_id, payload_hash, status, received_at) VALUES (?, ?, 'x', 'y', x'00', '', 0)`
	if _, err := db.sql.Exec(ins, "D2", "OPD1"); err != nil {
		t.Errorf("another desk's op_id refused: %v", err)
	}
	if _, err := db.sql.Exec(ins, "D1", "OPD1"); err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("the same desk's op_id twice: %v, want a unique constraint", err)
	}
}

func columnsDump(t *testing.T, db *DB, cols string) string {
	t.Helper()
	return queryDump(t, db, `SELECT `+cols+` FROM sync_ops ORDER BY desk_id, op_id`)
}

// A walk-in names the officer who took it: an empty Officer (what a blank
// --officer or a forgotten login would pass) is refused and writes nothing,
// while the citizen app's request, which has no clerk, is taken.
func TestWalkInWithoutOfficerIsRefused(t *testing.T) {
	ctx := context.Background()
	db := openTrustDB(t)
	count := func() (n int) {
		if err := db.SQL().QueryRow(`SELECT (SELECT COUNT(*) FROM applications) + (SELECT COUNT(*) FROM outbox)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if _, err := db.Submit(ctx, Officer{}, leanIntake(1)); ErrorCode(err) != EForbidden {
		t.Fatalf("walk-in without an officer: %v, want forbidden", err)
	}
	if after := count(); after != before {
		t.Fatalf("a refused walk-in wrote %d rows", after-before)
	}
	online := leanIntake(2)
	online.Application.Source = SourceOnline
	if _, err := db.Submit(ctx, Officer{}, online); err != nil {
		t.Fatalf("online request without a clerk: %v", err)
	}
}
