package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seed"
)

// walkIn is a valid category-4 walk-in for a resident of Xã Tân Mỹ Chánh.
func walkIn() store.Intake {
	return store.Intake{
		Person: store.Person{IDNumber: "082190001234", FullName: "Lê Thị Hồng", BirthDate: time.Date(1990, 3, 4, 0, 0, 0, 0, store.Vietnam),
			Sex: store.SexFemale, Phone: "0912345678", Commune: 28291, Hamlet: "Ấp 3", Address: "Số 12, Ấp 3"},
		Application: store.Application{Category: store.CatResident, Purpose: store.PurposeMedical, Area: []uint32{28291, 28249},
			Route: "Nhà → Bệnh viện Đa khoa Trung tâm", ValidFrom: sept21, ValidUntil: sept21.AddDate(0, 0, 3),
			HasHours: true, HoursFrom: 6 * 60, HoursTo: 18 * 60},
	}
}

func TestSubmitWalkInGoesToTheDecidingQueue(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk := login(t, db, "canbo")
	outboxBefore := count(t, db, "outbox")
	a, err := db.Submit(ctx, clerk, walkIn())
	if err != nil {
		t.Fatal(err)
	}
	if a.QueueUnit != 28291 || a.Status != store.StatusPending || !strings.HasPrefix(a.Number, "HS28291-1-") {
		t.Fatalf("application = queue %d, status %s, number %s", a.QueueUnit, a.Status, a.Number)
	}
	if got := count(t, db, "outbox") - outboxBefore; got != 3 { // person + application + audit entry
		t.Errorf("outbox rows written = %d, want 3", got)
	}
	q, err := db.Queue(ctx, 28291)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range q {
		if it.ID == a.ID {
			found = true
			if !it.Authority.Allowed {
				t.Errorf("own commune may not decide: %s", it.Authority.Reason)
			}
		}
	}
	if !found {
		t.Fatal("application not in its commune's queue")
	}

	// A returning person: the record is not rewritten and no person op is queued.
	outboxBefore = count(t, db, "outbox")
	if _, err := db.Submit(ctx, clerk, walkIn()); err != nil {
		t.Fatal(err)
	}
	if got := count(t, db, "outbox") - outboxBefore; got != 2 {
		t.Errorf("returning person wrote %d outbox rows, want 2 (the application and its audit entry)", got)
	}
}

func TestSubmitBadInputChangesNothing(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk := login(t, db, "canbo")
	tables := []string{"people", "applications", "outbox", "audit"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = count(t, db, tb)
	}
	cases := map[string]func(*store.Intake){
		"wrong ID number":      func(in *store.Intake) { in.Person.IDNumber = "08219000123" },
		"ID century mismatch":  func(in *store.Intake) { in.Person.IDNumber = "082390001234" },
		"emoji in name":        func(in *store.Intake) { in.Person.FullName = "Lê Thị 😀" },
		"date in the past":     func(in *store.Intake) { in.Application.ValidFrom = sept21.AddDate(0, 0, -2) },
		"until before from":    func(in *store.Intake) { in.Application.ValidUntil = in.Application.ValidFrom.Add(-time.Hour) },
		"too long for cat 4":   func(in *store.Intake) { in.Application.ValidUntil = sept21.AddDate(0, 1, 0) },
		"area that is no unit": func(in *store.Intake) { in.Application.Area = []uint32{99999} },
		"no area":              func(in *store.Intake) { in.Application.Area = nil },
		"hours reversed":       func(in *store.Intake) { in.Application.HoursFrom, in.Application.HoursTo = 18*60, 6*60 },
		"purpose of another category": func(in *store.Intake) {
			in.Application.Purpose = store.PurposeDuty
		},
		"bad phone":      func(in *store.Intake) { in.Person.Phone = "0112345678" },
		"category zero":  func(in *store.Intake) { in.Application.Category = 0 },
		"cat 2 employer": func(in *store.Intake) { in.Application.Category, in.Application.Purpose = 2, 1 },
	}
	for name, mutate := range cases {
		in := walkIn()
		mutate(&in)
		_, err := db.Submit(ctx, clerk, in)
		var se *store.Error
		if !errors.As(err, &se) || se.Code != store.EInvalid {
			t.Errorf("%s: err = %v, want an invalid-input error", name, err)
			continue
		}
		if !strings.ContainsAny(err.Error(), "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ") {
			t.Errorf("%s: message %q is not Vietnamese", name, err)
		}
	}
	// A batch with one bad intake writes none of them.
	bad := walkIn()
	bad.Person.IDNumber = "12"
	if _, err := db.SubmitBatch(ctx, clerk, []store.Intake{walkIn(), bad}); err == nil || !strings.Contains(err.Error(), "thứ 2") {
		t.Errorf("batch error = %v, want it to name the second intake", err)
	}
	for _, tb := range tables {
		if got := count(t, db, tb); got != before[tb] {
			t.Errorf("%s: %d rows after bad input, %d before", tb, got, before[tb])
		}
	}
}

func TestSearchPeopleFoldsDiacritics(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 200, 2)
	for _, q := range []string{"nguyen van duc", "Nguyễn Văn Đức", "NGUYEN VAN DUC", "nguyen van d", "van duc", "duc nguyen"} {
		got, err := db.SearchPeople(ctx, q, 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, p := range got {
			found = found || p.FullName == "Nguyễn Văn Đức"
		}
		if !found {
			t.Errorf("SearchPeople(%q) did not find Nguyễn Văn Đức (got %d people)", q, len(got))
		}
	}
	p, _ := db.SearchPeople(ctx, "nguyen van duc", 1)
	byID, err := db.SearchPeople(ctx, p[0].IDNumber[:6], 50)
	if err != nil || len(byID) == 0 {
		t.Fatalf("ID prefix search: %v, %d results", err, len(byID))
	}
	for _, q := range []string{`"`, `*`, `OR`, `nguyen" OR "`, "😀"} {
		if _, err := db.SearchPeople(ctx, q, 5); err != nil {
			t.Errorf("SearchPeople(%q) = %v, want no error for odd input", q, err)
		}
	}
	// Symbols are no word of a name: alone they find nobody, beside a name
	// they are passed over.
	for _, q := range []string{"😀", "😀🎉", ":(", "\u0301", "nguyen van duc 😀"} {
		got, err := db.SearchPeople(ctx, q, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range got {
			if q[0] != 'n' || !strings.HasPrefix(p.Folded, "nguyen") {
				t.Errorf("SearchPeople(%q) found %s", q, p.FullName)
				break
			}
		}
	}
}

func TestLoginLocksAfterFiveFailures(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 10, 1)
	for i := 1; i <= 5; i++ {
		_, err := db.Login(ctx, "canbo", "sai")
		want := store.EAuth
		if i == 5 {
			want = store.ELocked
		}
		if store.ErrorCode(err) != want {
			t.Fatalf("failure %d: %v, want %s", i, err, want)
		}
	}
	if _, err := db.Login(ctx, "canbo", seed.DemoPassword); store.ErrorCode(err) != store.ELocked {
		t.Fatalf("right password while locked: %v, want locked", err)
	}
	db.SetClock(func() time.Time { return sept21.Add(store.LockDuration + time.Second) })
	if _, err := db.Login(ctx, "canbo", seed.DemoPassword); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
	if _, err := db.Login(ctx, "nobody", seed.DemoPassword); store.ErrorCode(err) != store.EAuth {
		t.Errorf("unknown user: %v", err)
	}
}
