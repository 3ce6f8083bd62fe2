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
// Two spellings exist on the wire and both are kept as they are. The
// envelopes (push, pull, config, results) and the records added with them
// (permit, decision, scan, voucher) are snake_case. An application, a person
// and an enterprise travel under the Go field names they were first encoded
// with (ID, PersonID, ValidFrom…), as today's desks and centres write them.
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

// PushOp is one outbox row on the wire. Payload is the record the op carries
// (Application, Person, Enterprise, Decision, a revocation, an audit entry…),
// as the desk encoded it when it queued the op.
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

// OpResult is the server's answer for one op: status is accepted, duplicate,
// rejected, conflict or forbidden.
type OpResult struct {
	OpID      string `json:"op_id"`
	Status    string `json:"status"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message,omitempty"`
	Retryable bool   `json:"retryable"`
	// Original is, for a duplicate, the status the op got the first time.
	Original string `json:"original,omitempty"`
	// Current is, for a conflict, the application as the server holds it
	// (an AppState).
	Current json.RawMessage `json:"current,omitempty"`
	// Revoked is the serial of a permit the server revoked because its
	// decision lost a race or was refused.
	Revoked string `json:"revoked,omitempty"`
}

// Change is one row of the change feed, with its payload read at pull time:
// an AppState, an OfficerRecord, a RevocationNotice, a scan or a SignedList,
// as Entity says.
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
// application op and part of an AppState. Its names are the Go names it was
// first encoded with.
type Application struct {
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

// Person is a permit's holder: the payload of a person op and part of an
// AppState. Its names are the Go names it was first encoded with.
type Person struct {
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

// Enterprise is the payload of an enterprise op and part of an AppState.
// Its names are the Go names it was first encoded with.
type Enterprise struct {
	ID           string `json:"ID"`
	Name         string `json:"Name"`
	TaxCode      string `json:"TaxCode"`
	District     uint32 `json:"District"`
	ManagingUnit uint32 `json:"ManagingUnit"`
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
	// ApprovedByName is the deciding officer's name as the centre records
	// it, for a desk that does not hold that officer's account (a commune
	// receiving the permit its district decided).
	ApprovedByName string    `json:"approved_by_name,omitempty"`
	IssuedAt       time.Time `json:"issued_at"`
	RevokedAt      time.Time `json:"revoked_at,omitzero"`
	RevokeReason   string    `json:"revoke_reason,omitempty"`
	Printed        int       `json:"printed"`
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
