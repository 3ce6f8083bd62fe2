package central

// A desk looking an ID number up at the centre before it creates a person
// (GET /v1/people). A desk token is not a province-wide register: a desk
// learns of a person only if its unit may serve them (their commune is the
// unit or lies within it, or the unit is their employer, command centre or
// enterprise's managing unit, or one of their applications is at or came
// from the unit), at most LookupsPerDay a day, and every look-up is kept
// with its outcome. Anyone else is answered exactly like an unknown number,
// so the answer tells an outsider nothing.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"thonghanh/store"
	"thonghanh/store/wire"
)

// LookupsPerDay bounds one desk's look-ups over any 24 hours: a counter
// looks up its walk-ins, not the province.
var LookupsPerDay = 500

// Outcomes of a look-up, as person_lookups keeps them.
const (
	LookupFound     = "found"
	LookupUnknown   = "unknown"
	LookupOutside   = "outside" // known, but not a person the desk's unit may serve
	LookupRefused   = "refused" // over the day's allowance
	LookupMalformed = "malformed"
)

// LookupPerson answers a desk's look-up of idNumber: the centre's record
// when the desk's unit may serve that person, ok false otherwise.
func (db *DB) LookupPerson(ctx context.Context, desk DeskAuth, idNumber string) (p wire.Person, ok bool, err error) {
	idNumber = strings.TrimSpace(idNumber)
	units, err := db.Units(ctx)
	if err != nil {
		return p, false, err
	}
	var refusal error
	err = db.Write(ctx, func(tx *store.Tx) error {
		p, ok, refusal = wire.Person{}, false, nil
		outcome, err := lookup(tx, units, desk, idNumber, &p)
		switch outcome {
		case LookupFound:
			ok = true
		case LookupMalformed:
			refusal = invalid(store.FieldIDNumber, "số định danh phải gồm 9 hoặc 12 chữ số")
		case LookupRefused:
			refusal = forbidden("máy đã tra cứu quá %d lần trong 24 giờ", LookupsPerDay)
		}
		if err != nil {
			return err
		}
		logged := idNumber
		if len(logged) > 12 {
			logged = logged[:12]
		}
		_, err = tx.Exec(`INSERT INTO person_lookups (desk_id, unit, id_number, at, outcome) VALUES (?, ?, ?, ?, ?)`,
			desk.DeskID, desk.Unit, logged, tx.Now.Unix(), outcome)
		return err
	})
	if err != nil {
		return wire.Person{}, false, err
	}
	return p, ok, refusal
}

// lookup decides the outcome of one look-up and, when found, fills p.
func lookup(tx *store.Tx, units *store.UnitIndex, desk DeskAuth, idNumber string, p *wire.Person) (string, error) {
	if !digits(idNumber) || (len(idNumber) != 9 && len(idNumber) != 12) {
		return LookupMalformed, nil
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM person_lookups WHERE desk_id = ? AND at > ? AND outcome <> ?`,
		desk.DeskID, tx.Now.Unix()-86400, LookupRefused).Scan(&n); err != nil {
		return "", err
	}
	if n >= LookupsPerDay {
		return LookupRefused, nil
	}
	held, err := store.PersonByNumber(tx, idNumber)
	if errors.Is(err, sql.ErrNoRows) {
		return LookupUnknown, nil
	}
	if err != nil {
		return "", err
	}
	if serves, err := mayServe(tx, units, desk.Unit, held); err != nil || !serves {
		return LookupOutside, err
	}
	*p = store.PersonToWire(held)
	return LookupFound, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// mayServe reports whether unit may take in p: the commune they live in or
// a unit it lies within, their employer, command centre or enterprise's
// managing unit, or a unit one of their applications is queued at or came
// from.
func mayServe(tx *store.Tx, units *store.UnitIndex, unit uint32, p store.Person) (bool, error) {
	if units.Within(p.Commune, unit) || p.Employer == unit || p.CommandCentre == unit {
		return true, nil
	}
	if p.EnterpriseID != "" {
		if ok, err := tx.Exists(`SELECT 1 FROM enterprises WHERE id = ? AND managing_unit = ?`, p.EnterpriseID, unit); err != nil || ok {
			return ok, err
		}
	}
	ok, err := tx.Exists(`SELECT 1 FROM applications WHERE person_id = ? AND (queue_unit = ? OR received_unit = ?)`, p.ID, unit, unit)
	if err != nil {
		return false, fmt.Errorf("tra cứu hồ sơ của người %s: %w", p.IDNumber, err)
	}
	return ok, nil
}
