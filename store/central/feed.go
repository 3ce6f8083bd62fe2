package central

// The central server: the change feed, online applications and the
// accountability report.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// SyncStatus is what a desk compares with its own books before a round:
// the feed's last sequence (a cursor past it means the server was restored
// from an older backup) and how many of its ops the server holds.
func (db *DB) SyncStatus(ctx context.Context, desk DeskAuth) (lastSeq, opsHeld int64, err error) {
	if err = db.SQL().QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&lastSeq); err != nil {
		return 0, 0, err
	}
	err = db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM sync_ops WHERE desk_id = ?`, desk.DeskID).Scan(&opsHeld)
	return lastSeq, opsHeld, err
}

// Changes returns the page of the feed after since that concerns desk: its
// unit's rows and the rows for every desk, less those its own ops caused.
// Payloads are the records' current state.
func (db *DB) Changes(ctx context.Context, desk DeskAuth, since int64, limit int) (store.ChangePage, error) {
	page := store.ChangePage{Changes: []store.Change{}, Next: since}
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	var last int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&last); err != nil {
		return page, err
	}
	rows, err := db.SQL().QueryContext(ctx, `SELECT seq, entity, entity_id FROM changes
		WHERE seq > ? AND seq <= ? AND unit IN (0, ?) AND origin <> ? ORDER BY seq LIMIT ?`, since, last, desk.Unit, desk.DeskID, limit+1)
	if err != nil {
		return page, fmt.Errorf("đọc thay đổi: %w", err)
	}
	for rows.Next() {
		var c store.Change
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

func (db *DB) changePayload(ctx context.Context, c *store.Change) error {
	var v any
	switch c.Entity {
	case store.ChangeApplication:
		st, err := appStateFrom(dbQueryer{ctx, db.SQL()}, c.ID)
		if err != nil {
			return err
		}
		if st.Permit != nil && st.Permit.ApproverName == "" {
			// A commune desk that forwarded the application does not hold
			// the deciding unit's accounts: the name travels with the permit.
			_ = db.SQL().QueryRowContext(ctx, `SELECT full_name FROM officers WHERE id = ?`, st.Permit.ApprovedBy).Scan(&st.Permit.ApproverName)
		}
		c.Version, v = st.Application.Version, st
	case store.ChangeConflict:
		cf, err := conflictByID(dbQueryer{ctx, db.SQL()}, c.ID)
		if err != nil {
			return err
		}
		c.Version, v = 1, cf
	case store.ChangeOfficer:
		o, err := scanOfficerRecord(db.SQL().QueryRowContext(ctx, `SELECT `+officerRecordColumns+` FROM officers WHERE id = ?`, c.ID))
		if err != nil {
			return err
		}
		c.Version, v = 1, o
	case store.ChangeZone:
		var r store.ZoneRecord
		var hs string
		if err := db.SQL().QueryRowContext(ctx, `SELECT id, commune, name, risk, hamlets, active FROM zones WHERE id = ?`, c.ID).
			Scan(&r.Zone.ID, &r.Zone.Commune, &r.Zone.Name, &r.Zone.Risk, &hs, &r.Active); err != nil {
			return err
		}
		r.Zone.Hamlets, r.Zone.Active = lines(hs), r.Active
		c.Version, v = 1, r
	case store.ChangeMarket:
		var r store.MarketRecord
		var hs string
		m := &r.Market
		if err := db.SQL().QueryRowContext(ctx, `SELECT id, zone_id, name, hamlets, open_minute, close_minute, capacity, active FROM markets WHERE id = ?`, c.ID).
			Scan(&m.ID, &m.ZoneID, &m.Name, &hs, &m.OpenMinute, &m.CloseMinute, &m.Capacity, &r.Active); err != nil {
			return err
		}
		m.Hamlets, m.Active = lines(hs), r.Active
		c.Version, v = 1, r
	case store.ChangeRevocation:
		var r store.RevocationNotice
		r.Serial = c.ID
		if err := db.SQL().QueryRowContext(ctx, `SELECT revoked_at, reason FROM revocations WHERE serial = ?`, c.ID).Scan(&r.RevokedAt, &r.Reason); err != nil {
			return err
		}
		c.Version, v = 1, r
	case store.ChangeScan:
		var e store.ScanEvent
		var kind int
		if err := db.SQL().QueryRowContext(ctx, `SELECT id, at, serial, kind, verdict, checkpoint, officer_id, desk_id FROM scan_events WHERE id = ?`, c.ID).
			Scan(&e.ID, &e.At, &e.Serial, &kind, &e.Verdict, &e.Checkpoint, &e.Officer, &e.Desk); err != nil {
			return err
		}
		e.Kind = seal.Kind(kind)
		c.Version, v = 1, e
	case store.ChangeVoucher:
		vi, err := db.voucherIssue(ctx, c.ID)
		if err != nil {
			return err
		}
		c.Version, v = 1, vi
	case store.ChangeTrustList, store.ChangeRevocationList:
		key := store.SettingTrustList
		if c.Entity == store.ChangeRevocationList {
			key = store.SettingRevocation
		}
		raw, _, err := db.Setting(ctx, key)
		if err != nil {
			return err
		}
		c.Version, v = 1, store.SignedList{Raw: raw}
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
func (db *DB) SubmitOnline(ctx context.Context, in store.Intake) (store.Application, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return store.Application{}, err
	}
	maxDays := db.MaxDaysByCategory(ctx)
	var a store.Application
	err = db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if a, err = store.SubmitOnline(tx, units, maxDays, in); err != nil {
			return err
		}
		if err := feedApp(tx, "", a.ID, a.QueueUnit); err != nil {
			return err
		}
		return flushPeopleSearch(tx)
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
	Unit         store.Unit
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
	start, end := store.StartOfDay(from), store.StartOfDay(to).AddDate(0, 0, 1)
	if !end.After(start) {
		return Report{}, invalid("Thời gian", "ngày kết thúc phải sau ngày bắt đầu")
	}
	r := Report{Unit: u, From: start, To: end.AddDate(0, 0, -1)}
	rows, err := db.SQL().QueryContext(ctx, `SELECT category, status, COUNT(*) FROM applications
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
	rows, err = db.SQL().QueryContext(ctx, `SELECT p.approved_by, COALESCE(o.username, ''), COALESCE(o.full_name, ''), COUNT(*),
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
	rows, err = db.SQL().QueryContext(ctx, `SELECT serial, revoked_at, reason FROM revocations
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

// lines is a zone's or a market's hamlets as kept: one a line.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
