package batchsync

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"thonghanh/store"
)

// Finding 3 of issue 15: 400 requests approved at the district, 0 permits
// on the commune desk that forwarded them (the district's approver is not
// in the commune's officer list, so the pulled permit was dropped). Two
// desks on one centre: the commune forwards, the district approves, and
// the commune keeps the permit, lists it with its own and can print it.
func TestForwardedRequestsComeHome(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const district = 815 // Thành phố Mỹ Tho, unitA's district
	if _, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: fmt.Sprintf("duyet.%d", district), FullName: "Trần Văn Huyện",
		Unit: district, Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Password: password}); err != nil {
		t.Fatal(err)
	}
	commune, upper := e.enroll(unitA), e.enroll(district)
	cc, uc := e.client(commune, nil), e.client(upper, nil)

	// A resident of the commune asks to travel out of the district.
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	app, err := commune.Submit(ctx, store.System(), store.Intake{Person: person(unitA, 915001), Application: store.Application{
		Category: store.CatResident, Purpose: store.PurposeMedical, Area: []uint32{unitA, 821}, Route: "Nhà → bệnh viện, Huyện Châu Thành → nhà",
		ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	head, err := commune.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := commune.Forward(ctx, head, []string{app.ID}); err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %v", err, res)
	}
	mustSync(t, cc)
	mustSync(t, uc)
	serial := approve(t, upper, app.ID)[0]
	mustSync(t, uc)
	mustSync(t, cc)

	pm, err := commune.Permit(ctx, serial)
	if err != nil {
		t.Fatalf("the commune that forwarded the request has no permit %s: %v", serial, err)
	}
	if pm.Unit != district || pm.ApplicationID != app.ID {
		t.Errorf("pulled permit %+v", pm)
	}
	listed, err := commune.Permits(ctx, store.PermitFilter{Unit: unitA, Received: true})
	if err != nil || len(listed) != 1 || listed[0].Serial != serial {
		t.Errorf("the commune's Giấy đã cấp lists %d permits (%v), want the district's %s", len(listed), err, serial)
	}
	// The district's approver is known by the centre's record only: no
	// account that could log in on the commune's desk.
	o, err := commune.Officer(ctx, pm.ApprovedBy)
	if err != nil {
		t.Fatalf("the permit's approver is unknown on the commune desk: %v", err)
	}
	if o.Active || len(o.Roles) > 0 && o.Roles[0] != "" {
		t.Errorf("the district's approver became an account of the commune desk: %+v", o)
	}
	if _, err := commune.Login(ctx, o.Username, ""); err == nil {
		t.Error("the recorded approver can log in on the commune desk")
	}
	a, _ := commune.Application(ctx, app.ID)
	if a.Status != store.StatusApproved {
		t.Errorf("application on the commune desk: %s", a.Status)
	}
}

// A revocation's notice, with its reason, goes to the desks holding the
// permit: the district that issued it and the commune that forwarded the
// request. A desk of another commune gets no notice and still holds the
// serial as revoked, from the signed list (issue 16: a notice to every desk
// made a new desk replay a month of the province's revocations).
func TestRevocationNoticeGoesToTheDesksHoldingThePermit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const district = 815 // Thành phố Mỹ Tho, unitA's district
	if _, err := e.central.CreateOfficer(ctx, "", store.NewOfficer{Username: fmt.Sprintf("duyet.%d", district), FullName: "Trần Văn Huyện",
		Unit: district, Roles: []store.Role{store.RoleApprover, store.RoleClerk}, Password: password}); err != nil {
		t.Fatal(err)
	}
	commune, upper, other := e.enroll(unitA), e.enroll(district), e.enroll(unitB)
	cc, uc := e.client(commune, nil), e.client(upper, nil)
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	app, err := commune.Submit(ctx, store.System(), store.Intake{Person: person(unitA, 915002), Application: store.Application{
		Category: store.CatResident, Purpose: store.PurposeMedical, Area: []uint32{unitA, 821}, Route: "Nhà → bệnh viện, Huyện Châu Thành → nhà",
		ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, 2)}})
	if err != nil {
		t.Fatal(err)
	}
	head, err := commune.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := commune.Forward(ctx, head, []string{app.ID}); err != nil || res[0].Err != nil {
		t.Fatalf("forward: %v %v", err, res)
	}
	mustSync(t, cc)
	mustSync(t, uc)
	serial := approve(t, upper, app.ID)[0]
	mustSync(t, uc)
	mustSync(t, cc)
	chief, err := upper.Login(ctx, fmt.Sprintf("duyet.%d", district), password)
	if err != nil {
		t.Fatal(err)
	}
	const reason = "người được cấp đã khỏi bệnh"
	if err := upper.Revoke(ctx, chief, serial, reason); err != nil {
		t.Fatal(err)
	}
	mustSync(t, uc)

	notices := func(desk *store.DB) int {
		n := 0
		c := e.client(desk, func(rt http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := rt.RoundTrip(r)
				if err != nil || r.URL.Path != PathPull {
					return resp, err
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					return nil, err
				}
				var page store.ChangePage
				if err := json.Unmarshal(body, &page); err != nil {
					return nil, err
				}
				for _, c := range page.Changes {
					if c.Entity == store.ChangeRevocation && c.ID == serial {
						n++
					}
				}
				resp.Body = io.NopCloser(bytes.NewReader(body))
				return resp, nil
			})
		})
		mustSync(t, c)
		return n
	}
	if n := notices(commune); n != 1 {
		t.Fatalf("the commune that forwarded the request pulled %d notices of %s, want 1", n, serial)
	}
	pm, err := commune.Permit(ctx, serial)
	if err != nil || pm.RevokedAt.IsZero() || pm.RevokeReason != reason {
		t.Fatalf("the commune's permit %s: revoked %v, reason %q (%v); want revoked for %q", serial, pm.RevokedAt, pm.RevokeReason, err, reason)
	}
	if n := notices(other); n != 0 {
		t.Fatalf("a desk of another commune pulled %d notices of %s, want none (the list names it)", n, serial)
	}
	if revoked, err := other.IsRevoked(ctx, serial); err != nil || !revoked {
		t.Fatalf("the other commune's desk does not hold %s as revoked (%v)", serial, err)
	}
}
