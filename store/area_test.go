package store_test

import (
	"context"
	"strings"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// Finding 6 of issue 15: the 815 demo desk issued permits whose area and
// route contradict ("Phạm vi: Huyện Châu Thành", "Lộ trình: Nhà → Thành
// phố Mỹ Tho"). On the demo desks every application's area covers the
// holder's home and every district its route names, and nobody holds two
// applications of one category for the same days.
func TestDemoAreaAndRouteAgree(t *testing.T) {
	for _, unit := range []uint32{seed.DefaultUnit, 815} {
		db := openDB(t)
		if _, err := seed.Demo(context.Background(), db, seed.Options{Unit: unit, People: 300, PerCategory: 60, Seed: 1,
			PasswordParams: &cheapPasswords, KeyParams: &seal.CheapKeyParams}); err != nil {
			t.Fatal(err)
		}
		units, err := db.Units(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var districts []store.Unit
		for _, u := range units.All() {
			if u.Level == 2 {
				districts = append(districts, u)
			}
		}
		rows, err := db.SQL().Query(`SELECT a.number, a.area, a.route, p.commune, p.id_number, a.category, a.valid_from, a.valid_until
			FROM applications a JOIN people p ON p.id = a.person_id`)
		if err != nil {
			t.Fatal(err)
		}
		type span struct{ from, until int64 }
		seen := map[string][]span{}
		n := 0
		for rows.Next() {
			var number, area, route, id string
			var home uint32
			var cat int
			var from, until int64
			if err := rows.Scan(&number, &area, &route, &home, &id, &cat, &from, &until); err != nil {
				t.Fatal(err)
			}
			n++
			c := store.Case{Area: codes(area), Holder: store.Person{Commune: home}}
			if units.HomeOutside(c) {
				t.Errorf("desk %d, %s: area %s leaves out the holder's home %s", unit, number, area, units.Name(home))
			}
			for _, d := range districts {
				if !strings.Contains(route, d.Name) {
					continue
				}
				covered := false
				for _, a := range c.Area {
					covered = covered || units.Within(a, d.Code) || units.Within(d.Code, a)
				}
				if !covered {
					t.Errorf("desk %d, %s: route %q goes to %s, outside the area %s", unit, number, route, d.Name, area)
				}
			}
			key := id + "|" + string(rune('0'+cat))
			for _, s := range seen[key] {
				if from < s.until && s.from < until {
					t.Errorf("desk %d, %s: a second category-%d application for %s on the same days", unit, number, cat, id)
				}
			}
			seen[key] = append(seen[key], span{from, until})
		}
		rows.Close()
		if n == 0 {
			t.Fatalf("desk %d: no demo applications", unit)
		}
	}
}

func codes(s string) []uint32 {
	var out []uint32
	for _, p := range strings.Split(s, ",") {
		var n uint32
		for _, r := range p {
			n = n*10 + uint32(r-'0')
		}
		if n != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Approval warns when the holder's own commune is outside the area.
func TestApprovalWarnsWhenHomeIsOutsideTheArea(t *testing.T) {
	ctx := context.Background()
	db, _ := demoDB(t, 20, 2)
	clerk, approver := login(t, db, "canbo"), login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	in := walkIn()
	in.Application.Area = []uint32{28249} // Phường 5 only: not the holder's Xã Tân Mỹ Chánh
	away, err := db.Submit(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	in = walkIn()
	in.Person.IDNumber, in.Person.FullName = "082190005678", "Lê Văn Tâm"
	home, err := db.Submit(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if !queueItem(t, db, approver.Unit, away.ID).HomeOutside || queueItem(t, db, approver.Unit, home.ID).HomeOutside {
		t.Error("the queue should flag the application whose area leaves out the holder's home, and only it")
	}
	res, err := db.Approve(ctx, approver, signer, []string{away.ID, home.ID})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || !strings.Contains(res[0].Warning(false), "nằm ngoài khu vực đi lại") ||
		!strings.Contains(res[0].Warning(true), "outside the area") {
		t.Errorf("approval of a paper that does not cover the way home: %v, warning %q", res[0].Err, res[0].Warning(false))
	}
	if res[1].Err != nil || res[1].Warning(false) != "" {
		t.Errorf("approval of an ordinary paper: %v, warning %q", res[1].Err, res[1].Warning(false))
	}
}
