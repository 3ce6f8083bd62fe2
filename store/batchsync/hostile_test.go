package batchsync

// A hostile desk: an attacker holding one enrolled desk's token (and its
// key) pushes crafted ops straight to a real server on loopback. Each case
// checks that the op is refused and that the province's signed revocation
// list, its permits, applications and the other records are exactly as
// before: a refused op changes nothing but its own result row.

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// hostileEnv is a centre with desks A and A2 of commune A and B of commune B.
type hostileEnv struct {
	*env
	a, a2, b    *store.DB
	ca, ca2, cb *Client
}

func newHostileEnv(t *testing.T) *hostileEnv {
	t.Helper()
	h := &hostileEnv{env: newEnv(t)}
	h.a, h.a2, h.b = h.enroll(unitA), h.enroll(unitA), h.enroll(unitB)
	h.ca, h.ca2, h.cb = h.client(h.a, nil), h.client(h.a2, nil), h.client(h.b, nil)
	return h
}

// centralState is every record a hostile op could harm, as text: the signed
// revocation list (its exact bytes: a re-signing shows), the revocations,
// permits, applications, people, enterprises, zones, markets and accounts.
func centralState(t *testing.T, central *store.DB) string {
	t.Helper()
	raw, _, err := central.Setting(context.Background(), store.SettingRevocation)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "revocation list %s\n", hex.EncodeToString(raw))
	for _, q := range []string{
		`SELECT serial, reason FROM revocations ORDER BY serial`,
		`SELECT serial, application_id, unit, desk_no, revoked_at, qr FROM permits ORDER BY serial`,
		`SELECT id, number, status, version, queue_unit, received_unit, route, valid_from, valid_until, COALESCE(decided_by, '') FROM applications ORDER BY id`,
		`SELECT id, id_number, full_name, commune, hamlet, address, version FROM people ORDER BY id`,
		`SELECT id, name, tax_code, district, managing_unit FROM enterprises ORDER BY id`,
		`SELECT id, commune, name, risk, hamlets FROM zones ORDER BY id`,
		`SELECT id, zone_id, name FROM markets ORDER BY id`,
		`SELECT id, username, unit, roles, active, password_hash FROM officers ORDER BY id`,
	} {
		rows, err := central.SQL().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
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
		rows.Close()
	}
	return b.String()
}

var hostileSeq atomic.Int64

// hostileOp is an op as a modified desk would put on the wire.
func hostileOp(t *testing.T, entity, id string, payload any) store.PushOp {
	t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return store.PushOp{OpID: fmt.Sprintf("hostile-%d-%s", hostileSeq.Add(1), store.NewID(time.Now())), Entity: entity, EntityID: id,
		Op: "put", Payload: raw}
}

// attack pushes one op from desk and checks it is refused with one of want
// and that the centre's records are untouched.
func (h *hostileEnv) attack(t *testing.T, desk *store.DB, op store.PushOp, want ...string) store.OpResult {
	t.Helper()
	before := centralState(t, h.central.DB)
	res := rawPush(t, h.env, desk, []store.PushOp{op})
	if len(res) != 1 {
		t.Fatalf("%d results for one op", len(res))
	}
	r := res[0]
	ok := false
	for _, w := range want {
		ok = ok || r.Status == w
	}
	if !ok || r.Revoked != "" {
		t.Errorf("%s op: %s %s %q (revoked %q), want one of %v and nothing revoked", op.Entity, r.Status, r.Code, r.Message, r.Revoked, want)
	}
	if after := centralState(t, h.central.DB); after != before {
		t.Errorf("a refused %s op changed the centre:\nbefore\n%s\nafter\n%s", op.Entity, before, after)
	}
	return r
}

func (h *hostileEnv) approverID(t *testing.T, desk *store.DB) string {
	t.Helper()
	d, _ := desk.Desk(context.Background())
	o, err := desk.Login(context.Background(), fmt.Sprintf("duyet.%d", d.Unit), password)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// approval is a decision op approving app with the permit qr.
func (h *hostileEnv) approval(t *testing.T, desk *store.DB, app store.Application, serial, qr string) store.PushOp {
	t.Helper()
	d, _ := desk.Desk(context.Background())
	return hostileOp(t, "decision", app.ID, store.Decision{ApplicationID: app.ID, ExpectedVersion: app.Version, Outcome: store.StatusApproved,
		Officer: h.approverID(t, desk), Unit: d.Unit, At: desk.Now().Unix(), Permit: &store.Permit{Serial: serial, ApplicationID: app.ID, QR: qr}})
}

func permitQR(t *testing.T, desk *store.DB, serial string) string {
	t.Helper()
	p, err := desk.Permit(context.Background(), serial)
	if err != nil {
		t.Fatal(err)
	}
	return p.QR
}

// pushAllBut sends the desk's pending ops except its decisions, so the
// centre holds the applications but not the permits the desk sealed.
func pushAllBut(t *testing.T, e *env, desk *store.DB, entity string) {
	t.Helper()
	var ops []store.PushOp
	for _, o := range pendingOps(t, desk) {
		if o.Entity != entity {
			ops = append(ops, o)
		}
	}
	for _, r := range rawPush(t, e, desk, ops) {
		if r.Status != store.PushAccepted {
			t.Fatalf("setup op %s: %s %s", r.OpID, r.Status, r.Message)
		}
	}
}

func isRevoked(t *testing.T, central *store.DB, serial string) bool {
	t.Helper()
	ok, err := central.IsRevoked(context.Background(), serial)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// A desk pushes a decision for its own application carrying another unit's
// genuine QR, both before and after that permit reaches the centre: it is
// refused, and the other unit's permit stays good (issue 13, finding 1).
// The proper revocation of that serial by its own unit still works.
func TestHostileDecisionWithAnotherUnitsQR(t *testing.T) {
	h := newHostileEnv(t)
	own := submit(t, h.a, unitA, 2)
	mustSync(t, h.ca)
	theirs := submit(t, h.b, unitB, 2)
	serials := approve(t, h.b, ids(theirs)...)
	pushAllBut(t, h.env, h.b, "decision") // B's permits exist on paper only

	h.attack(t, h.a, h.approval(t, h.a, own[0], serials[0], permitQR(t, h.b, serials[0])), store.PushForbidden)
	mustSync(t, h.cb)
	if n := count(t, h.central.DB, `SELECT COUNT(*) FROM permits WHERE unit = ?`, unitB); n != 2 {
		t.Fatalf("B's permits on the centre: %d, want 2", n)
	}
	h.attack(t, h.a, h.approval(t, h.a, own[1], serials[1], permitQR(t, h.b, serials[1])), store.PushForbidden)
	if isRevoked(t, h.central.DB, serials[0]) || isRevoked(t, h.central.DB, serials[1]) {
		t.Fatal("another unit's permit revoked")
	}

	// A revocation op of desk A for B's permit is refused too.
	h.attack(t, h.a, hostileOp(t, "revocation", serials[0], map[string]any{"serial": serials[0], "reason": "giả mạo",
		"officer": h.approverID(t, h.a), "at": h.a.Now().Unix()}), store.PushForbidden)

	o, _ := h.b.Login(context.Background(), fmt.Sprintf("duyet.%d", unitB), password)
	if err := h.b.Revoke(context.Background(), o, serials[0], "cấp nhầm"); err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.cb)
	if !isRevoked(t, h.central.DB, serials[0]) {
		t.Fatal("B's own revocation did not reach the list")
	}
}

// Replaying an accepted approval under a new op_id is a conflict that
// revokes nothing: the permit on record stays good (finding 2).
func TestHostileReplayOfAnAcceptedApproval(t *testing.T) {
	h := newHostileEnv(t)
	apps := submit(t, h.a, unitA, 1)
	serial := approve(t, h.a, apps[0].ID)[0]
	var payload []byte
	h.a.SQL().QueryRow(`SELECT payload FROM outbox WHERE entity = 'decision' AND entity_id = ?`, apps[0].ID).Scan(&payload)
	mustSync(t, h.ca)
	if n := count(t, h.central.DB, `SELECT COUNT(*) FROM permits WHERE serial = ? AND revoked_at = 0`, serial); n != 1 {
		t.Fatal("the approval was not accepted")
	}
	replay := store.PushOp{OpID: "replay-" + store.NewID(time.Now()), Entity: "decision", EntityID: apps[0].ID, Op: "decide", Payload: payload}
	h.attack(t, h.a, replay, store.PushConflict)
	// The same from the unit's other desk, which may hold a copy.
	replay.OpID = "replay-" + store.NewID(time.Now())
	h.attack(t, h.a2, replay, store.PushConflict, store.PushForbidden)
	if isRevoked(t, h.central.DB, serial) {
		t.Fatal("the permit on record was revoked by a replay")
	}
}

// A desk cannot decide, nor revoke through a decision, another desk's
// application: with the permit that desk sealed for it (before it arrives),
// with the permit of the unit's other desk, or with its own key and a
// serial of the other desk's series.
func TestHostileDecisionOnAnotherDesksApplication(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	theirs := submit(t, h.b, unitB, 1)
	serial := approve(t, h.b, theirs[0].ID)[0]
	pushAllBut(t, h.env, h.b, "decision")
	h.attack(t, h.a, h.approval(t, h.a, theirs[0], serial, permitQR(t, h.b, serial)), store.PushForbidden)
	mustSync(t, h.cb)
	if n := count(t, h.central.DB, `SELECT COUNT(*) FROM permits WHERE serial = ? AND revoked_at = 0`, serial); n != 1 {
		t.Fatal("B's approval lost to A's hostile decision")
	}

	// Same unit, other desk: A2 approves an application of the unit's queue.
	apps := submit(t, h.a, unitA, 1)
	mustSync(t, h.ca)
	mustSync(t, h.ca2)
	a2Serial := approve(t, h.a2, apps[0].ID)[0]
	h.attack(t, h.a, h.approval(t, h.a, apps[0], a2Serial, permitQR(t, h.a2, a2Serial)), store.PushForbidden)

	// A's own key, but a serial of A2's series and the application's terms.
	d2, _ := h.a2.Desk(ctx)
	o, _ := h.a.Login(ctx, fmt.Sprintf("duyet.%d", unitA), password)
	signer, err := h.a.UnlockSigner(ctx, o, password)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := h.a.Person(ctx, apps[0].PersonID)
	forged := fmt.Sprintf("%d-%d-2021-%06d", unitA, d2.Number, 1)
	qr, err := signer.Seal(seal.Payload{Kind: seal.KindPermit, Serial: forged, Unit: unitA, Category: uint8(apps[0].Category), Name: p.FullName,
		IDNumber: p.IDNumber, ValidFrom: apps[0].ValidFrom, ValidUntil: apps[0].ValidUntil, Area: apps[0].Area, Route: apps[0].Route,
		Purpose: seal.Purpose(apps[0].Purpose), IssuedAt: h.a.Now()})
	if err != nil {
		t.Fatal(err)
	}
	h.attack(t, h.a, h.approval(t, h.a, apps[0], forged, qr), store.PushForbidden)
	mustSync(t, h.ca2)
	if isRevoked(t, h.central.DB, a2Serial) || count(t, h.central.DB, `SELECT COUNT(*) FROM permits WHERE serial = ?`, a2Serial) != 1 {
		t.Fatal("A2's approval did not survive A's hostile decisions")
	}
}

// A desk's own genuine permit, sent with the decision of another of its
// applications (another holder, or the same holder's other request), is
// refused and not revoked: it is that other application's permit.
func TestHostileDecisionWithThePermitOfAnotherApplication(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	holder := person(unitA, 880001)
	in := func(p store.Person, days int) store.Intake {
		return store.Intake{Person: p, Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood,
			Area: []uint32{unitA}, Route: "Nhà → chợ", ValidFrom: start, ValidUntil: start.AddDate(0, 0, days)}}
	}
	apps, err := h.a.SubmitBatch(ctx, store.System(), []store.Intake{in(holder, 2), in(holder, 3), in(person(unitA, 880002), 2)})
	if err != nil {
		t.Fatal(err)
	}
	serial := approve(t, h.a, apps[0].ID)[0]
	pushAllBut(t, h.env, h.a, "decision")
	qr := permitQR(t, h.a, serial)
	h.attack(t, h.a, h.approval(t, h.a, apps[2], serial, qr), store.PushForbidden) // another holder
	h.attack(t, h.a, h.approval(t, h.a, apps[1], serial, qr), store.PushForbidden) // same holder, other dates
	mustSync(t, h.ca)
	if isRevoked(t, h.central.DB, serial) || count(t, h.central.DB, `SELECT COUNT(*) FROM permits WHERE serial = ? AND application_id = ?`, serial, apps[0].ID) != 1 {
		t.Fatal("the permit of the first application was harmed")
	}
}

// Another desk sending desk A's op_ids gets its own fresh processing: its
// own records are applied, it learns nothing of A's results, and A's are
// kept.
func TestHostileOpIDsOfAnotherDesk(t *testing.T) {
	h := newHostileEnv(t)
	submit(t, h.a, unitA, 2)
	aOps := pendingOps(t, h.a)
	mustSync(t, h.ca)
	aDesk, _ := h.a.Desk(context.Background())
	aHeld := count(t, h.central.DB, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, aDesk.ID)
	aApps := `SELECT COUNT(*) FROM applications WHERE received_unit = ? AND status = 'pending' AND version = 1`

	// B's own new ops under A's op_ids are B's own, and applied.
	submit(t, h.b, unitB, 2)
	bOps := pendingOps(t, h.b)
	for i := range bOps[:min(len(bOps), len(aOps))] {
		bOps[i].OpID = aOps[i].OpID
	}
	for _, r := range rawPush(t, h.env, h.b, bOps) {
		if r.Status != store.PushAccepted {
			t.Fatalf("B's op under A's op_id %s: %s %s %q", r.OpID, r.Status, r.Code, r.Message)
		}
	}
	if n := count(t, h.central.DB, `SELECT COUNT(*) FROM applications WHERE received_unit = ?`, unitB); n != 2 {
		t.Fatalf("centre holds %d of B's applications, want 2", n)
	}

	// A's exact ops, sent by the unit's other desk: processed afresh (and
	// its applications refused: a desk's number series is its own), never
	// answered with A's results.
	for _, r := range rawPush(t, h.env, h.a2, aOps) {
		if r.Status == store.PushDuplicate || r.Code == central.CodeMismatch {
			t.Fatalf("desk A2 got A's result for op %s: %s %s", r.OpID, r.Status, r.Code)
		}
	}
	if n := count(t, h.central.DB, aApps, unitA); n != 2 {
		t.Fatalf("A's applications: %d pending at version 1, want 2", n)
	}
	if n := count(t, h.central.DB, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, aDesk.ID); n != aHeld {
		t.Fatalf("A's ops held: %d, want %d", n, aHeld)
	}
	checkExactlyOnce(t, h.central, h.a, true)
}

// What a desk may not put in the province's books: an entity the centre has
// no rule for, another desk's voucher, an enterprise managed by a commune, format characters in any
// text, zones and markets the desk's own rules refuse, a validity in 9999.
func TestHostileRecordsTheDeskWouldRefuse(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	rlo := "\u202e"
	apps := submit(t, h.a, unitA, 1)
	mustSync(t, h.ca)
	zone, err := h.a.CreateZone(ctx, store.System(), store.Zone{Commune: unitA, Name: "Vùng 1", Risk: store.RiskHigh})
	if err != nil {
		t.Fatal(err)
	}
	mustSync(t, h.ca)

	r := h.attack(t, h.a, hostileOp(t, "bogus", "X1", map[string]string{"junk": strings.Repeat("x", 1000)}), store.PushRejected)
	if r.Code != central.CodeInvalid || r.Retryable {
		t.Errorf("unknown entity: %s %v", r.Code, r.Retryable)
	}
	var detail []byte
	h.central.SQL().QueryRow(`SELECT detail FROM sync_ops WHERE op_id = ?`, r.OpID).Scan(&detail)
	if len(detail) != 0 {
		t.Errorf("the unknown entity's payload was archived (%d bytes)", len(detail))
	}

	other := fmt.Sprintf("%d-1-2021-V000001", unitB)
	h.attack(t, h.a, hostileOp(t, "voucher", other, map[string]string{"Serial": other}), store.PushForbidden)

	h.attack(t, h.a, hostileOp(t, "enterprise", "E1", store.Enterprise{ID: "E1", Name: "Công ty May Tân Mỹ Chánh", TaxCode: "1200100197",
		District: 815, ManagingUnit: unitA}), store.PushRejected)
	h.attack(t, h.a, hostileOp(t, "enterprise", "E2", store.Enterprise{ID: "E2", Name: "Công ty " + rlo + "May", TaxCode: "1200100196",
		District: 815, ManagingUnit: unitA}), store.PushRejected)
	h.attack(t, h.a, hostileOp(t, "zone", "Z1", store.Zone{ID: "Z1", Commune: unitA, Name: "Vùng " + rlo + "2", Risk: store.RiskHigh}), store.PushRejected)
	h.attack(t, h.a, hostileOp(t, "zone", "Z2", store.Zone{ID: "Z2", Commune: unitA, Name: "", Risk: store.RiskHigh}), store.PushRejected)
	h.attack(t, h.a, hostileOp(t, "zone", "Z3", store.Zone{ID: "Z3", Commune: unitA, Name: "Vùng 3", Risk: store.RiskHigh,
		Hamlets: []string{"Ấp 1" + rlo}}), store.PushRejected)
	h.attack(t, h.a, hostileOp(t, "market", "M1", store.Market{ID: "M1", ZoneID: zone.ID, Name: "Chợ " + rlo, OpenMinute: 360, CloseMinute: 600,
		Capacity: 10}), store.PushRejected)

	// An application whose route hides a bidi override, and one dated 9999.
	p, _ := h.a.Person(ctx, apps[0].PersonID)
	app := apps[0]
	app.ID, app.Number, app.Route = store.NewID(time.Now()), apps[0].Number+"9", "Nhà "+rlo+" chợ"
	h.attack(t, h.a, hostileOp(t, "application", app.ID, app), store.PushRejected)
	far := apps[0]
	far.ID, far.Number = store.NewID(time.Now()), apps[0].Number+"8"
	far.CreatedAt = time.Date(9999, 1, 1, 8, 0, 0, 0, store.Vietnam)
	far.ValidFrom, far.ValidUntil = far.CreatedAt, far.CreatedAt.AddDate(0, 0, 3)
	h.attack(t, h.a, hostileOp(t, "application", far.ID, far), store.PushRejected)
	addr := p
	addr.Address = "Số 1 " + rlo
	h.attack(t, h.a, hostileOp(t, "person", p.ID, addr), store.PushRejected)

	// A refusal and a revocation whose reason hides one.
	o := h.approverID(t, h.a)
	h.attack(t, h.a, hostileOp(t, "decision", apps[0].ID, store.Decision{ApplicationID: apps[0].ID, ExpectedVersion: 1,
		Outcome: store.StatusRejected, Reason: "thiếu " + rlo + "giấy", Officer: o, Unit: unitA, At: h.a.Now().Unix()}), store.PushRejected)
	serial := approve(t, h.a, apps[0].ID)[0]
	mustSync(t, h.ca)
	h.attack(t, h.a, hostileOp(t, "revocation", serial, map[string]any{"serial": serial, "reason": "cấp " + rlo + "nhầm", "officer": o,
		"at": h.a.Now().Unix()}), store.PushRejected)
}

// The citizen endpoint refuses format characters and a validity in 9999.
func TestHostileOnlineApplication(t *testing.T) {
	h := newHostileEnv(t)
	ctx := context.Background()
	start := store.StartOfDay(sept21).AddDate(0, 0, 1)
	good := OnlineApplication{Person: person(unitB, 990001), Application: store.Application{Category: store.CatResident,
		Purpose: store.PurposeMedical, Area: []uint32{unitB}, Route: "Nhà → bệnh viện", ValidFrom: start, ValidUntil: start.AddDate(0, 0, 2)}}
	bidi := good
	bidi.Person.Address = "Số 5 \u202eẤp 2"
	far := good
	far.Application.ValidFrom = time.Date(9999, 12, 1, 0, 0, 0, 0, store.Vietnam)
	far.Application.ValidUntil = far.Application.ValidFrom.AddDate(0, 0, 2)
	hc := &http.Client{Transport: pinnedTransport(h.pin, nil)}
	before := centralState(t, h.central.DB)
	for name, in := range map[string]OnlineApplication{"bidi": bidi, "year 9999": far} {
		var receipt OnlineReceipt
		err := exchange(ctx, hc, 10*time.Second, http.MethodPost, h.url+PathApplications, "", in, &receipt)
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != http.StatusBadRequest {
			t.Errorf("%s online application = %v, want 400", name, err)
		}
	}
	if after := centralState(t, h.central.DB); after != before {
		t.Fatalf("refused online applications changed the centre:\n%s\n%s", before, after)
	}
}
