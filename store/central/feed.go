package central

// The central server: the change feed, online applications and the
// accountability report.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
//
// The page is read in one read transaction, so its last sequence and the
// records it carries are one snapshot, and its records are read by kind, a
// few lists for the whole page (pageReader): a new desk's first pull after a
// month of province traffic is thousands of pages' worth of applications,
// and reading each one afresh cost most of the centre's time serving them.
func (db *DB) Changes(ctx context.Context, desk DeskAuth, since int64, limit int) (store.ChangePage, error) {
	page := store.ChangePage{Changes: []store.Change{}, Next: since}
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	tx, err := db.SQL().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return page, err
	}
	defer tx.Rollback()
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&last); err != nil {
		return page, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, entity, entity_id FROM changes
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
	r := pageReader{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
	if err := r.load(page.Changes, since, desk); err != nil {
		return page, fmt.Errorf("đọc thay đổi: %w", err)
	}
	size := 0
	for i := range page.Changes {
		if err := r.payload(&page.Changes[i]); err != nil {
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

// pageReader reads the records one page of the feed names, inside the
// page's read transaction. The kinds a page carries by the hundred
// (applications with their holders, enterprises, permits and approvers'
// names; accounts; revocation notices; scans) are read a query a kind
// before the payloads are built, each selecting the records the page's
// changes name (pageIDs); the rest, one at a time through statements
// prepared once for the page (QueryRow, a store.Queryer).
type pageReader struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt

	apps        map[string]store.Application
	people      map[string]store.Person
	enterprises map[string]store.Enterprise
	permits     map[string]store.Permit // by application
	approvers   map[string]string       // officer ID → full name
	officers    map[string]store.OfficerRecord
	revocations map[string]store.RevocationNotice
	scans       map[string]store.ScanEvent
}

// pageIDs selects the IDs of one kind of record (the last parameter) that
// the changes of a page name: the page's sequences, for the desk's unit and
// not its own (as Changes reads them). A query with this fixed shape, not a
// list of the page's IDs, is parsed in a moment and reads changes_unit.
const pageIDs = `SELECT entity_id FROM changes WHERE seq > ? AND seq <= ? AND unit IN (0, ?) AND origin <> ? AND entity = ?`

// QueryRow runs a one-row query through the page's statements.
func (r *pageReader) QueryRow(query string, args ...any) *sql.Row {
	s, ok := r.stmts[query]
	if !ok {
		var err error
		if s, err = r.tx.PrepareContext(r.ctx, query); err != nil {
			// Let the error surface at Scan.
			return r.tx.QueryRowContext(r.ctx, query, args...)
		}
		r.stmts[query] = s
	}
	return s.QueryRowContext(r.ctx, args...)
}

// load reads the records of changes, the page after since for desk, that
// pageReader reads by kind.
func (r *pageReader) load(changes []store.Change, since int64, desk DeskAuth) error {
	if len(changes) == 0 {
		return nil
	}
	kinds := map[string]bool{}
	for _, c := range changes {
		kinds[c.Entity] = true
	}
	upTo := changes[len(changes)-1].Seq
	ids := func(entity string) []any { return []any{since, upTo, desk.Unit, desk.DeskID, entity} }
	query := func(q string, args []any, scan func(*sql.Rows) error) error {
		return store.ScanEach(r.tx.QueryContext(r.ctx, q, args...))(scan)
	}
	var err error
	if kinds[store.ChangeApplication] {
		apps := ids(store.ChangeApplication)
		if r.apps, err = store.ApplicationsWhere(r.ctx, r.tx, `id IN (`+pageIDs+`)`, apps...); err != nil {
			return err
		}
		if r.people, err = store.PeopleWhere(r.ctx, r.tx, `id IN (SELECT person_id FROM applications WHERE id IN (`+pageIDs+`))`, apps...); err != nil {
			return err
		}
		r.enterprises = map[string]store.Enterprise{}
		if err := query(`SELECT id, name, tax_code, district, managing_unit FROM enterprises
			WHERE id IN (SELECT enterprise_id FROM applications WHERE id IN (`+pageIDs+`))`, apps, func(rows *sql.Rows) error {
			var e store.Enterprise
			err := rows.Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit)
			r.enterprises[e.ID] = e
			return err
		}); err != nil {
			return err
		}
		if r.permits, err = store.PermitsWhere(r.ctx, r.tx, `application_id IN (`+pageIDs+`)`, apps...); err != nil {
			return err
		}
		// A commune desk that forwarded the application does not hold the
		// deciding unit's accounts: the name travels with the permit.
		r.approvers = map[string]string{}
		if err := query(`SELECT id, full_name FROM officers WHERE id IN (SELECT approved_by FROM permits WHERE application_id IN (`+pageIDs+`))`, apps,
			func(rows *sql.Rows) error {
				var id, name string
				err := rows.Scan(&id, &name)
				r.approvers[id] = name
				return err
			}); err != nil {
			return err
		}
	}
	if kinds[store.ChangeOfficer] {
		r.officers = map[string]store.OfficerRecord{}
		if err := query(`SELECT `+officerRecordColumns+` FROM officers WHERE id IN (`+pageIDs+`)`, ids(store.ChangeOfficer), func(rows *sql.Rows) error {
			o, err := scanOfficerRecord(rows)
			r.officers[o.ID] = o
			return err
		}); err != nil {
			return err
		}
	}
	if kinds[store.ChangeRevocation] {
		r.revocations = map[string]store.RevocationNotice{}
		if err := query(`SELECT serial, revoked_at, reason FROM revocations WHERE serial IN (`+pageIDs+`)`, ids(store.ChangeRevocation),
			func(rows *sql.Rows) error {
				var n store.RevocationNotice
				err := rows.Scan(&n.Serial, &n.RevokedAt, &n.Reason)
				r.revocations[n.Serial] = n
				return err
			}); err != nil {
			return err
		}
	}
	if kinds[store.ChangeScan] {
		r.scans = map[string]store.ScanEvent{}
		return query(`SELECT id, at, serial, kind, verdict, checkpoint, officer_id, desk_id FROM scan_events WHERE id IN (`+pageIDs+`)`,
			ids(store.ChangeScan), func(rows *sql.Rows) error {
				var e store.ScanEvent
				var kind int
				err := rows.Scan(&e.ID, &e.At, &e.Serial, &kind, &e.Verdict, &e.Checkpoint, &e.Officer, &e.Desk)
				e.Kind = seal.Kind(kind)
				r.scans[e.ID] = e
				return err
			})
	}
	return nil
}

// payload sets c's version and payload, the record's current state. A
// record the feed names and the centre does not hold is sql.ErrNoRows.
func (r *pageReader) payload(c *store.Change) error {
	var v any
	var ok bool
	switch c.Entity {
	case store.ChangeApplication:
		var st store.AppState
		if st.Application, ok = r.apps[c.ID]; !ok {
			return sql.ErrNoRows
		}
		if st.Person, ok = r.people[st.Application.PersonID]; !ok {
			return sql.ErrNoRows
		}
		if e, ok := r.enterprises[st.Application.EnterpriseID]; ok && st.Application.EnterpriseID != "" {
			st.Enterprise = &e
		}
		if pm, ok := r.permits[c.ID]; ok {
			pm.ApproverName = r.approvers[pm.ApprovedBy]
			st.Permit = &pm
		}
		// The wire form's encoder, not json.Marshal of st, which would
		// check and compact its output a second time.
		var err error
		c.Version = st.Application.Version
		c.Payload, err = store.AppStateToWire(st).MarshalLegacy()
		return err
	case store.ChangeConflict:
		cf, err := conflictByID(r, c.ID)
		if err != nil {
			return err
		}
		c.Version, v = 1, cf
	case store.ChangeOfficer:
		if v, ok = r.officers[c.ID]; !ok {
			return sql.ErrNoRows
		}
		c.Version = 1
	case store.ChangeZone:
		var z store.ZoneRecord
		var hs string
		if err := r.QueryRow(`SELECT id, commune, name, risk, hamlets, active FROM zones WHERE id = ?`, c.ID).
			Scan(&z.Zone.ID, &z.Zone.Commune, &z.Zone.Name, &z.Zone.Risk, &hs, &z.Active); err != nil {
			return err
		}
		z.Zone.Hamlets, z.Zone.Active = lines(hs), z.Active
		c.Version, v = 1, z
	case store.ChangeMarket:
		var mr store.MarketRecord
		var hs string
		m := &mr.Market
		if err := r.QueryRow(`SELECT id, zone_id, name, hamlets, open_minute, close_minute, capacity, active FROM markets WHERE id = ?`, c.ID).
			Scan(&m.ID, &m.ZoneID, &m.Name, &hs, &m.OpenMinute, &m.CloseMinute, &m.Capacity, &mr.Active); err != nil {
			return err
		}
		m.Hamlets, m.Active = lines(hs), mr.Active
		c.Version, v = 1, mr
	case store.ChangeRevocation:
		if v, ok = r.revocations[c.ID]; !ok {
			return sql.ErrNoRows
		}
		c.Version = 1
	case store.ChangeScan:
		if v, ok = r.scans[c.ID]; !ok {
			return sql.ErrNoRows
		}
		c.Version = 1
	case store.ChangeVoucher:
		vi, err := voucherIssue(r, c.ID)
		if err != nil {
			return err
		}
		c.Version, v = 1, vi
	case store.ChangeTrustList, store.ChangeRevocationList:
		key := store.SettingTrustList
		if c.Entity == store.ChangeRevocationList {
			key = store.SettingRevocation
		}
		var raw []byte
		if err := r.QueryRow(`SELECT value FROM settings WHERE key = ?`, key).Scan(&raw); err != nil && !errors.Is(err, sql.ErrNoRows) {
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
