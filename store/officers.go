package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"thonghanh/store/seal"
)

// Role is what an officer may do.
type Role string

const (
	RoleClerk    Role = "clerk"    // enter applications, print
	RoleApprover Role = "approver" // decide, sign, revoke
	RoleAdmin    Role = "admin"    // units, officers, zones, markets
	RoleChecker  Role = "checker"  // scan at a checkpoint
)

// Officer is a person with an account at a unit.
type Officer struct {
	ID          string
	Username    string
	FullName    string
	Unit        uint32
	Roles       []Role
	Position    Position // the approver's position, for the signer block on paper
	Active      bool
	LockedUntil time.Time
	// MustChangePassword is set by Login when the password typed no longer
	// meets the rules: nothing else may be done until it is changed.
	MustChangePassword bool

	system bool // the seed's and the system's own actions (System)
}

// Position is an approver's standing in the unit's leadership, which
// decides how a permit is signed (Decree 30/2020, Phụ lục I): the head signs
// "TM." the unit, a deputy "KT." the head.
type Position string

const (
	PositionHead   Position = ""       // the head: Chủ tịch, Giám đốc, Trưởng ban
	PositionDeputy Position = "deputy" // a deputy: Phó Chủ tịch, Phó Giám đốc
)

// ParsePosition reads a position as typed: "truong", "head" or "" for the
// head, "pho" or "deputy" for a deputy.
func ParsePosition(s string) (Position, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "head", "truong", "trưởng":
		return PositionHead, nil
	case "deputy", "pho", "phó":
		return PositionDeputy, nil
	}
	return "", invalid("Chức vụ", "không có chức vụ %q (chọn truong hoặc pho)", s)
}

// System is the caller of what no officer does: the demo seed and the
// system's own jobs. Only code can name it; no flag, username or blank
// value turns into it (a zero Officer is nobody, and is refused).
func System() Officer { return Officer{Username: "system", Active: true, system: true} }

// IsSystem reports whether o is System().
func (o Officer) IsSystem() bool { return o.system }

// Has reports whether the officer holds role r.
func (o Officer) Has(r Role) bool { return slices.Contains(o.Roles, r) }

// Login lockout: five failures lock the account for five minutes.
const (
	MaxFailedLogins = 5
	LockDuration    = 5 * time.Minute
)

// PasswordParams are argon2id's costs. Tests and the demo seed lower them.
type PasswordParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams are used for every new password unless changed: a
// copied desk file holds every officer's hash, so a guess costs about a
// third of a second of one core and 128 MiB (BenchmarkPasswordGuess), which
// a login pays once. Old hashes keep the costs written in them.
var DefaultPasswordParams = PasswordParams{Time: 3, Memory: 128 * 1024, Threads: 2}

// HashPassword returns an argon2id PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func HashPassword(password string, p PasswordParams) (string, error) {
	if len(password) < 4 {
		return "", invalid("Mật khẩu", "phải có ít nhất 4 ký tự")
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword verifies password against a PHC string in constant time.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// NewOfficer describes an account to create.
type NewOfficer struct {
	Username string
	FullName string
	Unit     uint32
	Roles    []Role
	Position Position
	Password string
	// PasswordHash, when set, is stored as is (the demo seed shares one hash).
	PasswordHash string
	// ID, when set, is used instead of a new one: demo desks of different
	// units seed the same accounts under the same IDs, so a shared central
	// server knows them as one.
	ID string
}

// CreateOfficer adds an account; actor is the admin creating it ("" for the
// seed and the server's own admin command).
func (db *DB) CreateOfficer(ctx context.Context, actor string, n NewOfficer) (Officer, error) {
	return db.createOfficer(ctx, actor, n, false)
}

// createOfficer is CreateOfficer; at a desk (AddOfficer) the password is a
// temporary one, changed at the first login, and the account goes to the
// centre through the outbox.
func (db *DB) createOfficer(ctx context.Context, actor string, n NewOfficer, atDesk bool) (Officer, error) {
	username, err := NormalizeUsername(n.Username)
	if err != nil {
		return Officer{}, err
	}
	name, err := ValidateName(n.FullName)
	if err != nil {
		return Officer{}, err
	}
	if err := checkRoles(n.Roles); err != nil {
		return Officer{}, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return Officer{}, err
	}
	if _, ok := units.Get(n.Unit); !ok {
		return Officer{}, invalid("Đơn vị", "không có đơn vị mã %d", n.Unit)
	}
	hash := n.PasswordHash
	if hash == "" {
		if err := CheckPasswordPolicy(username, n.Password, n.Roles); err != nil {
			return Officer{}, err
		}
		if hash, err = HashPassword(n.Password, DefaultPasswordParams); err != nil {
			return Officer{}, err
		}
	}
	if _, err := ParsePosition(string(n.Position)); err != nil {
		return Officer{}, err
	}
	o := Officer{Username: username, FullName: name, Unit: n.Unit, Roles: n.Roles, Position: n.Position, Active: true}
	err = db.Write(ctx, func(tx *Tx) error {
		o.ID = NewID(tx.Now)
		_, err := tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, position, password_hash, created_at, password_change_required)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.ID, o.Username, o.FullName, o.Unit, JoinRoles(o.Roles), string(o.Position), hash, tx.Now.Unix(), atDesk)
		if err != nil {
			if IsUniqueViolation(err) {
				return invalid("Tên đăng nhập", "%q đã có người dùng", username)
			}
			return err
		}
		if err := tx.Audit(actor, n.Unit, ActionAdmin, "officer", o.ID, "tạo tài khoản "+username+" ("+JoinRoles(o.Roles)+")"); err != nil {
			return err
		}
		if !atDesk {
			return nil
		}
		return tx.enqueueOfficer(o.ID, "create")
	})
	return o, err
}

// JoinRoles is how an account's roles are kept in a column: "clerk,approver".
func JoinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// SplitRoles reads the roles JoinRoles kept.
func SplitRoles(s string) []Role {
	var rs []Role
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			rs = append(rs, Role(p))
		}
	}
	return rs
}

const officerColumns = `id, username, full_name, unit, roles, position, active, locked_until`

func scanOfficer(row interface{ Scan(...any) error }) (Officer, error) {
	var o Officer
	var roles, position string
	var locked int64
	err := row.Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &position, &o.Active, &locked)
	o.Position = Position(position)
	o.Roles = SplitRoles(roles)
	if locked > 0 {
		o.LockedUntil = time.Unix(locked, 0)
	}
	return o, err
}

// Officer returns the account with id.
func (db *DB) Officer(ctx context.Context, id string) (Officer, error) {
	o, err := scanOfficer(db.sql.QueryRowContext(ctx, `SELECT `+officerColumns+` FROM officers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("không có cán bộ %s", id)
	}
	return o, err
}

// OfficersOfUnit lists the accounts of a unit.
func (db *DB) OfficersOfUnit(ctx context.Context, unit uint32) ([]Officer, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+officerColumns+` FROM officers WHERE unit = ? ORDER BY username`, unit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Officer
	for rows.Next() {
		o, err := scanOfficer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Login checks a username and password. Five failures in a row lock the
// account for five minutes; a locked account is refused even with the right
// password, and the message says until when. Every attempt is an audit
// entry, a failed one too: for an unknown username the entry says so but
// does not keep what was typed (a password typed in the username field
// must not end in the log), and the answer is the same as for a wrong
// password. A right password that no longer meets the rules logs in with
// MustChangePassword set, and the account stays marked until it changes.
func (db *DB) Login(ctx context.Context, username, password string) (Officer, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	var o Officer
	var hash string
	var failed int
	var roles string
	var locked int64
	var position string
	err := db.sql.QueryRowContext(ctx, `SELECT id, username, full_name, unit, roles, position, active, locked_until, password_hash, failed_logins, password_change_required
		FROM officers WHERE username = ?`, username).Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &position, &o.Active, &locked, &hash, &failed, &o.MustChangePassword)
	o.Position = Position(position)
	wrong := &Error{Code: EAuth, Message: "sai tên đăng nhập hoặc mật khẩu"}
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash(), password) // same cost either way: no user enumeration by timing
		if err := db.auditLogin(ctx, Officer{}, "đăng nhập thất bại: tên đăng nhập không có trên máy"); err != nil {
			return Officer{}, err
		}
		return Officer{}, wrong
	}
	if err != nil {
		return Officer{}, err
	}
	o.Roles = SplitRoles(roles)
	now := db.Now()
	if locked > now.Unix() {
		o.LockedUntil = time.Unix(locked, 0)
		if err := db.auditLogin(ctx, o, "đăng nhập bị từ chối: tài khoản đang tạm khóa"); err != nil {
			return Officer{}, err
		}
		return Officer{}, newError(ELocked, "", "tài khoản tạm khóa do nhập sai mật khẩu %d lần, thử lại sau %s",
			MaxFailedLogins, InVietnam(o.LockedUntil).Format("15:04:05"))
	}
	if !o.Active {
		if err := db.auditLogin(ctx, o, "đăng nhập bị từ chối: tài khoản đã bị vô hiệu hóa"); err != nil {
			return Officer{}, err
		}
		return Officer{}, &Error{Code: EForbidden, Message: "tài khoản đã bị vô hiệu hóa"}
	}
	if !CheckPassword(hash, password) {
		failed++
		lockUntil := int64(0)
		if failed >= MaxFailedLogins {
			lockUntil = now.Add(LockDuration).Unix()
			failed = 0
		}
		err := db.Write(ctx, func(tx *Tx) error {
			if _, err := tx.Exec(`UPDATE officers SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lockUntil, o.ID); err != nil {
				return err
			}
			detail := "đăng nhập thất bại: sai mật khẩu"
			if lockUntil > 0 {
				detail += ", tài khoản bị khóa"
			}
			return tx.Audit(o.ID, o.Unit, ActionLoginFailed, "officer", o.ID, detail)
		})
		if err != nil {
			return Officer{}, err
		}
		if lockUntil > 0 {
			return Officer{}, newError(ELocked, "", "sai mật khẩu %d lần: tài khoản bị khóa đến %s",
				MaxFailedLogins, InVietnam(time.Unix(lockUntil, 0)).Format("15:04:05"))
		}
		return Officer{}, newError(EAuth, "", "sai tên đăng nhập hoặc mật khẩu (còn %d lần thử)", MaxFailedLogins-failed)
	}
	if CheckPasswordPolicy(o.Username, password, o.Roles) != nil {
		o.MustChangePassword = true
	}
	err = db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`UPDATE officers SET failed_logins = 0, locked_until = 0, password_change_required = ? WHERE id = ?`,
			o.MustChangePassword, o.ID); err != nil {
			return err
		}
		detail := "đăng nhập"
		if o.MustChangePassword {
			detail = "đăng nhập; mật khẩu không còn đạt yêu cầu, phải đổi"
		}
		return tx.Audit(o.ID, o.Unit, ActionLogin, "officer", o.ID, detail)
	})
	return o, err
}

// auditLogin records a refused login that changes no account; one for no
// known account is filed under the desk's unit.
func (db *DB) auditLogin(ctx context.Context, o Officer, detail string) error {
	unit := o.Unit
	if unit == 0 {
		if d, err := db.Desk(ctx); err == nil {
			unit = d.Unit
		}
	}
	return db.Write(ctx, func(tx *Tx) error {
		return tx.Audit(o.ID, unit, ActionLoginFailed, "officer", o.ID, detail)
	})
}

// ChangePassword sets a new password for officer, who proves the old one.
// The new one must meet the rules (CheckPasswordPolicy); an approver's wrap
// of this desk's key is opened with the old password and wrapped again
// under the new one in the same transaction, so signing follows the
// password. A wrong old password counts as a failed login, and a locked or
// disabled account is refused as Login refuses it.
func (db *DB) ChangePassword(ctx context.Context, officer Officer, oldPassword, newPassword string) error {
	var hash string
	var roles string
	var locked int64
	err := db.sql.QueryRowContext(ctx, `SELECT username, roles, active, locked_until, password_hash FROM officers WHERE id = ?`, officer.ID).
		Scan(&officer.Username, &roles, &officer.Active, &locked, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("không có cán bộ %s", officer.ID)
	}
	if err != nil {
		return err
	}
	officer.Roles = SplitRoles(roles)
	if locked > db.Now().Unix() || !officer.Active || !CheckPassword(hash, oldPassword) {
		if _, err := db.Login(ctx, officer.Username, oldPassword); err != nil {
			return err // counts the failure, audits it, and says how many tries are left
		}
		return &Error{Code: EAuth, Message: "sai tên đăng nhập hoặc mật khẩu"}
	}
	if newPassword == oldPassword {
		return invalid("Mật khẩu", "mật khẩu mới phải khác mật khẩu cũ")
	}
	if err := CheckPasswordPolicy(officer.Username, newPassword, officer.Roles); err != nil {
		return err
	}
	newHash, err := HashPassword(newPassword, DefaultPasswordParams)
	if err != nil {
		return err
	}
	var deskID string
	var blob []byte
	if desk, err := db.Desk(ctx); err == nil {
		deskID = desk.ID
		err := db.sql.QueryRowContext(ctx, `SELECT wrapped FROM desk_key_wraps WHERE desk_id = ? AND officer_id = ?`, desk.ID, officer.ID).Scan(&blob)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var rewrapped []byte
	if blob != nil {
		priv, err := seal.DecryptPrivateKey(blob, oldPassword)
		if err != nil {
			return &Error{Code: EAuth, Message: "không mở được khóa ký bằng mật khẩu này", Err: err}
		}
		if rewrapped, err = seal.EncryptPrivateKey(priv, newPassword); err != nil {
			return err
		}
	}
	return db.Write(ctx, func(tx *Tx) error {
		if _, err := tx.Exec(`UPDATE officers SET password_hash = ?, password_change_required = 0, failed_logins = 0 WHERE id = ?`,
			newHash, officer.ID); err != nil {
			return err
		}
		if rewrapped != nil {
			if _, err := tx.Exec(`UPDATE desk_key_wraps SET wrapped = ? WHERE desk_id = ? AND officer_id = ?`, rewrapped, deskID, officer.ID); err != nil {
				return err
			}
		}
		return tx.Audit(officer.ID, officer.Unit, ActionAdmin, "officer", officer.ID, "đổi mật khẩu")
	})
}

// dummyHash is checked when the username does not exist, at the default
// cost so a wrong username takes as long as a wrong password. Made on first
// use: a desk that never mistypes a username never pays for it.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("thonghanh-dummy", DefaultPasswordParams)
	return h
})

// CreateOfficers adds many accounts in one transaction (the seed and the
// server's bulk import); each must carry a PasswordHash or a Password.
func (db *DB) CreateOfficers(ctx context.Context, batch []NewOfficer) error {
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		stmt, err := tx.Prepare(`INSERT INTO officers (id, username, full_name, unit, roles, position, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		for _, n := range batch {
			name, err := ValidateName(n.FullName)
			if err != nil {
				return err
			}
			if _, err := CleanText("Tên đăng nhập", n.Username, 64); err != nil {
				return err
			}
			if _, ok := units.Get(n.Unit); !ok {
				return invalid("Đơn vị", "không có đơn vị mã %d", n.Unit)
			}
			hash := n.PasswordHash
			if hash == "" {
				if err := CheckPasswordPolicy(n.Username, n.Password, n.Roles); err != nil {
					return fmt.Errorf("tài khoản %s: %w", n.Username, err)
				}
				if hash, err = HashPassword(n.Password, DefaultPasswordParams); err != nil {
					return err
				}
			}
			id := n.ID
			if id == "" {
				id = NewID(tx.Now)
			}
			if _, err := ParsePosition(string(n.Position)); err != nil {
				return err
			}
			if _, err := stmt.Exec(id, strings.ToLower(n.Username), name, n.Unit, JoinRoles(n.Roles), string(n.Position), hash, tx.Now.Unix()); err != nil {
				return fmt.Errorf("tạo tài khoản %s: %w", n.Username, err)
			}
		}
		return nil
	})
}

// RoleName is a role in Vietnamese, as screens and printouts show it.
func RoleName(r Role) string {
	switch r {
	case RoleClerk:
		return "Cán bộ tiếp nhận"
	case RoleApprover:
		return "Người duyệt"
	case RoleAdmin:
		return "Quản trị"
	case RoleChecker:
		return "Cán bộ kiểm tra"
	}
	return string(r)
}
