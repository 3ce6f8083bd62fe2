package wire

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
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

func goldenAudit() AuditEntry {
	return AuditEntry{Seq: 7, ID: "01K5AUD", At: 1632187800, Officer: "01K5OFF", Unit: 28291, Action: "approve",
		Entity: "application", EntityID: "01K5APP", Detail: "HS28291-1-45", PrevHash: []byte{1, 2}, Hash: []byte{3, 4}}
}

func goldenZone() Zone {
	return Zone{ID: "01K5ZONE", Commune: 28291, Name: "Vùng đỏ 1", Risk: "red", Hamlets: []string{"Ấp 1"}}
}

func goldenMarket() Market {
	return Market{ID: "01K5MKT", ZoneID: "01K5ZONE", Name: "Chợ Bến Thành", Hamlets: []string{"Ấp 1"}, OpenMinute: 360,
		CloseMinute: 660, Capacity: 50}
}

func goldenDesk() Desk {
	return Desk{ID: "01K5DESK", Unit: 28291, Number: 1, Label: "Quầy 1", PublicKey: []byte{7, 7}}
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
	op := PushOp{OpID: "01K5OP", Entity: "person", EntityID: "01K5PER", Op: "put", Payload: json.RawMessage(`{"id":"01K5PER"}`),
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
	// A deputy's account names its position; the head's (above) leaves it out.
	Golden(t, dir, "officer_record_deputy", OfficerRecord{ID: "01K5PHO", Username: "pho.tv", FullName: "Trần Văn Phó", Unit: 28291,
		Roles: []string{"approver"}, Active: true, PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", Position: "deputy"})
	Golden(t, dir, "app_state", state)
	Golden(t, dir, "app_state_bare", AppState{Application: goldenApplication(), Person: goldenPerson()})
	Golden(t, dir, "application", goldenApplication())
	Golden(t, dir, "person", goldenPerson())
	Golden(t, dir, "enterprise", ent)
	Golden(t, dir, "permit", goldenPermit())
	Golden(t, dir, "permit_revoked", revoked)
	fromCentre := goldenPermit()
	fromCentre.ApproverName = "Lê Văn Huyện"
	Golden(t, dir, "permit_from_centre", fromCentre)
	held, pushed := goldenPerson(), goldenPerson()
	pushed.FullName = "Nguyễn Văn An Bình"
	Golden(t, dir, "conflict", Conflict{ID: "01K5CFL", Kind: "person", IDNumber: "079201001234", HeldDesk: "01K5DESK", HeldUnit: 28291,
		PushedDesk: "01K5DESK2", PushedUnit: 815, Held: &held, Pushed: &pushed, Detail: "khác họ tên", Status: "resolved",
		CreatedAt: goldenUTC, ResolvedAt: goldenUTC, ResolvedBy: "Nguyễn Văn An", Resolution: &pushed})
	Golden(t, dir, "conflict_permit", Conflict{ID: "01K5CFP", Kind: "permit", IDNumber: "079201001234", HeldDesk: "01K5DESK",
		HeldUnit: 28291, PushedDesk: "01K5DESK2", PushedUnit: 815, HeldSerial: "28291-1-2021-000045", PushedSerial: "815-1-2021-000001",
		Detail: "hai giấy loại 4 trùng ngày", Status: "open", CreatedAt: goldenUTC})
	lp := goldenPerson()
	Golden(t, dir, "person_lookup", PersonLookup{Found: true, Person: &lp})
	Golden(t, dir, "conflict_resolution", ConflictResolution{ConflictID: "01K5CFL", IDNumber: "079201001234", FullName: "Nguyễn Văn An Bình",
		BirthDate: time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC), Sex: "M", Note: "đã xem CCCD", Officer: "01K5OFF", At: 1632187800})
	Golden(t, dir, "online_application", OnlineApplication{Person: goldenPerson(), Application: goldenApplication()})
	Golden(t, dir, "online_receipt", OnlineReceipt{ID: "01K5APP", Number: "HS28291-1-45", Status: "pending", QueueUnit: 28291,
		QueueName: "UBND phường 1"})
	Golden(t, dir, "error_body", ErrorBody{Error: "malformed", Message: "hồ sơ không hợp lệ"})
	Golden(t, dir, "audit_entry", goldenAudit())
	Golden(t, dir, "zone", goldenZone())
	Golden(t, dir, "market", goldenMarket())
	Golden(t, dir, "zone_record", ZoneRecord{Zone: goldenZone(), Active: false})
	Golden(t, dir, "market_record", MarketRecord{Market: goldenMarket(), Active: true})
	Golden(t, dir, "desk", goldenDesk())
	Golden(t, dir, "decision", Decision{ApplicationID: "01K5APP", ExpectedVersion: 1, Outcome: "approved", Reason: "đủ",
		ForwardTo: 28001, Officer: "01K5OFF", Unit: 28291, At: 1632187800, Permit: &permit})
	Golden(t, dir, "decision_rejected", Decision{ApplicationID: "01K5APP", ExpectedVersion: 2, Outcome: "rejected",
		Officer: "01K5OFF", Unit: 28291, At: 1632187800})
	Golden(t, dir, "scan_event", ScanEvent{ID: "01K5SCAN", At: 1632187800, Serial: "28291-1-2021-000045", Kind: 1,
		Verdict: "VALID", Checkpoint: 9, Officer: "01K5OFF", Desk: "01K5DESK"})
	Golden(t, dir, "household", Household{ID: "01K5HH", Commune: 28291, Code: "HK01", Representative: "Trần Thị Bình",
		IDNumber: "079201009999", Hamlet: "Ấp 1", Address: "3 Hai Bà Trưng", Phone: "0907654321", Members: 4, UpdatedAt: goldenAt})
	Golden(t, dir, "voucher", Voucher{Serial: "28291-1-2021-V000001", HouseholdID: "01K5HH", HouseholdCode: "HK01",
		Commune: 28291, Hamlet: "Ấp 1", MarketID: "01K5MKT", MarketName: "Chợ Bến Thành", ZoneID: "01K5ZONE",
		SlotStart: goldenAt, SlotEnd: goldenAt.Add(time.Hour), QR: "TH1:BBBB", IssuedBy: "01K5OFF", IssuedAt: goldenAt,
		Representative: "Trần Thị Bình", IDNumber: "079201009999", Unit: 28291, UsedAt: goldenUTC, Printed: 1, Revoked: true})
	Golden(t, dir, "revocation", Revocation{At: 1632187800, Officer: "01K5OFF", Reason: "cấp nhầm",
		Serial: "28291-1-2021-000045", Unit: 28291})
}

// A record an old desk queued, or an old centre sent, under the Go names
// decodes to the very value the snake_case form carries: the legacy golden
// files are the bytes those builds wrote, and decoded then encoded again they
// are the snake_case golden files.
func TestLegacyFormDecodes(t *testing.T) {
	legacy := func(name string, v any) {
		t.Helper()
		old, err := os.ReadFile(filepath.Join("testdata", "legacy_"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if _, container := v.(*AppState); !container && !goNames(old) && !strings.HasPrefix(name, "online") {
			t.Fatalf("legacy_%s.json is not seen as the legacy form", name)
		}
		if err := json.Unmarshal(old, v); err != nil {
			t.Fatalf("legacy %s: %v", name, err)
		}
		got, _ := json.Marshal(v)
		want, err := os.ReadFile(filepath.Join("testdata", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(append(got, '\n'), want) {
			t.Errorf("legacy %s decodes to\n %s\nnot\n %s", name, got, want)
		}
	}
	legacy("application", new(Application))
	legacy("person", new(Person))
	legacy("enterprise", new(Enterprise))
	legacy("app_state", new(AppState))
	legacy("online_application", new(OnlineApplication))
	legacy("audit_entry", new(AuditEntry))
	legacy("zone", new(Zone))
	legacy("market", new(Market))
	legacy("desk", new(Desk))
}

// What the centre sends desks is the legacy form byte for byte: the bytes
// older desks were written to read.
func TestCentreSendsLegacyForm(t *testing.T) {
	ent := Enterprise{ID: "01K5ENT", Name: "Công ty May Sài Gòn", TaxCode: "0301234567", District: 28200, ManagingUnit: 28001}
	permit := goldenPermit()
	for name, enc := range map[string]func() ([]byte, error){
		"app_state": AppState{Application: goldenApplication(), Person: goldenPerson(), Enterprise: &ent, Permit: &permit}.MarshalLegacy,
		"desk":      goldenDesk().MarshalLegacy,
	} {
		got, err := enc()
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", "legacy_"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(append(got, '\n'), want) {
			t.Errorf("%s sent as\n %s\nnot\n %s", name, got, want)
		}
	}
}

func TestGoNames(t *testing.T) {
	for in, want := range map[string]bool{
		`{"ID":"x","Number":"1"}`:                   true,
		`{"id":"x","number":"1"}`:                   false,
		` { "Area" : [1,2] }`:                       true,
		`{"id":"x","person":{"ID":"y"}}`:            false, // a nested object's key is not the object's
		`{"note":"a \"Quoted\", \"X\":1","id":"x"}`: false, // nor text inside a value
		`{"area":[{"X":1}],"Version":2}`:            true,
		`{}`:                                        false,
		`null`:                                      false,
		`{"a":"\\","B":1}`:                          true,
	} {
		if got := goNames([]byte(in)); got != want {
			t.Errorf("goNames(%s) = %v, want %v", in, got, want)
		}
	}
}

// The legacy types are their wire types under the Go names: same fields, same
// order, same types (so that one converts into the other), each tag its
// field's name — the keys old builds wrote.
func TestLegacyFormsAreTheGoNames(t *testing.T) {
	for _, pair := range [][2]any{{goApplication{}, Application{}}, {goPerson{}, Person{}}, {goEnterprise{}, Enterprise{}},
		{goAuditEntry{}, AuditEntry{}}, {goZone{}, Zone{}}, {goMarket{}, Market{}}, {goDesk{}, Desk{}}} {
		old, now := reflect.TypeOf(pair[0]), reflect.TypeOf(pair[1])
		if old.NumField() != now.NumField() {
			t.Errorf("%s has %d fields, %s %d", old.Name(), old.NumField(), now.Name(), now.NumField())
			continue
		}
		for i := range old.NumField() {
			o, n := old.Field(i), now.Field(i)
			if o.Name != n.Name || o.Type != n.Type || o.Tag.Get("json") != o.Name {
				t.Errorf("%s.%s (%s, %q) does not match %s.%s (%s)", old.Name(), o.Name, o.Type, o.Tag.Get("json"),
					now.Name(), n.Name, n.Type)
			}
		}
	}
}

var snakeName = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Every field of every type on the wire has an explicit snake_case name: a
// field without a tag would travel under its Go name, and change name with
// it.
func TestEveryNameIsSnakeCase(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(ty reflect.Type)
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || ty.PkgPath() != reflect.TypeOf(Limits{}).PkgPath() || seen[ty] {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !snakeName.MatchString(name) {
				t.Errorf("%s.%s travels as %q", ty.Name(), f.Name, name)
			}
			walk(f.Type)
		}
	}
	for _, v := range []any{Limits{}, Config{}, PushRequest{}, PushOp{}, PushResponse{}, OpResult{}, Change{}, ChangePage{},
		PullResponse{}, SignedList{}, RevocationNotice{}, OfficerRecord{}, AppState{}, Application{}, Person{}, Enterprise{},
		Permit{}, OnlineApplication{}, OnlineReceipt{}, ErrorBody{}, AuditEntry{}, Zone{}, Market{}, Desk{}, Revocation{}, Decision{}, Household{}, Voucher{}, ScanEvent{},
		Conflict{}, ConflictResolution{}, PersonLookup{}} {
		walk(reflect.TypeOf(v))
	}
	if len(seen) < 29 {
		t.Fatalf("walked %d types", len(seen))
	}
}
