package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"thonghanh/store/wire"
)

// permitColumns are what scanPermit reads, from permitFrom. A permit is
// revoked when its row says so or when its serial is on the desk's
// revocation list alone: the province's signed list, applied at a pull,
// adds serials to the revocations table without touching the permits (a
// permit another desk revoked, or one revoked before the list reached this
// desk), and a desk that shows such a permit as valid tells the clerk what
// no checkpoint will accept.
const permitColumns = `permits.serial, application_id, unit, desk_no, category, holder_name, id_number, valid_from, valid_until, qr,
	approved_by, issued_at,
	CASE WHEN permits.revoked_at > 0 THEN permits.revoked_at WHEN r.serial IS NOT NULL THEN CASE WHEN r.revoked_at > 0 THEN r.revoked_at ELSE 1 END ELSE 0 END,
	CASE WHEN permits.revoked_at > 0 THEN permits.revoke_reason ELSE COALESCE(r.reason, '') END, printed`

// permitFrom joins each permit to its serial's revocation, if any: one
// lookup by primary key a row, in the same query.
const permitFrom = `permits LEFT JOIN revocations r ON r.serial = permits.serial`

func scanPermit(row interface{ Scan(...any) error }) (Permit, error) {
	var p Permit
	var from, until, issued, revoked int64
	err := row.Scan(&p.Serial, &p.ApplicationID, &p.Unit, &p.DeskNo, &p.Category, &p.HolderName, &p.IDNumber, &from, &until, &p.QR,
		&p.ApprovedBy, &issued, &revoked, &p.RevokeReason, &p.Printed)
	p.ValidFrom, p.ValidUntil, p.IssuedAt = time.Unix(from, 0), time.Unix(until, 0), time.Unix(issued, 0)
	if revoked > 0 {
		p.RevokedAt = time.Unix(revoked, 0)
	}
	return p, err
}

// Permit returns the permit with serial.
func (db *DB) Permit(ctx context.Context, serial string) (Permit, error) {
	p, err := scanPermit(db.sql.QueryRowContext(ctx, `SELECT `+permitColumns+` FROM `+permitFrom+` WHERE permits.serial = ?`, strings.TrimSpace(serial)))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("không có giấy số %s", serial)
	}
	return p, err
}

// PermitFilter selects issued permits.
type PermitFilter struct {
	Unit uint32 // issuing unit; 0 = any
	// Received, with Unit, adds the permits other units issued on
	// applications received at Unit (requests it forwarded upward): the
	// counter that took the request prints the paper.
	Received bool
	Query    string    // folded name words, ID-number prefix or serial prefix
	Serials  []string  // exact serials
	IDNumber string    // the holder's exact ID number (a person's permits)
	From     time.Time // issued at or after
	Until    time.Time // issued before
	Limit    int
}

// Permits lists permits, newest first.
func (db *DB) Permits(ctx context.Context, f PermitFilter) ([]Permit, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.Unit != 0 && f.Received {
		where = append(where, "(unit = ? OR EXISTS (SELECT 1 FROM applications a WHERE a.id = permits.application_id AND a.received_unit = ?))")
		args = append(args, f.Unit, f.Unit)
	} else if f.Unit != 0 {
		where = append(where, "unit = ?")
		args = append(args, f.Unit)
	}
	if len(f.Serials) > 0 {
		where = append(where, "permits.serial IN ("+strings.Repeat("?,", len(f.Serials)-1)+"?)")
		for _, s := range f.Serials {
			args = append(args, strings.TrimSpace(s))
		}
	}
	if f.IDNumber != "" {
		where = append(where, "id_number = ?")
		args = append(args, strings.TrimSpace(f.IDNumber))
	}
	if !f.From.IsZero() {
		where = append(where, "issued_at >= ?")
		args = append(args, f.From.Unix())
	}
	if !f.Until.IsZero() {
		where = append(where, "issued_at < ?")
		args = append(args, f.Until.Unix())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		if isDigits(q) {
			where = append(where, "(id_number >= ? AND id_number < ?)")
			args = append(args, q, q+":")
		} else if strings.ContainsAny(q, "-0123456789") {
			where = append(where, "permits.serial LIKE ?")
			args = append(args, q+"%")
		} else {
			for _, w := range strings.Fields(Fold(q)) {
				where = append(where, "(' ' || folded) LIKE ?")
				args = append(args, "% "+w+"%")
			}
		}
	}
	query := `SELECT ` + permitColumns + ` FROM ` + permitFrom + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY issued_at DESC, permits.serial DESC`
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Permit
	for rows.Next() {
		p, err := scanPermit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Revoke cancels a permit (or voucher) with a reason: the serial joins the
// revocation list every checkpoint holds.
func (db *DB) Revoke(ctx context.Context, officer Officer, serial, reason string) error {
	if err := requireApprover(officer); err != nil {
		return err
	}
	reason, err := CleanText(FieldReason, reason, 300)
	if err != nil {
		return err
	}
	if reason == "" {
		return invalid(FieldReason, "phải ghi lý do thu hồi")
	}
	return db.Write(ctx, func(tx *Tx) error {
		// A serial is a permit's or, failing that, a voucher's (issued by
		// the commune of its household).
		entity := "permit"
		var unit uint32
		var revoked int64
		// A permit on the desk's revocation list alone (the province's
		// list) is revoked already, as a checkpoint reads it.
		err := tx.QueryRow(`SELECT unit, CASE WHEN r.serial IS NULL THEN permits.revoked_at ELSE 1 END FROM `+permitFrom+`
			WHERE permits.serial = ?`, serial).Scan(&unit, &revoked)
		if errors.Is(err, sql.ErrNoRows) {
			entity = "voucher"
			err = tx.QueryRow(`SELECT h.commune, COALESCE((SELECT revoked_at FROM revocations r WHERE r.serial = v.serial), 0)
				FROM vouchers v JOIN households h ON h.id = v.household_id WHERE v.serial = ?`, serial).Scan(&unit, &revoked)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("không có giấy hay phiếu số %s", serial)
		}
		if err != nil {
			return err
		}
		if unit != officer.Unit {
			return forbidden("số %s do đơn vị khác cấp, bạn không thu hồi được", serial)
		}
		if revoked > 0 {
			return conflict("số %s đã bị thu hồi từ trước", serial)
		}
		if entity == "permit" {
			if _, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE serial = ?`,
				tx.Now.Unix(), officer.ID, reason, serial); err != nil {
				return err
			}
		}
		if err := tx.AddRevocation(serial, reason); err != nil {
			return err
		}
		if err := tx.Audit(officer.ID, officer.Unit, ActionRevoke, entity, serial, reason); err != nil {
			return err
		}
		return tx.enqueue("revocation", serial, "revoke", wire.Revocation{Serial: serial, Reason: reason, Officer: officer.ID,
			Unit: officer.Unit, At: tx.Now.Unix()})
	})
}

// AddRevocation records a revoked serial (idempotent).
func (tx *Tx) AddRevocation(serial, reason string) error {
	_, err := tx.Exec(`INSERT INTO revocations (serial, revoked_at, reason) VALUES (?, ?, ?) ON CONFLICT (serial) DO NOTHING`,
		serial, tx.Now.Unix(), reason)
	return err
}

// IsRevoked reports whether serial is on this desk's revocation list.
func (db *DB) IsRevoked(ctx context.Context, serial string) (bool, error) {
	var one int
	err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM revocations WHERE serial = ?`, serial).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// MayPrint reports whether officer may print permits and vouchers: the
// counter's clerks, approvers and administrators; a checker only scans.
func MayPrint(o Officer) error {
	if o.ID == "" || !(o.Has(RoleClerk) || o.Has(RoleApprover) || o.Has(RoleAdmin)) {
		return forbidden("tài khoản %s không được in giấy và phiếu", o.Username)
	}
	return nil
}

// printTargetQuery finds a serial among the permits and the vouchers, with
// the unit that issued it.
const printTargetQuery = `SELECT 'permit', unit FROM permits WHERE serial = ?1
	UNION ALL SELECT 'voucher', h.commune FROM vouchers v JOIN households h ON h.id = v.household_id WHERE v.serial = ?1`

// printTarget reads printTargetQuery's row: a serial officer's unit issued,
// as "permit" or "voucher".
func printTarget(row *sql.Row, officer Officer, serial string) (entity string, err error) {
	var unit uint32
	if err := row.Scan(&entity, &unit); errors.Is(err, sql.ErrNoRows) {
		return "", notFound("không có giấy hay phiếu số %s", serial)
	} else if err != nil {
		return "", err
	}
	if unit != officer.Unit {
		return "", forbidden("giấy %s do đơn vị khác cấp", serial)
	}
	return entity, nil
}

// CheckPrint says, before any paper is made, whether officer may print
// these serials (MarkPrinted checks again when recording the print). An
// unknown serial is left to the reader of the records, which names it as a
// permit or a voucher.
func (db *DB) CheckPrint(ctx context.Context, officer Officer, serials []string) error {
	if err := MayPrint(officer); err != nil {
		return err
	}
	for _, s := range serials {
		_, err := printTarget(db.sql.QueryRowContext(ctx, printTargetQuery, s), officer, s)
		if err != nil && ErrorCode(err) != ENotFound {
			return err
		}
	}
	return nil
}

// MarkPrinted records that officer printed these serials (permits or
// vouchers of officer's unit) to file: one audit entry per serial.
func (db *DB) MarkPrinted(ctx context.Context, officer Officer, serials []string, file string) error {
	if err := MayPrint(officer); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, s := range serials {
			entity, err := printTarget(tx.QueryRow(printTargetQuery, s), officer, s)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE `+entity+`s SET printed = printed + 1 WHERE serial = ?`, s); err != nil {
				return err
			}
			if err := tx.Audit(officer.ID, officer.Unit, ActionPrint, entity, s, file); err != nil {
				return err
			}
		}
		return nil
	})
}
