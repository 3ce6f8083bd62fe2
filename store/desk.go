package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"thonghanh/store/seal"
)

// Desk is this installation: one PC of one unit, with its own signing key
// and serial numbers.
type Desk struct {
	ID        string
	Unit      uint32
	Number    int
	Label     string
	PublicKey ed25519.PublicKey
}

// Settings keys for the desk's identity and trust material.
const (
	SettingDeskID     = "desk.id"
	SettingRootKey    = "trust.root"       // 32-byte province root public key
	SettingTrustList  = "trust.list"       // signed trust list, raw CBOR
	SettingRevocation = "trust.revocation" // signed revocation list, raw CBOR
	SettingCheckpoint = "checkpoint.unit"  // unit code where this desk scans
	// SettingCheckpointMarket is the market (its ID) whose entrance this
	// desk scans at: a voucher for another market is WRONG_MARKET.
	SettingCheckpointMarket = "checkpoint.market"
)

// Desk returns this installation's desk record; a database with no desk yet
// (the central server) returns a zero Desk and an ENotFound error.
func (db *DB) Desk(ctx context.Context) (Desk, error) {
	id, ok, err := db.Setting(ctx, SettingDeskID)
	if err != nil {
		return Desk{}, err
	}
	if !ok {
		return Desk{}, notFound("máy này chưa được đăng ký làm bàn làm việc của đơn vị nào")
	}
	return db.DeskByID(ctx, string(id))
}

// DeskByID returns a desk record.
func (db *DB) DeskByID(ctx context.Context, id string) (Desk, error) {
	var d Desk
	err := db.sql.QueryRowContext(ctx, `SELECT id, unit, number, label, COALESCE(public_key, x'') FROM desks WHERE id = ?`, id).
		Scan(&d.ID, &d.Unit, &d.Number, &d.Label, &d.PublicKey)
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("không có máy %s", id)
	}
	return d, err
}

// PutDesk records a desk (this one, when self is true) in tx.
func (tx *Tx) PutDesk(d Desk, self bool) error {
	_, err := tx.Exec(`INSERT INTO desks (id, unit, number, label, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET unit = excluded.unit, number = excluded.number, label = excluded.label, public_key = excluded.public_key`,
		d.ID, d.Unit, d.Number, d.Label, []byte(d.PublicKey), tx.Now.Unix())
	if err != nil {
		return fmt.Errorf("ghi máy: %w", err)
	}
	if self {
		return tx.SetSetting(SettingDeskID, []byte(d.ID))
	}
	return nil
}

// WrapDeskKey stores the desk's private key encrypted under an approver's
// password, so that approver's login unlocks signing. Clerks get no wrap,
// and a password a guesser would find in a copied file is refused.
func (tx *Tx) WrapDeskKey(deskID string, officer Officer, password string, priv ed25519.PrivateKey, params *seal.KeyParams) error {
	if !officer.Has(RoleApprover) {
		return forbidden("chỉ người duyệt mới giữ khóa ký của máy")
	}
	if err := CheckPasswordPolicy(officer.Username, password, officer.Roles); err != nil {
		return err
	}
	var blob []byte
	var err error
	if params != nil {
		blob, err = seal.EncryptPrivateKeyWith(priv, password, *params)
	} else {
		blob, err = seal.EncryptPrivateKey(priv, password)
	}
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO desk_key_wraps (desk_id, officer_id, wrapped) VALUES (?, ?, ?)
		ON CONFLICT (desk_id, officer_id) DO UPDATE SET wrapped = excluded.wrapped`, deskID, officer.ID, blob)
	return err
}

// UnlockSigner returns the desk's signer for an approver who has just logged
// in with password. A clerk, an approver without a wrap, or one whose
// password must change first gets EForbidden.
func (db *DB) UnlockSigner(ctx context.Context, officer Officer, password string) (*seal.Signer, error) {
	if !officer.Has(RoleApprover) {
		return nil, forbidden("tài khoản %s không có quyền ký", officer.Username)
	}
	desk, err := db.Desk(ctx)
	if err != nil {
		return nil, err
	}
	// The account's own row, not the Officer value the caller holds, says
	// whether the password must change first: a password that no longer
	// meets the rules does not sign, whichever screen or command asks.
	var mustChange bool
	err = db.sql.QueryRowContext(ctx, `SELECT password_change_required FROM officers WHERE id = ?`, officer.ID).Scan(&mustChange)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, forbidden("tài khoản %s không có trên máy này", officer.Username)
	}
	if err != nil {
		return nil, err
	}
	if mustChange {
		return nil, forbidden("tài khoản %s phải đổi mật khẩu trước khi ký", officer.Username)
	}
	var blob []byte
	err = db.sql.QueryRowContext(ctx, `SELECT wrapped FROM desk_key_wraps WHERE desk_id = ? AND officer_id = ?`, desk.ID, officer.ID).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, forbidden("máy này chưa giao khóa ký cho %s", officer.Username)
	}
	if err != nil {
		return nil, err
	}
	priv, err := seal.DecryptPrivateKey(blob, password)
	if err != nil {
		return nil, &Error{Code: EAuth, Message: "không mở được khóa ký bằng mật khẩu này", Err: err}
	}
	return seal.NewSigner(priv), nil
}

// TrustMaterial returns the root key and the signed lists this desk holds.
func (db *DB) TrustMaterial(ctx context.Context) (root ed25519.PublicKey, trust, revoked []byte, err error) {
	r, ok, err := db.Setting(ctx, SettingRootKey)
	if err != nil || !ok {
		return nil, nil, nil, notFound("máy chưa có khóa gốc của tỉnh (chưa đăng ký với máy chủ)")
	}
	trust, _, err = db.Setting(ctx, SettingTrustList)
	if err != nil {
		return nil, nil, nil, err
	}
	revoked, _, err = db.Setting(ctx, SettingRevocation)
	return ed25519.PublicKey(r), trust, revoked, err
}

// Checkpoint is the unit code where this desk scans (0 when not set).
func (db *DB) Checkpoint(ctx context.Context) uint32 {
	v, ok, _ := db.Setting(ctx, SettingCheckpoint)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseUint(string(v), 10, 32)
	return uint32(n)
}
