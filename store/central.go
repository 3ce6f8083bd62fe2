package store

// The central server's side of sync (SYNC.md) and the desk's half of the same
// bargain. Everything here is a store rule: which pushed op the province
// accepts (authority, officers, the permit's seal), how idempotency is kept,
// what each desk learns through the change feed, and how a desk applies what
// it pulls. store/sync only carries these values over HTTPS.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// Settings of the sync room.
const (
	SettingCentral    = "central.role" // present on the central server's database only
	SettingSyncURL    = "sync.url"     // desk: the server's base URL
	SettingSyncToken  = "sync.token"   // desk: its bearer token
	SettingSyncPin    = "sync.pin"     // desk: SHA-256 of the server's certificate (hex)
	SettingSyncCursor = "sync.cursor"  // desk: the last change sequence applied
)

// SettingSyncTokenPrevious is, on a desk, the tokens it held before, newest
// first, one a line (a server restored from an older backup knows only an
// older one).
const SettingSyncTokenPrevious = "sync.token.previous"

// Push statuses (SYNC.md).
const (
	PushAccepted  = "accepted"
	PushDuplicate = "duplicate"
	PushRejected  = "rejected"
	PushConflict  = "conflict"
	PushForbidden = "forbidden"
)

// Result codes of a pushed op.
const (
	CodeInvalid     = "INVALID"
	CodeMismatch    = "IDEMPOTENCY_MISMATCH"
	CodeMissing     = "DEPENDENCY_MISSING" // retryable: an op it needs has not arrived yet
	CodeInternal    = "INTERNAL"           // retryable
	CodeVersion     = "VERSION_CONFLICT"
	CodeAuthority   = "AUTHORITY"
	CodeSignature   = "SIGNATURE"
	CodeOfficer     = "OFFICER"
	CodeHash        = "PAYLOAD_HASH"
	CodeArchived    = "ARCHIVED" // accepted and kept as sent: the server applies no rule to it
	CodeAuditChain  = "AUDIT_CHAIN"
	CodeOutOfBounds = "OUT_OF_BOUNDS"
)

// Change-feed entities.
const (
	ChangeApplication    = "application"
	ChangeOfficer        = "officer"
	ChangeRevocation     = "revocation"
	ChangeScan           = "scan" // a voucher used at another entrance
	ChangeTrustList      = "trust_list"
	ChangeRevocationList = "revocation_list"
)

// DeskAuth is who is pushing: derived from the bearer token, never from
// anything the desk writes in a payload.
type DeskAuth struct {
	DeskID string
	Unit   uint32
	Number int
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
}

// ---------------------------------------------------------------------------
// Central: setting up, the signed lists.

// IsCentral reports whether db is a central server's database.
func (db *DB) IsCentral(ctx context.Context) bool {
	_, ok, _ := db.Setting(ctx, SettingCentral)
	return ok
}

// centralIndexes adds what only the province's database needs, and notes
// that db is the centre's (whose outbox has no one to push to). Application
// numbers are unique by construction (unit, desk, that desk's counter), so
// desks keep no index on them (migration 0003); the centre, where every
// desk's applications meet, keeps a unique one: a desk restored from an old
// backup that numbers again from an old counter is refused there, with the
// number named, instead of giving two citizens the same number.
func (db *DB) centralIndexes(ctx context.Context) error {
	if !db.IsCentral(ctx) {
		return nil
	}
	db.central = true
	if _, err := db.sql.ExecContext(ctx, `CREATE UNIQUE INDEX IF NOT EXISTS applications_number ON applications (number)`); err != nil {
		return fmt.Errorf("chỉ mục số hồ sơ của máy chủ: %w", err)
	}
	return nil
}

// InitCentral makes db a central server's database: the province's units,
// the root public key, and a first (empty) trust list and revocation list
// signed by root. It refuses a database that is already one.
func (db *DB) InitCentral(ctx context.Context, root ed25519.PrivateKey) error {
	if db.IsCentral(ctx) {
		return conflict("cơ sở dữ liệu %s đã là của máy chủ trung tâm", db.path)
	}
	db.central = true // from its first row, the centre queues no outbox ops
	if err := db.SeedProvince(ctx); err != nil {
		return err
	}
	err := db.Write(ctx, func(tx *Tx) error {
		pub := root.Public().(ed25519.PublicKey)
		trust, err := seal.SignTrustList(root, seal.TrustList{Sequence: 1, IssuedAt: tx.Now})
		if err != nil {
			return fmt.Errorf("ký danh sách tin cậy: %w", err)
		}
		revs, err := seal.SignRevocationList(root, seal.RevocationList{Sequence: 1, IssuedAt: tx.Now})
		if err != nil {
			return fmt.Errorf("ký danh sách thu hồi: %w", err)
		}
		for k, v := range map[string][]byte{SettingCentral: []byte("1"), SettingRootKey: pub,
			SettingTrustList: trust, SettingRevocation: revs} {
			if err := tx.SetSetting(k, v); err != nil {
				return err
			}
		}
		if err := tx.feed(0, ChangeTrustList, "trust", ""); err != nil {
			return err
		}
		if err := tx.Audit("", 0, ActionAdmin, "root_key", hex.EncodeToString(pub), "khởi tạo máy chủ tỉnh"); err != nil {
			return err
		}
		return tx.feed(0, ChangeRevocationList, "revocations", "")
	})
	if err != nil {
		return err
	}
	return db.centralIndexes(ctx)
}

// feed appends a change for the desks of unit (0 = every desk).
func (tx *Tx) feed(unit uint32, entity, id, origin string) error {
	_, err := tx.Exec(`INSERT INTO changes (unit, entity, entity_id, origin, created_at) VALUES (?, ?, ?, ?, ?)`,
		unit, entity, id, origin, tx.Now.Unix())
	if err != nil {
		return fmt.Errorf("ghi thay đổi %s %s: %w", entity, id, err)
	}
	return nil
}

func (tx *Tx) setting(key string) ([]byte, bool, error) {
	var v []byte
	err := tx.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return v, err == nil, err
}

// trustListCache keeps the last opened trust list: decisions check every
// permit against it, and it changes only at enrollment and desk revocation.
var trustListCache struct {
	gosync.Mutex
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
func (tx *Tx) trustList() (*seal.TrustList, ed25519.PublicKey, error) {
	root, ok, err := tx.setting(SettingRootKey)
	if err != nil || !ok {
		return nil, nil, fmt.Errorf("thiếu khoá gốc của tỉnh: %w", errors.Join(err, errors.New("not initialised")))
	}
	raw, ok, err := tx.setting(SettingTrustList)
	if err != nil || !ok {
		return &seal.TrustList{}, root, err
	}
	l, err := openTrustCached(root, raw)
	return l, root, err
}

// updateTrustList edits the keys of the trust list, bumps its sequence,
// re-signs it with root and tells every desk.
func (tx *Tx) updateTrustList(root ed25519.PrivateKey, edit func([]seal.TrustedKey) []seal.TrustedKey) error {
	cur, _, err := tx.trustList()
	if err != nil {
		return err
	}
	keys := edit(slices.Clone(cur.Keys))
	raw, err := seal.SignTrustList(root, seal.TrustList{Sequence: cur.Sequence + 1, IssuedAt: tx.Now, Keys: keys})
	if err != nil {
		return fmt.Errorf("ký danh sách tin cậy: %w", err)
	}
	if err := tx.SetSetting(SettingTrustList, raw); err != nil {
		return err
	}
	return tx.feed(0, ChangeTrustList, "trust", "")
}

// resignRevocations signs the revocation list afresh from the revocations
// table, one sequence higher, and tells every desk.
func (tx *Tx) resignRevocations(root ed25519.PrivateKey) error {
	var seq uint64
	if raw, ok, err := tx.setting(SettingRevocation); err != nil {
		return err
	} else if ok {
		l, err := seal.OpenRevocationList(root.Public().(ed25519.PublicKey), raw, 0)
		if err != nil {
			return fmt.Errorf("đọc danh sách thu hồi: %w", err)
		}
		seq = l.Sequence
	}
	rows, err := tx.Query(`SELECT serial FROM revocations ORDER BY serial`)
	if err != nil {
		return err
	}
	var serials []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		serials = append(serials, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	raw, err := seal.SignRevocationList(root, seal.RevocationList{Sequence: seq + 1, IssuedAt: tx.Now, Serials: serials})
	if err != nil {
		return fmt.Errorf("ký danh sách thu hồi: %w", err)
	}
	if err := tx.SetSetting(SettingRevocation, raw); err != nil {
		return err
	}
	return tx.feed(0, ChangeRevocationList, "revocations", "")
}

// revokeSerial puts a serial on the province's revocation list: the permits
// row (when the server holds it), the revocations table, the re-signed list
// and a change for every desk.
func (tx *Tx) revokeSerial(root ed25519.PrivateKey, serial, reason string) error {
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
	if err := tx.feed(0, ChangeRevocation, serial, ""); err != nil {
		return err
	}
	return tx.resignRevocations(root)
}

// ---------------------------------------------------------------------------
// Central: enrollment codes, device tokens, desks.

// codeEncoding avoids characters a clerk misreads over the phone (no 0/O, 1/I).
var codeEncoding = base32.NewEncoding("ABCDEFGHJKLMNPQRSTUVWXYZ23456789").WithPadding(base32.NoPadding)

func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// normalizeCode accepts a code typed with dashes, spaces or lower case.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// CreateEnrollCode makes a one-time code that enrolls one desk for unit,
// valid for ttl. Only its hash is kept: print the code now.
func (db *DB) CreateEnrollCode(ctx context.Context, unit uint32, ttl time.Duration) (code string, expires time.Time, err error) {
	units, err := db.Units(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	if _, ok := units.Get(unit); !ok {
		return "", time.Time{}, invalid("Đơn vị", "không có đơn vị mã %d", unit)
	}
	if ttl <= 0 || ttl > 30*24*time.Hour {
		return "", time.Time{}, invalid("Thời hạn", "mã đăng ký chỉ dùng được từ vài phút đến 30 ngày")
	}
	buf := make([]byte, 10) // 80 bits: 16 characters
	if _, err := rand.Read(buf); err != nil {
		return "", time.Time{}, err
	}
	raw := codeEncoding.EncodeToString(buf)
	code = raw[0:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:16]
	err = db.Write(ctx, func(tx *Tx) error {
		expires = tx.Now.Add(ttl)
		_, err := tx.Exec(`INSERT INTO enroll_codes (code_hash, unit, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashSecret(raw), unit, tx.Now.Unix(), expires.Unix())
		if err != nil {
			return err
		}
		return tx.Audit("", unit, ActionAdmin, "enroll_code", hex.EncodeToString(hashSecret(raw)[:8]), "tạo mã đăng ký máy, hết hạn "+FormatDateTime(expires))
	})
	return code, expires, err
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

func newToken() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return hex.EncodeToString(buf), nil
}

// Enroll creates a desk from a one-time code: its number within the unit,
// a device token (kept hashed), its public key certified for the unit and
// the categories the unit may issue, added to the re-signed trust list. The
// approver's password is checked before the code is spent.
func (db *DB) Enroll(ctx context.Context, root ed25519.PrivateKey, req EnrollRequest) (EnrollResponse, error) {
	var resp EnrollResponse
	if len(req.PublicKey) != ed25519.PublicKeySize {
		return resp, invalid("Khoá máy", "khoá công khai phải dài 32 byte")
	}
	codeHash := hashSecret(normalizeCode(req.Code))
	var unit uint32
	var expires, used, attempts int64
	err := db.sql.QueryRowContext(ctx, `SELECT unit, expires_at, used_at, attempts FROM enroll_codes WHERE code_hash = ?`, codeHash).
		Scan(&unit, &expires, &used, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return resp, &Error{Code: EAuth, Message: "mã đăng ký không đúng"}
	}
	if err != nil {
		return resp, err
	}
	now := db.Now()
	switch {
	case used > 0:
		return resp, &Error{Code: EAuth, Message: "mã đăng ký này đã được dùng; xin quản trị tỉnh mã mới"}
	case attempts >= MaxEnrollAttempts:
		return resp, codeBurned()
	case now.Unix() > expires:
		return resp, &Error{Code: EAuth, Message: "mã đăng ký đã hết hạn; xin quản trị tỉnh mã mới"}
	}
	// Each password tried takes one of the code's attempts before it is
	// checked, so even guesses sent all at once get MaxEnrollAttempts tries.
	left, err := db.takeEnrollAttempt(ctx, codeHash)
	if err != nil {
		return resp, err
	}
	// The password check (argon2id, slow on purpose) runs before the write.
	var approver OfficerRecord
	var roles string
	err = db.sql.QueryRowContext(ctx, `SELECT id, username, full_name, unit, roles, active, password_hash FROM officers WHERE username = ?`,
		strings.ToLower(strings.TrimSpace(req.Approver))).Scan(&approver.ID, &approver.Username, &approver.FullName, &approver.Unit, &roles, &approver.Active, &approver.PasswordHash)
	approver.Roles = splitRoles(roles)
	if err != nil || !CheckPassword(approver.PasswordHash, req.Password) {
		if left > 0 {
			return resp, newError(EAuth, "", "sai tên đăng nhập hoặc mật khẩu của người duyệt (còn %d lần thử, sau đó mã đăng ký bị huỷ)", left)
		}
		if err := db.Write(ctx, func(tx *Tx) error {
			return tx.Audit("", unit, ActionAdmin, "enroll_code", hex.EncodeToString(codeHash[:8]),
				fmt.Sprintf("mã đăng ký bị huỷ sau %d lần sai mật khẩu người duyệt", MaxEnrollAttempts))
		}); err != nil {
			return resp, err
		}
		return resp, codeBurned()
	}
	if approver.Unit != unit || !approver.Active || !slices.Contains(approver.Roles, RoleApprover) {
		return resp, forbidden("%s không phải người duyệt đang hoạt động của đơn vị được đăng ký", approver.Username)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return resp, err
	}
	u, _ := units.Get(unit)
	pub := ed25519.PublicKey(req.PublicKey)
	err = db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE enroll_codes SET used_at = ? WHERE code_hash = ? AND used_at = 0`, tx.Now.Unix(), codeHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &Error{Code: EAuth, Message: "mã đăng ký này đã được dùng; xin quản trị tỉnh mã mới"}
		}
		var number int
		if err := tx.QueryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM desks WHERE unit = ?`, unit).Scan(&number); err != nil {
			return err
		}
		d := Desk{ID: NewID(tx.Now), Unit: unit, Number: number, Label: fmt.Sprintf("%s, máy %d", u.CommitteeName(), number), PublicKey: pub}
		token, err := tx.registerDesk(root, d, u)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE enroll_codes SET desk_id = ? WHERE code_hash = ?`, d.ID, codeHash); err != nil {
			return err
		}
		if err := tx.Audit(approver.ID, unit, ActionAdmin, "desk", d.ID, "đăng ký "+d.Label); err != nil {
			return err
		}
		resp.Desk, resp.Token = d, token
		return nil
	})
	if err != nil {
		return resp, err
	}
	return db.fillEnrollment(ctx, resp)
}

// MaxEnrollAttempts is how many approver passwords one enrollment code may
// be tried with: the last wrong one burns the code.
const MaxEnrollAttempts = 5

func codeBurned() error {
	return newError(EAuth, "", "mã đăng ký đã bị huỷ sau %d lần nhập sai mật khẩu người duyệt; xin quản trị tỉnh mã mới", MaxEnrollAttempts)
}

// takeEnrollAttempt spends one attempt of a code and returns how many are
// left after it; a code with none left, or used meanwhile, is refused.
func (db *DB) takeEnrollAttempt(ctx context.Context, codeHash []byte) (left int64, err error) {
	err = db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE enroll_codes SET attempts = attempts + 1 WHERE code_hash = ? AND used_at = 0 AND attempts < ?`,
			codeHash, MaxEnrollAttempts)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return codeBurned()
		}
		var attempts int64
		if err := tx.QueryRow(`SELECT attempts FROM enroll_codes WHERE code_hash = ?`, codeHash).Scan(&attempts); err != nil {
			return err
		}
		left = MaxEnrollAttempts - attempts
		return nil
	})
	return left, err
}

// registerDesk stores a desk, certifies its key in the trust list and makes
// its device token.
func (tx *Tx) registerDesk(root ed25519.PrivateKey, d Desk, u Unit) (string, error) {
	cur, _, err := tx.trustList()
	if err != nil {
		return "", err
	}
	if _, dup := cur.Lookup(seal.KID(d.PublicKey)); dup {
		return "", invalid("Khoá máy", "khoá này đã được chứng nhận cho một máy khác")
	}
	if err := tx.PutDesk(d, false); err != nil {
		return "", err
	}
	token, err := newToken()
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(`INSERT INTO device_tokens (token_hash, desk_id, created_at) VALUES (?, ?, ?)`,
		hashSecret(token), d.ID, tx.Now.Unix()); err != nil {
		return "", err
	}
	key := seal.Certify(d.PublicKey, d.Unit, CategoriesFor(u), tx.Now.Add(-time.Hour), tx.Now.AddDate(1, 0, 0), d.Label)
	return token, tx.updateTrustList(root, func(keys []seal.TrustedKey) []seal.TrustedKey { return append(keys, key) })
}

func (db *DB) fillEnrollment(ctx context.Context, resp EnrollResponse) (EnrollResponse, error) {
	var err error
	if resp.RootPublicKey, _, err = db.Setting(ctx, SettingRootKey); err != nil {
		return resp, err
	}
	if resp.TrustList, _, err = db.Setting(ctx, SettingTrustList); err != nil {
		return resp, err
	}
	if resp.RevocationList, _, err = db.Setting(ctx, SettingRevocation); err != nil {
		return resp, err
	}
	resp.Officers, err = db.OfficerRecords(ctx, resp.Desk.Unit)
	return resp, err
}

// OfficerRecords lists the accounts of unit (0 = every unit) with their
// password hashes, for desks that log in offline.
func (db *DB) OfficerRecords(ctx context.Context, unit uint32) ([]OfficerRecord, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, username, full_name, unit, roles, active, password_hash FROM officers
		WHERE ? = 0 OR unit = ? ORDER BY username`, unit, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficerRecord
	for rows.Next() {
		var o OfficerRecord
		var roles string
		if err := rows.Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &o.Active, &o.PasswordHash); err != nil {
			return nil, err
		}
		o.Roles = splitRoles(roles)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Device tokens expire after TokenIdle without use, and a token older than
// TokenRotateAfter is replaced in the next pull answer: a token copied off a
// desk stops working once the desk has used its next one.
const (
	TokenIdle        = 90 * 24 * time.Hour
	TokenRotateAfter = 24 * time.Hour
	// tokenUseEvery is how stale the recorded last use may get: it is
	// written at most this often, not on every request.
	tokenUseEvery = time.Hour
)

// ErrTokenUnknown: no such device token (never issued, replaced, or issued
// after the backup this server was restored from).
var ErrTokenUnknown = &Error{Code: EAuth, Message: "mã truy cập của máy không đúng"}

// AuthenticateDesk finds the desk a bearer token belongs to. A revoked or
// expired token, or a revoked desk, gives EAuth, so the desk can say it was
// cut off; a token the server does not hold gives ErrTokenUnknown. The first
// use of a rotated token retires the one it replaced.
func (db *DB) AuthenticateDesk(ctx context.Context, token string) (DeskAuth, error) {
	var d DeskAuth
	var active bool
	var revoked, created, lastUsed int64
	var replaces []byte
	hash := hashSecret(strings.TrimSpace(token))
	err := db.sql.QueryRowContext(ctx, `SELECT d.id, d.unit, d.number, d.active, t.revoked_at, t.created_at, t.last_used_at, t.replaces
		FROM device_tokens t JOIN desks d ON d.id = t.desk_id WHERE t.token_hash = ?`, hash).
		Scan(&d.DeskID, &d.Unit, &d.Number, &active, &revoked, &created, &lastUsed, &replaces)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, ErrTokenUnknown
	case err != nil:
		return d, err
	case revoked > 0 || !active:
		return d, &Error{Code: EAuth, Message: "mã truy cập của máy đã bị thu hồi: liên hệ quản trị tỉnh để đăng ký lại"}
	}
	now := db.Now()
	if last := time.Unix(max(created, lastUsed), 0); now.Sub(last) > TokenIdle {
		return d, newError(EAuth, "", "mã truy cập của máy đã hết hạn vì không dùng từ %s (quá %d ngày): liên hệ quản trị tỉnh để đăng ký lại",
			FormatDate(last), int(TokenIdle/(24*time.Hour)))
	}
	if replaces == nil && now.Sub(time.Unix(lastUsed, 0)) < tokenUseEvery {
		return d, nil
	}
	err = db.Write(ctx, func(tx *Tx) error {
		if replaces != nil {
			if _, err := tx.Exec(`DELETE FROM device_tokens WHERE token_hash = ? AND desk_id = ?`, replaces, d.DeskID); err != nil {
				return err
			}
		}
		_, err := tx.Exec(`UPDATE device_tokens SET last_used_at = ?, replaces = NULL WHERE token_hash = ?`, tx.Now.Unix(), hash)
		return err
	})
	return d, err
}

// RotateToken returns a new token for the desk holding token when token is
// older than TokenRotateAfter, else "". The new token replaces token only
// once it is used (AuthenticateDesk): until then both are good, so a pull
// answer lost on the way locks no desk out. A successor issued before and
// never used is dropped.
func (db *DB) RotateToken(ctx context.Context, token string) (string, error) {
	hash := hashSecret(strings.TrimSpace(token))
	var next string
	err := db.Write(ctx, func(tx *Tx) error {
		var deskID string
		var created, revoked int64
		err := tx.QueryRow(`SELECT desk_id, created_at, revoked_at FROM device_tokens WHERE token_hash = ?`, hash).Scan(&deskID, &created, &revoked)
		if errors.Is(err, sql.ErrNoRows) || err == nil && (revoked > 0 || tx.Now.Sub(time.Unix(created, 0)) < TokenRotateAfter) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM device_tokens WHERE replaces = ? AND last_used_at = 0`, hash); err != nil {
			return err
		}
		if next, err = newToken(); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO device_tokens (token_hash, desk_id, created_at, replaces) VALUES (?, ?, ?, ?)`,
			hashSecret(next), deskID, tx.Now.Unix(), hash)
		return err
	})
	if err != nil {
		return "", err
	}
	return next, nil
}

// RevokeTokens revokes every token of a desk; it returns how many.
func (db *DB) RevokeTokens(ctx context.Context, deskID string) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE device_tokens SET revoked_at = ? WHERE desk_id = ? AND revoked_at = 0`, tx.Now.Unix(), deskID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return notFound("máy %s không có mã truy cập nào còn hiệu lực", deskID)
		}
		return tx.Audit("", 0, ActionAdmin, "desk", deskID, fmt.Sprintf("thu hồi %d mã truy cập", n))
	})
	return n, err
}

// RevokeDesk cuts a desk off (a stolen PC): its tokens are revoked and its
// key is dropped from the trust list, re-signed one sequence higher, so
// every permit it signs from now on is UNKNOWN_SIGNER at checkpoints.
func (db *DB) RevokeDesk(ctx context.Context, root ed25519.PrivateKey, deskID string) error {
	d, err := db.DeskByID(ctx, deskID)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`UPDATE desks SET active = 0 WHERE id = ?`, d.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE device_tokens SET revoked_at = ? WHERE desk_id = ? AND revoked_at = 0`, tx.Now.Unix(), d.ID); err != nil {
			return err
		}
		kid := seal.KID(d.PublicKey)
		if err := tx.updateTrustList(root, func(keys []seal.TrustedKey) []seal.TrustedKey {
			return slices.DeleteFunc(keys, func(k seal.TrustedKey) bool { return k.KID == kid })
		}); err != nil {
			return err
		}
		return tx.Audit("", d.Unit, ActionAdmin, "desk", d.ID, "thu hồi máy "+d.Label)
	})
}

// DeskInfo is a desk as the province administrator lists it.
type DeskInfo struct {
	Desk
	Active       bool
	CreatedAt    time.Time
	ActiveTokens int
	OpsHeld      int
	LastPush     time.Time
}

// Desks lists every desk the server knows, by unit and number.
func (db *DB) Desks(ctx context.Context) ([]DeskInfo, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT d.id, d.unit, d.number, d.label, COALESCE(d.public_key, x''), d.active, d.created_at,
		(SELECT COUNT(*) FROM device_tokens t WHERE t.desk_id = d.id AND t.revoked_at = 0),
		(SELECT COUNT(*) FROM sync_ops s WHERE s.desk_id = d.id),
		(SELECT COALESCE(MAX(received_at), 0) FROM sync_ops s WHERE s.desk_id = d.id)
		FROM desks d ORDER BY d.unit, d.number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DeskInfo
	for rows.Next() {
		var d DeskInfo
		var created, last int64
		if err := rows.Scan(&d.ID, &d.Unit, &d.Number, &d.Label, &d.PublicKey, &d.Active, &created, &d.ActiveTokens, &d.OpsHeld, &last); err != nil {
			return nil, err
		}
		d.CreatedAt = time.Unix(created, 0)
		if last > 0 {
			d.LastPush = time.Unix(last, 0)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetOfficerActive enables or disables an account by username; the change
// reaches its unit's desks through the feed.
func (db *DB) SetOfficerActive(ctx context.Context, username string, active bool) (Officer, error) {
	var o Officer
	err := db.Write(ctx, func(tx *Tx) error {
		var err error
		o, err = scanOfficer(tx.QueryRow(`SELECT `+officerColumns+` FROM officers WHERE username = ?`, strings.ToLower(strings.TrimSpace(username))))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("không có tài khoản %s", username)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE officers SET active = ? WHERE id = ?`, active, o.ID); err != nil {
			return err
		}
		o.Active = active
		what := "vô hiệu hoá tài khoản "
		if active {
			what = "mở lại tài khoản "
		}
		return tx.Audit("", o.Unit, ActionAdmin, "officer", o.ID, what+o.Username)
	})
	return o, err
}

// AdoptDesk registers on the central server a desk that was set up without
// enrollment (the demo's seeded desk): its record and key, its unit's
// officers and the enterprises it knows, all under their desk IDs. It
// returns the desk's device token.
func (db *DB) AdoptDesk(ctx context.Context, root ed25519.PrivateKey, d Desk, officers []OfficerRecord, enterprises []Enterprise) (string, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return "", err
	}
	u, ok := units.Get(d.Unit)
	if !ok {
		return "", invalid("Đơn vị", "không có đơn vị mã %d", d.Unit)
	}
	var token string
	err = db.Write(ctx, func(tx *Tx) error {
		for _, o := range officers {
			if _, err := tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, o.ID, o.Username, o.FullName, o.Unit, joinRoles(o.Roles),
				o.PasswordHash, o.Active, tx.Now.Unix()); err != nil {
				return fmt.Errorf("nhận tài khoản %s: %w", o.Username, err)
			}
		}
		for _, e := range enterprises {
			if _, err := tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit); err != nil {
				return fmt.Errorf("nhận doanh nghiệp %s: %w", e.TaxCode, err)
			}
		}
		// The demo's desk key is fixed: a desk seeded again brings the same key.
		kid := seal.KID(d.PublicKey)
		if cur, _, err := tx.trustList(); err != nil {
			return err
		} else if _, known := cur.Lookup(kid); known {
			if err := tx.updateTrustList(root, func(keys []seal.TrustedKey) []seal.TrustedKey {
				return slices.DeleteFunc(keys, func(k seal.TrustedKey) bool { return k.KID == kid })
			}); err != nil {
				return err
			}
		}
		var err error
		token, err = tx.registerDesk(root, d, u)
		return err
	})
	return token, err
}

// ---------------------------------------------------------------------------
// Central: applying pushed ops.

// retryLater marks an op the server cannot apply yet (what it refers to has
// not arrived): nothing is stored, and the desk sends it again.
type retryLater struct {
	msg   string
	code  string      // CodeMissing when empty
	chain *chainBreak // an audit entry that does not chain yet, to report
}

func (e *retryLater) Error() string { return e.msg }

func missingDep(format string, args ...any) error {
	return &retryLater{msg: fmt.Sprintf(format, args...)}
}

// refused is a domain refusal that also names a validly sealed permit to
// put on the revocation list (a permit that lost a race or was not allowed:
// it may already be printed, so checkpoints must refuse it).
type refused struct {
	status  string
	code    string
	msg     string
	current []byte
	serial  string
	chain   *chainBreak // an audit entry that does not chain, to report
}

func (e *refused) Error() string { return e.msg }

// ApplyOp settles one pushed op in its own transaction, exactly once: a
// second push of the same op_id and payload gets the stored result back as
// duplicate; of the same op_id with another payload, IDEMPOTENCY_MISMATCH.
// The desk's unit comes from desk (its token), never from the payload.
// root signs the revocation list when a permit must be revoked. An error is
// returned only for internal failures; the result then says retryable.
func (db *DB) ApplyOp(ctx context.Context, root ed25519.PrivateKey, desk DeskAuth, op PushOp) (OpResult, error) {
	res := OpResult{OpID: op.OpID}
	if op.OpID == "" || len(op.OpID) > 64 {
		// Nothing to key it by: the only answer not kept.
		res.Status, res.Code, res.Message = PushRejected, CodeInvalid, "thiếu op_id hoặc op_id dài quá 64 ký tự"
		return res, nil
	}
	sum := sha256.Sum256(op.Payload)
	err := db.Write(ctx, func(tx *Tx) error {
		// An op_id is the desk's own: it is looked up among that desk's ops
		// only (the unique key is desk and op_id), so another desk sending
		// the same op_id gets its own processing, never this one's result.
		ins, err := tx.Exec(`INSERT INTO sync_ops (desk_id, op_id, entity, entity_id, payload_hash, status, received_at)
			VALUES (?, ?, ?, ?, ?, '', ?) ON CONFLICT (desk_id, op_id) DO NOTHING`, desk.DeskID, op.OpID, op.Entity, op.EntityID, sum[:], tx.Now.Unix())
		if err != nil {
			return err
		}
		if n, _ := ins.RowsAffected(); n == 0 {
			var hash, detail []byte
			var status, code, msg string
			if err := tx.QueryRow(`SELECT payload_hash, status, code, message, detail FROM sync_ops WHERE desk_id = ? AND op_id = ?`, desk.DeskID, op.OpID).
				Scan(&hash, &status, &code, &msg, &detail); err != nil {
				return err
			}
			if !bytes.Equal(hash, sum[:]) {
				res.Status, res.Code = PushRejected, CodeMismatch
				res.Message = "op_id này đã được gửi với nội dung khác; bản đầu tiên được giữ"
				return nil
			}
			res.Status, res.Original, res.Code, res.Message = PushDuplicate, status, code, msg
			if status == PushConflict {
				res.Current = detail
			}
			return nil
		}
		if _, err := tx.Exec(`SAVEPOINT apply_op`); err != nil {
			return err
		}
		out, err := tx.checkedApply(ctx, root, desk, op, sum[:])
		if err != nil {
			var later *retryLater
			if errors.As(err, &later) {
				return err
			}
			if _, e := tx.Exec(`ROLLBACK TO apply_op`); e != nil {
				return e
			}
			if e := tx.reportAuditBreak(desk.DeskID, err); e != nil {
				return e
			}
			if out, err = tx.refusal(root, err); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`RELEASE apply_op`); err != nil {
			return err
		}
		var detail any
		if len(out.Current) > 0 {
			detail = []byte(out.Current)
		} else if out.Code == CodeArchived {
			detail = []byte(op.Payload)
		}
		if _, err := tx.Exec(`UPDATE sync_ops SET status = ?, code = ?, message = ?, detail = ? WHERE desk_id = ? AND op_id = ?`,
			out.Status, out.Code, out.Message, detail, desk.DeskID, op.OpID); err != nil {
			return err
		}
		out.OpID = op.OpID
		res = out
		return nil
	})
	var later *retryLater
	switch {
	case errors.As(err, &later):
		code := CodeMissing
		if later.code != "" {
			code = later.code
		}
		if later.chain != nil {
			// Nothing of the op was kept; the break is recorded on its own.
			if err := db.Write(ctx, func(tx *Tx) error { return tx.reportAuditBreak(desk.DeskID, later) }); err != nil {
				return OpResult{OpID: op.OpID, Status: PushRejected, Code: CodeInternal, Message: "lỗi máy chủ, gửi lại sau", Retryable: true},
					fmt.Errorf("op %s: ghi nhận nhật ký đứt đoạn: %w", op.OpID, err)
			}
		}
		return OpResult{OpID: op.OpID, Status: PushRejected, Code: code, Message: later.msg, Retryable: true}, nil
	case err != nil:
		return OpResult{OpID: op.OpID, Status: PushRejected, Code: CodeInternal, Message: "lỗi máy chủ, gửi lại sau", Retryable: true},
			fmt.Errorf("op %s (%s %s): %w", op.OpID, op.Entity, op.EntityID, err)
	}
	return res, nil
}

// checkedApply refuses, as a kept result, an op whose form is wrong or whose
// payload does not match the hash the desk computed; otherwise it applies it.
// Every answer but a missing op_id is kept, so a desk's books and the
// server's always agree on how many of its ops were settled.
func (tx *Tx) checkedApply(ctx context.Context, root ed25519.PrivateKey, desk DeskAuth, op PushOp, sum []byte) (OpResult, error) {
	switch {
	case op.Entity == "" || len(op.Entity) > 32 || len(op.EntityID) > 128 || len(op.Op) > 32:
		return OpResult{}, &refused{status: PushRejected, code: CodeInvalid, msg: "thiếu loại bản ghi hoặc trường quá dài"}
	case len(op.Payload) == 0 || !json.Valid(op.Payload):
		return OpResult{}, &refused{status: PushRejected, code: CodeInvalid, msg: "nội dung không phải JSON"}
	case op.Hash != "" && !strings.EqualFold(op.Hash, hex.EncodeToString(sum)):
		return OpResult{}, &refused{status: PushRejected, code: CodeHash, msg: "mã băm không khớp nội dung: bản ghi trên máy bị hỏng"}
	}
	return tx.applyOp(ctx, root, desk, op)
}

// refusal turns a domain error into the op's stored result, revoking the
// permit a refused decision carried.
func (tx *Tx) refusal(root ed25519.PrivateKey, err error) (OpResult, error) {
	var r *refused
	if errors.As(err, &r) {
		out := OpResult{Status: r.status, Code: r.code, Message: r.msg, Current: r.current}
		if r.serial != "" {
			reason := "máy chủ tỉnh thu hồi: " + r.msg
			if len([]rune(reason)) > 300 {
				reason = string([]rune(reason)[:300])
			}
			if err := tx.revokeSerial(root, r.serial, reason); err != nil {
				return out, err
			}
			out.Revoked = r.serial
			out.Message += "; giấy " + r.serial + " đã bị thu hồi"
		}
		return out, nil
	}
	var e *Error
	if errors.As(err, &e) {
		switch e.Code {
		case EForbidden:
			return OpResult{Status: PushForbidden, Code: CodeAuthority, Message: e.Error()}, nil
		case EConflict:
			return OpResult{Status: PushConflict, Code: CodeVersion, Message: e.Error()}, nil
		case EInvalid, ENotFound:
			return OpResult{Status: PushRejected, Code: CodeInvalid, Message: e.Error()}, nil
		}
	}
	return OpResult{}, err
}

func accepted() OpResult { return OpResult{Status: PushAccepted} }

func (tx *Tx) applyOp(ctx context.Context, root ed25519.PrivateKey, desk DeskAuth, op PushOp) (OpResult, error) {
	units, err := tx.db.Units(ctx)
	if err != nil {
		return OpResult{}, err
	}
	switch op.Entity {
	case "person":
		return accepted(), tx.applyPerson(units, op)
	case "application":
		return accepted(), tx.applyApplication(ctx, units, desk, op)
	case "decision":
		return accepted(), tx.applyDecision(ctx, units, desk, op)
	case "revocation":
		return accepted(), tx.applyRevocation(root, desk, op)
	case "audit":
		return accepted(), tx.applyAudit(desk, op)
	case "enterprise":
		return accepted(), tx.applyEnterprise(units, desk, op)
	case "zone":
		return accepted(), tx.applyZone(units, desk, op)
	case "market":
		return accepted(), tx.applyMarket(desk, op)
	case "scan":
		return accepted(), tx.applyScan(desk, op)
	case "voucher", "household":
		// Kept as sent, for the province's reports; no rule of this server
		// applies to them yet beyond this: a desk archives its own vouchers.
		if op.Entity == "voucher" && !desk.voucherSerial(op.EntityID) {
			return OpResult{}, forbidden("phiếu %s không thuộc dãy số của máy này", op.EntityID)
		}
		return OpResult{Status: PushAccepted, Code: CodeArchived, Message: "đã lưu"}, nil
	}
	// Anything else is refused, not archived: kept as sent it would be held
	// forever under no rule and no bound.
	return OpResult{}, invalid("Nội dung", "máy chủ không nhận loại bản ghi %q", op.Entity)
}

// applyScan keeps a checkpoint's scan for the abuse report. The desk comes
// from the token, never from the payload. A voucher let in at a market
// entrance is relayed to the desks of the unit that issued it (the serial's
// first part), so a second entrance refuses it once it has pulled.
func (tx *Tx) applyScan(desk DeskAuth, op PushOp) error {
	var e ScanEvent
	if err := decodeOp(op, &e); err != nil {
		return err
	}
	e.Desk = desk.DeskID
	added, err := tx.ApplyRemoteScans([]ScanEvent{e})
	if err != nil || added == 0 {
		return err
	}
	if e.Kind == seal.KindVoucher && (e.Verdict == seal.Valid || e.Verdict == seal.AlreadyUsed) {
		issuer, _, _ := strings.Cut(e.Serial, "-")
		if unit, err := strconv.ParseUint(issuer, 10, 32); err == nil {
			return tx.feed(uint32(unit), ChangeScan, e.ID, desk.DeskID)
		}
	}
	return nil
}

// voucherSerial reports whether serial is a market voucher this desk
// issued: 28291-1-2021-V000001 (IssueVouchers' numbering).
func (d DeskAuth) voucherSerial(serial string) bool {
	own := fmt.Sprintf("%d-%d-", d.Unit, d.Number)
	_, seq, ok := strings.Cut(strings.TrimPrefix(serial, own), "-V")
	return strings.HasPrefix(serial, own) && ok && seq != ""
}

func decodeOp(op PushOp, v any) error {
	if err := json.Unmarshal(op.Payload, v); err != nil {
		return invalid("Nội dung", "%s %s: %v", op.Entity, op.EntityID, err)
	}
	return nil
}

// resolve maps an ID a desk made to the server's record of the same thing.
func (tx *Tx) resolve(entity, id string) string {
	if id == "" {
		return ""
	}
	var real string
	if err := tx.QueryRow(`SELECT id FROM id_aliases WHERE entity = ? AND alias = ?`, entity, id).Scan(&real); err == nil {
		return real
	}
	return id
}

func (tx *Tx) alias(entity, alias, id string) error {
	if alias == id {
		return nil
	}
	_, err := tx.Exec(`INSERT INTO id_aliases (entity, alias, id) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET id = excluded.id`, entity, alias, id)
	return err
}

func (tx *Tx) exists(query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRow(query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// applyPerson stores a holder under the first ID the province saw for that
// ID number; a later desk's ID becomes an alias.
func (tx *Tx) applyPerson(units *UnitIndex, op PushOp) error {
	var w wire.Person
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	p := PersonFromWire(w)
	if p.ID == "" {
		p.ID = op.EntityID
	}
	if p.EnterpriseID = tx.resolve("enterprise", p.EnterpriseID); p.EnterpriseID != "" {
		if ok, err := tx.exists(`SELECT 1 FROM enterprises WHERE id = ?`, p.EnterpriseID); err != nil {
			return err
		} else if !ok {
			return missingDep("chưa có doanh nghiệp %s", p.EnterpriseID)
		}
	}
	clean, err := normalizePerson(p, units)
	if err != nil {
		return err
	}
	id := tx.resolve("person", clean.ID)
	var existing string
	err = tx.QueryRow(`SELECT id FROM people WHERE id = ?`, id).Scan(&existing)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRow(`SELECT id FROM people WHERE id_number = ?`, clean.IDNumber).Scan(&existing)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
			employer, enterprise_id, command_centre, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), 1, ?, ?)`,
			clean.ID, clean.IDNumber, clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex, clean.Phone,
			clean.Commune, clean.Hamlet, clean.Address, clean.Employer, clean.EnterpriseID, clean.CommandCentre, tx.Now.Unix(), tx.Now.Unix())
	case err == nil:
		if err = tx.alias("person", clean.ID, existing); err != nil {
			return err
		}
		_, err = tx.Exec(`UPDATE people SET id_number = ?, full_name = ?, folded = ?, birth_date = ?, sex = ?, phone = ?, commune = ?, hamlet = ?,
			address = ?, employer = NULLIF(?, 0), enterprise_id = NULLIF(?, ''), command_centre = NULLIF(?, 0), version = version + 1,
			updated_at = ? WHERE id = ?`, clean.IDNumber, clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex,
			clean.Phone, clean.Commune, clean.Hamlet, clean.Address, clean.Employer, clean.EnterpriseID, clean.CommandCentre, tx.Now.Unix(), existing)
	}
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "FOREIGN KEY") {
			return invalid(FieldIDNumber, "không ghi được người %s: %v", clean.IDNumber, err)
		}
		return fmt.Errorf("ghi người %s: %w", clean.IDNumber, err)
	}
	return nil
}

// maxClockAheadDays is how far ahead of the centre's clock a desk's may run
// and its applications still be dated by it.
const maxClockAheadDays = 30

// applicationInsert is the one INSERT of an application, on a desk or on the
// server (it matches SubmitBatch's).
const applicationInsert = `INSERT INTO applications (id, number, person_id, category, purpose, purpose_note, area, route,
	valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
	queue_unit, received_unit, received_by, version, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, ?, ?, ?, ?, 1, ?, ?)`

// applyApplication records a desk's application: validated as at the desk
// when it was made, routed by the server's own reading of the rules, and
// received by the pushing desk's unit whatever the payload says.
func (tx *Tx) applyApplication(ctx context.Context, units *UnitIndex, desk DeskAuth, op PushOp) error {
	var w wire.Application
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	a := ApplicationFromWire(w)
	if a.ID == "" || a.ID != op.EntityID {
		return invalid("Hồ sơ", "mã hồ sơ %q không khớp op (%q)", a.ID, op.EntityID)
	}
	if ok, err := tx.exists(`SELECT 1 FROM applications WHERE id = ?`, a.ID); err != nil || ok {
		return err // already here (sent under another op): nothing to add
	}
	personID := tx.resolve("person", a.PersonID)
	p, err := scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM people WHERE id = ?`, personID))
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có người %s của hồ sơ %s", a.PersonID, a.Number)
	}
	if err != nil {
		return err
	}
	created := a.CreatedAt
	if created.IsZero() {
		created = tx.Now
	}
	// The desk's clock dates the application and its dates are checked
	// against it (a desk may push weeks later); a date far ahead of the
	// centre's would let a start in any year through.
	if created.After(tx.Now.AddDate(0, 0, maxClockAheadDays)) {
		return invalid(FieldValidity, "hồ sơ %s lập ngày %s, quá %d ngày sau giờ của máy chủ: đồng hồ của máy sai", a.Number, FormatDate(created), maxClockAheadDays)
	}
	if a.Source == "" {
		a.Source = SourceWalkIn
	}
	if a, err = normalizeApplication(a, created, units, map[int]int{a.Category: tx.maxDays(a.Category)}); err != nil {
		return err
	}
	if a.Employer == 0 {
		a.Employer = p.Employer
	}
	if a.EnterpriseID = tx.resolve("enterprise", a.EnterpriseID); a.EnterpriseID == "" {
		a.EnterpriseID = p.EnterpriseID
	}
	if a.CommandCentre == 0 {
		a.CommandCentre = p.CommandCentre
	}
	c := Case{Category: a.Category, Area: a.Area, Employer: a.Employer, CommandCentre: a.CommandCentre, Holder: p}
	if a.Category == CatWorker && a.EnterpriseID != "" {
		e, err := tx.enterprise(a.EnterpriseID)
		if errors.Is(err, sql.ErrNoRows) {
			return missingDep("chưa có doanh nghiệp %s của hồ sơ %s", a.EnterpriseID, a.Number)
		}
		if err != nil {
			return err
		}
		c.Enterprise = &e
	}
	if a.QueueUnit, err = units.Route(c); err != nil {
		return err
	}
	number, err := CleanText("Số hồ sơ", a.Number, 40)
	if err != nil || number == "" {
		return invalid("Số hồ sơ", "thiếu hoặc không hợp lệ")
	}
	// A desk numbers from its own counter only: a number of another desk's
	// series would take that desk's next application from it.
	if series := applicationSeries(Desk{Unit: desk.Unit, Number: desk.Number}); !strings.HasPrefix(number, series) {
		return invalid("Số hồ sơ", "số %s không thuộc dãy số của máy này (%s…)", number, series)
	}
	var hf, ht any
	if a.HasHours {
		hf, ht = a.HoursFrom, a.HoursTo
	}
	if _, err := tx.Exec(applicationInsert, a.ID, number, p.ID, a.Category, a.Purpose, a.PurposeNote, joinCodes(a.Area), a.Route,
		a.ValidFrom.Unix(), a.ValidUntil.Unix(), hf, ht, a.Vehicle, a.Employer, a.EnterpriseID, a.CommandCentre, a.Source, StatusPending,
		a.QueueUnit, desk.Unit, a.ReceivedBy, created.Unix(), tx.Now.Unix()); err != nil {
		if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "FOREIGN KEY") {
			return invalid("Hồ sơ", "không ghi được hồ sơ %s: %v", number, err)
		}
		return fmt.Errorf("ghi hồ sơ %s: %w", number, err)
	}
	return tx.feedApp(desk.DeskID, a.ID, a.QueueUnit, desk.Unit)
}

func (tx *Tx) officerByID(id string) (Officer, error) {
	o, err := scanOfficer(tx.QueryRow(`SELECT `+officerColumns+` FROM officers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, forbidden("cán bộ %q không có trong danh sách tài khoản của tỉnh", id)
	}
	return o, err
}

// checkApprover: a decision or revocation names an approver of the pushing
// desk's unit, active, as the province's accounts say.
func (tx *Tx) checkApprover(desk DeskAuth, id string) (Officer, error) {
	o, err := tx.officerByID(id)
	if err != nil {
		return o, err
	}
	switch {
	case !o.Active:
		return o, forbidden("tài khoản %s đã bị vô hiệu hoá", o.Username)
	case !o.Has(RoleApprover):
		return o, forbidden("tài khoản %s không có quyền duyệt", o.Username)
	case o.Unit != desk.Unit:
		return o, forbidden("tài khoản %s thuộc đơn vị khác máy này", o.Username)
	}
	return o, nil
}

// appState reads an application as desks receive it.
func (tx *Tx) appState(id string) (AppState, error) { return appStateFrom(tx, id) }

type queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

func appStateFrom(q queryer, id string) (AppState, error) {
	var st AppState
	a, err := scanApplication(q.QueryRow(`SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
	if err != nil {
		return st, err
	}
	st.Application = a
	if st.Person, err = scanPerson(q.QueryRow(`SELECT `+personColumns+` FROM people WHERE id = ?`, a.PersonID)); err != nil {
		return st, err
	}
	if a.EnterpriseID != "" {
		var e Enterprise
		if err := q.QueryRow(`SELECT id, name, tax_code, district, managing_unit FROM enterprises WHERE id = ?`, a.EnterpriseID).
			Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit); err == nil {
			st.Enterprise = &e
		}
	}
	if pm, err := scanPermit(q.QueryRow(`SELECT `+permitColumns+` FROM permits WHERE application_id = ?`, id)); err == nil {
		st.Permit = &pm
	}
	return st, nil
}

// applyDecision re-checks a desk's decision as if it were made here: the
// officer, the expected version (the server's commit order decides races),
// the authority rules for the pushing desk's unit, and for an approval the
// permit's seal against the province trust list and its match with the
// application.
func (tx *Tx) applyDecision(ctx context.Context, units *UnitIndex, desk DeskAuth, op PushOp) error {
	var d Decision
	if err := decodeOp(op, &d); err != nil {
		return err
	}
	if d.ApplicationID == "" || d.ApplicationID != op.EntityID {
		return invalid("Quyết định", "mã hồ sơ %q không khớp op (%q)", d.ApplicationID, op.EntityID)
	}
	a, err := scanApplication(tx.QueryRow(`SELECT `+applicationColumns+` FROM applications WHERE id = ?`, d.ApplicationID))
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có hồ sơ %s", d.ApplicationID)
	}
	if err != nil {
		return err
	}
	// A sealed permit is checked first. Refusing the decision revokes it only
	// when it is this desk's own paper for this very application and not the
	// permit on record (it may be printed, so checkpoints must refuse it); a
	// genuine seal of another unit or desk, of another application, or the
	// accepted permit replayed, is refused and left alone.
	var sealed seal.Result
	var serial, revocable string
	if d.Outcome == StatusApproved {
		if d.Permit == nil {
			return invalid("Quyết định", "duyệt mà không kèm giấy")
		}
		trust, _, err := tx.trustList()
		if err != nil {
			return err
		}
		sealed = (&seal.Checker{Trust: trust}).Verify(d.Permit.QR)
		switch sealed.Verdict {
		case seal.Malformed:
			return invalid("Giấy", "mã QR của giấy %s hỏng: %s", d.Permit.Serial, sealed.Detail)
		case seal.UnknownSigner, seal.BadSignature, seal.SignerNotAllowed:
			return &refused{status: PushForbidden, code: CodeSignature,
				msg: fmt.Sprintf("giấy %s không mang chữ ký hợp lệ của một máy được chứng nhận (%s)", d.Permit.Serial, sealed.Verdict)}
		}
		serial = sealed.Payload.Serial
		if revocable, err = tx.revocableSeal(desk, sealed, a); err != nil {
			return err
		}
	}
	refuse := func(status, code, format string, args ...any) error {
		r := &refused{status: status, code: code, msg: fmt.Sprintf(format, args...), serial: revocable}
		if status == PushConflict {
			if st, err := tx.appState(a.ID); err == nil {
				r.current, _ = json.Marshal(st)
			}
		}
		return r
	}
	if _, err := tx.checkApprover(desk, d.Officer); err != nil {
		return refuse(PushForbidden, CodeOfficer, "%s", err.Error())
	}
	if a.Version != d.ExpectedVersion || (a.Status != StatusPending && a.Status != StatusForwarded) {
		return refuse(PushConflict, CodeVersion, "hồ sơ %s đã thay đổi trên máy chủ (phiên bản %d, %s) trước quyết định này (phiên bản %d)",
			a.Number, a.Version, strings.ToLower(StatusName(a.Status)), d.ExpectedVersion)
	}
	tx.apps = map[string]Application{a.ID: a} // decidable takes the row just read
	a, p, auth, err := tx.decidable(ctx, Officer{Unit: desk.Unit}, units, a.ID)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Code == EForbidden {
			return refuse(PushForbidden, CodeAuthority, "%s", e.Message)
		}
		return err
	}
	oldQueue := a.QueueUnit
	newQueue := a.QueueUnit
	switch d.Outcome {
	case StatusApproved:
		if !auth.Allowed {
			return refuse(PushForbidden, CodeAuthority, "%s", auth.Reason)
		}
		if sealed.Signer.Unit != desk.Unit {
			return refuse(PushForbidden, CodeSignature, "giấy %s ký bằng khoá chứng nhận cho đơn vị %d, không phải đơn vị của máy (%d)",
				serial, sealed.Signer.Unit, desk.Unit)
		}
		if own, err := tx.deskKey(desk); err != nil {
			return err
		} else if !bytes.Equal(sealed.Signer.PublicKey, own) {
			return refuse(PushForbidden, CodeSignature, "giấy %s ký bằng khoá của máy khác (%s), không phải khoá của máy này", serial, sealed.Signer.Label)
		}
		pl := sealed.Payload
		if pl.Kind != seal.KindPermit || pl.Unit != desk.Unit || !permitMatches(pl, a, p.IDNumber) {
			return refuse(PushForbidden, CodeSignature, "nội dung giấy %s không khớp hồ sơ %s", serial, a.Number)
		}
		if !strings.HasPrefix(serial, deskSeries(desk)) {
			return refuse(PushForbidden, CodeSignature, "số giấy %s không phải số của máy này (%s…)", serial, deskSeries(desk))
		}
		if _, err := tx.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
			valid_from, valid_until, qr, approved_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			serial, a.ID, desk.Unit, desk.Number, a.Category, pl.Name, Fold(pl.Name), pl.IDNumber, pl.ValidFrom.Unix(), pl.ValidUntil.Unix(),
			d.Permit.QR, d.Officer, pl.IssuedAt.Unix()); err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return refuse(PushRejected, CodeInvalid, "số giấy %s đã có trên máy chủ", serial)
			}
			return fmt.Errorf("ghi giấy %s: %w", serial, err)
		}
		_, err = tx.Exec(`UPDATE applications SET status = 'approved', decided_by = ?, decided_at = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ?`, d.Officer, d.At, tx.Now.Unix(), a.ID, a.Version)
	case StatusRejected:
		if !auth.Allowed && !auth.Forward {
			return refuse(PushForbidden, CodeAuthority, "%s", auth.Reason)
		}
		reason, err := CleanText(FieldReason, d.Reason, 300)
		if err != nil || reason == "" {
			return invalid(FieldReason, "từ chối phải có lý do hợp lệ")
		}
		_, err = tx.Exec(`UPDATE applications SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, reason, d.Officer, d.At, tx.Now.Unix(), a.ID, a.Version)
		if err != nil {
			return err
		}
	case StatusForwarded:
		if !auth.Forward {
			return refuse(PushForbidden, CodeAuthority, "hồ sơ %s không thuộc diện chuyển lên: %s", a.Number, auth.Reason)
		}
		newQueue = auth.ForwardTo // the server's reading, whatever the desk named
		_, err = tx.Exec(`UPDATE applications SET status = 'forwarded', queue_unit = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, newQueue, tx.Now.Unix(), a.ID, a.Version)
	default:
		return invalid("Quyết định", "không có kết quả %q", d.Outcome)
	}
	if err != nil {
		return err
	}
	return tx.feedApp(desk.DeskID, a.ID, oldQueue, newQueue, a.ReceivedUnit)
}

// permitMatches: everything the checkpoint will read comes from the
// application, as permitPayload put it (the holder's name may have changed
// since, so it is not compared).
func permitMatches(pl seal.Payload, a Application, idNumber string) bool {
	return int(pl.Category) == a.Category && pl.IDNumber == idNumber &&
		pl.ValidFrom.Equal(a.ValidFrom) && pl.ValidUntil.Equal(a.ValidUntil) && slices.Equal(pl.Area, a.Area) &&
		pl.HasHours == a.HasHours && (!a.HasHours || pl.HoursFrom == a.HoursFrom && pl.HoursTo == a.HoursTo) &&
		pl.Route == a.Route && pl.Purpose == seal.Purpose(a.Purpose) && pl.Vehicle == a.Vehicle
}

// deskSeries is how every permit serial of the desk begins (28291-1-…).
func deskSeries(desk DeskAuth) string { return fmt.Sprintf("%d-%d-", desk.Unit, desk.Number) }

// deskKey is the public key the province certified for the pushing desk.
func (tx *Tx) deskKey(desk DeskAuth) ([]byte, error) {
	var key []byte
	err := tx.QueryRow(`SELECT COALESCE(public_key, x'') FROM desks WHERE id = ?`, desk.DeskID).Scan(&key)
	return key, err
}

// revocableSeal returns the serial of a sealed permit that refusing its
// decision must put on the revocation list, or "" when refusing must leave
// it alone. Only a permit this desk signed with its own key, numbered in its
// own series, for this application's holder and category qualifies (one
// that differs from the application in its hours, route or dates is the
// dangerous paper a modified desk prints, and is revoked); never a serial
// the province already holds as a permit (the permit on record: a replay, a
// stale conflict) nor one whose every term matches another application of
// the same holder (that application's permit, not yet pushed). Revoking
// those would harm what the decision does not own.
func (tx *Tx) revocableSeal(desk DeskAuth, sealed seal.Result, a Application) (string, error) {
	pl := sealed.Payload
	if sealed.Signer == nil || sealed.Signer.Unit != desk.Unit || pl.Kind != seal.KindPermit || pl.Unit != desk.Unit ||
		!strings.HasPrefix(pl.Serial, deskSeries(desk)) || int(pl.Category) != a.Category {
		return "", nil
	}
	own, err := tx.deskKey(desk)
	if err != nil || !bytes.Equal(sealed.Signer.PublicKey, own) {
		return "", err
	}
	var idNumber string
	if err := tx.QueryRow(`SELECT id_number FROM people WHERE id = ?`, a.PersonID).Scan(&idNumber); err != nil {
		return "", err
	}
	if pl.IDNumber != idNumber {
		return "", nil
	}
	if held, err := tx.exists(`SELECT 1 FROM permits WHERE serial = ?`, pl.Serial); err != nil || held {
		return "", err
	}
	if permitMatches(pl, a, idNumber) {
		return pl.Serial, nil
	}
	rows, err := tx.Query(`SELECT `+applicationColumns+` FROM applications WHERE person_id = ? AND id <> ?`, a.PersonID, a.ID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	for rows.Next() {
		other, err := scanApplication(rows)
		if err != nil {
			return "", err
		}
		if permitMatches(pl, other, idNumber) {
			return "", nil
		}
	}
	return pl.Serial, rows.Err()
}

// maxDays is MaxDays read inside tx, through the statement cache (one
// setting read per pushed application, not five fresh prepares).
func (tx *Tx) maxDays(category int) int {
	if v, ok, _ := tx.setting(fmt.Sprintf("max_days.%d", category)); ok {
		if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
			return n
		}
	}
	return DefaultMaxDays[category]
}

// feedApp tells the desks of every unit concerned (the queue it is in, the
// one it left, the one that received it), except the desk that caused it.
func (tx *Tx) feedApp(origin, id string, units ...uint32) error {
	seen := map[uint32]bool{}
	for _, u := range units {
		if u == 0 || seen[u] {
			continue
		}
		seen[u] = true
		if err := tx.feed(u, ChangeApplication, id, origin); err != nil {
			return err
		}
	}
	return nil
}

// applyRevocation: an approver of the unit that issued the permit revokes it.
func (tx *Tx) applyRevocation(root ed25519.PrivateKey, desk DeskAuth, op PushOp) error {
	var r struct {
		Serial  string `json:"serial"`
		Reason  string `json:"reason"`
		Officer string `json:"officer"`
		At      int64  `json:"at"`
	}
	if err := decodeOp(op, &r); err != nil {
		return err
	}
	if r.Serial == "" || r.Serial != op.EntityID {
		return invalid("Thu hồi", "số giấy %q không khớp op (%q)", r.Serial, op.EntityID)
	}
	if _, err := tx.checkApprover(desk, r.Officer); err != nil {
		return err
	}
	var unit uint32
	var revoked int64
	err := tx.QueryRow(`SELECT unit, revoked_at FROM permits WHERE serial = ?`, r.Serial).Scan(&unit, &revoked)
	if errors.Is(err, sql.ErrNoRows) && desk.voucherSerial(r.Serial) {
		// The centre keeps no voucher rows, only the list: a commune's own
		// voucher goes on it straight away (waiting for a row would wait
		// forever, and the entrances would never learn).
		reason, err := CleanText(FieldReason, r.Reason, 300)
		if err != nil {
			return err
		}
		return tx.revokeSerial(root, r.Serial, reason)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có giấy %s", r.Serial)
	}
	if err != nil {
		return err
	}
	if unit != desk.Unit {
		return forbidden("giấy %s do đơn vị khác cấp", r.Serial)
	}
	if revoked > 0 {
		return nil
	}
	reason, err := CleanText(FieldReason, r.Reason, 300)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE serial = ?`,
		max(r.At, 1), r.Officer, reason, r.Serial); err != nil {
		return err
	}
	if err := tx.AddRevocation(r.Serial, reason); err != nil {
		return err
	}
	if err := tx.feed(0, ChangeRevocation, r.Serial, desk.DeskID); err != nil {
		return err
	}
	return tx.resignRevocations(root)
}

// applyAudit keeps a desk's audit entry only if it chains from the last one
// the centre holds for that desk (SYNC.md, "Audit continuity"): its hash
// recomputes, its seq is one more and its prev hash is that entry's hash;
// the desk's first entry chains from the empty genesis. The outbox sends in
// seq order, so a well-kept desk never breaks the chain; an entry the centre
// already holds, sent again, is accepted again. A fork (another entry at a
// held seq, or one that does not follow the last) and a forged hash are
// refused for good; a gap (entries missing before it) is refused until the
// missing ones arrive, since one of them may only have failed on the way.
// Every refusal is recorded for `server audit verify`.
func (tx *Tx) applyAudit(desk DeskAuth, op PushOp) error {
	var e AuditEntry
	if err := decodeOp(op, &e); err != nil {
		return err
	}
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	if e.Seq < 1 {
		return invalid("Nhật ký", "mục %d: số thứ tự phải từ 1", e.Seq)
	}
	if !bytes.Equal(auditHash(&e), e.Hash) {
		return auditBreak(e, auditBreakHash, fmt.Sprintf("mục %d: mã băm không khớp nội dung (mục đã bị sửa)", e.Seq))
	}
	last, lastHash := int64(0), []byte{}
	err := tx.QueryRow(`SELECT seq, hash FROM desk_audit WHERE desk_id = ? ORDER BY seq DESC LIMIT 1`, desk.DeskID).Scan(&last, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch {
	case e.Seq <= last:
		var held []byte
		err := tx.QueryRow(`SELECT hash FROM desk_audit WHERE desk_id = ? AND seq = ?`, desk.DeskID, e.Seq).Scan(&held)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if bytes.Equal(held, e.Hash) {
			return nil
		}
		return auditBreak(e, auditBreakFork, fmt.Sprintf(
			"mục %d khác với mục %d máy chủ tỉnh đã nhận của máy này (nhật ký bị viết lại hoặc rẽ nhánh)", e.Seq, e.Seq))
	case e.Seq > last+1:
		return auditBreak(e, auditBreakGap, fmt.Sprintf(
			"thiếu mục %d đến %d trước mục %d: máy chủ tỉnh mới nhận đến mục %d của máy này", last+1, e.Seq-1, e.Seq, last))
	case !bytes.Equal(e.PrevHash, lastHash):
		return auditBreak(e, auditBreakFork, fmt.Sprintf(
			"mục %d không nối tiếp mục %d máy chủ tỉnh đã nhận của máy này (nhật ký bị rẽ nhánh)", e.Seq, last))
	}
	_, err = tx.Exec(`INSERT INTO desk_audit (desk_id, seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, desk.DeskID, e.Seq, e.ID, e.At, e.Officer, e.Unit,
		e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash)
	return err
}

// Kinds of audit chain refusal, as desk_audit_refusals keeps them.
const (
	auditBreakGap  = "gap"
	auditBreakFork = "fork"
	auditBreakHash = "hash"
)

// chainBreak is a pushed audit entry that does not chain from what the
// centre holds for its desk.
type chainBreak struct {
	kind   string
	seq    int64
	hash   []byte
	reason string
}

// auditBreak refuses entry e: a gap as retryable, since the desk sends the
// missing entries again, anything else as a kept refusal.
func auditBreak(e AuditEntry, kind, reason string) error {
	b := &chainBreak{kind: kind, seq: e.Seq, hash: e.Hash, reason: reason}
	if kind == auditBreakGap {
		return &retryLater{msg: reason, code: CodeAuditChain, chain: b}
	}
	return &refused{status: PushRejected, code: CodeAuditChain, msg: reason, chain: b}
}

// reportAuditBreak records, for `server audit verify`, the chain break err
// carries if any: one row per desk, entry and hash, counting resends.
func (tx *Tx) reportAuditBreak(deskID string, err error) error {
	var b *chainBreak
	var later *retryLater
	var r *refused
	switch {
	case errors.As(err, &later) && later.chain != nil:
		b = later.chain
	case errors.As(err, &r) && r.chain != nil:
		b = r.chain
	default:
		return nil
	}
	hash := b.hash
	if hash == nil {
		hash = []byte{}
	}
	_, err = tx.Exec(`INSERT INTO desk_audit_refusals (desk_id, seq, hash, kind, reason, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (desk_id, seq, hash) DO UPDATE SET attempts = attempts + 1, last_at = excluded.last_at`,
		deskID, b.seq, hash, b.kind, b.reason, tx.Now.Unix(), tx.Now.Unix())
	return err
}

// applyEnterprise: a desk may register an enterprise under its own unit
// only, and may not move an existing one to another managing unit. The
// enterprise is checked with the desk's own rules first.
func (tx *Tx) applyEnterprise(units *UnitIndex, desk DeskAuth, op PushOp) error {
	var w wire.Enterprise
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	e := EnterpriseFromWire(w)
	if e.ID == "" || e.ID != op.EntityID {
		return invalid(FieldEnterpr, "mã doanh nghiệp %q không khớp op (%q)", e.ID, op.EntityID)
	}
	e, err := normalizeEnterprise(e, units)
	if err != nil {
		return err
	}
	var id string
	var managing uint32
	err = tx.QueryRow(`SELECT id, managing_unit FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&id, &managing)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if e.ManagingUnit != desk.Unit {
			return forbidden("máy của %s không được đăng ký doanh nghiệp do %s quản lý", units.Name(desk.Unit), units.Name(e.ManagingUnit))
		}
		_, err = tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit)
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return invalid(FieldEnterpr, "mã doanh nghiệp %s đã có trên máy chủ", e.ID)
		}
		return err
	case err != nil:
		return err
	}
	if e.ManagingUnit != managing {
		return forbidden("doanh nghiệp %s do %s quản lý; máy không đổi được đơn vị quản lý", e.TaxCode, units.Name(managing))
	}
	if managing != desk.Unit {
		// Known, and not this desk's to rename: its ID only becomes an alias.
		return tx.alias("enterprise", e.ID, id)
	}
	if err := tx.alias("enterprise", e.ID, id); err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE enterprises SET name = ?, folded = ?, district = ? WHERE id = ?`, e.Name, Fold(e.Name), e.District, id)
	return err
}

// applyZone: a commune zones only itself (category 5 authority depends on
// it), with the desk's own rules for a zone.
func (tx *Tx) applyZone(units *UnitIndex, desk DeskAuth, op PushOp) error {
	var z Zone
	if err := decodeOp(op, &z); err != nil {
		return err
	}
	if z.ID == "" || z.ID != op.EntityID {
		return invalid("Tên vùng", "mã vùng %q không khớp op (%q)", z.ID, op.EntityID)
	}
	if z.Commune != desk.Unit {
		return forbidden("máy chỉ khoanh vùng được trong xã của mình")
	}
	z, err := normalizeZone(z, units)
	if err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		z.ID, z.Commune, z.Name, z.Risk, strings.Join(z.Hamlets, "\n"), tx.Now.Unix())
	return err
}

// applyMarket: a market goes in a zone of the desk's own commune, checked
// with the desk's own rules for a market.
func (tx *Tx) applyMarket(desk DeskAuth, op PushOp) error {
	var m Market
	if err := decodeOp(op, &m); err != nil {
		return err
	}
	if m.ID == "" || m.ID != op.EntityID {
		return invalid("Tên chợ", "mã chợ %q không khớp op (%q)", m.ID, op.EntityID)
	}
	m, err := normalizeMarket(m)
	if err != nil {
		return err
	}
	var commune uint32
	err = tx.QueryRow(`SELECT commune FROM zones WHERE id = ?`, m.ZoneID).Scan(&commune)
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có vùng %s", m.ZoneID)
	}
	if err != nil {
		return err
	}
	if commune != desk.Unit {
		return forbidden("vùng này không thuộc xã của máy")
	}
	_, err = tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, m.ID, m.ZoneID, m.Name, strings.Join(m.Hamlets, "\n"), m.OpenMinute, m.CloseMinute, m.Capacity)
	return err
}

// ---------------------------------------------------------------------------
// Central: the change feed.

// SyncStatus is what a desk compares with its own books before a round:
// the feed's last sequence (a cursor past it means the server was restored
// from an older backup) and how many of its ops the server holds.
func (db *DB) SyncStatus(ctx context.Context, desk DeskAuth) (lastSeq, opsHeld int64, err error) {
	if err = db.sql.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&lastSeq); err != nil {
		return 0, 0, err
	}
	err = db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, desk.DeskID).Scan(&opsHeld)
	return lastSeq, opsHeld, err
}

// Changes returns the page of the feed after since that concerns desk: its
// unit's rows and the rows for every desk, less those its own ops caused.
// Payloads are the records' current state.
func (db *DB) Changes(ctx context.Context, desk DeskAuth, since int64, limit int) (ChangePage, error) {
	page := ChangePage{Changes: []Change{}, Next: since}
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	var last int64
	if err := db.sql.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&last); err != nil {
		return page, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, entity, entity_id FROM changes
		WHERE seq > ? AND seq <= ? AND unit IN (0, ?) AND origin <> ? ORDER BY seq LIMIT ?`, since, last, desk.Unit, desk.DeskID, limit+1)
	if err != nil {
		return page, fmt.Errorf("đọc thay đổi: %w", err)
	}
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Seq, &c.Entity, &c.ID); err != nil {
			rows.Close()
			return page, err
		}
		page.Changes = append(page.Changes, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return page, err
	}
	if len(page.Changes) > limit {
		page.Changes, page.More = page.Changes[:limit], true
		page.Next = page.Changes[limit-1].Seq
	} else if last > since {
		page.Next = last
	}
	// A payload is the record's current state, so a record named twice in a
	// page is sent once, at its first place (what depends on it comes after).
	// Every revocation re-signs the whole list: without this a page after
	// weeks offline carried the full list once per revocation.
	seen := make(map[[2]string]bool, len(page.Changes))
	kept := page.Changes[:0]
	for _, c := range page.Changes {
		if k := [2]string{c.Entity, c.ID}; !seen[k] {
			seen[k] = true
			kept = append(kept, c)
		}
	}
	page.Changes = kept
	size := 0
	for i := range page.Changes {
		if err := db.changePayload(ctx, &page.Changes[i]); err != nil {
			return page, fmt.Errorf("thay đổi %d (%s %s): %w", page.Changes[i].Seq, page.Changes[i].Entity, page.Changes[i].ID, err)
		}
		// The page ends early once its payloads pass the budget, so one
		// answer stays a few megabytes whatever the records weigh.
		if size += len(page.Changes[i].Payload); size > changePageBytes && i+1 < len(page.Changes) {
			page.Changes, page.More, page.Next = page.Changes[:i+1], true, page.Changes[i].Seq
			break
		}
	}
	return page, nil
}

// changePageBytes bounds the payloads of one page of the change feed.
const changePageBytes = 4 << 20

type dbQueryer struct {
	ctx context.Context
	db  *sql.DB
}

func (q dbQueryer) QueryRow(query string, args ...any) *sql.Row {
	return q.db.QueryRowContext(q.ctx, query, args...)
}

func (db *DB) changePayload(ctx context.Context, c *Change) error {
	var v any
	switch c.Entity {
	case ChangeApplication:
		st, err := appStateFrom(dbQueryer{ctx, db.sql}, c.ID)
		if err != nil {
			return err
		}
		c.Version, v = st.Application.Version, st
	case ChangeOfficer:
		var o OfficerRecord
		var roles string
		if err := db.sql.QueryRowContext(ctx, `SELECT id, username, full_name, unit, roles, active, password_hash FROM officers WHERE id = ?`, c.ID).
			Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &o.Active, &o.PasswordHash); err != nil {
			return err
		}
		o.Roles = splitRoles(roles)
		c.Version, v = 1, o
	case ChangeRevocation:
		var r RevocationNotice
		r.Serial = c.ID
		if err := db.sql.QueryRowContext(ctx, `SELECT revoked_at, reason FROM revocations WHERE serial = ?`, c.ID).Scan(&r.RevokedAt, &r.Reason); err != nil {
			return err
		}
		c.Version, v = 1, r
	case ChangeScan:
		var e ScanEvent
		var kind int
		if err := db.sql.QueryRowContext(ctx, `SELECT id, at, serial, kind, verdict, checkpoint, officer_id, desk_id FROM scan_events WHERE id = ?`, c.ID).
			Scan(&e.ID, &e.At, &e.Serial, &kind, &e.Verdict, &e.Checkpoint, &e.Officer, &e.Desk); err != nil {
			return err
		}
		e.Kind = seal.Kind(kind)
		c.Version, v = 1, e
	case ChangeTrustList, ChangeRevocationList:
		key := SettingTrustList
		if c.Entity == ChangeRevocationList {
			key = SettingRevocation
		}
		raw, _, err := db.Setting(ctx, key)
		if err != nil {
			return err
		}
		c.Version, v = 1, SignedList{Raw: raw}
	default:
		v = map[string]string{}
	}
	var err error
	c.Payload, err = json.Marshal(v)
	return err
}

// SubmitOnline records an application from the citizen app exactly as a
// counter would (validation, holder, routing by jurisdiction), with no clerk,
// and puts it in the feed of the unit that must decide it.
func (db *DB) SubmitOnline(ctx context.Context, in Intake) (Application, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return Application{}, err
	}
	in.Application.Source = SourceOnline
	maxDays := db.MaxDaysByCategory(ctx)
	var a Application
	err = db.Write(ctx, func(tx *Tx) error {
		// Nobody signs an online request: a holder the province knows keeps
		// the stored record (the commune in it decides authority), whatever
		// the request says about them.
		if known, found, err := tx.knownPerson(strings.TrimSpace(in.Person.IDNumber)); err != nil {
			return err
		} else if found {
			in.Person = known
		}
		var err error
		if a, err = tx.submitOne(units, maxDays, Officer{}, Desk{}, in); err != nil {
			return err
		}
		if err := tx.insertApplications([]Application{a}, 0); err != nil {
			return err
		}
		if err := tx.auditSubmit(Officer{}, []Application{a}); err != nil {
			return err
		}
		return tx.feedApp("", a.ID, a.QueueUnit)
	})
	return a, err
}

// ---------------------------------------------------------------------------
// Central: accountability report.

// ReportCount is one cell of the applications table.
type ReportCount struct {
	Category int
	Status   string
	Count    int
}

// OfficerCount is what one approving officer issued.
type OfficerCount struct {
	OfficerID string
	Username  string
	FullName  string
	Issued    int
	Revoked   int
}

// RevocationRow is one revoked permit.
type RevocationRow struct {
	Serial    string
	RevokedAt time.Time
	Reason    string
}

// Report is a unit's accountability report over [From, To] (whole days,
// Vietnam time): what it received and decided, who signed, what was revoked.
type Report struct {
	Unit         Unit
	From, To     time.Time
	Applications []ReportCount
	Permits      []OfficerCount
	Revocations  []RevocationRow
}

// UnitReport builds the report for unit between the days from and to.
func (db *DB) UnitReport(ctx context.Context, unit uint32, from, to time.Time) (Report, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return Report{}, err
	}
	u, ok := units.Get(unit)
	if !ok {
		return Report{}, invalid("Đơn vị", "không có đơn vị mã %d", unit)
	}
	start, end := StartOfDay(from), StartOfDay(to).AddDate(0, 0, 1)
	if !end.After(start) {
		return Report{}, invalid("Thời gian", "ngày kết thúc phải sau ngày bắt đầu")
	}
	r := Report{Unit: u, From: start, To: end.AddDate(0, 0, -1)}
	rows, err := db.sql.QueryContext(ctx, `SELECT category, status, COUNT(*) FROM applications
		WHERE (queue_unit = ? OR received_unit = ?) AND created_at >= ? AND created_at < ?
		GROUP BY category, status ORDER BY category, status`, unit, unit, start.Unix(), end.Unix())
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var c ReportCount
		if err := rows.Scan(&c.Category, &c.Status, &c.Count); err != nil {
			rows.Close()
			return r, err
		}
		r.Applications = append(r.Applications, c)
	}
	rows.Close()
	rows, err = db.sql.QueryContext(ctx, `SELECT p.approved_by, COALESCE(o.username, ''), COALESCE(o.full_name, ''), COUNT(*),
		SUM(p.revoked_at > 0) FROM permits p LEFT JOIN officers o ON o.id = p.approved_by
		WHERE p.unit = ? AND p.issued_at >= ? AND p.issued_at < ? GROUP BY p.approved_by ORDER BY COUNT(*) DESC, o.username`,
		unit, start.Unix(), end.Unix())
	if err != nil {
		return r, err
	}
	for rows.Next() {
		var c OfficerCount
		if err := rows.Scan(&c.OfficerID, &c.Username, &c.FullName, &c.Issued, &c.Revoked); err != nil {
			rows.Close()
			return r, err
		}
		r.Permits = append(r.Permits, c)
	}
	rows.Close()
	rows, err = db.sql.QueryContext(ctx, `SELECT serial, revoked_at, reason FROM revocations
		WHERE serial >= ? AND serial < ? AND revoked_at >= ? AND revoked_at < ? ORDER BY revoked_at, serial`,
		fmt.Sprintf("%d-", unit), fmt.Sprintf("%d.", unit), start.Unix(), end.Unix())
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		var v RevocationRow
		var at int64
		if err := rows.Scan(&v.Serial, &at, &v.Reason); err != nil {
			return r, err
		}
		v.RevokedAt = time.Unix(at, 0)
		r.Revocations = append(r.Revocations, v)
	}
	return r, rows.Err()
}

// ---------------------------------------------------------------------------
// Desk: the outbox as sync drives it, and what a desk pulls.

// ResetInFlight puts ops left in flight by a crash back to pending. Call it
// before the first push of a run.
func (db *DB) ResetInFlight(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'in_flight'`, tx.Now.Unix())
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// ClaimOutbox marks in flight, and returns, the pending ops after seq, in
// order, at most limit of them and at most maxBytes of payload (at least one).
func (db *DB) ClaimOutbox(ctx context.Context, after int64, limit, maxBytes int) ([]OutboxOp, error) {
	var ops []OutboxOp
	err := db.Write(ctx, func(tx *Tx) error {
		ops = ops[:0]
		rows, err := tx.Query(`SELECT seq, op_id, entity, entity_id, op, payload, payload_hash, attempts FROM outbox
			WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?`, after, limit)
		if err != nil {
			return err
		}
		size := 0
		for rows.Next() {
			var o OutboxOp
			if err := rows.Scan(&o.Seq, &o.OpID, &o.Entity, &o.EntityID, &o.Op, &o.Payload, &o.PayloadHash, &o.Attempts); err != nil {
				rows.Close()
				return err
			}
			size += len(o.Payload) + 200
			if len(ops) > 0 && size > maxBytes {
				break
			}
			o.State = OpInFlight
			ops = append(ops, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ops) == 0 {
			return nil
		}
		// The claimed ops are exactly the pending ones in (after, last]: one
		// statement marks them all.
		_, err = tx.Exec(`UPDATE outbox SET state = 'in_flight', updated_at = ? WHERE state = 'pending' AND seq > ? AND seq <= ?`,
			tx.Now.Unix(), after, ops[len(ops)-1].Seq)
		return err
	})
	return ops, err
}

// ReleaseOutbox puts ops back to pending after a failed send, counting the
// attempt and keeping the error for the sync screen.
func (db *DB) ReleaseOutbox(ctx context.Context, seqs []int64, lastErr string) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, s := range seqs {
			if _, err := tx.Exec(`UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = ?, updated_at = ?
				WHERE seq = ? AND state = 'in_flight'`, lastErr, tx.Now.Unix(), s); err != nil {
				return err
			}
		}
		return nil
	})
}

// Settlement is the outcome of one op the server answered.
type Settlement struct {
	Seq       int64
	State     string // OpDone, OpRejected, OpConflict, or OpPending to send again
	LastError string
	// Current is, for a conflict, the application as the server holds it:
	// the desk takes it over.
	Current json.RawMessage
	// Revoked is a serial of this desk's the server revoked.
	Revoked string
	Reason  string
	// Audit is, for an audit op, its payload (the entry as sent): once the
	// server has accepted it, it is the chain head the centre acknowledged.
	Audit json.RawMessage
}

// SettleOutbox records the server's answers in one transaction: each op's
// new state, the server's state of an application that lost a race, and the
// revocation of a permit the server refused.
func (db *DB) SettleOutbox(ctx context.Context, settled []Settlement) error {
	return db.Write(ctx, func(tx *Tx) error {
		var head *AuditEntry
		for _, s := range settled {
			if s.State == OpDone && len(s.Audit) > 0 {
				var e AuditEntry
				if err := json.Unmarshal(s.Audit, &e); err == nil && (head == nil || e.Seq > head.Seq) {
					head = &e
				}
			}
			if _, err := tx.Exec(`UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
				WHERE seq = ? AND state = 'in_flight'`, s.State, s.LastError, tx.Now.Unix(), s.Seq); err != nil {
				return err
			}
			if len(s.Current) > 0 {
				var st AppState
				if err := json.Unmarshal(s.Current, &st); err == nil {
					if err := tx.applyRemoteApplication(st, true); err != nil {
						return err
					}
				}
			}
			if s.Revoked != "" {
				if err := tx.markRevoked(s.Revoked, s.Reason); err != nil {
					return err
				}
			}
		}
		if head != nil {
			return tx.anchorAudit(head.Seq, head.Hash)
		}
		return nil
	})
}

// RequeueSettled sends every settled op again: the server was restored from
// an older backup and may have lost them. What it still holds comes back as
// duplicate; the rest is applied again.
func (db *DB) RequeueSettled(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE state IN ('done', 'rejected', 'conflict')`, tx.Now.Unix())
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// OutboxSettled counts the ops the server has answered for good.
func (db *DB) OutboxSettled(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state IN ('done', 'rejected', 'conflict')`).Scan(&n)
	return n, err
}

// OutboxWaiting counts the ops not yet answered (pending or in flight).
func (db *DB) OutboxWaiting(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight')`).Scan(&n)
	return n, err
}

func (tx *Tx) markRevoked(serial, reason string) error {
	if reason == "" {
		reason = "máy chủ tỉnh thu hồi"
	}
	if err := tx.AddRevocation(serial, reason); err != nil {
		return err
	}
	_, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoke_reason = ? WHERE serial = ? AND revoked_at = 0`, tx.Now.Unix(), reason, serial)
	return err
}

// ApplyChanges applies one pulled page and moves the cursor to next, in one
// transaction: a crash leaves both as they were, and the page is pulled
// again. Nothing applied here goes to the outbox. beforeCursor, when set,
// runs after the page is applied and before the cursor moves (tests use it
// to crash there).
//
// token, when not empty, is the new device token the page came with: it is
// kept in the same transaction, and the one it replaces joins the previous
// tokens (SettingSyncTokenPrevious).
func (db *DB) ApplyChanges(ctx context.Context, changes []Change, next int64, token string, beforeCursor func() error) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, c := range changes {
			if err := tx.applyChange(c); err != nil {
				return fmt.Errorf("áp dụng thay đổi %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
			}
		}
		if token != "" {
			if err := tx.keepSyncToken(token); err != nil {
				return err
			}
		}
		if beforeCursor != nil {
			if err := beforeCursor(); err != nil {
				return err
			}
		}
		return tx.SetSetting(SettingSyncCursor, fmt.Appendf(nil, "%d", next))
	})
}

// tokensKept is how many previous tokens a desk keeps: with a rotation a
// day at most, a week of them, enough to sync with a server restored from
// last week's backup.
const tokensKept = 7

// keepSyncToken makes token the desk's own, the current one going first in
// the previous tokens.
func (tx *Tx) keepSyncToken(token string) error {
	cur, ok, err := tx.setting(SettingSyncToken)
	if err != nil {
		return err
	}
	if ok && string(cur) == token {
		return nil
	}
	prevRaw, _, err := tx.setting(SettingSyncTokenPrevious)
	if err != nil {
		return err
	}
	prev := strings.Fields(string(prevRaw))
	if ok {
		prev = append([]string{string(cur)}, prev...)
	}
	if len(prev) > tokensKept {
		prev = prev[:tokensKept]
	}
	if err := tx.SetSetting(SettingSyncTokenPrevious, []byte(strings.Join(prev, "\n"))); err != nil {
		return err
	}
	return tx.SetSetting(SettingSyncToken, []byte(token))
}

// FallBackToToken makes token, one of the previous tokens, the desk's own
// again, and forgets those issued after it (a server restored from a backup
// never knew them).
func (db *DB) FallBackToToken(ctx context.Context, token string) error {
	return db.Write(ctx, func(tx *Tx) error {
		prevRaw, _, err := tx.setting(SettingSyncTokenPrevious)
		if err != nil {
			return err
		}
		prev := strings.Fields(string(prevRaw))
		i := slices.Index(prev, token)
		if i < 0 {
			return notFound("máy không còn giữ mã truy cập này")
		}
		if err := tx.SetSetting(SettingSyncTokenPrevious, []byte(strings.Join(prev[i+1:], "\n"))); err != nil {
			return err
		}
		return tx.SetSetting(SettingSyncToken, []byte(token))
	})
}

func (tx *Tx) applyChange(c Change) error {
	switch c.Entity {
	case ChangeApplication:
		var st AppState
		if err := json.Unmarshal(c.Payload, &st); err != nil {
			return err
		}
		return tx.applyRemoteApplication(st, false)
	case ChangeOfficer:
		var o OfficerRecord
		if err := json.Unmarshal(c.Payload, &o); err != nil {
			return err
		}
		return tx.putOfficerRecord(o)
	case ChangeRevocation:
		var r RevocationNotice
		if err := json.Unmarshal(c.Payload, &r); err != nil {
			return err
		}
		return tx.markRevoked(r.Serial, r.Reason)
	case ChangeScan:
		var e ScanEvent
		if err := json.Unmarshal(c.Payload, &e); err != nil {
			return err
		}
		_, err := tx.ApplyRemoteScans([]ScanEvent{e})
		return err
	case ChangeTrustList, ChangeRevocationList:
		var l SignedList
		if err := json.Unmarshal(c.Payload, &l); err != nil {
			return err
		}
		return tx.applySignedList(c.Entity, l.Raw)
	}
	return nil // an entity this version does not know: skipped, not fatal
}

// applySignedList keeps a list the province root signed, if it is newer
// than the one held; an older or forged one is ignored.
func (tx *Tx) applySignedList(entity string, raw []byte) error {
	root, ok, err := tx.setting(SettingRootKey)
	if err != nil || !ok {
		return err
	}
	key := SettingTrustList
	if entity == ChangeRevocationList {
		key = SettingRevocation
	}
	held, _, err := tx.setting(key)
	if err != nil {
		return err
	}
	if entity == ChangeTrustList {
		var seq uint64
		if cur, err := seal.OpenTrustList(root, held, 0); err == nil {
			seq = cur.Sequence
		}
		if l, err := seal.OpenTrustList(root, raw, seq); err != nil || l.Sequence == seq && bytes.Equal(held, raw) {
			return nil
		}
		return tx.SetSetting(key, raw)
	}
	var seq uint64
	if cur, err := seal.OpenRevocationList(root, held, 0); err == nil {
		seq = cur.Sequence
	}
	l, err := seal.OpenRevocationList(root, raw, seq)
	if err != nil {
		return nil
	}
	for _, s := range l.Serials {
		if err := tx.AddRevocation(s, "danh sách thu hồi của tỉnh"); err != nil {
			return err
		}
	}
	return tx.SetSetting(key, raw)
}

// putOfficerRecord stores an account the server sent, under the server's ID.
func (tx *Tx) putOfficerRecord(o OfficerRecord) error {
	_, err := tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET username = excluded.username, full_name = excluded.full_name,
		unit = excluded.unit, roles = excluded.roles, password_hash = excluded.password_hash, active = excluded.active`,
		o.ID, o.Username, o.FullName, o.Unit, joinRoles(o.Roles), o.PasswordHash, o.Active, tx.Now.Unix())
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return nil // a local account holds that username: the desk's admin must sort it out
	}
	return err
}

// applyRemoteApplication takes over the server's state of an application.
// Unless forced (the answer to this desk's own conflicting decision), it
// leaves alone an application this desk has a decision on still waiting to
// be pushed, or holds in a newer version.
func (tx *Tx) applyRemoteApplication(st AppState, force bool) error {
	a := st.Application
	if !force {
		if waiting, err := tx.exists(`SELECT 1 FROM outbox WHERE entity = 'decision' AND entity_id = ? AND state IN ('pending', 'in_flight')`, a.ID); err != nil || waiting {
			return err
		}
		var local int
		err := tx.QueryRow(`SELECT version FROM applications WHERE id = ?`, a.ID).Scan(&local)
		if err == nil && local > a.Version {
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	p := st.Person
	if _, err := tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
		p.ID, p.IDNumber, p.FullName, Fold(p.FullName), p.BirthDate.Format(time.DateOnly), p.Sex, p.Phone, p.Commune, p.Hamlet, p.Address,
		tx.Now.Unix(), tx.Now.Unix()); err != nil {
		return fmt.Errorf("ghi người %s: %w", p.IDNumber, err)
	}
	var personID string
	if err := tx.QueryRow(`SELECT id FROM people WHERE id_number = ?`, p.IDNumber).Scan(&personID); err != nil {
		return nil // cannot place it; the next page will carry it again
	}
	if a.EnterpriseID != "" {
		var local string
		err := tx.QueryRow(`SELECT id FROM enterprises WHERE id = ?`, a.EnterpriseID).Scan(&local)
		if errors.Is(err, sql.ErrNoRows) && st.Enterprise != nil {
			e := st.Enterprise
			if err := tx.QueryRow(`SELECT id FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&local); errors.Is(err, sql.ErrNoRows) {
				if _, err := tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
					e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit); err != nil {
					return err
				}
				local = e.ID
			}
		}
		a.EnterpriseID = local
	}
	var hf, ht any
	if a.HasHours {
		hf, ht = a.HoursFrom, a.HoursTo
	}
	decided := int64(0)
	if !a.DecidedAt.IsZero() {
		decided = a.DecidedAt.Unix()
	}
	if _, err := tx.Exec(`INSERT INTO applications (id, number, person_id, category, purpose, purpose_note, area, route,
		valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
		queue_unit, received_unit, received_by, decided_by, decided_at, reason, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, queue_unit = excluded.queue_unit, decided_by = excluded.decided_by,
		decided_at = excluded.decided_at, reason = excluded.reason, version = excluded.version, updated_at = excluded.updated_at`,
		a.ID, a.Number, personID, a.Category, a.Purpose, a.PurposeNote, joinCodes(a.Area), a.Route, a.ValidFrom.Unix(), a.ValidUntil.Unix(),
		hf, ht, a.Vehicle, a.Employer, a.EnterpriseID, a.CommandCentre, a.Source, a.Status, a.QueueUnit, a.ReceivedUnit, a.ReceivedBy,
		a.DecidedBy, decided, a.Reason, a.Version, a.CreatedAt.Unix(), tx.Now.Unix()); err != nil {
		return fmt.Errorf("ghi hồ sơ %s: %w", a.Number, err)
	}
	if pm := st.Permit; pm != nil {
		known, err := tx.exists(`SELECT 1 FROM officers WHERE id = ?`, pm.ApprovedBy)
		if err != nil || !known {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
			valid_from, valid_until, qr, approved_by, issued_at, revoked_at, revoke_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, pm.Serial, a.ID, pm.Unit, pm.DeskNo, pm.Category, pm.HolderName, Fold(pm.HolderName), pm.IDNumber,
			pm.ValidFrom.Unix(), pm.ValidUntil.Unix(), pm.QR, pm.ApprovedBy, pm.IssuedAt.Unix(), unixOrZero(pm.RevokedAt), pm.RevokeReason); err != nil {
			return fmt.Errorf("ghi giấy %s: %w", pm.Serial, err)
		}
	}
	return nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// SaveEnrollment makes db (a fresh desk database) the desk the server
// enrolled: the province's units, the unit's accounts, the desk record, the
// root key and signed lists (checked against each other), the sync settings
// given, and the desk's private key wrapped for the approver's password —
// the key itself is never written in clear.
func (db *DB) SaveEnrollment(ctx context.Context, en EnrollResponse, priv ed25519.PrivateKey, approver, password string,
	params *seal.KeyParams, settings map[string][]byte) error {
	if d, err := db.Desk(ctx); err == nil {
		return conflict("cơ sở dữ liệu này đã là máy %s (%s): dùng một tệp mới", d.ID, d.Label)
	}
	root := ed25519.PublicKey(en.RootPublicKey)
	if len(root) != ed25519.PublicKeySize {
		return invalid("Khoá gốc", "máy chủ gửi khoá gốc không hợp lệ")
	}
	trust, err := seal.OpenTrustList(root, en.TrustList, 0)
	if err != nil {
		return fmt.Errorf("danh sách tin cậy của máy chủ: %w", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	if k, ok := trust.Lookup(seal.KID(pub)); !ok || k.Unit != en.Desk.Unit || !bytes.Equal(en.Desk.PublicKey, pub) {
		return invalid("Khoá máy", "danh sách tin cậy không chứng nhận khoá của máy này cho đơn vị %d", en.Desk.Unit)
	}
	if _, err := seal.OpenRevocationList(root, en.RevocationList, 0); err != nil {
		return fmt.Errorf("danh sách thu hồi của máy chủ: %w", err)
	}
	var wrapFor *OfficerRecord
	for i := range en.Officers {
		if en.Officers[i].Username == strings.ToLower(strings.TrimSpace(approver)) {
			wrapFor = &en.Officers[i]
		}
	}
	if wrapFor == nil || !CheckPassword(wrapFor.PasswordHash, password) {
		return &Error{Code: EAuth, Message: "sai tên đăng nhập hoặc mật khẩu của người duyệt"}
	}
	if units, err := db.Units(ctx); err != nil || len(units.All()) == 0 {
		if err := db.SeedProvince(ctx); err != nil {
			return err
		}
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, o := range en.Officers {
			if err := tx.putOfficerRecord(o); err != nil {
				return err
			}
		}
		if err := tx.PutDesk(en.Desk, true); err != nil {
			return err
		}
		all := map[string][]byte{SettingRootKey: root, SettingTrustList: en.TrustList, SettingRevocation: en.RevocationList,
			SettingSyncToken: []byte(en.Token), SettingCheckpoint: fmt.Appendf(nil, "%d", en.Desk.Unit)}
		for k, v := range settings {
			all[k] = v
		}
		for k, v := range all {
			if err := tx.SetSetting(k, v); err != nil {
				return err
			}
		}
		o := Officer{ID: wrapFor.ID, Username: wrapFor.Username, Unit: wrapFor.Unit, Roles: wrapFor.Roles, Active: wrapFor.Active}
		return tx.WrapDeskKey(en.Desk.ID, o, password, priv, params)
	})
}
