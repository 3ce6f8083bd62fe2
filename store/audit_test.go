package store_test

import (
	"context"
	"testing"
)

func TestAuditVerifyFindsEditedAndDeletedEntries(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 30, 5)
	clerk := login(t, db, "canbo")
	for range 5 {
		if _, err := db.Submit(ctx, clerk, walkIn()); err != nil {
			t.Fatal(err)
		}
	}
	approver := login(t, db, "duyet")
	queue, _ := db.Queue(ctx, approver.Unit)
	var ids []string
	for _, q := range queue {
		if q.Authority.Allowed {
			ids = append(ids, q.ID)
		}
	}
	if _, err := db.Reject(ctx, approver, ids[:6], "Thiếu giấy tờ"); err != nil {
		t.Fatal(err)
	}
	n, problem, err := db.VerifyAudit(ctx)
	if err != nil || problem != nil || n < 6 {
		t.Fatalf("clean log: %d entries, %v, %v", n, problem, err)
	}

	// Someone with the file opens it in a SQLite tool: triggers do not stop them.
	if _, err := db.SQL().Exec(`DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE audit SET detail = 'Đủ giấy tờ' WHERE seq = 4`); err != nil {
		t.Fatal(err)
	}
	if _, problem, _ := db.VerifyAudit(ctx); problem == nil || problem.Seq != 4 {
		t.Fatalf("edited entry 4: problem = %v", problem)
	}
	if _, err := db.SQL().Exec(`UPDATE audit SET detail = 'Thiếu giấy tờ' WHERE seq = 4; DELETE FROM audit WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	if _, problem, _ := db.VerifyAudit(ctx); problem == nil || problem.Seq != 3 {
		t.Fatalf("deleted entry 3: problem = %v", problem)
	}
}

func TestAuditRefusesUpdateThroughSQL(t *testing.T) {
	db, _ := demoDB(t, 10, 1)
	if _, err := db.SQL().Exec(`UPDATE audit SET detail = 'x'`); err == nil {
		t.Fatal("audit row updated through SQL")
	}
}
