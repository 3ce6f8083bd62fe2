package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
)

// requireOfficerAdmin is the rule for accounts at a desk: only an active
// administrator of the unit opens, changes or closes its accounts; an
// approver signs but does not hand out logins.
func requireOfficerAdmin(actor Officer, unit uint32) error {
	if actor.ID == "" {
		return forbidden("cần đăng nhập bằng tài khoản quản trị viên của đơn vị")
	}
	if !actor.Active {
		return forbidden("tài khoản đã bị vô hiệu hóa")
	}
	if !MayManageOfficers(actor) {
		return forbidden("chỉ quản trị viên của đơn vị mới được quản lý tài khoản cán bộ")
	}
	if actor.Unit != unit {
		return forbidden("tài khoản này không thuộc đơn vị của bạn")
	}
	return nil
}

// MayManageOfficers reports whether o's roles let them keep the accounts
// of their own unit.
func MayManageOfficers(o Officer) bool { return o.Has(RoleAdmin) }

func checkRoles(rs []Role) error {
	if len(rs) == 0 {
		return invalid("Vai trò", "cần ít nhất một vai trò")
	}
	for _, r := range rs {
		switch r {
		case RoleClerk, RoleApprover, RoleAdmin, RoleChecker:
		default:
			return invalid("Vai trò", "không có vai trò %q", r)
		}
	}
	return nil
}

// officerRecord reads the account id as it travels to the centre.
func (tx *Tx) officerRecord(id string) (OfficerRecord, error) {
	var o OfficerRecord
	var roles string
	err := tx.QueryRow(`SELECT id, username, full_name, unit, roles, active, password_hash, position FROM officers WHERE id = ?`, id).
		Scan(&o.ID, &o.Username, &o.FullName, &o.Unit, &roles, &o.Active, &o.PasswordHash, &o.Position)
	o.Roles = SplitRoles(roles)
	return o, err
}

// enqueueOfficer queues the account's current state for the centre, which
// takes it for the desk's own unit only and hands it to the unit's other
// desks.
func (tx *Tx) enqueueOfficer(id, op string) error {
	o, err := tx.officerRecord(id)
	if err != nil {
		return err
	}
	return tx.enqueue(ChangeOfficer, id, op, o)
}

// AddOfficer opens an account of the admin's unit with a temporary
// password, which must meet the rules and is changed at the first login.
// The account, its audit entry and its outbox op commit together.
func (db *DB) AddOfficer(ctx context.Context, admin Officer, n NewOfficer) (Officer, error) {
	if err := requireOfficerAdmin(admin, n.Unit); err != nil {
		return Officer{}, err
	}
	n.PasswordHash, n.ID = "", ""
	return db.createOfficer(ctx, admin.ID, n, true)
}

// OfficerChange is what an admin may change of an account.
type OfficerChange struct {
	FullName string
	Roles    []Role
	Position Position
}

// activeAdmins counts the unit's active administrators other than id.
func (tx *Tx) otherActiveAdmins(unit uint32, id string) (int, error) {
	rows, err := tx.Query(`SELECT roles FROM officers WHERE unit = ? AND active = 1 AND id <> ?`, unit, id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var roles string
		if err := rows.Scan(&roles); err != nil {
			return 0, err
		}
		if slices.Contains(SplitRoles(roles), RoleAdmin) {
			n++
		}
	}
	return n, rows.Err()
}

// officerOfUnit reads account id inside tx and checks admin may act on it.
func (tx *Tx) officerOfUnit(admin Officer, id string) (Officer, error) {
	o, err := scanOfficer(tx.QueryRow(`SELECT `+officerColumns+` FROM officers WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, notFound("không có cán bộ %s", id)
	}
	if err != nil {
		return o, err
	}
	return o, requireOfficerAdmin(admin, o.Unit)
}

// UpdateOfficer changes an account's full name, roles and position. The
// unit keeps an active administrator: the last one's admin role stays, and
// nobody takes their own away.
func (db *DB) UpdateOfficer(ctx context.Context, admin Officer, id string, c OfficerChange) (Officer, error) {
	name, err := ValidateName(c.FullName)
	if err != nil {
		return Officer{}, err
	}
	if err := checkRoles(c.Roles); err != nil {
		return Officer{}, err
	}
	if _, err := ParsePosition(string(c.Position)); err != nil {
		return Officer{}, err
	}
	var o Officer
	err = db.Write(ctx, func(tx *Tx) error {
		if o, err = tx.officerOfUnit(admin, id); err != nil {
			return err
		}
		if o.Has(RoleAdmin) && !slices.Contains(c.Roles, RoleAdmin) {
			if o.ID == admin.ID {
				return invalid("Vai trò", "không tự bỏ vai trò quản trị của mình: nhờ một quản trị viên khác")
			}
			if n, err := tx.otherActiveAdmins(o.Unit, o.ID); err != nil {
				return err
			} else if n == 0 && o.Active {
				return invalid("Vai trò", "đây là quản trị viên cuối cùng của đơn vị")
			}
		}
		o.FullName, o.Roles, o.Position = name, c.Roles, c.Position
		if _, err := tx.Exec(`UPDATE officers SET full_name = ?, roles = ?, position = ? WHERE id = ?`,
			o.FullName, JoinRoles(o.Roles), string(o.Position), o.ID); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, o.Unit, ActionAdmin, "officer", o.ID, "sửa tài khoản "+o.Username+" ("+JoinRoles(o.Roles)+")"); err != nil {
			return err
		}
		return tx.enqueueOfficer(o.ID, "update")
	})
	return o, err
}

// DeactivateOfficer closes an account: it can no longer log in; what it did
// stays in the records under its name. Nobody closes their own account,
// and the unit's last active administrator stays.
func (db *DB) DeactivateOfficer(ctx context.Context, admin Officer, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		o, err := tx.officerOfUnit(admin, id)
		if err != nil {
			return err
		}
		if o.ID == admin.ID {
			return invalid("Tài khoản", "không tự vô hiệu hóa tài khoản của mình")
		}
		if !o.Active {
			return conflict("tài khoản %s đã bị vô hiệu hóa", o.Username)
		}
		if o.Has(RoleAdmin) {
			if n, err := tx.otherActiveAdmins(o.Unit, o.ID); err != nil {
				return err
			} else if n == 0 {
				return invalid("Tài khoản", "đây là quản trị viên cuối cùng của đơn vị")
			}
		}
		if _, err := tx.Exec(`UPDATE officers SET active = 0 WHERE id = ?`, o.ID); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, o.Unit, ActionAdmin, "officer", o.ID, "vô hiệu hóa tài khoản "+o.Username); err != nil {
			return err
		}
		return tx.enqueueOfficer(o.ID, "deactivate")
	})
}

// ReactivateOfficer opens a closed account again, under the same rules as
// DeactivateOfficer: an administrator of its unit, with its audit entry and
// its outbox op in one transaction. It logs in with the password it had.
func (db *DB) ReactivateOfficer(ctx context.Context, admin Officer, id string) error {
	return db.Write(ctx, func(tx *Tx) error {
		o, err := tx.officerOfUnit(admin, id)
		if err != nil {
			return err
		}
		if o.Active {
			return conflict("tài khoản %s vẫn đang hoạt động", o.Username)
		}
		// An account kept only to name another unit's approver has no role
		// and no password: there is nothing to open.
		if err := checkRoles(o.Roles); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE officers SET active = 1 WHERE id = ?`, o.ID); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, o.Unit, ActionAdmin, "officer", o.ID, "khôi phục tài khoản "+o.Username); err != nil {
			return err
		}
		return tx.enqueueOfficer(o.ID, "reactivate")
	})
}

// NormalizeUsername is a login name as kept: trimmed and lower-case, with
// no spaces, checked as text.
func NormalizeUsername(s string) (string, error) {
	username := strings.ToLower(strings.TrimSpace(s))
	if username == "" || strings.ContainsAny(username, " \t") {
		return "", invalid("Tên đăng nhập", "không được trống hoặc chứa dấu cách")
	}
	return CleanText("Tên đăng nhập", username, 64)
}
