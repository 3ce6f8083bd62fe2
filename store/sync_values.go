package store

// The values both halves of sync hold in the store's own terms: the desk
// applies them (outbox_sync.go) and the centre (store/central) makes them.

import "thonghanh/store/wire"

// Change-feed entities.
const (
	ChangeApplication    = "application"
	ChangeOfficer        = "officer"
	ChangeRevocation     = "revocation"
	ChangeScan           = "scan"    // a voucher used at another entrance
	ChangeVoucher        = "voucher" // a voucher another desk of the unit issued: its household and market
	ChangeTrustList      = "trust_list"
	ChangeRevocationList = "revocation_list"
	ChangeConflict       = "conflict" // two desks' versions of a person, or overlapping permits (wire.Conflict)
	ChangeZone           = "zone"     // a zone of the commune as the centre holds it (ZoneRecord)
	ChangeMarket         = "market"   // a market of the commune as the centre holds it (MarketRecord)
)

// ZoneRecord is a zone as the centre hands it to its commune's desks
// (wire.ZoneRecord): the zone and whether it is in force, so that a
// lifting reaches them all.
type ZoneRecord struct {
	Zone   Zone `json:"zone"`
	Active bool `json:"active"`
}

// MarketRecord is a market as the centre hands it to its commune's desks
// (wire.MarketRecord), open or closed.
type MarketRecord struct {
	Market Market `json:"market"`
	Active bool   `json:"active"`
}

// VoucherIssue is what a market entrance needs of a voucher another desk of
// its commune issued: the household and the market, which the QR leaves
// out. The centre keeps it from the voucher op and relays it.
type VoucherIssue struct {
	Serial         string `json:"serial"`
	Unit           uint32 `json:"unit"`
	HouseholdCode  string `json:"household_code"`
	Representative string `json:"representative"`
	Hamlet         string `json:"hamlet"`
	MarketID       string `json:"market_id"`
	MarketName     string `json:"market_name"`
	SlotStart      int64  `json:"slot_start"` // Unix seconds
	SlotEnd        int64  `json:"slot_end"`
}

// putVoucherIssue keeps a relayed voucher's facts; a second copy changes
// nothing.
func (tx *Tx) putVoucherIssue(v VoucherIssue) error {
	if v.Serial == "" {
		return invalid("Số phiếu", "phiếu từ máy chủ thiếu số phiếu")
	}
	_, err := tx.Exec(`INSERT INTO voucher_issues (serial, unit, household_code, representative, hamlet, market_id, market_name, slot_start, slot_end)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING`,
		v.Serial, v.Unit, v.HouseholdCode, v.Representative, v.Hamlet, v.MarketID, v.MarketName, v.SlotStart, v.SlotEnd)
	return err
}

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
	// Position is the approver's, for the signer block of the permits a
	// desk prints (absent for the head, and from an older centre).
	Position Position `json:"position,omitempty"`
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
