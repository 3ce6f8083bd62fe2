package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Application sources and statuses.
const (
	SourceWalkIn = "walk_in"
	SourceOnline = "online"

	StatusPending   = "pending"
	StatusForwarded = "forwarded"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusWithdrawn = "withdrawn"
)

// StatusName is the status in Vietnamese.
func StatusName(s string) string {
	switch s {
	case StatusPending:
		return "Chờ duyệt"
	case StatusForwarded:
		return "Đã chuyển lên"
	case StatusApproved:
		return "Đã cấp"
	case StatusRejected:
		return "Từ chối"
	case StatusWithdrawn:
		return "Đã rút"
	}
	return s
}

// Application is a request for a permit.
type Application struct {
	ID            string
	Number        string // human-readable, given to the applicant: HS28291-1-45
	PersonID      string
	Category      int
	Purpose       int
	PurposeNote   string
	Area          []uint32
	Route         string
	ValidFrom     time.Time
	ValidUntil    time.Time
	HasHours      bool
	HoursFrom     int // minutes after midnight, Vietnam time
	HoursTo       int
	Vehicle       string
	Employer      uint32
	EnterpriseID  string
	CommandCentre uint32
	Source        string
	Status        string
	QueueUnit     uint32 // the unit that must decide it now
	ReceivedUnit  uint32
	ReceivedBy    string
	DecidedBy     string
	DecidedAt     time.Time
	Reason        string
	Version       int
	CreatedAt     time.Time
}

// DefaultMaxDays is how long a permit of each category may run.
var DefaultMaxDays = map[int]int{CatWorker: 30, CatOfficial: 30, CatForces: 30, CatResident: 14, CatZone: 7}

// MaxDays returns the configured maximum validity for category.
func (db *DB) MaxDays(ctx context.Context, category int) int {
	if v, ok, _ := db.Setting(ctx, "max_days."+strconv.Itoa(category)); ok {
		if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
			return n
		}
	}
	return DefaultMaxDays[category]
}

// MaxDaysByCategory reads every category's limit at once (per batch, or
// per session of a screen that checks dates as they are typed).
func (db *DB) MaxDaysByCategory(ctx context.Context) map[int]int {
	m := make(map[int]int, 5)
	for c := CatWorker; c <= CatZone; c++ {
		m[c] = db.MaxDays(ctx, c)
	}
	return m
}

// Intake is one application as a counter or the citizen app hands it over:
// the holder (found or new) and the request.
type Intake struct {
	Person      Person
	Application Application
}

// NormalizeApplication validates a against the rules of its category,
// returning the cleaned copy or every problem at once.
func NormalizeApplication(a Application, now time.Time, units *UnitIndex, maxDays map[int]int) (Application, error) {
	var errs ValidationErrors
	add := func(err error) {
		var e *Error
		if errors.As(err, &e) {
			errs = append(errs, e)
		}
	}
	if a.Category < 1 || a.Category > 5 {
		add(invalid(FieldCategory, "phải từ 1 đến 5"))
	} else {
		ok := false
		for _, p := range PurposesFor(a.Category) {
			ok = ok || p == a.Purpose
		}
		if !ok {
			add(invalid(FieldPurpose, "%q không dùng cho giấy loại %d", PurposeName(a.Purpose), a.Category))
		}
	}
	var err error
	if a.PurposeNote, err = CleanText(FieldPurpose, a.PurposeNote, 200); err != nil {
		add(err)
	}
	if a.Route, err = CleanText(FieldRoute, a.Route, 120); err != nil {
		add(err)
	}
	if a.Vehicle, err = CleanText(FieldVehicle, strings.ToUpper(a.Vehicle), 20); err != nil {
		add(err)
	}
	if len(a.Area) == 0 {
		add(invalid(FieldArea, "chọn ít nhất một xã hoặc huyện được đi lại"))
	}
	if len(a.Area) > 20 {
		add(invalid(FieldArea, "nhiều nhất 20 đơn vị"))
	}
	for i, code := range a.Area {
		u, ok := units.Get(code)
		if !ok || !u.Administrative() {
			add(invalid(FieldArea, "mã %d không phải tỉnh, huyện hay xã có thật", code))
		}
		if slices.Contains(a.Area[:i], code) { // at most 20 codes: a scan beats a map
			add(invalid(FieldArea, "%s ghi hai lần", units.Name(code)))
		}
	}
	today := StartOfDay(now)
	switch {
	case a.ValidFrom.IsZero() || a.ValidUntil.IsZero():
		add(invalid(FieldValidity, "ghi ngày bắt đầu và ngày kết thúc"))
	case a.ValidFrom.Before(today):
		add(invalid(FieldValidity, "ngày bắt đầu %s đã qua", FormatDate(a.ValidFrom)))
	case !a.ValidUntil.After(a.ValidFrom):
		add(invalid(FieldValidity, "ngày kết thúc phải sau ngày bắt đầu"))
	default:
		max := maxDays[a.Category]
		if a.ValidUntil.Sub(a.ValidFrom) > time.Duration(max)*24*time.Hour {
			add(invalid(FieldValidity, "giấy loại %d chỉ được cấp tối đa %d ngày", a.Category, max))
		}
		// A start further ahead than one permit's length is no request for
		// now: without this bound a permit could run in the year 9999.
		if a.ValidFrom.After(today.AddDate(0, 0, max)) {
			add(invalid(FieldValidity, "ngày bắt đầu %s quá xa: giấy loại %d chỉ xin trước được tối đa %d ngày", FormatDate(a.ValidFrom), a.Category, max))
		}
	}
	if a.HasHours {
		if err := validateHours(a.HoursFrom, a.HoursTo); err != nil {
			add(err)
		}
	}
	switch a.Source {
	case SourceWalkIn, SourceOnline:
	default:
		add(invalid("Nguồn", "phải là tiếp nhận trực tiếp hoặc trực tuyến"))
	}
	return a, errs.asError()
}

// Submit records one walk-in (or online) application and its holder and puts
// it in the queue of the unit that must decide it. clerk is the officer at the
// counter; for online applications pass a zero Officer and Source online
// (a walk-in without a logged-in officer, or System, is refused).
func (db *DB) Submit(ctx context.Context, clerk Officer, in Intake) (Application, error) {
	out, err := db.SubmitBatch(ctx, clerk, []Intake{in})
	if err != nil {
		return Application{}, err
	}
	return out[0], nil
}

// SubmitBatch records many applications in one transaction: all or none.
// An error names the position of the bad one.
func (db *DB) SubmitBatch(ctx context.Context, clerk Officer, ins []Intake) ([]Application, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	if clerk.ID != "" && !(clerk.Has(RoleClerk) || clerk.Has(RoleApprover) || clerk.Has(RoleAdmin)) {
		return nil, forbidden("tài khoản %s không được tiếp nhận hồ sơ", clerk.Username)
	}
	desk, _ := db.Desk(ctx)
	maxDays := db.MaxDaysByCategory(ctx)
	out := make([]Application, 0, len(ins))
	err = db.Write(ctx, func(tx *Tx) error {
		out = out[:0]
		batch := &submitBatch{tx: tx}
		if err := batch.prefetchPeople(ins); err != nil {
			return err
		}
		written := 0
		for i, in := range ins {
			a, err := batch.submit(units, maxDays, clerk, desk, in)
			if err != nil {
				if len(ins) > 1 {
					return fmt.Errorf("hồ sơ thứ %d: %w", i+1, err)
				}
				return err
			}
			out = append(out, a)
			if len(out)-written == applicationChunk || i == len(ins)-1 {
				if err := tx.insertApplications(out[written:], written); err != nil {
					return err
				}
				written = len(out)
			}
		}
		return tx.auditSubmit(clerk, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SubmitOnline records, inside tx, an application from the citizen app
// exactly as a counter would (validation, holder, routing by jurisdiction),
// with no clerk: the centre's entry for online requests. Nobody signs an
// online request, so a holder the province knows keeps the stored record
// (the commune in it decides authority), whatever the request says.
func SubmitOnline(tx *Tx, units *UnitIndex, maxDays map[int]int, in Intake) (Application, error) {
	in.Application.Source = SourceOnline
	if known, found, err := tx.knownPerson(strings.TrimSpace(in.Person.IDNumber)); err != nil {
		return Application{}, err
	} else if found {
		in.Person = known
	}
	a, err := tx.submitOne(units, maxDays, Officer{}, Desk{}, in)
	if err != nil {
		return a, err
	}
	if err := tx.insertApplications([]Application{a}, 0); err != nil {
		return a, err
	}
	return a, tx.auditSubmit(Officer{}, []Application{a})
}

// auditSubmit writes one audit entry for the applications of one submit:
// a batch is named by its count and its first and last numbers (a desk
// numbers a batch consecutively), so a thousand walk-ins cost one entry.
func (tx *Tx) auditSubmit(clerk Officer, apps []Application) error {
	if len(apps) == 0 {
		return nil
	}
	first, last := apps[0], apps[len(apps)-1]
	detail := "tiếp nhận hồ sơ " + first.Number
	if len(apps) > 1 {
		detail = fmt.Sprintf("tiếp nhận %d hồ sơ, số %s đến %s", len(apps), first.Number, last.Number)
	}
	if first.Source == SourceOnline {
		detail += " (trực tuyến)"
	}
	return tx.Audit(clerk.ID, first.ReceivedUnit, ActionSubmit, "application", first.ID, detail)
}

// submitBatch is what one submission keeps beside its transaction: the
// people its intakes name, read in a few queries up front (prefetchPeople)
// so a batch of a thousand walk-ins does not look each one up.
type submitBatch struct {
	tx     *Tx
	people map[string]Person // by ID number; nil = look each up
}

// submitOne submits one intake on its own (an online request).
func (tx *Tx) submitOne(units *UnitIndex, maxDays map[int]int, clerk Officer, desk Desk, in Intake) (Application, error) {
	return (&submitBatch{tx: tx}).submit(units, maxDays, clerk, desk, in)
}

// submit validates one intake, stores its holder, routes it and numbers it;
// the caller writes the row (insertApplications). Its outbox op is queued
// here, after the holder's, so the centre learns the person first.
func (b *submitBatch) submit(units *UnitIndex, maxDays map[int]int, clerk Officer, desk Desk, in Intake) (Application, error) {
	tx := b.tx
	a := in.Application
	if a.Source == "" {
		a.Source = SourceWalkIn
	}
	// A walk-in names the officer who took it: only the citizen app's
	// requests, and the system's own (the demo seed), come without one.
	if a.Source != SourceOnline && clerk.ID == "" && !clerk.IsSystem() {
		return a, forbidden("hồ sơ tiếp nhận trực tiếp phải do một cán bộ đã đăng nhập nhập vào")
	}
	a, err := NormalizeApplication(a, tx.Now, units, maxDays)
	if err != nil {
		return a, err
	}
	p, err := b.ensurePerson(in.Person)
	if err != nil {
		return a, err
	}
	// What the category needs comes from the application, falling back to the person's record.
	if a.Employer == 0 {
		a.Employer = p.Employer
	}
	if a.EnterpriseID == "" {
		a.EnterpriseID = p.EnterpriseID
	}
	if a.CommandCentre == 0 {
		a.CommandCentre = p.CommandCentre
	}
	c := Case{Category: a.Category, Area: a.Area, Employer: a.Employer, CommandCentre: a.CommandCentre, Holder: p}
	if a.Category == CatWorker && a.EnterpriseID != "" {
		e, err := tx.enterprise(a.EnterpriseID)
		if err != nil {
			return a, invalid(FieldEnterpr, "không có doanh nghiệp này trong danh sách")
		}
		c.Enterprise = &e
	}
	if a.QueueUnit, err = units.Route(c); err != nil {
		return a, err
	}
	a.ID = NewID(tx.Now)
	a.PersonID = p.ID
	a.Status = StatusPending
	a.Version = 1
	a.CreatedAt = tx.Now
	a.ReceivedBy = clerk.ID
	a.ReceivedUnit = clerk.Unit
	if clerk.ID == "" {
		a.ReceivedUnit = a.QueueUnit
	}
	seq, err := tx.nextCounter("application")
	if err != nil {
		return a, err
	}
	a.Number = applicationNumber(desk, seq)
	if !tx.keepsOutbox() {
		return a, nil
	}
	return a, tx.enqueueJSON("application", a.ID, "create", appendApplicationJSON(make([]byte, 0, 768), &a))
}

// applicationNumber is the number given to the applicant: HS28291-1-45 is
// desk 1 of unit 28291's 45th application.
func applicationNumber(desk Desk, seq int64) string {
	return string(strconv.AppendInt([]byte(ApplicationSeries(desk)), seq, 10))
}

// ApplicationSeries is the prefix of every number desk gives: HS28291-1-.
func ApplicationSeries(desk Desk) string {
	b := make([]byte, 0, 24)
	b = append(b, "HS"...)
	b = strconv.AppendUint(b, uint64(desk.Unit), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(desk.Number), 10)
	return string(append(b, '-'))
}

// applicationChunk is how many applications one INSERT writes at most (23
// values each): per-statement work, not the rows, was most of a batch's cost.
const applicationChunk = 50

// insertApplications writes new applications, made in this transaction
// (pending, version 1, created now), with multi-row INSERTs. When a chunk is refused, its rows are
// tried one by one to name the culprit: first is the batch position of
// apps[0].
func (tx *Tx) insertApplications(apps []Application, first int) error {
	for len(apps) > 0 {
		n := rowsPerStatement(len(apps), applicationChunk)
		stmt, err := tx.Prepare(applicationInsertRows(n))
		if err != nil {
			return err
		}
		args := make([]any, 1, 1+applicationValueCount*n)
		args[0] = tx.Now.Unix()
		for _, a := range apps[:n] {
			args = appendApplicationValues(args, a)
		}
		if _, err := stmt.Exec(args...); err != nil {
			if n == 1 {
				return applicationInsertError(err)
			}
			// The refused statement rolled back alone; find the row.
			for i := range apps[:n] {
				if err := tx.insertApplications(apps[i:i+1], first+i); err != nil {
					return fmt.Errorf("hồ sơ thứ %d: %w", first+i+1, err)
				}
			}
			return applicationInsertError(err)
		}
		apps, first = apps[n:], first+n
	}
	return nil
}

func applicationInsertError(err error) error {
	if IsForeignKeyViolation(err) {
		return invalid(FieldEmployer, "đơn vị hoặc doanh nghiệp ghi trong hồ sơ không có trong danh sách")
	}
	return fmt.Errorf("ghi hồ sơ: %w", err)
}

// applicationValueCount is the number of values appendApplicationValues adds.
const applicationValueCount = 20

// appendApplicationValues appends a new application's row values; its
// creation time is the statement's first parameter, shared by every row.
func appendApplicationValues(args []any, a Application) []any {
	// Numbers go in as int64, which database/sql passes on as they are;
	// an int or uint32 would take its reflective conversion path.
	var hf, ht any
	if a.HasHours {
		hf, ht = int64(a.HoursFrom), int64(a.HoursTo)
	}
	return append(args, a.ID, a.Number, a.PersonID, int64(a.Category), int64(a.Purpose), a.PurposeNote, JoinCodes(a.Area), a.Route,
		a.ValidFrom.Unix(), a.ValidUntil.Unix(), hf, ht, a.Vehicle, int64(a.Employer), a.EnterpriseID, int64(a.CommandCentre), a.Source,
		int64(a.QueueUnit), int64(a.ReceivedUnit), a.ReceivedBy)
}

var applicationInserts sync.Map // rows → statement text

// applicationInsertRows is the INSERT of rows new applications (pending,
// version 1, created and updated at ?1): every value bound costs, so what
// all rows share is bound once.
func applicationInsertRows(rows int) string {
	if q, ok := applicationInserts.Load(rows); ok {
		return q.(string)
	}
	const row = `(?1, ?1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, 'pending', ?, ?, ?, 1)`
	q := `INSERT INTO applications (created_at, updated_at, id, number, person_id, category, purpose, purpose_note, area, route,
	valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
	queue_unit, received_unit, received_by, version) VALUES ` + strings.Repeat(row+", ", rows-1) + row
	applicationInserts.Store(rows, q)
	return q
}

// ensurePerson stores the holder, writing only when something changed (a
// returning person's new application must not rewrite their record).
func (b *submitBatch) ensurePerson(p Person) (Person, error) {
	// A returning person typed exactly as stored (the intake form prefills
	// the record) is valid already: stored records passed NormalizePerson.
	if old, found, err := b.knownPerson(p.IDNumber); err == nil && found && storedAsIs(old, p) {
		return old, nil
	}
	units, err := b.tx.db.Units(context.Background())
	if err != nil {
		return p, err
	}
	clean, err := NormalizePerson(p, units)
	if err != nil {
		return p, err
	}
	return b.storePerson(clean)
}

// storePerson stores a normalized holder, writing only when something
// changed; an empty employer, enterprise or command centre keeps the stored
// one.
func (b *submitBatch) storePerson(clean Person) (Person, error) {
	tx := b.tx
	old, found, err := b.knownPerson(clean.IDNumber)
	if err != nil {
		return clean, err
	}
	var stored Person
	if !found {
		stored, err = tx.writePerson(clean, nil)
	} else {
		if storedAsIs(old, clean) {
			return old, nil
		}
		stored, err = tx.writePerson(keepStoredLinks(clean, old), &old)
	}
	if err == nil && b.people != nil {
		b.people[stored.IDNumber] = stored
	}
	return stored, err
}

// knownPerson finds a person by ID number, from the batch's prefetch when
// there is one (a batch of a thousand walk-ins reads its people in two
// queries instead of a thousand).
func (b *submitBatch) knownPerson(idNumber string) (Person, bool, error) {
	if b.people != nil {
		p, ok := b.people[idNumber]
		return p, ok, nil
	}
	return b.tx.knownPerson(idNumber)
}

// knownPerson reads a person by ID number.
func (tx *Tx) knownPerson(idNumber string) (Person, bool, error) {
	p, err := scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM people WHERE id_number = ?`, idNumber))
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	return p, err == nil, err
}

// prefetchPeople loads the people a batch names, so knownPerson answers from
// memory; an ID number absent from the map is a new person.
func (b *submitBatch) prefetchPeople(ins []Intake) error {
	ids := make([]any, 0, len(ins))
	seen := make(map[string]bool, len(ins))
	for _, in := range ins {
		id := strings.TrimSpace(in.Person.IDNumber)
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	b.people = make(map[string]Person, len(ids))
	return b.tx.queryIn(`SELECT `+personColumns+` FROM people WHERE id_number IN`, ids, func(r *sql.Rows) error {
		p, err := scanPerson(r)
		b.people[p.IDNumber] = p
		return err
	})
}

// storedAsIs reports whether in, read as an intake (an empty employer,
// enterprise or command centre keeps the stored one), is the stored record.
func storedAsIs(stored, in Person) bool {
	in = keepStoredLinks(in, stored)
	return in.IDNumber == stored.IDNumber && samePerson(stored, in)
}

// keepStoredLinks fills in's empty employer, enterprise and command centre
// from the stored record: an intake that leaves them blank keeps them.
func keepStoredLinks(in, stored Person) Person {
	if in.Employer == 0 {
		in.Employer = stored.Employer
	}
	if in.EnterpriseID == "" {
		in.EnterpriseID = stored.EnterpriseID
	}
	if in.CommandCentre == 0 {
		in.CommandCentre = stored.CommandCentre
	}
	return in
}

func samePerson(a, b Person) bool {
	return a.FullName == b.FullName && sameDay(a.BirthDate, b.BirthDate) &&
		a.Sex == b.Sex && a.Phone == b.Phone && a.Commune == b.Commune && a.Hamlet == b.Hamlet && a.Address == b.Address &&
		a.Employer == b.Employer && a.EnterpriseID == b.EnterpriseID && a.CommandCentre == b.CommandCentre
}

// sameDay compares two dates as the calendar days they name.
func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

func (tx *Tx) enterprise(id string) (Enterprise, error) {
	var e Enterprise
	err := tx.QueryRow(`SELECT id, name, tax_code, district, managing_unit FROM enterprises WHERE id = ?`, id).
		Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit)
	return e, err
}

// JoinCodes is how a list of unit codes (an application's area) is kept in
// a column: "28291,28294".
func JoinCodes(cs []uint32) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = strconv.FormatUint(uint64(c), 10)
	}
	return strings.Join(s, ",")
}

func splitCodes(s string) []uint32 {
	var out []uint32
	for _, p := range strings.Split(s, ",") {
		if n, err := strconv.ParseUint(p, 10, 32); err == nil {
			out = append(out, uint32(n))
		}
	}
	return out
}

const applicationColumns = `id, number, person_id, category, purpose, purpose_note, area, route, valid_from, valid_until,
	hours_from, hours_to, vehicle, COALESCE(employer, 0), COALESCE(enterprise_id, ''), COALESCE(command_centre, 0), source, status,
	queue_unit, received_unit, received_by, decided_by, decided_at, reason, version, created_at`

func scanApplication(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var area string
	var from, until, decided, created int64
	var hf, ht sql.NullInt64
	err := row.Scan(&a.ID, &a.Number, &a.PersonID, &a.Category, &a.Purpose, &a.PurposeNote, &area, &a.Route, &from, &until,
		&hf, &ht, &a.Vehicle, &a.Employer, &a.EnterpriseID, &a.CommandCentre, &a.Source, &a.Status,
		&a.QueueUnit, &a.ReceivedUnit, &a.ReceivedBy, &a.DecidedBy, &decided, &a.Reason, &a.Version, &created)
	a.Area = splitCodes(area)
	a.ValidFrom, a.ValidUntil, a.CreatedAt = time.Unix(from, 0), time.Unix(until, 0), time.Unix(created, 0)
	if decided > 0 {
		a.DecidedAt = time.Unix(decided, 0)
	}
	if hf.Valid && ht.Valid {
		a.HasHours, a.HoursFrom, a.HoursTo = true, int(hf.Int64), int(ht.Int64)
	}
	return a, err
}

// Application returns the application with id.
func (db *DB) Application(ctx context.Context, id string) (Application, error) {
	a, err := scanApplication(db.sql.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("không có hồ sơ %s", id)
	}
	return a, err
}

// ApplicationsOf lists a person's applications, newest first; two taken in
// the same second come in the order the desk stored them (a ULID made at a
// clock that went back, or another desk's, does not sort by when it came).
func (db *DB) ApplicationsOf(ctx context.Context, personID string) ([]Application, error) {
	return scanApplications(db.sql.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE person_id = ? ORDER BY created_at DESC, rowid DESC`, personID))
}

// scanApplications reads every row of a query of applicationColumns.
func scanApplications(rows *sql.Rows, err error) ([]Application, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// QueueItem is one row of a unit's approval queue: what the table shows and
// what the authority rules say about it, without loading whole records.
type QueueItem struct {
	ID         string
	Number     string
	Name       string
	Folded     string
	IDNumber   string
	Category   int
	Purpose    int
	Source     string
	Status     string
	ValidFrom  time.Time
	ValidUntil time.Time
	Area       []uint32
	CreatedAt  time.Time
	Version    int
	Authority  Authority // may this unit decide it, and if not why
	// Duplicate: the holder has another row of this queue or a valid
	// permit of the same category for some of the same days.
	Duplicate bool
	// HomeOutside: the holder's own commune is outside the area asked for.
	HomeOutside bool
}

// Queue lists every application waiting for unit's decision, oldest first,
// with the authority verdict for each.
func (db *DB) Queue(ctx context.Context, unit uint32) ([]QueueItem, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	decider, ok := units.Get(unit)
	if !ok {
		return nil, notFound("không có đơn vị %d", unit)
	}
	zones, err := db.zoneCover(ctx, unit)
	if err != nil {
		return nil, err
	}
	ents := map[string]*Enterprise{}
	if es, err := db.Enterprises(ctx); err == nil {
		for i := range es {
			ents[es[i].ID] = &es[i]
		}
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT a.id, a.number, p.full_name, p.folded, p.id_number, a.category, a.purpose,
		a.source, a.status, a.valid_from, a.valid_until, a.area, a.created_at, a.version,
		COALESCE(a.employer, 0), COALESCE(a.enterprise_id, ''), COALESCE(a.command_centre, 0), p.commune, p.hamlet
		FROM applications a JOIN people p ON p.id = a.person_id
		WHERE a.queue_unit = ? AND a.status IN ('pending', 'forwarded') ORDER BY a.created_at, a.id`, unit)
	if err != nil {
		return nil, fmt.Errorf("đọc hàng chờ: %w", err)
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		var q QueueItem
		var area, entID string
		var from, until, created int64
		var c Case
		if err := rows.Scan(&q.ID, &q.Number, &q.Name, &q.Folded, &q.IDNumber, &q.Category, &q.Purpose, &q.Source, &q.Status,
			&from, &until, &area, &created, &q.Version, &c.Employer, &entID, &c.CommandCentre, &c.Holder.Commune, &c.Holder.Hamlet); err != nil {
			return nil, err
		}
		q.ValidFrom, q.ValidUntil, q.CreatedAt = time.Unix(from, 0), time.Unix(until, 0), time.Unix(created, 0)
		q.Area = splitCodes(area)
		c.Category, c.Area, c.Status, c.Enterprise = q.Category, q.Area, q.Status, ents[entID]
		c.InZone = zones.covers(c.Holder.Commune, c.Holder.Hamlet)
		q.Authority = units.Decide(decider, c)
		q.HomeOutside = units.HomeOutside(c)
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	valid, err := db.validPermitsByHolder(ctx, out)
	if err != nil {
		return nil, err
	}
	markDuplicates(out, valid)
	return out, nil
}
