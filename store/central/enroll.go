package central

// The central server: enrollment codes, device tokens, desks (SYNC.md).

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

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
	err = db.Write(ctx, func(tx *store.Tx) error {
		expires = tx.Now.Add(ttl)
		_, err := tx.Exec(`INSERT INTO enroll_codes (code_hash, unit, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashSecret(raw), unit, tx.Now.Unix(), expires.Unix())
		if err != nil {
			return err
		}
		return tx.Audit("", unit, store.ActionAdmin, "enroll_code", hex.EncodeToString(hashSecret(raw)[:8]), "tạo mã đăng ký máy, hết hạn "+store.FormatDateTime(expires))
	})
	return code, expires, err
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
func (db *DB) Enroll(ctx context.Context, root ed25519.PrivateKey, req store.EnrollRequest) (store.EnrollResponse, error) {
	var resp store.EnrollResponse
	if len(req.PublicKey) != ed25519.PublicKeySize {
		return resp, invalid("Khóa máy", "khóa công khai phải dài 32 byte")
	}
	codeHash := hashSecret(normalizeCode(req.Code))
	var unit uint32
	var expires, used, attempts int64
	err := db.SQL().QueryRowContext(ctx, `SELECT unit, expires_at, used_at, attempts FROM enroll_codes WHERE code_hash = ?`, codeHash).
		Scan(&unit, &expires, &used, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return resp, &store.Error{Code: store.EAuth, Message: "mã đăng ký không đúng"}
	}
	if err != nil {
		return resp, err
	}
	now := db.Now()
	switch {
	case used > 0:
		return resp, &store.Error{Code: store.EAuth, Message: "mã đăng ký này đã được dùng; xin quản trị tỉnh mã mới"}
	case attempts >= MaxEnrollAttempts:
		return resp, codeBurned()
	case now.Unix() > expires:
		return resp, &store.Error{Code: store.EAuth, Message: "mã đăng ký đã hết hạn; xin quản trị tỉnh mã mới"}
	}
	// Each password tried takes one of the code's attempts before it is
	// checked, so even guesses sent all at once get MaxEnrollAttempts tries.
	left, err := db.takeEnrollAttempt(ctx, codeHash)
	if err != nil {
		return resp, err
	}
	// The password check (argon2id, slow on purpose) runs before the write.
	approver, err := scanOfficerRecord(db.SQL().QueryRowContext(ctx, `SELECT `+officerRecordColumns+` FROM officers WHERE username = ?`,
		strings.ToLower(strings.TrimSpace(req.Approver))))
	if err != nil || !store.CheckPassword(approver.PasswordHash, req.Password) {
		if left > 0 {
			return resp, store.NewError(store.EAuth, "", "sai tên đăng nhập hoặc mật khẩu của người duyệt (còn %d lần thử, sau đó mã đăng ký bị hủy)", left)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error {
			return tx.Audit("", unit, store.ActionAdmin, "enroll_code", hex.EncodeToString(codeHash[:8]),
				fmt.Sprintf("mã đăng ký bị hủy sau %d lần sai mật khẩu người duyệt", MaxEnrollAttempts))
		}); err != nil {
			return resp, err
		}
		return resp, codeBurned()
	}
	if approver.Unit != unit || !approver.Active || !slices.Contains(approver.Roles, store.RoleApprover) {
		return resp, forbidden("%s không phải người duyệt đang hoạt động của đơn vị được đăng ký", approver.Username)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return resp, err
	}
	u, _ := units.Get(unit)
	pub := ed25519.PublicKey(req.PublicKey)
	err = db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(`UPDATE enroll_codes SET used_at = ? WHERE code_hash = ? AND used_at = 0`, tx.Now.Unix(), codeHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &store.Error{Code: store.EAuth, Message: "mã đăng ký này đã được dùng; xin quản trị tỉnh mã mới"}
		}
		var number int
		if err := tx.QueryRow(`SELECT COALESCE(MAX(number), 0) + 1 FROM desks WHERE unit = ?`, unit).Scan(&number); err != nil {
			return err
		}
		d := store.Desk{ID: store.NewID(tx.Now), Unit: unit, Number: number, Label: fmt.Sprintf("%s, máy %d", u.CommitteeName(), number), PublicKey: pub}
		token, err := registerDesk(tx, root, d, u)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE enroll_codes SET desk_id = ? WHERE code_hash = ?`, d.ID, codeHash); err != nil {
			return err
		}
		if err := tx.Audit(approver.ID, unit, store.ActionAdmin, "desk", d.ID, "đăng ký "+d.Label); err != nil {
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
	return store.NewError(store.EAuth, "", "mã đăng ký đã bị hủy sau %d lần nhập sai mật khẩu người duyệt; xin quản trị tỉnh mã mới", MaxEnrollAttempts)
}

// takeEnrollAttempt spends one attempt of a code and returns how many are
// left after it; a code with none left, or used meanwhile, is refused.
func (db *DB) takeEnrollAttempt(ctx context.Context, codeHash []byte) (left int64, err error) {
	err = db.Write(ctx, func(tx *store.Tx) error {
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
func registerDesk(tx *store.Tx, root ed25519.PrivateKey, d store.Desk, u store.Unit) (string, error) {
	cur, _, err := trustList(tx)
	if err != nil {
		return "", err
	}
	if _, dup := cur.Lookup(seal.KID(d.PublicKey)); dup {
		return "", invalid("Khóa máy", "khóa này đã được chứng nhận cho một máy khác")
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
	key := seal.Certify(d.PublicKey, d.Unit, store.CategoriesFor(u), tx.Now.Add(-time.Hour), tx.Now.AddDate(1, 0, 0), d.Label)
	return token, updateTrustList(tx, root, func(keys []seal.TrustedKey) []seal.TrustedKey { return append(keys, key) })
}

func (db *DB) fillEnrollment(ctx context.Context, resp store.EnrollResponse) (store.EnrollResponse, error) {
	var err error
	if resp.RootPublicKey, _, err = db.Setting(ctx, store.SettingRootKey); err != nil {
		return resp, err
	}
	if resp.TrustList, _, err = db.Setting(ctx, store.SettingTrustList); err != nil {
		return resp, err
	}
	if resp.RevocationList, _, err = db.Setting(ctx, store.SettingRevocation); err != nil {
		return resp, err
	}
	resp.Officers, err = db.OfficerRecords(ctx, resp.Desk.Unit)
	return resp, err
}

// OfficerRecords lists the accounts of unit (0 = every unit) with their
// password hashes, for desks that log in offline.
func (db *DB) OfficerRecords(ctx context.Context, unit uint32) ([]store.OfficerRecord, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT `+officerRecordColumns+` FROM officers
		WHERE ? = 0 OR unit = ? ORDER BY username`, unit, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []store.OfficerRecord
	for rows.Next() {
		o, err := scanOfficerRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// officerRecordColumns are what scanOfficerRecord reads: an account as the
// centre hands it to desks, at enrollment and in the feed alike.
const officerRecordColumns = `id, username, full_name, unit, roles, position, active, password_hash`

func scanOfficerRecord(row interface{ Scan(...any) error }) (store.OfficerRecord, error) {
	var o store.OfficerRecord
	var roles, position string
	err := row.Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &position, &o.Active, &o.PasswordHash)
	o.Roles, o.Position = store.SplitRoles(roles), store.Position(position)
	return o, err
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
var ErrTokenUnknown = &store.Error{Code: store.EAuth, Message: "mã truy cập của máy không đúng"}

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
	err := db.SQL().QueryRowContext(ctx, `SELECT d.id, d.unit, d.number, d.active, t.revoked_at, t.created_at, t.last_used_at, t.replaces
		FROM device_tokens t JOIN desks d ON d.id = t.desk_id WHERE t.token_hash = ?`, hash).
		Scan(&d.DeskID, &d.Unit, &d.Number, &active, &revoked, &created, &lastUsed, &replaces)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, ErrTokenUnknown
	case err != nil:
		return d, err
	case revoked > 0 || !active:
		return d, &store.Error{Code: store.EAuth, Message: "mã truy cập của máy đã bị thu hồi: liên hệ quản trị tỉnh để đăng ký lại"}
	}
	now := db.Now()
	if last := time.Unix(max(created, lastUsed), 0); now.Sub(last) > TokenIdle {
		return d, store.NewError(store.EAuth, "", "mã truy cập của máy đã hết hạn vì không dùng từ %s (quá %d ngày): liên hệ quản trị tỉnh để đăng ký lại",
			store.FormatDate(last), int(TokenIdle/(24*time.Hour)))
	}
	if replaces == nil && now.Sub(time.Unix(lastUsed, 0)) < tokenUseEvery {
		return d, nil
	}
	write := db.Write
	if replaces == nil {
		// Only noting the use: when the write queue is busy with pushes
		// the note waits for a later request rather than this request for
		// the queue (a desk told the centre is busy still pulls).
		write = db.tryWrite
	}
	err = write(ctx, func(tx *store.Tx) error {
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
	// Every pull asks; a token is due once a day. Read outside the write
	// queue, a pull does not wait behind the pushes (a desk told the queue
	// is busy still learns its decisions); the write checks again.
	var created, revoked int64
	err := db.SQL().QueryRowContext(ctx, `SELECT created_at, revoked_at FROM device_tokens WHERE token_hash = ?`, hash).Scan(&created, &revoked)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (revoked > 0 || db.Now().Sub(time.Unix(created, 0)) < TokenRotateAfter) {
		return "", nil
	}
	var next string
	err = db.Write(ctx, func(tx *store.Tx) error {
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
	err := db.Write(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(`UPDATE device_tokens SET revoked_at = ? WHERE desk_id = ? AND revoked_at = 0`, tx.Now.Unix(), deskID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return notFound("máy %s không có mã truy cập nào còn hiệu lực", deskID)
		}
		return tx.Audit("", 0, store.ActionAdmin, "desk", deskID, fmt.Sprintf("thu hồi %d mã truy cập", n))
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
	return db.Write(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(`UPDATE desks SET active = 0 WHERE id = ?`, d.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE device_tokens SET revoked_at = ? WHERE desk_id = ? AND revoked_at = 0`, tx.Now.Unix(), d.ID); err != nil {
			return err
		}
		kid := seal.KID(d.PublicKey)
		if err := updateTrustList(tx, root, func(keys []seal.TrustedKey) []seal.TrustedKey {
			return slices.DeleteFunc(keys, func(k seal.TrustedKey) bool { return k.KID == kid })
		}); err != nil {
			return err
		}
		return tx.Audit("", d.Unit, store.ActionAdmin, "desk", d.ID, "thu hồi máy "+d.Label)
	})
}

// DeskInfo is a desk as the province administrator lists it.
type DeskInfo struct {
	store.Desk
	Active       bool
	CreatedAt    time.Time
	ActiveTokens int
	OpsHeld      int
	LastPush     time.Time
}

// Desks lists every desk the server knows, by unit and number.
func (db *DB) Desks(ctx context.Context) ([]DeskInfo, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT d.id, d.unit, d.number, d.label, COALESCE(d.public_key, x''), d.active, d.created_at,
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
func (db *DB) SetOfficerActive(ctx context.Context, username string, active bool) (store.Officer, error) {
	var o store.Officer
	err := db.Write(ctx, func(tx *store.Tx) error {
		var err error
		o, err = store.OfficerByUsername(tx, username)
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
		what := "vô hiệu hóa tài khoản "
		if active {
			what = "mở lại tài khoản "
		}
		return tx.Audit("", o.Unit, store.ActionAdmin, "officer", o.ID, what+o.Username)
	})
	return o, err
}

// AdoptDesk registers on the central server a desk that was set up without
// enrollment (the demo's seeded desk): its record and key, its unit's
// officers and the enterprises it knows, all under their desk IDs. It
// returns the desk's device token.
func (db *DB) AdoptDesk(ctx context.Context, root ed25519.PrivateKey, d store.Desk, officers []store.OfficerRecord, enterprises []store.Enterprise) (string, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return "", err
	}
	u, ok := units.Get(d.Unit)
	if !ok {
		return "", invalid("Đơn vị", "không có đơn vị mã %d", d.Unit)
	}
	var token string
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, o := range officers {
			if _, err := tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at, position)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, o.ID, o.Username, o.FullName, o.Unit, store.JoinRoles(o.Roles),
				o.PasswordHash, o.Active, tx.Now.Unix(), string(o.Position)); err != nil {
				return fmt.Errorf("nhận tài khoản %s: %w", o.Username, err)
			}
		}
		for _, e := range enterprises {
			if _, err := tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, e.ID, e.Name, store.Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit); err != nil {
				return fmt.Errorf("nhận doanh nghiệp %s: %w", e.TaxCode, err)
			}
		}
		// The demo's desk key is fixed: a desk seeded again brings the same key.
		kid := seal.KID(d.PublicKey)
		if cur, _, err := trustList(tx); err != nil {
			return err
		} else if _, known := cur.Lookup(kid); known {
			if err := updateTrustList(tx, root, func(keys []seal.TrustedKey) []seal.TrustedKey {
				return slices.DeleteFunc(keys, func(k seal.TrustedKey) bool { return k.KID == kid })
			}); err != nil {
				return err
			}
		}
		var err error
		token, err = registerDesk(tx, root, d, u)
		return err
	})
	return token, err
}
