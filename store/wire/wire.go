// Package wire is the sync protocol's JSON (SYNC.md "On the wire"): every
// body a desk and the central server exchange, and every record that travels
// inside one, each field with the name it has on the wire written out.
//
// The names are the protocol, not the Go fields: a desk runs an old binary for
// weeks, its outbox holds payloads an old build encoded, and a centre must read
// them as a desk must read what an old centre sends. So nothing here takes its
// JSON from a struct of the store; the store converts its records to and from
// these values (store/wirefmt.go), and the golden files in testdata/ fail the
// tests when a name changes.
//
// Every name is snake_case. An application, a person, an enterprise, an
// audit entry, a zone, a market and an enrolled desk once travelled under
// their Go field names (ID, PersonID, ValidFrom…), and desks still hold
// outbox rows queued in that form — an op keeps its payload bytes until the
// centre settles it, and its payload hash with them (SYNC.md "Idempotency
// per op") — while an old centre's feed, conflicts and enrollment still send
// it. So these types decode either form, told apart by the keys (a Go name
// starts with a capital letter, a wire name never does), and encode only the
// snake_case one, with one exception. The legacy form is kept as long as a
// desk may carry it: until no desk in the province runs a build older than
// the snake_case names.
//
// The exception is what the centre sends desks. A desk of an older build
// reads only the Go names (a snake_case valid_from would reach it as a zero
// date and its pull would stop at the first application), and desks upgrade
// weeks after the centre. So the centre still writes the records of an
// AppState and an enrolled Desk in the legacy form (MarshalLegacy), which
// every build reads; desks of this build read both, so a later build can
// send snake_case once the old desks are gone. Desks send snake_case, which
// is why the centre is upgraded first.
//
// The package is a leaf: it imports only the standard library, so both the
// centre and the transport can depend on it.
package wire

import (
	"encoding/json"
	"time"
)

// Limits are what the server accepts in one push: at most MaxOps ops and
// MaxBytes of decompressed body.
type Limits struct {
	MaxOps   int   `json:"max_ops"`
	MaxBytes int64 `json:"max_bytes"`
}

// Config is GET /v1/sync/config: the limits, and what the desk compares with
// its own books before a round (a server restored from an older backup has a
// lower last_seq, or holds fewer of the desk's ops, than the desk knows).
type Config struct {
	Limits
	SchemaVersion int       `json:"schema_version"`
	DeskID        string    `json:"desk_id"`
	Unit          uint32    `json:"unit"`
	LastSeq       int64     `json:"last_seq"`
	OpsHeld       int64     `json:"ops_held"`
	ServerTime    time.Time `json:"server_time"`
}

// Valid reports whether c is a config a desk can sync with.
func (c *Config) Valid() bool { return c.MaxOps > 0 && c.MaxBytes > 0 && c.SchemaVersion > 0 }

// PushRequest is POST /v1/sync/push: { desk_id, batch_id, schema_version,
// ops[] }. The server ignores desk_id for authority: the desk is the token's.
type PushRequest struct {
	DeskID        string   `json:"desk_id"`
	BatchID       string   `json:"batch_id"`
	SchemaVersion int      `json:"schema_version"`
	Ops           []PushOp `json:"ops"`
}

// PushOp is one outbox row on the wire: op_id (made on the desk), entity,
// payload and payload hash (SYNC.md "On the desk"). Payload is the record the
// op carries (Application, Person, Enterprise, Decision, Revocation,
// AuditEntry, ScanEvent, Voucher, Household, Zone, Market), byte for byte as
// the desk encoded it when it queued the op, whichever build that was: the
// server keeps every op_id with its payload hash forever, and a resend must
// hash the same to be a duplicate (SYNC.md "Idempotency per op").
type PushOp struct {
	OpID     string          `json:"op_id"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Op       string          `json:"op"`
	Payload  json.RawMessage `json:"payload"`
	Hash     string          `json:"hash,omitempty"` // hex SHA-256 of Payload, as the desk computed it
}

// PushResponse answers a push: one result per op it settled; an op missing
// from Results stays pending on the desk.
type PushResponse struct {
	BatchID string     `json:"batch_id"`
	Results []OpResult `json:"results"`
}

// Valid reports whether p is a push's answer (a 200 without results is a
// proxy's, not the server's).
func (p *PushResponse) Valid() bool { return p.Results != nil }

// Result codes of a pushed op that a desk acts on by name (the centre's
// whole list is in store/central).
const (
	// CodeDependencyMissing: the record the op needs has not reached the
	// centre yet (retryable: the desk sends the op again later).
	CodeDependencyMissing = "DEPENDENCY_MISSING"
	// CodeDependencyRefused: the record the op needs was refused by the
	// centre for good (its own op was answered rejected or forbidden), so
	// the op never can apply: a decision on an application the centre
	// refused. Permanent (retryable false, status rejected): the desk stops
	// sending it. When the decision carried a permit sealed by that desk for
	// that application, the centre has put it on the revocation list
	// (OpResult.Revoked names it).
	CodeDependencyRefused = "DEPENDENCY_REFUSED"
)

// OpResult is the server's answer for one op: status is accepted, duplicate,
// rejected, conflict or forbidden; retryable tells the desk whether to send
// the op again.
type OpResult struct {
	OpID      string `json:"op_id"`
	Status    string `json:"status"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message,omitempty"`
	Retryable bool   `json:"retryable"`
	// Original is, for a duplicate, the status the op got the first time.
	Original string `json:"original,omitempty"`
	// Current is, for a conflict, the application as the server holds it
	// (an AppState, its records in the legacy form older desks read).
	Current json.RawMessage `json:"current,omitempty"`
	// Revoked is the serial of a permit the server revoked because its
	// decision lost a race or was refused.
	Revoked string `json:"revoked,omitempty"`
}

// Change is one row of the change feed, with its payload read at pull time:
// an AppState (in the legacy form older desks read), an OfficerRecord, a
// RevocationNotice, a scan, a SignedList, a Conflict, a ZoneRecord or a
// MarketRecord, as Entity says (a desk skips an entity it does not know). Seq is the
// server's sequence the desk keeps as its cursor; the feed is compacted, so a
// pull carries each entity's current state once (SYNC.md).
type Change struct {
	Seq     int64           `json:"seq"`
	Entity  string          `json:"entity"`
	ID      string          `json:"id"`
	Version int             `json:"version"`
	Payload json.RawMessage `json:"payload"`
}

// ChangePage is one page of the feed: { changes[], next, more }.
type ChangePage struct {
	Changes []Change `json:"changes"`
	Next    int64    `json:"next"`
	More    bool     `json:"more"`
}

// PullResponse is GET /v1/sync/pull's answer: a page of the change feed, and
// a new device token when the one used is due for rotation.
type PullResponse struct {
	ChangePage
	Token string `json:"token,omitempty"`
}

// Valid reports whether p is a page of the feed.
func (p *PullResponse) Valid() bool { return p.Changes != nil }

// SignedList is the payload of a trust-list or revocation-list change: the
// signed CBOR of QR-FORMAT.md, as the province signed it.
type SignedList struct {
	Raw []byte `json:"raw"`
}

// RevocationNotice is the payload of a revocation change.
type RevocationNotice struct {
	Serial    string `json:"serial"`
	Reason    string `json:"reason"`
	RevokedAt int64  `json:"revoked_at"`
}

// Conflict is the payload of a conflict change (entity "conflict"): what the
// centre found when two desks disagree about one person. Kind "person": a
// desk pushed a holder whose name, birth date or sex differs from the
// centre's record of the same ID number; the centre keeps Held (the version
// it had, from HeldDesk) and Pushed (PushedDesk's) and overwrites neither
// until a clerk resolves it. Kind "permit": two desks issued valid permits
// of one category to one person for overlapping dates (HeldSerial,
// PushedSerial); flagged, not refused. Every desk of a unit concerned pulls
// it again when it is resolved: Status "resolved", and for a person the
// identifying fields chosen in Resolution, which the desk takes over.
type Conflict struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"` // "person" or "permit"
	IDNumber     string    `json:"id_number"`
	HeldDesk     string    `json:"held_desk"`
	HeldUnit     uint32    `json:"held_unit"`
	PushedDesk   string    `json:"pushed_desk"`
	PushedUnit   uint32    `json:"pushed_unit"`
	Held         *Person   `json:"held,omitempty"`
	Pushed       *Person   `json:"pushed,omitempty"`
	HeldSerial   string    `json:"held_serial,omitempty"`
	PushedSerial string    `json:"pushed_serial,omitempty"`
	Detail       string    `json:"detail"`
	Status       string    `json:"status"` // "open" or "resolved"
	CreatedAt    time.Time `json:"created_at"`
	ResolvedAt   time.Time `json:"resolved_at,omitzero"`
	ResolvedBy   string    `json:"resolved_by,omitempty"` // the officer's full name, as the centre holds it
	Resolution   *Person   `json:"resolution,omitempty"`
}

// PersonLookup answers GET /v1/people?id_number=N: the centre's record of
// the holder of N, when the asking desk's unit may serve them (their
// commune or a unit it lies within, their employer, command centre or
// enterprise's managing unit, a unit one of their applications is at).
// Anyone else gets found false, exactly as for a number the centre does
// not know.
type PersonLookup struct {
	Found  bool    `json:"found"`
	Person *Person `json:"person,omitempty"`
}

// Valid: an answer always is one; Found says whether it names a person.
func (l *PersonLookup) Valid() bool { return !l.Found || l.Person != nil }

// ConflictResolution is the payload of a conflict op (entity "conflict", op
// "resolve", entity_id the conflict's ID): the identifying fields a clerk
// chose or corrected for the person of a "person" conflict (FullName,
// BirthDate, Sex), or nothing but the note for a "permit" one. The centre
// takes them as its record of the person and closes the conflict.
type ConflictResolution struct {
	ConflictID string    `json:"conflict_id"`
	IDNumber   string    `json:"id_number"`
	FullName   string    `json:"full_name,omitempty"`
	BirthDate  time.Time `json:"birth_date,omitzero"`
	Sex        string    `json:"sex,omitempty"`
	Note       string    `json:"note,omitempty"`
	Officer    string    `json:"officer"`
	At         int64     `json:"at"`
}

// OfficerRecord is an account as the server hands it to its unit's desks
// (in the feed and at enrollment), so that they can log in offline.
type OfficerRecord struct {
	ID           string   `json:"id"`
	Username     string   `json:"username"`
	FullName     string   `json:"full_name"`
	Unit         uint32   `json:"unit"`
	Roles        []string `json:"roles"`
	Active       bool     `json:"active"`
	PasswordHash string   `json:"password_hash"`
	// Position is the approver's standing in the unit's leadership
	// ("deputy"), for the signer block of the permits a desk prints; absent
	// for the head, and from an older centre.
	Position string `json:"position,omitempty"`
}

// AppState is an application as the server sends it to desks (the feed's
// application change, a conflict's current state): with its holder, its
// enterprise and its permit.
type AppState struct {
	Application Application `json:"application"`
	Person      Person      `json:"person"`
	Enterprise  *Enterprise `json:"enterprise,omitempty"`
	Permit      *Permit     `json:"permit,omitempty"`
}

// Application is an application for a travel permit: the payload of an
// application op (entity "application", op "create") and the application
// of an AppState. It decodes the legacy Go-name form too (goApplication).
type Application struct {
	ID            string    `json:"id"`
	Number        string    `json:"number"`
	PersonID      string    `json:"person_id"`
	Category      int       `json:"category"`
	Purpose       int       `json:"purpose"`
	PurposeNote   string    `json:"purpose_note"`
	Area          []uint32  `json:"area"`
	Route         string    `json:"route"`
	ValidFrom     time.Time `json:"valid_from"`
	ValidUntil    time.Time `json:"valid_until"`
	HasHours      bool      `json:"has_hours"`
	HoursFrom     int       `json:"hours_from"`
	HoursTo       int       `json:"hours_to"`
	Vehicle       string    `json:"vehicle"`
	Employer      uint32    `json:"employer"`
	EnterpriseID  string    `json:"enterprise_id"`
	CommandCentre uint32    `json:"command_centre"`
	Source        string    `json:"source"`
	Status        string    `json:"status"`
	QueueUnit     uint32    `json:"queue_unit"`
	ReceivedUnit  uint32    `json:"received_unit"`
	ReceivedBy    string    `json:"received_by"`
	DecidedBy     string    `json:"decided_by"`
	DecidedAt     time.Time `json:"decided_at"`
	Reason        string    `json:"reason"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
}

// Person is a permit's holder: the payload of a person op and the person of
// an AppState (the centre is the authority on a person, SYNC.md "People").
// It decodes the legacy Go-name form too (goPerson).
type Person struct {
	ID            string    `json:"id"`
	IDNumber      string    `json:"id_number"`
	FullName      string    `json:"full_name"`
	Folded        string    `json:"folded"`
	BirthDate     time.Time `json:"birth_date"`
	Sex           string    `json:"sex"`
	Phone         string    `json:"phone"`
	Commune       uint32    `json:"commune"`
	Hamlet        string    `json:"hamlet"`
	Address       string    `json:"address"`
	Employer      uint32    `json:"employer"`
	EnterpriseID  string    `json:"enterprise_id"`
	CommandCentre uint32    `json:"command_centre"`
	Version       int       `json:"version"`
}

// Enterprise is an employer: the payload of an enterprise op and the
// enterprise of an AppState. It decodes the legacy Go-name form too
// (goEnterprise).
type Enterprise struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	TaxCode      string `json:"tax_code"`
	District     uint32 `json:"district"`
	ManagingUnit uint32 `json:"managing_unit"`
}

// Decision is the payload of a decision op (entity "decision", op
// "decide"), sent for every decision. ExpectedVersion is the application's
// version the desk decided on: the server's commit order decides races, and
// the loser gets a conflict with the current state (SYNC.md "Conflicts").
// The centre re-checks authority and, for approvals, the permit's signature.
type Decision struct {
	ApplicationID   string  `json:"application_id"`
	ExpectedVersion int     `json:"expected_version"`
	Outcome         string  `json:"outcome"` // approved, rejected, forwarded
	Reason          string  `json:"reason,omitempty"`
	ForwardTo       uint32  `json:"forward_to,omitempty"`
	Officer         string  `json:"officer"`
	Unit            uint32  `json:"unit"`
	At              int64   `json:"at"`
	Permit          *Permit `json:"permit,omitempty"`
}

// Household is one household of a commune's list for market-trip vouchers
// (category 5): the commune keeps it by its own code, and one representative
// goes to market for everyone. The payload of a household op (entity
// "household"), kept by the centre as sent.
type Household struct {
	ID             string    `json:"id"`
	Commune        uint32    `json:"commune"`
	Code           string    `json:"code"` // the commune's household code, unique within the commune
	Representative string    `json:"representative"`
	IDNumber       string    `json:"id_number"`
	Hamlet         string    `json:"hamlet"`
	Address        string    `json:"address,omitempty"`
	Phone          string    `json:"phone,omitempty"`
	Members        int       `json:"members"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Voucher is an issued market-trip voucher (phiếu đi chợ): one household's
// one trip to one market in one time slot, sealed as a kind-2 QR. It is
// single-use: a checkpoint at the market entrance sets UsedAt. The payload
// of a voucher op (entity "voucher", op "issue"), kept by the centre as
// sent for the desk's own serials.
type Voucher struct {
	Serial        string    `json:"serial"`
	HouseholdID   string    `json:"household_id"`
	HouseholdCode string    `json:"household_code"`
	Commune       uint32    `json:"commune"`
	Hamlet        string    `json:"hamlet"`
	MarketID      string    `json:"market_id"`
	MarketName    string    `json:"market_name"`
	ZoneID        string    `json:"zone_id"`
	SlotStart     time.Time `json:"slot_start"`
	SlotEnd       time.Time `json:"slot_end"`
	QR            string    `json:"qr"`
	IssuedBy      string    `json:"issued_by"`
	IssuedAt      time.Time `json:"issued_at"`
	// IDNumber and Unit are read back from the seal, not from the
	// household's current record: a list re-imported after issue must not
	// make the paper disagree with its QR. Representative is the household's
	// (a voucher's seal carries no name, see IssueVouchers), or the sealed
	// name when a voucher has one.
	Representative string    `json:"representative"`
	IDNumber       string    `json:"id_number"`
	Unit           uint32    `json:"unit"`
	UsedAt         time.Time `json:"used_at,omitzero"`
	Printed        int       `json:"printed"`
	Revoked        bool      `json:"revoked,omitempty"`
}

// AuditEntry is one link of a desk's audit chain: the payload of an audit op
// (entity "audit", op "append"). It must chain from the last entry the centre
// holds for that desk (SYNC.md "Audit continuity"); Hash is SHA-256 over
// PrevHash and every field, computed by the store, not over this JSON. It
// decodes the legacy Go-name form too (goAuditEntry).
type AuditEntry struct {
	Seq      int64  `json:"seq"`
	ID       string `json:"id"`
	At       int64  `json:"at"`
	Officer  string `json:"officer"`
	Unit     uint32 `json:"unit"`
	Action   string `json:"action"`
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id"`
	Detail   string `json:"detail"`
	PrevHash []byte `json:"prev_hash"`
	Hash     []byte `json:"hash"`
}

// Revocation is the payload of a revocation op (entity "revocation", op
// "revoke"): an approver of the desk's unit revoked a permit the unit sealed,
// and the centre puts its serial on the signed revocation list. Its fields are
// in the order the first builds wrote them (a map, its keys sorted).
type Revocation struct {
	At      int64  `json:"at"`
	Officer string `json:"officer"`
	Reason  string `json:"reason"`
	Serial  string `json:"serial"`
	Unit    uint32 `json:"unit"`
}

// ScanEvent is one check at a checkpoint: the payload of a scan op (entity
// "scan", op "create") and of the feed's scan change, which tells a voucher's
// issuing unit that it was used. Of the holder it carries nothing but the
// serial. Kind is the QR's kind (1 permit, 2 voucher, QR-FORMAT.md), Verdict
// the checker's (VALID, ALREADY_USED…).
type ScanEvent struct {
	ID         string `json:"id"`
	At         int64  `json:"at"` // Unix seconds
	Serial     string `json:"serial"`
	Kind       uint8  `json:"kind"`
	Verdict    string `json:"verdict"`
	Checkpoint uint32 `json:"checkpoint"`
	Officer    string `json:"officer"`
	Desk       string `json:"desk"`
}

// Zone is a commune's risk zone: the payload of a zone op (entity "zone", op
// "create"). No hamlets: the whole commune. It decodes the legacy Go-name
// form too (goZone).
type Zone struct {
	ID      string   `json:"id"`
	Commune uint32   `json:"commune"`
	Name    string   `json:"name"`
	Risk    string   `json:"risk"`
	Hamlets []string `json:"hamlets"`
}

// Market is a market of a zone with its opening minutes and households per
// slot: the payload of a market op (entity "market", op "create"). It
// decodes the legacy Go-name form too (goMarket).
type Market struct {
	ID          string   `json:"id"`
	ZoneID      string   `json:"zone_id"`
	Name        string   `json:"name"`
	Hamlets     []string `json:"hamlets"`
	OpenMinute  int      `json:"open_minute"`
	CloseMinute int      `json:"close_minute"`
	Capacity    int      `json:"capacity"`
}

// ZoneRecord is a zone as the centre hands it to its commune's desks (the
// feed's zone change): the zone and whether it is in force, so that a
// lifting, and a return, reach every desk of the commune.
type ZoneRecord struct {
	Zone   Zone `json:"zone"`
	Active bool `json:"active"`
}

// MarketRecord is a market as the centre hands it to its commune's desks
// (the feed's market change), open or closed. A zone's markets follow it in
// the feed.
type MarketRecord struct {
	Market Market `json:"market"`
	Active bool   `json:"active"`
}

// Desk is an enrolled desk as POST /v1/enroll names it to the desk: its id,
// unit, number within the unit, label and the ed25519 key the province
// certified. It decodes the legacy Go-name form too (goDesk), which an old
// centre answers with.
type Desk struct {
	ID        string `json:"id"`
	Unit      uint32 `json:"unit"`
	Number    int    `json:"number"`
	Label     string `json:"label"`
	PublicKey []byte `json:"public_key"`
}

// Permit is a sealed permit: part of an approval's Decision and of an
// AppState.
type Permit struct {
	Serial        string    `json:"serial"`
	ApplicationID string    `json:"application_id"`
	Unit          uint32    `json:"unit"`
	DeskNo        int       `json:"desk_no"`
	Category      int       `json:"category"`
	HolderName    string    `json:"holder_name"`
	IDNumber      string    `json:"id_number"`
	ValidFrom     time.Time `json:"valid_from"`
	ValidUntil    time.Time `json:"valid_until"`
	QR            string    `json:"qr"`
	ApprovedBy    string    `json:"approved_by"`
	// ApproverName is, in what the centre sends, the approving officer's
	// full name as the centre recorded it: a commune desk that forwarded
	// the application does not hold the district's accounts.
	ApproverName string    `json:"approver_name,omitempty"`
	IssuedAt     time.Time `json:"issued_at"`
	RevokedAt    time.Time `json:"revoked_at,omitzero"`
	RevokeReason string    `json:"revoke_reason,omitempty"`
	Printed      int       `json:"printed"`
}

// OnlineApplication is POST /v1/applications from the citizen app.
type OnlineApplication struct {
	Person      Person      `json:"person"`
	Application Application `json:"application"`
}

// OnlineReceipt is what the citizen app is told.
type OnlineReceipt struct {
	ID        string `json:"id"`
	Number    string `json:"number"`
	Status    string `json:"status"`
	QueueUnit uint32 `json:"queue_unit"`
	QueueName string `json:"queue_name"`
}

// Valid reports whether r is a receipt.
func (r *OnlineReceipt) Valid() bool { return r.ID != "" }

// ErrorBody is every non-200 answer's JSON.
type ErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// The legacy form: Application, Person, Enterprise, AuditEntry, Zone,
// Market and Desk as builds before the snake_case names wrote them, each key
// the Go field's name. Each has the fields of its wire type in the same
// order, so that one converts into the other; TestLegacyFormsAreTheGoNames
// keeps it so.

// goApplication is an Application in the legacy form.
type goApplication struct {
	ID            string    `json:"ID"`
	Number        string    `json:"Number"`
	PersonID      string    `json:"PersonID"`
	Category      int       `json:"Category"`
	Purpose       int       `json:"Purpose"`
	PurposeNote   string    `json:"PurposeNote"`
	Area          []uint32  `json:"Area"`
	Route         string    `json:"Route"`
	ValidFrom     time.Time `json:"ValidFrom"`
	ValidUntil    time.Time `json:"ValidUntil"`
	HasHours      bool      `json:"HasHours"`
	HoursFrom     int       `json:"HoursFrom"`
	HoursTo       int       `json:"HoursTo"`
	Vehicle       string    `json:"Vehicle"`
	Employer      uint32    `json:"Employer"`
	EnterpriseID  string    `json:"EnterpriseID"`
	CommandCentre uint32    `json:"CommandCentre"`
	Source        string    `json:"Source"`
	Status        string    `json:"Status"`
	QueueUnit     uint32    `json:"QueueUnit"`
	ReceivedUnit  uint32    `json:"ReceivedUnit"`
	ReceivedBy    string    `json:"ReceivedBy"`
	DecidedBy     string    `json:"DecidedBy"`
	DecidedAt     time.Time `json:"DecidedAt"`
	Reason        string    `json:"Reason"`
	Version       int       `json:"Version"`
	CreatedAt     time.Time `json:"CreatedAt"`
}

// goPerson is a Person in the legacy form.
type goPerson struct {
	ID            string    `json:"ID"`
	IDNumber      string    `json:"IDNumber"`
	FullName      string    `json:"FullName"`
	Folded        string    `json:"Folded"`
	BirthDate     time.Time `json:"BirthDate"`
	Sex           string    `json:"Sex"`
	Phone         string    `json:"Phone"`
	Commune       uint32    `json:"Commune"`
	Hamlet        string    `json:"Hamlet"`
	Address       string    `json:"Address"`
	Employer      uint32    `json:"Employer"`
	EnterpriseID  string    `json:"EnterpriseID"`
	CommandCentre uint32    `json:"CommandCentre"`
	Version       int       `json:"Version"`
}

// goEnterprise is an Enterprise in the legacy form.
type goEnterprise struct {
	ID           string `json:"ID"`
	Name         string `json:"Name"`
	TaxCode      string `json:"TaxCode"`
	District     uint32 `json:"District"`
	ManagingUnit uint32 `json:"ManagingUnit"`
}

// UnmarshalJSON decodes an application in either form.
func (a *Application) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goApplication
		err := json.Unmarshal(b, &g)
		*a = Application(g)
		return err
	}
	type snake Application // without this method
	return json.Unmarshal(b, (*snake)(a))
}

// UnmarshalJSON decodes a person in either form.
func (p *Person) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goPerson
		err := json.Unmarshal(b, &g)
		*p = Person(g)
		return err
	}
	type snake Person
	return json.Unmarshal(b, (*snake)(p))
}

// UnmarshalJSON decodes an enterprise in either form.
func (e *Enterprise) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goEnterprise
		err := json.Unmarshal(b, &g)
		*e = Enterprise(g)
		return err
	}
	type snake Enterprise
	return json.Unmarshal(b, (*snake)(e))
}

// goAuditEntry is an AuditEntry in the legacy form.
type goAuditEntry struct {
	Seq      int64  `json:"Seq"`
	ID       string `json:"ID"`
	At       int64  `json:"At"`
	Officer  string `json:"Officer"`
	Unit     uint32 `json:"Unit"`
	Action   string `json:"Action"`
	Entity   string `json:"Entity"`
	EntityID string `json:"EntityID"`
	Detail   string `json:"Detail"`
	PrevHash []byte `json:"PrevHash"`
	Hash     []byte `json:"Hash"`
}

// goZone is a Zone in the legacy form.
type goZone struct {
	ID      string   `json:"ID"`
	Commune uint32   `json:"Commune"`
	Name    string   `json:"Name"`
	Risk    string   `json:"Risk"`
	Hamlets []string `json:"Hamlets"`
}

// goMarket is a Market in the legacy form.
type goMarket struct {
	ID          string   `json:"ID"`
	ZoneID      string   `json:"ZoneID"`
	Name        string   `json:"Name"`
	Hamlets     []string `json:"Hamlets"`
	OpenMinute  int      `json:"OpenMinute"`
	CloseMinute int      `json:"CloseMinute"`
	Capacity    int      `json:"Capacity"`
}

// goDesk is a Desk in the legacy form.
type goDesk struct {
	ID        string `json:"ID"`
	Unit      uint32 `json:"Unit"`
	Number    int    `json:"Number"`
	Label     string `json:"Label"`
	PublicKey []byte `json:"PublicKey"`
}

// UnmarshalJSON decodes an audit entry in either form.
func (a *AuditEntry) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goAuditEntry
		err := json.Unmarshal(b, &g)
		*a = AuditEntry(g)
		return err
	}
	type snake AuditEntry
	return json.Unmarshal(b, (*snake)(a))
}

// UnmarshalJSON decodes a zone in either form.
func (z *Zone) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goZone
		err := json.Unmarshal(b, &g)
		*z = Zone(g)
		return err
	}
	type snake Zone
	return json.Unmarshal(b, (*snake)(z))
}

// UnmarshalJSON decodes a market in either form.
func (m *Market) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goMarket
		err := json.Unmarshal(b, &g)
		*m = Market(g)
		return err
	}
	type snake Market
	return json.Unmarshal(b, (*snake)(m))
}

// UnmarshalJSON decodes a desk in either form.
func (d *Desk) UnmarshalJSON(b []byte) error {
	if goNames(b) {
		var g goDesk
		err := json.Unmarshal(b, &g)
		*d = Desk(g)
		return err
	}
	type snake Desk
	return json.Unmarshal(b, (*snake)(d))
}

// legacyAppState is an AppState with its records in the legacy form.
type legacyAppState struct {
	Application goApplication `json:"application"`
	Person      goPerson      `json:"person"`
	Enterprise  *goEnterprise `json:"enterprise,omitempty"`
	Permit      *Permit       `json:"permit,omitempty"`
}

// MarshalLegacy encodes s as the centre sends it to desks: its application,
// person and enterprise under the Go names every build reads.
func (s AppState) MarshalLegacy() ([]byte, error) {
	l := legacyAppState{Application: goApplication(s.Application), Person: goPerson(s.Person), Permit: s.Permit}
	if s.Enterprise != nil {
		e := goEnterprise(*s.Enterprise)
		l.Enterprise = &e
	}
	return json.Marshal(l)
}

// MarshalLegacy encodes d as the centre names it to an enrolling desk, under
// the Go names every build reads.
func (d Desk) MarshalLegacy() ([]byte, error) { return json.Marshal(goDesk(d)) }

// goNames reports whether the JSON object b is in the legacy form: whether
// one of its own keys (not a nested object's) starts with a capital letter.
// Both old encoders wrote "ID" first, so the answer usually comes at the
// first key. Anything that is not an object answers false and is left to
// encoding/json to refuse.
func goNames(b []byte) bool {
	depth, key := 0, false // key: the next string at depth 1 is a key
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '{':
			depth++
			key = depth == 1
		case '[':
			depth++
		case '}', ']':
			depth--
		case ',':
			key = depth == 1
		case '"':
			if key && i+1 < len(b) && 'A' <= b[i+1] && b[i+1] <= 'Z' {
				return true
			}
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			key = false
		}
	}
	return false
}
