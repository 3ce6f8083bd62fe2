package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/storetest"
)

// TestPermitRevokedByProvinceList: a permit whose serial reaches the desk
// only in the province's signed revocation list (another desk revoked it,
// or the centre did) reads as revoked, with the list's time and reason,
// wherever the desk reads permits: one, a list, a person's, an
// application's. The permit's own row is left as it was; revoking it again
// is refused.
func TestPermitRevokedByProvinceList(t *testing.T) {
	ctx := context.Background()
	db, res := demoDB(t, 20, 2)
	approver, signer := storetest.Approver(t, db)
	approved := storetest.ApproveFirst(t, db, approver, signer, 2)
	listed, kept := approved[0].Serial, approved[1].Serial

	raw, err := seal.SignRevocationList(res.RootKey, seal.RevocationList{Sequence: 1000, IssuedAt: sept21, Serials: []string{listed}})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(store.SignedList{Raw: raw})
	if err := db.ApplyChanges(ctx, []store.Change{{Seq: 1, Entity: store.ChangeRevocationList, ID: "revocations", Payload: payload}}, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.IsRevoked(ctx, listed); !ok || err != nil {
		t.Fatalf("test premise: the list put %s on the desk's revocations: %v %v", listed, ok, err)
	}
	var own int64
	if err := db.SQL().QueryRow(`SELECT revoked_at FROM permits WHERE serial = ?`, listed).Scan(&own); err != nil || own != 0 {
		t.Fatalf("test premise: the permit's row is untouched by the list, revoked_at %d, %v", own, err)
	}

	check := func(how string, p store.Permit) {
		t.Helper()
		switch p.Serial {
		case listed:
			if p.RevokedAt.IsZero() || p.RevokeReason != "danh sách thu hồi của tỉnh" {
				t.Errorf("%s: %s on the province's list reads revoked at %v, reason %q", how, p.Serial, p.RevokedAt, p.RevokeReason)
			}
		case kept:
			if !p.RevokedAt.IsZero() || p.RevokeReason != "" {
				t.Errorf("%s: %s not on any list reads revoked at %v (%q)", how, p.Serial, p.RevokedAt, p.RevokeReason)
			}
		}
	}
	p, err := db.Permit(ctx, listed)
	if err != nil {
		t.Fatal(err)
	}
	check("Permit", p)
	if p, err = db.Permit(ctx, kept); err != nil {
		t.Fatal(err)
	}
	check("Permit", p)
	for _, f := range []store.PermitFilter{
		{Unit: approver.Unit, Received: true},
		{Unit: approver.Unit},
		{Serials: []string{listed, kept}},
		{Query: listed},
		{IDNumber: p.IDNumber},
	} {
		ps, err := db.Permits(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, p := range ps {
			if p.Serial == listed || p.Serial == kept {
				seen++
			}
			check("Permits", p)
		}
		if seen == 0 {
			t.Errorf("Permits(%+v) lists neither permit", f)
		}
	}
	pm, err := store.PermitOfApplication(db.SQL(), approved[0].ApplicationID)
	if err != nil {
		t.Fatal(err)
	}
	check("PermitOfApplication", pm)

	// Revoking it again is refused as for any revoked permit, and
	// nothing more goes to the centre.
	ops := count(t, db, "outbox")
	if err := db.Revoke(ctx, approver, listed, "Mất giấy"); store.ErrorCode(err) != store.EConflict {
		t.Errorf("revoking %s, already on the province's list: %v, want a conflict", listed, err)
	}
	if n := count(t, db, "outbox"); n != ops {
		t.Errorf("the refused revocation queued %d ops", n-ops)
	}
}

// BenchmarkPermitsList: the issued permits' screen's read (every permit of
// the unit and those it received, as tui/permits loads them) and a name
// search, on a desk of 10,000 permits of which 1,000 are on the
// province's revocation list only.
//
//	go test -run '^$' -bench 'BenchmarkPermitsList$' ./store/
func BenchmarkPermitsList(b *testing.B) {
	const permits, listed = 10_000, 1_000
	ctx := context.Background()
	template, officer, signer := bulkTemplate(b, permits)
	db := copyDB(b, template)
	defer db.Close()
	ids := pendingIDs(b, db, officer.Unit)
	var serials []string
	for c := 0; c < permits; c += approveChunk {
		res, err := db.Approve(ctx, officer, signer, ids[c:min(c+approveChunk, permits)])
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatalf("%s: %v", r.ApplicationID, r.Err)
			}
			serials = append(serials, r.Serial)
		}
	}
	if err := db.Write(ctx, func(tx *store.Tx) error {
		for _, s := range serials[:listed] {
			if err := tx.AddRevocation(s, "danh sách thu hồi của tỉnh"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    store.PermitFilter
	}{
		{"unit", store.PermitFilter{Unit: officer.Unit, Received: true}},
		{"name", store.PermitFilter{Unit: officer.Unit, Received: true, Query: "nguyen van a"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n, loops, cpu0 := 0, 0, storetest.ProcessCPU()
			for b.Loop() {
				ps, err := db.Permits(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(ps)
				loops++
			}
			b.ReportMetric(float64(n), "permits")
			// CPU time per read holds steady on a shared machine; the
			// wall time does not.
			if cpu := storetest.ProcessCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(loops), "cpu-ms/op")
			}
		})
	}
}
