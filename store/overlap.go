package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"thonghanh/store/seal"
)

// One valid paper per purpose: a person holds at most one valid permit of a
// category for any one day. A second one is issued only when the approver
// says why (the reason is audited); the queue marks such rows and the
// intake screen warns before they are submitted.

// ErrOverlap is wrapped by the refusal of an approval that would give a
// person a second valid permit of the same category for the same days:
// the screen asks the approver for a reason and approves again with it.
var ErrOverlap = errors.New("overlapping permit")

// Overlap is one valid permit or pending application of the same person and
// category whose dates overlap another's.
type Overlap struct {
	Serial        string // the permit's serial; "" for an application
	ApplicationID string
	Number        string // the application's number, for an application
	Category      int
	Status        string // StatusApproved for a permit, else the application's status
	ValidFrom     time.Time
	ValidUntil    time.Time
}

// overlaps reports whether [from, until) and [f2, u2) share an instant.
func overlaps(from, until, f2, u2 time.Time) bool {
	return from.Before(u2) && f2.Before(until)
}

// ApproveOverlapping approves like Approve, and also approves applications
// that would give their holder a second valid permit of the same category
// for overlapping days, recording reason in the audit log for each. An
// empty reason is Approve.
func (db *DB) ApproveOverlapping(ctx context.Context, officer Officer, signer *seal.Signer, ids []string, reason string) ([]DecisionResult, error) {
	reason, err := CleanText(FieldReason, reason, 300)
	if err != nil {
		return nil, err
	}
	return db.approve(ctx, officer, signer, ids, reason)
}

// Approve approves the applications, signing one permit for each with the
// desk's key. Every permit, its application's new state, its audit entry and
// its outbox op commit in the same transaction; an application this unit may
// not decide is skipped with its reason, and so is one that would give its
// holder a second valid permit of the same category for overlapping days
// (ErrOverlap: ApproveOverlapping issues it with a reason).
func (db *DB) Approve(ctx context.Context, officer Officer, signer *seal.Signer, ids []string) ([]DecisionResult, error) {
	return db.approve(ctx, officer, signer, ids, "")
}

// overlapCheckOff turns the check off, for the benchmark that measures
// what it costs a bulk approval (export_test.go); never set otherwise.
var overlapCheckOff bool

// overlapCheck is one bulk approval's view of its holders' valid permits,
// read in one query per chunk, and of the permits the batch itself is
// about to issue.
type overlapCheck struct {
	officer Officer
	units   *UnitIndex
	reason  string
	loaded  bool
	ids     []string
	valid   map[string][]Overlap // application ID → valid permits overlapping it
	batch   map[string][]Overlap // ID number + category → chosen earlier in this batch
}

func newOverlapCheck(officer Officer, units *UnitIndex, ids []string, reason string) *overlapCheck {
	return &overlapCheck{officer: officer, units: units, reason: reason, ids: ids}
}

// load reads, for every application of the batch, the valid permits of the
// same holder and category whose dates overlap it.
func (c *overlapCheck) load(tx *Tx) error {
	c.loaded = true
	c.valid = map[string][]Overlap{}
	c.batch = map[string][]Overlap{}
	keys := make([]any, len(c.ids))
	for i, id := range c.ids {
		keys[i] = id
	}
	// The clock is the transaction's, a number: written into the query so
	// that the IN list stays queryIn's.
	query := fmt.Sprintf(`SELECT a.id, pm.serial, pm.application_id, pm.category, pm.valid_from, pm.valid_until
		FROM applications a JOIN people p ON p.id = a.person_id
		JOIN permits pm ON pm.id_number = p.id_number AND pm.category = a.category
		WHERE pm.revoked_at = 0 AND pm.valid_until > %d AND pm.valid_from < a.valid_until AND pm.valid_until > a.valid_from
		AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = pm.serial) AND a.id IN`, tx.Now.Unix())
	return tx.queryIn(query, keys, func(r *sql.Rows) error {
		var id string
		var o Overlap
		var from, until int64
		if err := r.Scan(&id, &o.Serial, &o.ApplicationID, &o.Category, &from, &until); err != nil {
			return err
		}
		o.Status, o.ValidFrom, o.ValidUntil = StatusApproved, time.Unix(from, 0), time.Unix(until, 0)
		c.valid[id] = append(c.valid[id], o)
		return nil
	})
}

// check refuses a for p when it overlaps a valid permit or one chosen
// earlier in the batch, unless the approver gave a reason, which it
// audits. An application it lets through counts for the ones after it. It
// also returns the warning of a holder's home outside the area.
func (c *overlapCheck) check(tx *Tx, a Application, p Person) (message, error) {
	var warn message
	if c.units != nil && c.units.HomeOutside(Case{Area: a.Area, Holder: p}) {
		warn = c.units.homeOutsideWarning(a.Number, p.Commune)
	}
	if overlapCheckOff {
		return warn, nil
	}
	if !c.loaded {
		if err := c.load(tx); err != nil {
			return warn, err
		}
	}
	key := p.IDNumber + "|" + fmt.Sprint(a.Category)
	found := append([]Overlap(nil), c.valid[a.ID]...)
	for _, o := range c.batch[key] {
		if overlaps(a.ValidFrom, a.ValidUntil, o.ValidFrom, o.ValidUntil) {
			found = append(found, o)
		}
	}
	if len(found) > 0 {
		if c.reason == "" {
			return warn, overlapRefusal(a, found[0])
		}
		var with []string
		for _, o := range found {
			with = append(with, cmpOr(o.Serial, o.Number))
		}
		if err := tx.Audit(c.officer.ID, c.officer.Unit, ActionApproveOverlap, "application", a.ID,
			"trùng "+strings.Join(with, ", ")+": "+c.reason); err != nil {
			return warn, err
		}
	}
	c.batch[key] = append(c.batch[key], Overlap{ApplicationID: a.ID, Number: a.Number, Category: a.Category,
		Status: StatusPending, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil})
	return warn, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func overlapRefusal(a Application, o Overlap) *Error {
	from, until := o.ValidFrom.In(Vietnam).Format("02/01"), o.ValidUntil.Add(-time.Second).In(Vietnam).Format("02/01")
	var e *Error
	if o.Serial != "" {
		e = conflict("hồ sơ %s: người này đã có giấy loại %d số %s còn hiệu lực %s–%s; cấp thêm phải ghi lý do",
			a.Number, o.Category, o.Serial, from, until)
	} else {
		e = conflict("hồ sơ %s: cùng lượt duyệt đã cấp cho người này giấy loại %d (hồ sơ %s) %s–%s; cấp thêm phải ghi lý do",
			a.Number, o.Category, o.Number, from, until)
	}
	e.Err = ErrOverlap
	return e
}

// PapersOf lists a person's pending applications and valid permits (not
// revoked, not expired), the earliest first: what the intake screen shows
// before a new application is taken.
func (db *DB) PapersOf(ctx context.Context, personID string) ([]Overlap, error) {
	now := db.Now().Unix()
	rows, err := db.sql.QueryContext(ctx, `SELECT '', a.id, a.number, a.category, a.status, a.valid_from, a.valid_until
		FROM applications a WHERE a.person_id = ? AND a.status IN ('pending', 'forwarded') AND a.valid_until > ?
		UNION ALL
		SELECT pm.serial, pm.application_id, '', pm.category, 'approved', pm.valid_from, pm.valid_until
		FROM permits pm JOIN people p ON p.id_number = pm.id_number
		WHERE p.id = ? AND pm.revoked_at = 0 AND pm.valid_until > ?
		AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = pm.serial)`, personID, now, personID, now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Overlap
	for rows.Next() {
		var o Overlap
		var from, until int64
		if err := rows.Scan(&o.Serial, &o.ApplicationID, &o.Number, &o.Category, &o.Status, &from, &until); err != nil {
			return nil, err
		}
		o.ValidFrom, o.ValidUntil = time.Unix(from, 0), time.Unix(until, 0)
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ValidFrom.Before(out[j].ValidFrom) })
	return out, rows.Err()
}

// OverlapsWith returns those of papers (PapersOf) of category whose dates
// overlap [from, until).
func OverlapsWith(papers []Overlap, category int, from, until time.Time) []Overlap {
	var out []Overlap
	for _, o := range papers {
		if o.Category == category && overlaps(from, until, o.ValidFrom, o.ValidUntil) {
			out = append(out, o)
		}
	}
	return out
}

// markDuplicates sets Duplicate on every queue row whose holder has, in
// the same category and for overlapping days, another row of the queue or
// a valid permit. Rows are grouped by holder and category, so the cost is
// one sort of the queue.
func markDuplicates(items []QueueItem, valid map[string][]Overlap) {
	type key struct {
		id  string
		cat int
	}
	groups := map[key][]int{}
	for i := range items {
		k := key{items[i].IDNumber, items[i].Category}
		groups[k] = append(groups[k], i)
		for _, o := range valid[items[i].IDNumber] {
			if o.Category == items[i].Category && overlaps(items[i].ValidFrom, items[i].ValidUntil, o.ValidFrom, o.ValidUntil) {
				items[i].Duplicate = true
			}
		}
	}
	for _, g := range groups {
		for x := 0; x < len(g); x++ {
			for y := x + 1; y < len(g); y++ {
				a, b := &items[g[x]], &items[g[y]]
				if overlaps(a.ValidFrom, a.ValidUntil, b.ValidFrom, b.ValidUntil) {
					a.Duplicate, b.Duplicate = true, true
				}
			}
		}
	}
}

// validPermitsByHolder reads every valid permit of the holders in items,
// keyed by ID number: only theirs, through the permits' index on ID number,
// so a queue's load costs its holders' permits, not the desk's.
func (db *DB) validPermitsByHolder(ctx context.Context, items []QueueItem) (map[string][]Overlap, error) {
	if len(items) == 0 {
		return nil, nil
	}
	seen := make(map[string]bool, len(items))
	holders := make([]any, 0, len(items))
	for _, it := range items {
		if !seen[it.IDNumber] {
			seen[it.IDNumber] = true
			holders = append(holders, it.IDNumber)
		}
	}
	// The clock is written into the query, a number, so that the IN list
	// stays queryIn's.
	query := fmt.Sprintf(`SELECT id_number, serial, category, valid_from, valid_until FROM permits pm
		WHERE revoked_at = 0 AND valid_until > %d AND NOT EXISTS (SELECT 1 FROM revocations r WHERE r.serial = pm.serial)
		AND id_number IN`, db.Now().Unix())
	out := map[string][]Overlap{}
	err := queryIn(ctx, db.sql, query, holders, func(r *sql.Rows) error {
		var id string
		var o Overlap
		var from, until int64
		if err := r.Scan(&id, &o.Serial, &o.Category, &from, &until); err != nil {
			return err
		}
		o.Status, o.ValidFrom, o.ValidUntil = StatusApproved, time.Unix(from, 0), time.Unix(until, 0)
		out[id] = append(out[id], o)
		return nil
	})
	return out, err
}
