package central

// The centre as the authority on a person: conflicts between desks. A
// pushed person whose name, birth date or sex differs from the centre's
// record of that ID number is not written over it; both versions are kept
// as a conflict naming the two desks, every desk concerned pulls it, and a
// clerk's resolution (a conflict op) closes it. Two desks' valid permits of
// one category for one person over overlapping dates are flagged the same
// way, never refused.

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/wire"
)

// Conflict kinds and states.
const (
	ConflictPerson   = "person"
	ConflictPermit   = "permit"
	ConflictOpen     = "open"
	ConflictResolved = "resolved"
)

// identityDiffers reports which identifying fields of b differ from a's. A
// name that differs only in letter case is the same name (the diacritics
// are not: "Mai" and "Mãi" are two names).
func identityDiffers(a, b store.Person) []string {
	var d []string
	if !strings.EqualFold(a.FullName, b.FullName) {
		d = append(d, "họ tên")
	}
	if !a.BirthDate.IsZero() && !b.BirthDate.IsZero() && a.BirthDate.Format(time.DateOnly) != b.BirthDate.Format(time.DateOnly) {
		d = append(d, "ngày sinh")
	}
	if a.Sex != b.Sex {
		d = append(d, "giới tính")
	}
	return d
}

// personSource is the desk whose version of the person's identifying fields
// the centre holds: as recorded, or for a person kept before conflicts were,
// the first desk whose push of it (under any of its IDs) was accepted.
func personSource(tx *store.Tx, personID string) (desk string, unit uint32, err error) {
	err = tx.QueryRow(`SELECT desk_id, unit FROM person_sources WHERE person_id = ?`, personID).Scan(&desk, &unit)
	if !errors.Is(err, sql.ErrNoRows) {
		return desk, unit, err
	}
	err = tx.QueryRow(`SELECT o.desk_id, COALESCE(d.unit, 0) FROM sync_ops o LEFT JOIN desks d ON d.id = o.desk_id
		WHERE o.entity = 'person' AND o.status = 'accepted' AND (o.entity_id = ? OR o.entity_id IN
		(SELECT alias FROM id_aliases WHERE entity = 'person' AND id = ?)) ORDER BY o.received_at LIMIT 1`, personID, personID).Scan(&desk, &unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return desk, unit, err
}

// notePersonSource records desk as the source of the person's identifying
// fields at the centre.
func notePersonSource(tx *store.Tx, personID string, desk DeskAuth) error {
	_, err := tx.Exec(`INSERT INTO person_sources (person_id, desk_id, unit) VALUES (?, ?, ?)
		ON CONFLICT (person_id) DO UPDATE SET desk_id = excluded.desk_id, unit = excluded.unit`, personID, desk.DeskID, desk.Unit)
	return err
}

// mergePerson applies a pushed version of a person the centre already holds
// (existing is the centre's ID). Address, phone and the other details are
// taken as pushed, as always. A name, birth date or sex that differs from the
// centre's, pushed by a desk other than the one the centre's version came
// from, is not: the centre keeps its own, records (or updates) an open
// conflict naming both desks and both versions, and tells every unit
// concerned.
func mergePerson(tx *store.Tx, desk DeskAuth, existing string, clean store.Person) error {
	held, err := store.PersonByID(tx, existing)
	if err != nil {
		return err
	}
	diff := identityDiffers(held, clean)
	var srcDesk string
	var srcUnit uint32
	if len(diff) > 0 {
		// Only a difference asks where the centre's version came from: the
		// fallback for a person kept before conflicts were reads sync_ops.
		if srcDesk, srcUnit, err = personSource(tx, existing); err != nil {
			return err
		}
	}
	if len(diff) == 0 || srcDesk == desk.DeskID {
		// The same identity, or the desk the centre's version came from
		// correcting its own record: written whole, as it always was.
		_, err := tx.Exec(`UPDATE people SET id_number = ?, full_name = ?, folded = ?, birth_date = ?, sex = ?, phone = ?, commune = ?, hamlet = ?,
			address = ?, employer = NULLIF(?, 0), enterprise_id = NULLIF(?, ''), command_centre = NULLIF(?, 0), version = version + 1,
			updated_at = ? WHERE id = ?`, clean.IDNumber, clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex,
			clean.Phone, clean.Commune, clean.Hamlet, clean.Address, clean.Employer, clean.EnterpriseID, clean.CommandCentre, tx.Now.Unix(), existing)
		return err
	}
	if _, err := tx.Exec(`UPDATE people SET phone = ?, commune = ?, hamlet = ?, address = ?, employer = NULLIF(?, 0),
		enterprise_id = NULLIF(?, ''), command_centre = NULLIF(?, 0), version = version + 1, updated_at = ? WHERE id = ?`,
		clean.Phone, clean.Commune, clean.Hamlet, clean.Address, clean.Employer, clean.EnterpriseID, clean.CommandCentre, tx.Now.Unix(), existing); err != nil {
		return err
	}
	heldJSON, err := json.Marshal(store.PersonToWire(held))
	if err != nil {
		return err
	}
	pushedJSON, err := json.Marshal(store.PersonToWire(clean))
	if err != nil {
		return err
	}
	detail := fmt.Sprintf("khác %s: máy chủ giữ %q, máy %s gửi %q", strings.Join(diff, ", "), held.FullName, desk.DeskID, clean.FullName)
	var id string
	err = tx.QueryRow(`SELECT id FROM conflicts WHERE kind = 'person' AND person_id = ? AND pushed_desk = ? AND status = 'open'`,
		existing, desk.DeskID).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		id = store.NewID(tx.Now)
		_, err = tx.Exec(`INSERT INTO conflicts (id, kind, person_id, id_number, held_desk, held_unit, pushed_desk, pushed_unit,
			held, pushed, detail, created_at) VALUES (?, 'person', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, existing, held.IDNumber, srcDesk, srcUnit, desk.DeskID, desk.Unit, heldJSON, pushedJSON, detail, tx.Now.Unix())
	case err == nil:
		_, err = tx.Exec(`UPDATE conflicts SET held = ?, pushed = ?, detail = ? WHERE id = ?`, heldJSON, pushedJSON, detail, id)
	}
	if err != nil {
		return fmt.Errorf("ghi xung đột người %s: %w", held.IDNumber, err)
	}
	return feedConflict(tx, id)
}

// conflictUnits are the units whose desks hold the conflict's person: the
// two desks' and every unit one of the person's applications is queued at
// or was received by.
func conflictUnits(tx *store.Tx, id string) ([]uint32, error) {
	rows, err := tx.Query(`SELECT held_unit FROM conflicts WHERE id = ?1 UNION SELECT pushed_unit FROM conflicts WHERE id = ?1
		UNION SELECT a.queue_unit FROM applications a JOIN conflicts c ON c.person_id = a.person_id WHERE c.id = ?1
		UNION SELECT a.received_unit FROM applications a JOIN conflicts c ON c.person_id = a.person_id WHERE c.id = ?1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var units []uint32
	for rows.Next() {
		var u uint32
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		if u != 0 {
			units = append(units, u)
		}
	}
	return units, rows.Err()
}

// feedConflict puts the conflict in the feed of every unit concerned, the
// pushing desk's included (it must learn its version was not taken).
func feedConflict(tx *store.Tx, id string) error {
	units, err := conflictUnits(tx, id)
	if err != nil {
		return err
	}
	for _, u := range units {
		if err := feed(tx, u, store.ChangeConflict, id, ""); err != nil {
			return err
		}
	}
	return nil
}

// flagPermitOverlap records a conflict when the permit just accepted
// (serial, for application a of person p) overlaps in dates a valid permit of
// the same category for the same ID number issued by another desk. The
// permit stands: the province decides which paper to revoke.
func flagPermitOverlap(tx *store.Tx, desk DeskAuth, serial string, a store.Application, p store.Person) error {
	rows, err := tx.Query(`SELECT serial, unit, desk_no FROM permits WHERE id_number = ? AND category = ? AND serial <> ?
		AND revoked_at = 0 AND valid_from < ? AND valid_until > ? AND NOT (unit = ? AND desk_no = ?)`,
		p.IDNumber, a.Category, serial, a.ValidUntil.Unix(), a.ValidFrom.Unix(), desk.Unit, desk.Number)
	if err != nil {
		return err
	}
	type other struct {
		serial string
		unit   uint32
		deskNo int
	}
	var found []other
	for rows.Next() {
		var o other
		if err := rows.Scan(&o.serial, &o.unit, &o.deskNo); err != nil {
			rows.Close()
			return err
		}
		found = append(found, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range found {
		var heldDesk string
		if err := tx.QueryRow(`SELECT id FROM desks WHERE unit = ? AND number = ?`, o.unit, o.deskNo).Scan(&heldDesk); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		id := store.NewID(tx.Now)
		detail := fmt.Sprintf("hai giấy loại %d còn hiệu lực trùng ngày cho số %s: %s và %s", a.Category, p.IDNumber, o.serial, serial)
		if _, err := tx.Exec(`INSERT INTO conflicts (id, kind, person_id, id_number, held_desk, held_unit, pushed_desk, pushed_unit,
			held, pushed, detail, created_at) VALUES (?, 'permit', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.ID, p.IDNumber, heldDesk, o.unit, desk.DeskID, desk.Unit, o.serial, serial, detail, tx.Now.Unix()); err != nil {
			return fmt.Errorf("ghi xung đột giấy %s: %w", serial, err)
		}
		if err := feedConflict(tx, id); err != nil {
			return err
		}
	}
	return nil
}

// closePermitConflicts closes the open permit conflicts one of whose two
// papers has just been revoked: one valid paper is left, and every desk
// concerned pulls the close.
func closePermitConflicts(tx *store.Tx, serial, reason string) error {
	ids, err := selectIDs(tx, `SELECT id FROM conflicts WHERE kind = 'permit' AND status = 'open' AND (held = ? OR pushed = ?)`, serial, serial)
	if err != nil {
		return err
	}
	note := "giấy " + serial + " đã bị thu hồi: " + reason
	for _, id := range ids {
		if _, err := tx.Exec(`UPDATE conflicts SET status = 'resolved', resolved_at = ?, detail = detail || '; ' || ? WHERE id = ?`,
			tx.Now.Unix(), note, id); err != nil {
			return err
		}
		if err := feedConflict(tx, id); err != nil {
			return err
		}
	}
	return nil
}

// applyConflictOp closes a conflict with a clerk's resolution. The desk
// must be of a unit the conflict concerns and the officer an active account
// of that unit; for a person, the fields chosen become the centre's record
// (and the desk the source of it). A conflict already resolved is left as
// it was: the first resolution holds, and every desk has pulled it.
func applyConflictOp(ctx context.Context, tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var r wire.ConflictResolution
	if err := decodeOp(op, &r); err != nil {
		return err
	}
	if r.ConflictID == "" || r.ConflictID != op.EntityID {
		return invalid("Xung đột", "mã xung đột %q không khớp op (%q)", r.ConflictID, op.EntityID)
	}
	var kind, personID, status string
	err := tx.QueryRow(`SELECT kind, person_id, status FROM conflicts WHERE id = ?`, r.ConflictID).Scan(&kind, &personID, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return invalid("Xung đột", "máy chủ không có xung đột %s", r.ConflictID)
	}
	if err != nil {
		return err
	}
	concerned, err := conflictUnits(tx, r.ConflictID)
	if err != nil {
		return err
	}
	mine := false
	for _, u := range concerned {
		mine = mine || u == desk.Unit
	}
	if !mine {
		return forbidden("xung đột %s không liên quan đến đơn vị của máy này", r.ConflictID)
	}
	o, err := officerByID(tx, r.Officer)
	if err != nil {
		return err
	}
	if !o.Active || o.Unit != desk.Unit || !(o.Has(store.RoleClerk) || o.Has(store.RoleApprover) || o.Has(store.RoleAdmin)) {
		return forbidden("tài khoản %s không được giải quyết xung đột của máy này", o.Username)
	}
	if status != ConflictOpen {
		return nil
	}
	note, err := store.CleanText(store.FieldReason, r.Note, 300)
	if err != nil {
		return err
	}
	var resolution []byte
	if kind == ConflictPerson {
		p, err := store.PersonByID(tx, personID)
		if err != nil {
			return err
		}
		p.FullName, p.BirthDate, p.Sex = r.FullName, r.BirthDate, r.Sex
		clean, err := store.NormalizePerson(p, units)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE people SET full_name = ?, folded = ?, birth_date = ?, sex = ?, version = version + 1, updated_at = ?
			WHERE id = ?`, clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex, tx.Now.Unix(), personID); err != nil {
			return err
		}
		if err := notePersonSource(tx, personID, desk); err != nil {
			return err
		}
		if resolution, err = json.Marshal(store.PersonToWire(clean)); err != nil {
			return err
		}
		// Other open conflicts of this person are about the same fields:
		// one resolution closes them all.
		rows, err := tx.Query(`SELECT id FROM conflicts WHERE kind = 'person' AND person_id = ? AND status = 'open' AND id <> ?`, personID, r.ConflictID)
		if err != nil {
			return err
		}
		var others []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			others = append(others, id)
		}
		rows.Close()
		for _, id := range append(others, r.ConflictID) {
			if err := closeConflict(tx, id, o, desk, resolution, note); err != nil {
				return err
			}
		}
		return nil
	}
	return closeConflict(tx, r.ConflictID, o, desk, nil, note)
}

func closeConflict(tx *store.Tx, id string, o store.Officer, desk DeskAuth, resolution []byte, note string) error {
	if _, err := tx.Exec(`UPDATE conflicts SET status = 'resolved', resolved_at = ?, resolved_by = ?, resolved_desk = ?, resolution = ?,
		detail = CASE WHEN ? = '' THEN detail ELSE detail || '; ' || ? END WHERE id = ?`,
		tx.Now.Unix(), o.ID, desk.DeskID, string(resolution), note, note, id); err != nil {
		return err
	}
	return feedConflict(tx, id)
}

// conflictColumns are what scanConflict reads.
const conflictColumns = `c.id, c.kind, c.id_number, c.held_desk, c.held_unit, c.pushed_desk, c.pushed_unit, c.held, c.pushed,
	c.detail, c.status, c.created_at, c.resolved_at, COALESCE(o.full_name, c.resolved_by), c.resolution`

func scanConflict(row interface{ Scan(...any) error }) (wire.Conflict, error) {
	var c wire.Conflict
	var held, pushed, resolution string
	var created, resolved int64
	if err := row.Scan(&c.ID, &c.Kind, &c.IDNumber, &c.HeldDesk, &c.HeldUnit, &c.PushedDesk, &c.PushedUnit, &held, &pushed,
		&c.Detail, &c.Status, &created, &resolved, &c.ResolvedBy, &resolution); err != nil {
		return c, err
	}
	c.CreatedAt = time.Unix(created, 0).In(store.Vietnam)
	if resolved > 0 {
		c.ResolvedAt = time.Unix(resolved, 0).In(store.Vietnam)
	}
	if c.Kind == ConflictPerson {
		for _, f := range []struct {
			raw string
			dst **wire.Person
		}{{held, &c.Held}, {pushed, &c.Pushed}, {resolution, &c.Resolution}} {
			if f.raw == "" {
				continue
			}
			var p wire.Person
			if err := json.Unmarshal([]byte(f.raw), &p); err != nil {
				return c, fmt.Errorf("xung đột %s: %w", c.ID, err)
			}
			*f.dst = &p
		}
	} else {
		c.HeldSerial, c.PushedSerial = held, pushed
	}
	return c, nil
}

// conflictByID reads one conflict as the feed carries it.
func conflictByID(q store.Queryer, id string) (wire.Conflict, error) {
	return scanConflict(q.QueryRow(`SELECT `+conflictColumns+` FROM conflicts c LEFT JOIN officers o ON o.id = c.resolved_by WHERE c.id = ?`, id))
}

// Conflicts lists the province's conflicts, the open ones first, newest
// first; all says whether the resolved ones are listed too.
func (db *DB) Conflicts(ctx context.Context, all bool) ([]wire.Conflict, error) {
	q := `SELECT ` + conflictColumns + ` FROM conflicts c LEFT JOIN officers o ON o.id = c.resolved_by`
	if !all {
		q += ` WHERE c.status = 'open'`
	}
	rows, err := db.SQL().QueryContext(ctx, q+` ORDER BY c.status = 'resolved', c.created_at DESC, c.id`)
	if err != nil {
		return nil, fmt.Errorf("đọc xung đột: %w", err)
	}
	defer rows.Close()
	var out []wire.Conflict
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// conflictCSVHeader names the columns of WriteConflictsCSV.
var conflictCSVHeader = []string{"Mã", "Loại", "Trạng thái", "Số định danh", "Máy giữ", "Đơn vị giữ", "Bản máy chủ giữ",
	"Máy gửi", "Đơn vị gửi", "Bản máy gửi", "Chi tiết", "Ngày phát hiện", "Ngày giải quyết", "Người giải quyết", "Kết quả"}

// personCell is one side of a person conflict in a cell: name, birth
// date, sex.
func personCell(p *wire.Person) string {
	if p == nil {
		return ""
	}
	sex := "Nam"
	if p.Sex == store.SexFemale {
		sex = "Nữ"
	}
	return fmt.Sprintf("%s, %s, %s", p.FullName, store.FormatDate(p.BirthDate), sex)
}

// WriteConflictsCSV writes cs as CSV for Excel: UTF-8 with a BOM, CRLF.
func WriteConflictsCSV(w io.Writer, cs []wire.Conflict) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(conflictCSVHeader); err != nil {
		return err
	}
	for _, c := range cs {
		kind, status := "Người", "Đang mở"
		held, pushed, result := personCell(c.Held), personCell(c.Pushed), personCell(c.Resolution)
		if c.Kind == ConflictPermit {
			kind, held, pushed = "Giấy trùng", c.HeldSerial, c.PushedSerial
		}
		resolved := ""
		if c.Status == ConflictResolved {
			status, resolved = "Đã giải quyết", store.FormatDateTime(c.ResolvedAt)
		}
		if err := cw.Write([]string{c.ID, kind, status, c.IDNumber, c.HeldDesk, strconv.FormatUint(uint64(c.HeldUnit), 10), held,
			c.PushedDesk, strconv.FormatUint(uint64(c.PushedUnit), 10), pushed, c.Detail, store.FormatDateTime(c.CreatedAt), resolved,
			c.ResolvedBy, result}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
