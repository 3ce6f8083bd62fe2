package central

// This file opens and sets a centre up and keeps its signed lists;
// enroll.go, push.go, decide.go and feed.go hold the rest.

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// SettingCentral is present on the central server's database only.
const SettingCentral = "central.role"

// Result codes of a pushed op.
const (
	CodeInvalid    = "INVALID"
	CodeMismatch   = "IDEMPOTENCY_MISMATCH"
	CodeMissing    = wire.CodeDependencyMissing // retryable: an op it needs has not arrived yet
	CodeRefusedDep = wire.CodeDependencyRefused // for good: an op it needs was refused
	CodeInternal   = "INTERNAL"                 // retryable
	CodeVersion    = "VERSION_CONFLICT"
	CodeAuthority  = "AUTHORITY"
	CodeSignature  = "SIGNATURE"
	CodeOfficer    = "OFFICER"
	CodeHash       = "PAYLOAD_HASH"
	CodeArchived   = "ARCHIVED" // accepted and kept as sent: the server applies no rule to it
	CodeAuditChain = "AUDIT_CHAIN"
)

// DeskAuth is who is pushing: derived from the bearer token, never from
// anything the desk writes in a payload.
type DeskAuth struct {
	DeskID string
	Unit   uint32
	Number int
}

// ---------------------------------------------------------------------------
// Central: setting up, the signed lists.

// IsCentral reports whether db is a central server's database.
func (db *DB) IsCentral(ctx context.Context) bool {
	_, ok, _ := db.Setting(ctx, SettingCentral)
	return ok
}

// InitCentral makes db a central server's database: the province's units,
// the root public key, and a first (empty) trust list and revocation list
// signed by root. It refuses a database that is already one.
func (db *DB) InitCentral(ctx context.Context, root ed25519.PrivateKey) error {
	if db.IsCentral(ctx) {
		return conflict("cơ sở dữ liệu %s đã là của máy chủ trung tâm", db.Path())
	}
	// The centre's schema first. Its outbox guard holds from the role's
	// setting on; the province's units, seeded before, queue no ops.
	if err := db.migrate(ctx); err != nil {
		return err
	}
	if err := db.SeedProvince(ctx); err != nil {
		return err
	}
	err := db.Write(ctx, func(tx *store.Tx) error {
		pub := root.Public().(ed25519.PublicKey)
		trust, err := seal.SignTrustList(root, seal.TrustList{Sequence: 1, IssuedAt: tx.Now})
		if err != nil {
			return fmt.Errorf("ký danh sách tin cậy: %w", err)
		}
		revs, err := seal.SignRevocationList(root, seal.RevocationList{Sequence: 1, IssuedAt: tx.Now})
		if err != nil {
			return fmt.Errorf("ký danh sách thu hồi: %w", err)
		}
		for k, v := range map[string][]byte{SettingCentral: []byte("1"), store.SettingRootKey: pub,
			store.SettingTrustList: trust, store.SettingRevocation: revs} {
			if err := tx.SetSetting(k, v); err != nil {
				return err
			}
		}
		if err := feed(tx, 0, store.ChangeTrustList, "trust", ""); err != nil {
			return err
		}
		if err := tx.Audit("", 0, store.ActionAdmin, "root_key", hex.EncodeToString(pub), "khởi tạo máy chủ tỉnh"); err != nil {
			return err
		}
		return feed(tx, 0, store.ChangeRevocationList, "revocations", "")
	})
	if err == nil {
		db.DropOutbox() // as Open does for a centre
	}
	return err
}

// feed appends a change for the desks of unit (0 = every desk) but the
// desk origin (none when empty). A pull sends a record's current state, so
// the same record's older changes for the same desks, or for fewer (its
// origin the same, or this change's none), go: the feed stays compacted
// (SYNC.md), each record in it about once.
func feed(tx *store.Tx, unit uint32, entity, id, origin string) error {
	if _, err := tx.Exec(`DELETE FROM changes WHERE entity = ? AND entity_id = ? AND unit = ? AND (? = '' OR origin = ?)`,
		entity, id, unit, origin, origin); err != nil {
		return fmt.Errorf("gộp thay đổi %s %s: %w", entity, id, err)
	}
	_, err := tx.Exec(`INSERT INTO changes (unit, entity, entity_id, origin, created_at) VALUES (?, ?, ?, ?, ?)`,
		unit, entity, id, origin, tx.Now.Unix())
	if err != nil {
		return fmt.Errorf("ghi thay đổi %s %s: %w", entity, id, err)
	}
	return nil
}

// trustListCache keeps the last opened trust list: decisions check every
// permit against it, and it changes only at enrollment and desk revocation.
var trustListCache struct {
	sync.Mutex
	sum  [32]byte
	list *seal.TrustList
}

func openTrustCached(root ed25519.PublicKey, raw []byte) (*seal.TrustList, error) {
	sum := sha256.Sum256(append(append([]byte{}, root...), raw...))
	trustListCache.Lock()
	defer trustListCache.Unlock()
	if trustListCache.list != nil && trustListCache.sum == sum {
		return trustListCache.list, nil
	}
	l, err := seal.OpenTrustList(root, raw, 0)
	if err != nil {
		return nil, err
	}
	trustListCache.sum, trustListCache.list = sum, l
	return l, nil
}

// trustList returns the province trust list held in this database.
func trustList(tx *store.Tx) (*seal.TrustList, ed25519.PublicKey, error) {
	root, ok, err := tx.Setting(store.SettingRootKey)
	if err != nil || !ok {
		return nil, nil, fmt.Errorf("thiếu khóa gốc của tỉnh: %w", errors.Join(err, errors.New("not initialised")))
	}
	raw, ok, err := tx.Setting(store.SettingTrustList)
	if err != nil || !ok {
		return &seal.TrustList{}, root, err
	}
	l, err := openTrustCached(root, raw)
	return l, root, err
}

// updateTrustList edits the keys of the trust list, bumps its sequence,
// re-signs it with root and tells every desk.
func updateTrustList(tx *store.Tx, root ed25519.PrivateKey, edit func([]seal.TrustedKey) []seal.TrustedKey) error {
	cur, _, err := trustList(tx)
	if err != nil {
		return err
	}
	keys := edit(slices.Clone(cur.Keys))
	raw, err := seal.SignTrustList(root, seal.TrustList{Sequence: cur.Sequence + 1, IssuedAt: tx.Now, Keys: keys})
	if err != nil {
		return fmt.Errorf("ký danh sách tin cậy: %w", err)
	}
	if err := tx.SetSetting(store.SettingTrustList, raw); err != nil {
		return err
	}
	return feed(tx, 0, store.ChangeTrustList, "trust", "")
}

// deferredLists holds the transactions of the pushes being applied: each
// signs the revocation list once, before it commits (signDeferred), however
// many revocations its ops make. Re-signing the whole list at every
// revocation made a day of ten thousand revocations cost ten thousand
// readings and signatures of a list ten thousand long.
var deferredLists sync.Map // *store.Tx → *atomic.Bool (the list must be signed)

// deferListSigning makes tx sign the revocation list at signDeferred only.
func deferListSigning(tx *store.Tx) { deferredLists.Store(tx, new(atomic.Bool)) }

// signDeferred signs the revocation list if one of tx's ops changed it, and
// ends the deferral.
func signDeferred(tx *store.Tx, root ed25519.PrivateKey) error {
	v, ok := deferredLists.LoadAndDelete(tx)
	if !ok || !v.(*atomic.Bool).Load() {
		return nil
	}
	return signRevocations(tx, root)
}

// resignRevocations signs the revocation list afresh, now or, in a push,
// once before it commits.
func resignRevocations(tx *store.Tx, root ed25519.PrivateKey) error {
	if v, ok := deferredLists.Load(tx); ok {
		v.(*atomic.Bool).Store(true)
		return nil
	}
	return signRevocations(tx, root)
}

// signRevocations signs the revocation list afresh from the revocations
// table, one sequence higher, and tells every desk.
func signRevocations(tx *store.Tx, root ed25519.PrivateKey) error {
	var seq uint64
	if raw, ok, err := tx.Setting(store.SettingRevocation); err != nil {
		return err
	} else if ok {
		l, err := seal.OpenRevocationList(root.Public().(ed25519.PublicKey), raw, 0)
		if err != nil {
			return fmt.Errorf("đọc danh sách thu hồi: %w", err)
		}
		seq = l.Sequence
	}
	serials, err := tx.Strings(`SELECT serial FROM revocations ORDER BY serial`)
	if err != nil {
		return err
	}
	raw, err := seal.SignRevocationList(root, seal.RevocationList{Sequence: seq + 1, IssuedAt: tx.Now, Serials: serials})
	if err != nil {
		return fmt.Errorf("ký danh sách thu hồi: %w", err)
	}
	if err := tx.SetSetting(store.SettingRevocation, raw); err != nil {
		return err
	}
	return feed(tx, 0, store.ChangeRevocationList, "revocations", "")
}

// revokeSerial puts a serial on the province's revocation list: the permits
// row (when the server holds it), the revocations table, the re-signed list
// and a change for every desk.
func revokeSerial(tx *store.Tx, root ed25519.PrivateKey, serial, reason string) error {
	res, err := tx.Exec(`INSERT INTO revocations (serial, revoked_at, reason) VALUES (?, ?, ?) ON CONFLICT (serial) DO NOTHING`,
		serial, tx.Now.Unix(), reason)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already revoked
	}
	if _, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoke_reason = ? WHERE serial = ? AND revoked_at = 0`,
		tx.Now.Unix(), reason, serial); err != nil {
		return err
	}
	if err := feedRevocation(tx, serial, ""); err != nil {
		return err
	}
	if err := closePermitConflicts(tx, serial, reason); err != nil { // conflicts.go
		return err
	}
	return resignRevocations(tx, root)
}

// feedRevocation sends the notice of serial's revocation, with its reason,
// to the desks that hold its record: those of the permit's unit and of
// every unit its application went to, or, for a serial the centre holds no
// permit of (a voucher), of the unit whose series it is. Every other desk
// learns it from the signed list, which names every revoked serial and
// which each pull carries once: a notice to every desk made a new desk's
// first pull after a month of the province's revocations replay about
// 100,000 of them (issue 16).
func feedRevocation(tx *store.Tx, serial, origin string) error {
	rows, err := tx.Query(`SELECT unit FROM permits WHERE serial = ?
		UNION SELECT c.unit FROM permits p JOIN changes c ON c.entity = ? AND c.entity_id = p.application_id WHERE p.serial = ?`,
		serial, store.ChangeApplication, serial)
	if err != nil {
		return err
	}
	var units []uint32
	for rows.Next() {
		var u uint32
		if err := rows.Scan(&u); err != nil {
			rows.Close()
			return err
		}
		units = append(units, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(units) == 0 {
		issuer, _, _ := strings.Cut(serial, "-")
		u, err := strconv.ParseUint(issuer, 10, 32)
		if err != nil {
			u = 0 // no unit's series: every desk
		}
		units = []uint32{uint32(u)}
	}
	for _, u := range units {
		if err := feed(tx, u, store.ChangeRevocation, serial, origin); err != nil {
			return err
		}
	}
	return nil
}
