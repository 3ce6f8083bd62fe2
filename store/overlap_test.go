package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seed"
)

// queueItem finds application id in unit's queue.
func queueItem(t *testing.T, db *store.DB, unit uint32, id string) store.QueueItem {
	t.Helper()
	q, err := db.Queue(context.Background(), unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("%s is not in the queue of %d", id, unit)
	return store.QueueItem{}
}

// Finding 2 of issue 15: a person with a valid category-4 permit for
// 21–24/09 got a second one for 23–24/09 without a word.
func TestSecondOverlappingPermitNeedsAReason(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	first, err := db.Submit(ctx, clerk, walkIn())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := db.Approve(ctx, approver, signer, []string{first.ID}); err != nil || res[0].Err != nil {
		t.Fatalf("first approval: %v %v", err, res)
	}
	in := walkIn()
	in.Application.ValidFrom = sept21.AddDate(0, 0, 2)
	second, err := db.Submit(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if !queueItem(t, db, approver.Unit, second.ID).Duplicate {
		t.Error("the queue does not mark the second application as a duplicate of the valid permit")
	}
	// Another category, or days after the permit ends, is no duplicate.
	later := walkIn()
	later.Application.ValidFrom, later.Application.ValidUntil = sept21.AddDate(0, 0, 3), sept21.AddDate(0, 0, 5)
	after, err := db.Submit(ctx, clerk, later)
	if err != nil {
		t.Fatal(err)
	}
	if queueItem(t, db, approver.Unit, after.ID).Duplicate {
		t.Error("an application for the days after the permit is marked a duplicate")
	}

	permits := count(t, db, "permits")
	res, err := db.Approve(ctx, approver, signer, []string{second.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res[0].Err, store.ErrOverlap) || store.ErrorCode(res[0].Err) != store.EConflict {
		t.Fatalf("second overlapping permit: %v, want a refusal wrapping ErrOverlap", res[0].Err)
	}
	if !strings.Contains(res[0].Err.Error(), "28291-1-2021-") || count(t, db, "permits") != permits {
		t.Errorf("refusal %q should name the valid permit, and nothing be issued", res[0].Err)
	}
	// With a reason it is issued, and the reason is in the audit log.
	res, err = db.ApproveOverlapping(ctx, approver, signer, []string{second.ID}, "giấy trước bị mất, cấp lại")
	if err != nil || res[0].Err != nil || res[0].Serial == "" {
		t.Fatalf("approval with a reason: %v %+v", err, res)
	}
	var detail string
	if err := db.SQL().QueryRow(`SELECT detail FROM audit WHERE action = ? AND entity_id = ?`, store.ActionApproveOverlap, second.ID).
		Scan(&detail); err != nil || !strings.Contains(detail, "giấy trước bị mất") {
		t.Errorf("audit of the overridden overlap: %q, %v", detail, err)
	}
	if ok, _, err := db.VerifyAudit(ctx); err != nil || ok == 0 {
		t.Fatalf("audit verify: %d, %v", ok, err)
	}
	// A revoked permit is no longer valid: it does not block.
	if err := db.Revoke(ctx, approver, res[0].Serial, "cấp trùng"); err != nil {
		t.Fatal(err)
	}
	if err := db.Revoke(ctx, approver, firstSerial(t, db, first.ID), "cấp trùng"); err != nil {
		t.Fatal(err)
	}
	third, err := db.Submit(ctx, clerk, walkIn())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := db.Approve(ctx, approver, signer, []string{third.ID}); err != nil || res[0].Err != nil {
		t.Errorf("approval after both permits were revoked: %v %v", err, res[0].Err)
	}
}

func firstSerial(t *testing.T, db *store.DB, appID string) string {
	t.Helper()
	var serial string
	if err := db.SQL().QueryRow(`SELECT serial FROM permits WHERE application_id = ?`, appID).Scan(&serial); err != nil {
		t.Fatal(err)
	}
	return serial
}

// One bulk approval issued two identical category-4 papers to one person.
func TestBulkApprovalIssuesOnePaperPerPersonAndPurpose(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for range 2 {
		a, err := db.Submit(ctx, clerk, walkIn())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, id := range ids {
		if !queueItem(t, db, approver.Unit, id).Duplicate {
			t.Errorf("the queue does not mark %s, one of two same-dates applications of one person", id)
		}
	}
	res, err := db.Approve(ctx, approver, signer, ids)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || !errors.Is(res[1].Err, store.ErrOverlap) {
		t.Fatalf("bulk of two same-dates applications: %v / %v, want one permit and one overlap refusal", res[0].Err, res[1].Err)
	}
	// The demo queue has no duplicate at all.
	q, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range q {
		if it.Duplicate && it.ID != ids[1] {
			t.Errorf("demo application %s (%s) is marked a duplicate", it.Number, it.Name)
		}
	}
}

// A permit on the province's revocation list is no longer valid, though
// the desk's own row of it was never marked: it does not block.
func TestPermitOnTheRevocationListDoesNotBlock(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := db.Submit(ctx, clerk, walkIn())
	res, err := db.Approve(ctx, approver, signer, []string{first.ID})
	if err != nil || res[0].Err != nil {
		t.Fatalf("%v %v", err, res)
	}
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.AddRevocation(res[0].Serial, "danh sách thu hồi của tỉnh") }); err != nil {
		t.Fatal(err)
	}
	second, _ := db.Submit(ctx, clerk, walkIn())
	if queueItem(t, db, approver.Unit, second.ID).Duplicate {
		t.Error("a permit on the revocation list marks the new application a duplicate")
	}
	if res, err := db.Approve(ctx, approver, signer, []string{second.ID}); err != nil || res[0].Err != nil {
		t.Errorf("approval after the permit was revoked by the province's list: %v %v", err, res[0].Err)
	}
}

// The queue marks a duplicate from its holders' permits alone: the marks are
// the ones a pass over every valid permit of the desk gives (the old load),
// on a desk with valid, revoked, listed, earlier and queue-internal overlaps
// and many permits of people not in the queue.
func TestQueueMarksMatchEveryValidPermit(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 40, 4)
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	of := func(i, startDay, days int) store.Intake {
		in := walkIn()
		in.Person.IDNumber = fmt.Sprintf("0821900099%02d", i)
		in.Person.FullName = "Lê Thị " + spell(i)
		in.Application.ValidFrom = sept21.AddDate(0, 0, startDay)
		in.Application.ValidUntil = in.Application.ValidFrom.AddDate(0, 0, days)
		return in
	}
	submit := func(in store.Intake) string {
		t.Helper()
		a, err := db.Submit(ctx, clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	issue := func(in store.Intake) string {
		t.Helper()
		res, err := db.Approve(ctx, approver, signer, []string{submit(in)})
		if err != nil || res[0].Err != nil {
			t.Fatalf("approve: %v %v", err, res)
		}
		return res[0].Serial
	}
	issue(of(1, 0, 3)) // valid: the new one overlaps it
	submit(of(1, 2, 3))
	revoked := issue(of(2, 0, 3)) // revoked at the desk
	if err := db.Revoke(ctx, approver, revoked, "cấp nhầm"); err != nil {
		t.Fatal(err)
	}
	submit(of(2, 0, 3))
	listed := issue(of(3, 0, 3)) // on the province's list
	if err := db.Write(ctx, func(tx *store.Tx) error { return tx.AddRevocation(listed, "danh sách thu hồi của tỉnh") }); err != nil {
		t.Fatal(err)
	}
	submit(of(3, 0, 3))
	issue(of(4, 0, 2)) // ends before the new one starts
	submit(of(4, 2, 2))
	submit(of(5, 0, 3)) // two of the queue's own
	submit(of(5, 1, 3))
	for i := 10; i < 40; i++ { // permits of people not in the queue
		issue(of(i, 0, 3))
	}

	q, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		t.Fatal(err)
	}
	// Every valid permit of the desk, as the old load read them.
	type permit struct {
		id       string
		category int
		from, to int64
	}
	var all []permit
	rows, err := db.SQL().Query(`SELECT id_number, category, valid_from, valid_until FROM permits pm
		WHERE revoked_at = 0 AND valid_until > ? AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = pm.serial)`, sept21.Unix())
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p permit
		if err := rows.Scan(&p.id, &p.category, &p.from, &p.to); err != nil {
			t.Fatal(err)
		}
		all = append(all, p)
	}
	rows.Close()
	marked := 0
	for i, it := range q {
		want := false
		for _, p := range all {
			if p.id == it.IDNumber && p.category == it.Category && p.from < it.ValidUntil.Unix() && it.ValidFrom.Unix() < p.to {
				want = true
			}
		}
		for j, other := range q {
			if j != i && other.IDNumber == it.IDNumber && other.Category == it.Category &&
				other.ValidFrom.Before(it.ValidUntil) && it.ValidFrom.Before(other.ValidUntil) {
				want = true
			}
		}
		if it.Duplicate != want {
			t.Errorf("%s (%s, %s): duplicate %v, want %v", it.Number, it.Name, it.IDNumber, it.Duplicate, want)
		}
		if it.Duplicate {
			marked++
		}
	}
	if marked != 3 || len(all) < 30 {
		t.Errorf("%d rows marked of %d, with %d valid permits: want 3 (one over a permit, two of one holder)", marked, len(q), len(all))
	}
}
