package store

// The values both halves of sync hold in the store's own terms: the desk
// applies them (outbox_sync.go) and the centre (store/central) makes them.

import "thonghanh/store/wire"

// Change-feed entities.
const (
	ChangeApplication    = "application"
	ChangeOfficer        = "officer"
	ChangeRevocation     = "revocation"
	ChangeScan           = "scan" // a voucher used at another entrance
	ChangeTrustList      = "trust_list"
	ChangeRevocationList = "revocation_list"
	ChangeConflict       = "conflict" // two desks' versions of a person, or overlapping permits (wire.Conflict)
)

// AppState is an application as the server sends it to desks: with its
// holder, its enterprise and its permit.
type AppState struct {
	Application Application `json:"application"`
	Person      Person      `json:"person"`
	Enterprise  *Enterprise `json:"enterprise,omitempty"`
	Permit      *Permit     `json:"permit,omitempty"`
}

// OfficerRecord is an account as the server hands it to its unit's desks, so
// that they can log in offline.
type OfficerRecord struct {
	ID           string `json:"id"`
	Username     string `json:"username"`
	FullName     string `json:"full_name"`
	Unit         uint32 `json:"unit"`
	Roles        []Role `json:"roles"`
	Active       bool   `json:"active"`
	PasswordHash string `json:"password_hash"`
}

// EnrollRequest is what a desk sends to join: the one-time code, its own
// public key (the private key never leaves the desk), and the approver whose
// password will wrap the key.
type EnrollRequest struct {
	Code      string `json:"code"`
	PublicKey []byte `json:"public_key"`
	Approver  string `json:"approver"`
	Password  string `json:"password"`
	Hostname  string `json:"hostname,omitempty"`
}

// EnrollResponse is what the desk keeps.
type EnrollResponse struct {
	Desk           Desk            `json:"desk"`
	Token          string          `json:"token"`
	RootPublicKey  []byte          `json:"root_public_key"`
	TrustList      []byte          `json:"trust_list"`
	RevocationList []byte          `json:"revocation_list"`
	Officers       []OfficerRecord `json:"officers"`
}

// Push statuses (SYNC.md).
const (
	PushAccepted  = "accepted"
	PushDuplicate = "duplicate"
	PushRejected  = "rejected"
	PushConflict  = "conflict"
	PushForbidden = "forbidden"
)

// CodeMissing is the centre's result code for an op whose record it needs
// has not arrived (SYNC.md's DEPENDENCY_MISSING): retried, unless the desk
// knows that record was refused for good (settleNeverApplicable).
const CodeMissing = wire.CodeDependencyMissing

// CodeRefusedForGood is the centre's answer to an op whose record it
// refused for good (DEPENDENCY_REFUSED): the op can never apply.
const CodeRefusedForGood = wire.CodeDependencyRefused
