package store

// The desk's side of the centre's conflicts (SYNC.md): what it pulls about
// its people, what the Sync tab and intake show, and a clerk's resolution,
// which the centre applies.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"thonghanh/store/wire"
)

// Conflict is a conflict as the centre sends it.
type Conflict = wire.Conflict

// ConflictResolution is a clerk's resolution as it travels to the centre.
type ConflictResolution = wire.ConflictResolution

// ActionResolve is the audit action of a clerk's resolution of a conflict.
const ActionResolve = "resolve"

// Conflict states on a desk: the centre's, and resolving while a clerk's
// resolution waits in the outbox.
const (
	ConflictOpen      = "open"
	ConflictResolving = "resolving"
	ConflictResolved  = "resolved"
)

// applyConflict keeps a conflict the centre sent. A resolved conflict of a
// person makes the identifying fields the centre chose the desk's own (as
// pulled, with no outbox op: they are the centre's already). A resolution
// this desk made and has not pushed yet is not undone by a page that still
// says open.
func (tx *Tx) applyConflict(c Conflict) error {
	if c.ID == "" || c.IDNumber == "" {
		return nil
	}
	status := c.Status
	if status != ConflictResolved {
		status = ConflictOpen
		var local string
		if err := tx.QueryRow(`SELECT status FROM person_conflicts WHERE id = ?`, c.ID).Scan(&local); err == nil && local == ConflictResolving {
			status = ConflictResolving
		}
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO person_conflicts (id, kind, id_number, status, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, payload = excluded.payload, updated_at = excluded.updated_at`,
		c.ID, c.Kind, c.IDNumber, status, raw, tx.Now.Unix()); err != nil {
		return fmt.Errorf("ghi xung đột %s: %w", c.ID, err)
	}
	if status == ConflictResolved && c.Resolution != nil {
		r := PersonFromWire(*c.Resolution)
		if r.FullName == "" || r.BirthDate.IsZero() || (r.Sex != SexMale && r.Sex != SexFemale) {
			return nil
		}
		if _, err := tx.Exec(`UPDATE people SET full_name = ?, folded = ?, birth_date = ?, sex = ?, updated_at = ? WHERE id_number = ?`,
			r.FullName, Fold(r.FullName), r.BirthDate.Format(time.DateOnly), r.Sex, tx.Now.Unix(), c.IDNumber); err != nil {
			return fmt.Errorf("ghi người %s: %w", c.IDNumber, err)
		}
	}
	return nil
}

func (db *DB) conflicts(ctx context.Context, where string, args ...any) ([]Conflict, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT payload, status FROM person_conflicts WHERE `+where+` ORDER BY updated_at DESC, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("đọc xung đột: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var raw, status string
		if err := rows.Scan(&raw, &status); err != nil {
			return nil, err
		}
		var c Conflict
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return nil, err
		}
		c.Status = status
		out = append(out, c)
	}
	return out, rows.Err()
}

// OpenConflicts lists the conflicts not yet resolved at the centre (those
// resolved here and waiting to be pushed too, as "resolving"), newest first.
func (db *DB) OpenConflicts(ctx context.Context) ([]Conflict, error) {
	return db.conflicts(ctx, `status <> 'resolved'`)
}

// ConflictsOf lists the open conflicts about the holder of idNumber.
func (db *DB) ConflictsOf(ctx context.Context, idNumber string) ([]Conflict, error) {
	return db.conflicts(ctx, `id_number = ? AND status = 'open'`, strings.TrimSpace(idNumber))
}

// ResolveConflict records a clerk's resolution of an open conflict: for a
// person, chosen's name, birth date and sex (one of the two versions, or a
// correction) become the desk's record of that ID number; then the audit
// entry and the conflict op the centre applies, in one transaction.
func (db *DB) ResolveConflict(ctx context.Context, clerk Officer, id string, chosen Person, note string) error {
	if !clerk.Has(RoleClerk) && !clerk.Has(RoleApprover) && !clerk.Has(RoleAdmin) {
		return forbidden("tài khoản %s không được giải quyết xung đột", clerk.Username)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		var raw, status string
		err := tx.QueryRow(`SELECT payload, status FROM person_conflicts WHERE id = ?`, id).Scan(&raw, &status)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("không có xung đột %s", id)
		}
		if err != nil {
			return err
		}
		if status != ConflictOpen {
			return conflict("xung đột %s đã được giải quyết", id)
		}
		var c Conflict
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return err
		}
		note, err := CleanText(FieldReason, note, 300)
		if err != nil {
			return err
		}
		r := ConflictResolution{ConflictID: id, IDNumber: c.IDNumber, Note: note, Officer: clerk.ID, At: tx.Now.Unix()}
		detail := note
		if c.Kind == "person" {
			p, err := tx.personByIDNumber(c.IDNumber)
			if err != nil {
				return err
			}
			p.FullName, p.BirthDate, p.Sex = chosen.FullName, chosen.BirthDate, chosen.Sex
			clean, err := NormalizePerson(p, units)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(`UPDATE people SET full_name = ?, folded = ?, birth_date = ?, sex = ?, updated_at = ? WHERE id = ?`,
				clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex, tx.Now.Unix(), clean.ID); err != nil {
				return fmt.Errorf("ghi người %s: %w", c.IDNumber, err)
			}
			r.FullName, r.BirthDate, r.Sex = clean.FullName, clean.BirthDate, clean.Sex
			detail = strings.TrimSpace(fmt.Sprintf("%s, %s, %s %s", clean.FullName, FormatDate(clean.BirthDate), clean.Sex, note))
		}
		if _, err := tx.Exec(`UPDATE person_conflicts SET status = 'resolving', updated_at = ? WHERE id = ?`, tx.Now.Unix(), id); err != nil {
			return err
		}
		if err := tx.Audit(clerk.ID, clerk.Unit, ActionResolve, "conflict", id, detail); err != nil {
			return err
		}
		return tx.enqueue("conflict", id, "resolve", r)
	})
}

func (tx *Tx) personByIDNumber(idNumber string) (Person, error) {
	p, err := scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM people WHERE id_number = ?`, idNumber))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("chưa có người mang số %s", idNumber)
	}
	return p, err
}
