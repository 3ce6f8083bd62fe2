package wire

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	goldenAt  = time.Date(2021, 9, 21, 8, 30, 0, 0, time.FixedZone("ICT", 7*3600))
	goldenUTC = time.Date(2021, 9, 21, 1, 30, 0, 0, time.UTC)
)

// Golden checks that v encodes to testdata/name.json byte for byte, and that
// the file decodes back to v: a renamed field, a changed tag or a lost
// omitempty fails here, not on a desk in the field.
func Golden[T any](t *testing.T, dir, name string, v T) {
	t.Helper()
	got, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	file := filepath.Join(dir, name+".json")
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: the wire form changed:\n got %s\nwant %s", name, got, want)
	}
	var back T
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	again, _ := json.Marshal(back)
	if !bytes.Equal(append(again, '\n'), want) {
		t.Errorf("%s: decoding the golden file loses a field:\n got %s\nwant %s", name, again, want)
	}
}

func goldenApplication() Application {
	return Application{ID: "01K5APP", Number: "HS28291-1-45", PersonID: "01K5PER", Category: 4, Purpose: 2,
		PurposeNote: "khám bệnh", Area: []uint32{28291, 28294}, Route: "Nhà → Bệnh viện", ValidFrom: goldenAt,
		ValidUntil: goldenAt.AddDate(0, 0, 7), HasHours: true, HoursFrom: 360, HoursTo: 1080, Vehicle: "59X1-234.56",
		Employer: 0, EnterpriseID: "", CommandCentre: 0, Source: "counter", Status: "pending", QueueUnit: 28291,
		ReceivedUnit: 28291, ReceivedBy: "01K5OFF", DecidedAt: time.Time{}, Version: 1, CreatedAt: goldenAt}
}

func goldenPerson() Person {
	return Person{ID: "01K5PER", IDNumber: "079201001234", FullName: "Nguyễn Văn An", Folded: "nguyen van an",
		BirthDate: time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC), Sex: "M", Phone: "0901234567", Commune: 28291,
		Hamlet: "Ấp 1", Address: "12 Lê Lợi", Version: 2}
}

func goldenPermit() Permit {
	return Permit{Serial: "28291-1-2021-000045", ApplicationID: "01K5APP", Unit: 28291, DeskNo: 1, Category: 4,
		HolderName: "Nguyễn Văn An", IDNumber: "079201001234", ValidFrom: goldenAt, ValidUntil: goldenAt.AddDate(0, 0, 7),
		QR: "TH1:AAAA", ApprovedBy: "01K5OFF", IssuedAt: goldenAt, Printed: 1}
}

// Every body and record of the protocol, with every field set.
func TestWireGolden(t *testing.T) {
	dir := "testdata"
	revoked := goldenPermit()
	revoked.RevokedAt, revoked.RevokeReason = goldenUTC, "cấp nhầm"
	ent := Enterprise{ID: "01K5ENT", Name: "Công ty May Sài Gòn", TaxCode: "0301234567", District: 28200, ManagingUnit: 28001}
	permit := goldenPermit()
	state := AppState{Application: goldenApplication(), Person: goldenPerson(), Enterprise: &ent, Permit: &permit}
	Golden(t, dir, "limits", Limits{MaxOps: 500, MaxBytes: 8 << 20})
	Golden(t, dir, "config", Config{Limits: Limits{MaxOps: 500, MaxBytes: 8 << 20}, SchemaVersion: 12, DeskID: "01K5DESK",
		Unit: 28291, LastSeq: 77, OpsHeld: 40, ServerTime: goldenUTC})
	op := PushOp{OpID: "01K5OP", Entity: "person", EntityID: "01K5PER", Op: "put", Payload: json.RawMessage(`{"ID":"01K5PER"}`),
		Hash: "ab12"}
	Golden(t, dir, "push_op", op)
	Golden(t, dir, "push_request", PushRequest{DeskID: "01K5DESK", BatchID: "01K5BATCH", SchemaVersion: 12, Ops: []PushOp{op}})
	Golden(t, dir, "op_result", OpResult{OpID: "01K5OP", Status: "conflict", Code: "VERSION_CONFLICT", Message: "đã có quyết định",
		Retryable: false, Original: "accepted", Current: json.RawMessage(`{"application":{}}`), Revoked: "28291-1-2021-000045"})
	Golden(t, dir, "push_response", PushResponse{BatchID: "01K5BATCH", Results: []OpResult{{OpID: "01K5OP", Status: "accepted"},
		{OpID: "01K5OP2", Status: "rejected", Code: "DEPENDENCY_MISSING", Message: "thiếu người", Retryable: true}}})
	change := Change{Seq: 78, Entity: "application", ID: "01K5APP", Version: 3, Payload: json.RawMessage(`{"application":{}}`)}
	Golden(t, dir, "change", change)
	Golden(t, dir, "pull_response", PullResponse{ChangePage: ChangePage{Changes: []Change{change}, Next: 78, More: true},
		Token: "tok"})
	Golden(t, dir, "signed_list", SignedList{Raw: []byte{0xa1, 0x01, 0x02}})
	Golden(t, dir, "revocation_notice", RevocationNotice{Serial: "28291-1-2021-000045", Reason: "cấp nhầm", RevokedAt: 1632187800})
	Golden(t, dir, "officer_record", OfficerRecord{ID: "01K5OFF", Username: "an.nv", FullName: "Nguyễn Văn An", Unit: 28291,
		Roles: []string{"clerk", "approver"}, Active: true, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"})
	Golden(t, dir, "app_state", state)
	Golden(t, dir, "app_state_bare", AppState{Application: goldenApplication(), Person: goldenPerson()})
	Golden(t, dir, "application", goldenApplication())
	Golden(t, dir, "person", goldenPerson())
	Golden(t, dir, "enterprise", ent)
	Golden(t, dir, "permit", goldenPermit())
	Golden(t, dir, "permit_revoked", revoked)
	Golden(t, dir, "online_application", OnlineApplication{Person: goldenPerson(), Application: goldenApplication()})
	Golden(t, dir, "online_receipt", OnlineReceipt{ID: "01K5APP", Number: "HS28291-1-45", Status: "pending", QueueUnit: 28291,
		QueueName: "UBND phường 1"})
	Golden(t, dir, "error_body", ErrorBody{Error: "malformed", Message: "hồ sơ không hợp lệ"})
}

// The names an application, a person and an enterprise travel under are the
// Go names today's desks queued in their outboxes; a tag that drifted from
// them would leave those payloads unreadable.
func TestRecordsKeepTheirFirstNames(t *testing.T) {
	for _, v := range []any{Application{}, Person{}, Enterprise{}} {
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			if f := ty.Field(i); f.Tag.Get("json") != f.Name {
				t.Errorf("%s.%s travels as %q, desks write %q", ty.Name(), f.Name, f.Tag.Get("json"), f.Name)
			}
		}
	}
}
