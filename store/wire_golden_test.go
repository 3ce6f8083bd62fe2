package store

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thonghanh/store/seal"
)

var updateWire = flag.Bool("update-wire", false, "rewrite testdata/wire/*.json")

// wireGolden checks that payload, an op's payload as the store queues it or a
// value as the centre sends it, is testdata/wire/name.json byte for byte.
func wireGolden(t *testing.T, name string, payload []byte) {
	t.Helper()
	payload = append(payload, '\n')
	file := filepath.Join("testdata", "wire", name+".json")
	if *updateWire {
		if err := os.WriteFile(file, payload, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(payload, want) {
		t.Errorf("%s: the wire form changed:\n got %s\nwant %s", name, payload, want)
	}
}

func wireJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Every op's payload and every record the centre sends, encoded the way the
// store encodes them, against the bytes today's desks and centres exchange:
// a field renamed in a store struct, a wire type or the hand-written encoder
// fails here.
func TestOpPayloadsGolden(t *testing.T) {
	at := time.Date(2021, 9, 21, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	utc := time.Date(2021, 9, 21, 1, 30, 0, 0, time.UTC)
	app := Application{ID: "01K5APP", Number: "HS28291-1-45", PersonID: "01K5PER", Category: 4, Purpose: 2,
		PurposeNote: "khám bệnh", Area: []uint32{28291, 28294}, Route: "Nhà → Bệnh viện", ValidFrom: at,
		ValidUntil: at.AddDate(0, 0, 7), HasHours: true, HoursFrom: 360, HoursTo: 1080, Vehicle: "59X1-234.56",
		Employer: 28001, EnterpriseID: "01K5ENT", CommandCentre: 28002, Source: "counter", Status: "pending",
		QueueUnit: 28291, ReceivedUnit: 28291, ReceivedBy: "01K5OFF", DecidedBy: "01K5OFF2", DecidedAt: utc,
		Reason: "đủ điều kiện", Version: 1, CreatedAt: at}
	person := Person{ID: "01K5PER", IDNumber: "079201001234", FullName: "Nguyễn Văn An", Folded: "nguyen van an",
		BirthDate: time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC), Sex: "M", Phone: "0901234567", Commune: 28291,
		Hamlet: "Ấp 1", Address: "12 Lê Lợi", Employer: 28001, EnterpriseID: "01K5ENT", CommandCentre: 28002, Version: 2}
	ent := Enterprise{ID: "01K5ENT", Name: "Công ty May Sài Gòn", TaxCode: "0301234567", District: 28200, ManagingUnit: 28001}
	permit := Permit{Serial: "28291-1-2021-000045", ApplicationID: "01K5APP", Unit: 28291, DeskNo: 1, Category: 4,
		HolderName: "Nguyễn Văn An", IDNumber: "079201001234", ValidFrom: at, ValidUntil: at.AddDate(0, 0, 7),
		QR: "TH1:AAAA", ApprovedBy: "01K5OFF", IssuedAt: at, RevokedAt: utc, RevokeReason: "cấp nhầm", Printed: 1}

	// The hand-written payload the desk queues and encoding/json's, against
	// one file: neither is the other's expectation.
	wireGolden(t, "op_application", appendApplicationJSON(nil, &app))
	wireGolden(t, "op_application", wireJSON(t, app))
	wireGolden(t, "op_person", wireJSON(t, person))
	wireGolden(t, "op_enterprise", wireJSON(t, ent))
	wireGolden(t, "op_decision", wireJSON(t, Decision{ApplicationID: "01K5APP", ExpectedVersion: 1, Outcome: StatusApproved,
		Reason: "đủ", ForwardTo: 28001, Officer: "01K5OFF", Unit: 28291, At: 1632187800, Permit: &permit}))
	wireGolden(t, "op_audit", wireJSON(t, AuditEntry{Seq: 7, ID: "01K5AUD", At: 1632187800, Officer: "01K5OFF", Unit: 28291,
		Action: "approve", Entity: "application", EntityID: "01K5APP", Detail: "HS28291-1-45", PrevHash: []byte{1, 2},
		Hash: []byte{3, 4}}))
	wireGolden(t, "op_scan", wireJSON(t, ScanEvent{ID: "01K5SCAN", At: 1632187800, Serial: "28291-1-2021-000045",
		Kind: seal.KindPermit, Verdict: seal.Valid, Checkpoint: 9, Officer: "01K5OFF", Desk: "01K5DESK"}))
	wireGolden(t, "op_voucher", wireJSON(t, Voucher{Serial: "28291-1-2021-V000001", HouseholdID: "01K5HH", HouseholdCode: "HK01",
		Commune: 28291, Hamlet: "Ấp 1", MarketID: "01K5MKT", MarketName: "Chợ Bến Thành", ZoneID: "01K5ZONE",
		SlotStart: at, SlotEnd: at.Add(time.Hour), QR: "TH1:BBBB", IssuedBy: "01K5OFF", IssuedAt: at,
		Representative: "Trần Thị Bình", IDNumber: "079201009999", Unit: 28291, UsedAt: utc}))
	wireGolden(t, "op_zone", wireJSON(t, Zone{ID: "01K5ZONE", Commune: 28291, Name: "Vùng đỏ 1", Risk: "red", Hamlets: []string{"Ấp 1"}}))
	wireGolden(t, "op_market", wireJSON(t, Market{ID: "01K5MKT", ZoneID: "01K5ZONE", Name: "Chợ Bến Thành", Hamlets: []string{"Ấp 1"},
		OpenMinute: 360, CloseMinute: 660, Capacity: 50}))
	wireGolden(t, "op_household", wireJSON(t, Household{ID: "01K5HH", Commune: 28291, Code: "HK01", Representative: "Trần Thị Bình",
		IDNumber: "079201009999", Hamlet: "Ấp 1", Address: "3 Hai Bà Trưng", Phone: "0907654321", Members: 4, UpdatedAt: at}))
	// The centre sends desks an application in the legacy form, the bytes
	// older desks read; its snake_case form is the one a later centre sends.
	state := AppState{Application: app, Person: person, Enterprise: &ent, Permit: &permit}
	wireGolden(t, "legacy_feed_application", wireJSON(t, state))
	wireGolden(t, "feed_application", wireJSON(t, AppStateToWire(state)))
	wireGolden(t, "feed_zone", wireJSON(t, ZoneRecord{Zone: Zone{ID: "01K5ZONE", Commune: 28291, Name: "Vùng đỏ 1", Risk: "red",
		Hamlets: []string{"Ấp 1"}, Active: true}, Active: false}))
	wireGolden(t, "feed_market", wireJSON(t, MarketRecord{Market: Market{ID: "01K5MKT", ZoneID: "01K5ZONE", Name: "Chợ Bến Thành",
		Hamlets: []string{"Ấp 1"}, OpenMinute: 360, CloseMinute: 660, Capacity: 50}, Active: true}))
	wireGolden(t, "feed_officer", wireJSON(t, OfficerRecord{ID: "01K5OFF", Username: "an.nv", FullName: "Nguyễn Văn An",
		Unit: 28291, Roles: []Role{RoleClerk, RoleApprover}, Active: true, PasswordHash: "$argon2id$x"}))
	wireGolden(t, "enroll_request", wireJSON(t, EnrollRequest{Code: "ABCD-EFGH", PublicKey: []byte{9, 9}, Approver: "an.nv",
		Password: "mật khẩu", Hostname: "desk-1"}))
	wireGolden(t, "legacy_enroll_response", wireJSON(t, EnrollResponse{Desk: Desk{ID: "01K5DESK", Unit: 28291, Number: 1, Label: "Quầy 1",
		PublicKey: []byte{7, 7}}, Token: "tok", RootPublicKey: []byte{1}, TrustList: []byte{2}, RevocationList: []byte{3},
		Officers: []OfficerRecord{{ID: "01K5OFF", Username: "an.nv", Roles: []Role{RoleClerk}, Active: true}}}))
}

// What an old desk queued and an old centre sent under the Go names reads as
// the records the golden files hold: decoded into the store's structs and
// encoded again as they travel, each legacy file is its snake_case golden
// file (or, for what the centre sends, itself).
func TestLegacyPayloadsDecode(t *testing.T) {
	for name, v := range map[string]any{"op_application": new(Application), "op_person": new(Person),
		"op_enterprise": new(Enterprise), "feed_application": new(AppState), "op_audit": new(AuditEntry),
		"op_zone": new(Zone), "op_market": new(Market), "enroll_response": new(EnrollResponse)} {
		old, err := os.ReadFile(filepath.Join("testdata", "wire", "legacy_"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(old, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch r := v.(type) {
		case *AppState:
			wireGolden(t, name, wireJSON(t, AppStateToWire(*r)))
		case *EnrollResponse:
			wireGolden(t, "legacy_"+name, wireJSON(t, r))
		default:
			wireGolden(t, name, wireJSON(t, v))
		}
	}
}
