package central

// The central server's side of the phone checkpoint page: a checker logs in
// once on a phone and gets a token bound to that phone (kept hashed, like a
// desk's, and revocable the same way); the phone fetches the lists with it
// and sends back its scans. Kept in one file so that it moves with the
// centre's tables.

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// PhoneAuth is who a phone token speaks for.
type PhoneAuth struct {
	ID       string `json:"id"` // the phone's record, also its scans' desk field ("phone:" + ID)
	Officer  string `json:"officer"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Unit     uint32 `json:"unit"`
	Label    string `json:"label"`
}

// ScanDesk is what the phone's scans carry as their desk: the abuse report
// then tells a phone from a desk.
func (p PhoneAuth) ScanDesk() string { return "phone:" + p.ID }

// Phone is one phone token as the administrator lists it.
type Phone struct {
	PhoneAuth
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// MaxPhoneLabel bounds the name a phone gives itself ("Chốt cầu Rạch Miễu").
const MaxPhoneLabel = 80

// PhoneLogin checks a checker's password (with Login's lockout and audit)
// and issues a token for one phone. Only an active checker may: a clerk's
// or an approver's password is not to be typed on a roadside phone.
func (db *DB) PhoneLogin(ctx context.Context, username, password, label string) (PhoneAuth, string, error) {
	label = strings.TrimSpace(label)
	if label == "" {
		label = "điện thoại"
	}
	if utf8.RuneCountInString(label) > MaxPhoneLabel || !utf8.ValidString(label) {
		return PhoneAuth{}, "", invalid("Tên máy", "tên điện thoại dài quá %d ký tự", MaxPhoneLabel)
	}
	o, err := db.Login(ctx, username, password)
	if err != nil {
		return PhoneAuth{}, "", err
	}
	switch {
	case !o.Has(store.RoleChecker):
		return PhoneAuth{}, "", forbidden("tài khoản %s không phải tài khoản kiểm tra: đăng nhập bằng tài khoản kiểm tra của đơn vị", o.Username)
	case o.MustChangePassword:
		return PhoneAuth{}, "", forbidden("tài khoản %s phải đổi mật khẩu trên máy bàn trước khi dùng điện thoại", o.Username)
	}
	token, err := newToken()
	if err != nil {
		return PhoneAuth{}, "", err
	}
	auth := PhoneAuth{Officer: o.ID, Username: o.Username, FullName: o.FullName, Unit: o.Unit, Label: label}
	err = db.Write(ctx, func(tx *store.Tx) error {
		auth.ID = store.NewID(tx.Now)
		if _, err := tx.Exec(`INSERT INTO phone_tokens (id, token_hash, officer_id, unit, label, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			auth.ID, hashSecret(token), o.ID, o.Unit, label, tx.Now.Unix(), tx.Now.Unix()); err != nil {
			return err
		}
		return tx.Audit(o.ID, o.Unit, store.ActionLogin, "phone", auth.ID, "đăng nhập trang kiểm tra trên điện thoại: "+label)
	})
	if err != nil {
		return PhoneAuth{}, "", err
	}
	return auth, token, nil
}

// AuthenticatePhone finds the phone a token belongs to. A revoked token, an
// officer no longer active or no longer a checker, or a token idle longer
// than TokenIdle is refused with EAuth.
func (db *DB) AuthenticatePhone(ctx context.Context, token string) (PhoneAuth, error) {
	var p PhoneAuth
	var roles string
	var active bool
	var created, lastUsed, revoked int64
	hash := hashSecret(strings.TrimSpace(token))
	err := db.SQL().QueryRowContext(ctx, `SELECT t.id, t.officer_id, o.username, o.full_name, t.unit, t.label, o.roles, o.active, t.created_at, t.last_used_at, t.revoked_at
		FROM phone_tokens t JOIN officers o ON o.id = t.officer_id WHERE t.token_hash = ?`, hash).
		Scan(&p.ID, &p.Officer, &p.Username, &p.FullName, &p.Unit, &p.Label, &roles, &active, &created, &lastUsed, &revoked)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return p, ErrTokenUnknown
	case err != nil:
		return p, err
	case revoked > 0:
		return p, &store.Error{Code: store.EAuth, Message: "điện thoại này đã bị thu hồi quyền kiểm tra: đăng nhập lại hoặc liên hệ quản trị tỉnh"}
	case !active || !splitRolesHas(roles, store.RoleChecker):
		return p, &store.Error{Code: store.EAuth, Message: "tài khoản kiểm tra của điện thoại này không còn hiệu lực"}
	}
	now := db.Now()
	if last := time.Unix(max(created, lastUsed), 0); now.Sub(last) > TokenIdle {
		return p, store.NewError(store.EAuth, "", "điện thoại không dùng từ %s (quá %d ngày): đăng nhập lại", store.FormatDate(last), int(TokenIdle/(24*time.Hour)))
	}
	if now.Sub(time.Unix(lastUsed, 0)) < tokenUseEvery {
		return p, nil
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(`UPDATE phone_tokens SET last_used_at = ? WHERE id = ?`, tx.Now.Unix(), p.ID)
		return err
	})
	return p, err
}

func splitRolesHas(roles string, r store.Role) bool {
	for _, have := range store.SplitRoles(roles) {
		if have == r {
			return true
		}
	}
	return false
}

// Phones lists the phone tokens, newest first.
func (db *DB) Phones(ctx context.Context) ([]Phone, error) {
	rows, err := db.SQL().QueryContext(ctx, `SELECT t.id, t.officer_id, o.username, o.full_name, t.unit, t.label, t.created_at, t.last_used_at, t.revoked_at
		FROM phone_tokens t JOIN officers o ON o.id = t.officer_id ORDER BY t.created_at DESC, t.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Phone
	for rows.Next() {
		var p Phone
		var created, used, revoked int64
		if err := rows.Scan(&p.ID, &p.Officer, &p.Username, &p.FullName, &p.Unit, &p.Label, &created, &used, &revoked); err != nil {
			return nil, err
		}
		p.CreatedAt, p.LastUsedAt = time.Unix(created, 0), time.Unix(used, 0)
		if revoked > 0 {
			p.RevokedAt = time.Unix(revoked, 0)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RevokePhone cuts one phone off (lost, or its officer moved): its next
// request is refused and the page says why.
func (db *DB) RevokePhone(ctx context.Context, id string) error {
	return db.Write(ctx, func(tx *store.Tx) error {
		var unit uint32
		var revoked int64
		err := tx.QueryRow(`SELECT unit, revoked_at FROM phone_tokens WHERE id = ?`, id).Scan(&unit, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("không có điện thoại %s", id)
		}
		if err != nil {
			return err
		}
		if revoked > 0 {
			return conflict("điện thoại %s đã bị thu hồi từ trước", id)
		}
		if _, err := tx.Exec(`UPDATE phone_tokens SET revoked_at = ? WHERE id = ?`, tx.Now.Unix(), id); err != nil {
			return err
		}
		return tx.Audit("", unit, store.ActionAdmin, "phone", id, "thu hồi quyền kiểm tra của điện thoại")
	})
}

// PhoneMaterial is what a phone holds to verify offline.
type PhoneMaterial struct {
	Root        ed25519.PublicKey
	Trust       []byte
	Revocations []byte
	Units       []store.Unit
	// UsedVouchers are vouchers let in at an entrance in the last
	// UsedVoucherWindow: the phone refuses them as ALREADY_USED.
	UsedVouchers []string
}

// UsedVoucherWindow is how far back a phone learns of used vouchers: a
// market slot lasts hours, so two days covers any voucher still valid.
const UsedVoucherWindow = 48 * time.Hour

// PhoneMaterial reads the root key, the signed lists, the units and the
// vouchers recently used, for a phone's refresh.
func (db *DB) PhoneMaterial(ctx context.Context) (PhoneMaterial, error) {
	var m PhoneMaterial
	var err error
	if m.Root, m.Trust, m.Revocations, err = db.TrustMaterial(ctx); err != nil {
		return m, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return m, err
	}
	m.Units = units.All()
	rows, err := db.SQL().QueryContext(ctx, `SELECT DISTINCT serial FROM scan_events WHERE kind = ? AND verdict IN (?, ?) AND at >= ? ORDER BY serial`,
		seal.KindVoucher, seal.Valid, seal.AlreadyUsed, db.Now().Add(-UsedVoucherWindow).Unix())
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return m, err
		}
		m.UsedVouchers = append(m.UsedVouchers, s)
	}
	return m, rows.Err()
}

// MaxPhoneScans bounds one upload of a phone's scan log.
const MaxPhoneScans = 500

// RecordPhoneScans keeps a phone's scans for the abuse report, as a desk's
// pushed scans are kept: the officer and the desk come from the token, never
// from the upload, and a scan sent twice is kept once. A voucher let in is
// relayed to the desks of its issuing unit. It returns how many were new.
func (db *DB) RecordPhoneScans(ctx context.Context, phone PhoneAuth, scans []store.ScanEvent) (int, error) {
	if len(scans) > MaxPhoneScans {
		return 0, invalid("Lượt quét", "quá %d lượt quét trong một lần gửi", MaxPhoneScans)
	}
	now := db.Now()
	for i := range scans {
		e := &scans[i]
		switch {
		case e.ID == "" || len(e.ID) > 64 || e.At <= 0 || e.At > now.Add(24*time.Hour).Unix():
			return 0, invalid("Lượt quét", "lượt quét %d thiếu mã hoặc thời điểm không hợp lệ", i+1)
		case len(e.Serial) > 64 || !validVerdict(e.Verdict) || e.Kind > seal.KindVoucher:
			return 0, invalid("Lượt quét", "lượt quét %d không hợp lệ", i+1)
		}
		e.Officer, e.Desk = phone.Officer, phone.ScanDesk()
	}
	n := 0
	err := db.Write(ctx, func(tx *store.Tx) error {
		n = 0
		for _, e := range scans {
			added, err := tx.ApplyRemoteScans([]store.ScanEvent{e})
			if err != nil {
				return err
			}
			if added == 0 {
				continue
			}
			n++
			if err := tx.Audit(phone.Officer, phone.Unit, store.ActionScan, "scan", e.ID,
				fmt.Sprintf("quét %s trên điện thoại %s: %s", e.Serial, phone.Label, e.Verdict)); err != nil {
				return err
			}
			if e.Kind == seal.KindVoucher && (e.Verdict == seal.Valid || e.Verdict == seal.AlreadyUsed) {
				if unit, ok := issuerOf(e.Serial); ok {
					if err := feed(tx, unit, store.ChangeScan, e.ID, phone.ScanDesk()); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return n, err
}

func validVerdict(v seal.Verdict) bool {
	for _, k := range seal.Verdicts {
		if k == v {
			return true
		}
	}
	return false
}

// issuerOf reads the issuing unit from a serial's first part.
func issuerOf(serial string) (uint32, bool) {
	var unit uint32
	head, _, _ := strings.Cut(serial, "-")
	if _, err := fmt.Sscanf(head, "%d", &unit); err != nil || unit == 0 {
		return 0, false
	}
	return unit, true
}
