package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Person is someone who applies for a permit.
type Person struct {
	ID            string
	IDNumber      string // CCCD (12) or CMND (9)
	FullName      string // NFC
	Folded        string // for search
	BirthDate     time.Time
	Sex           string // SexMale or SexFemale
	Phone         string
	Commune       uint32 // commune of residence
	Hamlet        string
	Address       string
	Employer      uint32 // category 2: the agency they work for
	EnterpriseID  string // category 1: the enterprise they work for
	CommandCentre uint32 // category 3: the command centre that mobilised them
	Version       int
}

// NormalizePerson validates p and returns the cleaned copy, or every problem.
func NormalizePerson(p Person, units *UnitIndex) (Person, error) {
	var errs ValidationErrors
	add := func(err error) {
		var e *Error
		if errors.As(err, &e) {
			errs = append(errs, e)
		} else if err != nil {
			errs = append(errs, &Error{Code: EInvalid, Message: err.Error()})
		}
	}
	var err error
	if p.FullName, err = ValidateName(p.FullName); err != nil {
		add(err)
	}
	now := time.Now()
	switch {
	case p.BirthDate.IsZero():
		add(invalid(FieldBirthDate, "không được để trống"))
	case p.BirthDate.After(now) || p.BirthDate.Year() < 1900:
		add(invalid(FieldBirthDate, "năm sinh %d không hợp lý", p.BirthDate.Year()))
	}
	if p.Sex != SexMale && p.Sex != SexFemale {
		add(invalid(FieldSex, "chọn Nam hoặc Nữ"))
	}
	if p.IDNumber, err = ValidateIDNumber(p.IDNumber, p.BirthDate, p.Sex); err != nil {
		add(err)
	}
	if p.Phone, err = ValidatePhone(p.Phone); err != nil {
		add(err)
	}
	if u, ok := units.Get(p.Commune); !ok || u.Kind != KindCommunePC {
		add(invalid(FieldCommune, "mã %d không phải xã, phường, thị trấn có thật", p.Commune))
	}
	if p.Hamlet, err = CleanText(FieldHamlet, p.Hamlet, 100); err != nil {
		add(err)
	}
	if p.Address, err = CleanText(FieldAddress, p.Address, 200); err != nil {
		add(err)
	}
	if p.Employer != 0 {
		if _, ok := units.Get(p.Employer); !ok {
			add(invalid(FieldEmployer, "không có đơn vị mã %d", p.Employer))
		}
	}
	if p.CommandCentre != 0 {
		if u, ok := units.Get(p.CommandCentre); !ok || u.Kind != KindCommandCentre {
			add(invalid(FieldCommand, "mã %d không phải ban chỉ huy phòng, chống dịch", p.CommandCentre))
		}
	}
	p.Folded = Fold(p.FullName)
	return p, errs.asError()
}

// PutPerson creates a person, or updates the one with the same ID number,
// and returns the stored record.
func (tx *Tx) PutPerson(p Person) (Person, error) {
	units, err := tx.db.Units(context.Background())
	if err != nil {
		return p, err
	}
	if p, err = NormalizePerson(p, units); err != nil {
		return p, err
	}
	var old Person
	err = tx.QueryRow(`SELECT id, version FROM people WHERE id_number = ?`, p.IDNumber).Scan(&old.ID, &old.Version)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return tx.writePerson(p, nil)
	case err != nil:
		return p, fmt.Errorf("ghi người %s: %w", p.IDNumber, err)
	}
	return tx.writePerson(p, &old)
}

// writePerson stores a normalized person: a new one when old is nil, else
// the next version of old (only its ID and version are read), with its
// outbox op.
func (tx *Tx) writePerson(p Person, old *Person) (Person, error) {
	var err error
	if old == nil {
		if p.ID == "" {
			p.ID = NewID(tx.Now)
		}
		p.Version = 1
		_, err = tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
			employer, enterprise_id, command_centre, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), 1, ?, ?)`,
			p.ID, p.IDNumber, p.FullName, p.Folded, p.BirthDate.Format(time.DateOnly), p.Sex, p.Phone, p.Commune, p.Hamlet, p.Address,
			p.Employer, p.EnterpriseID, p.CommandCentre, tx.Now.Unix(), tx.Now.Unix())
	} else {
		p.ID = old.ID
		p.Version = old.Version + 1
		_, err = tx.Exec(`UPDATE people SET full_name = ?, folded = ?, birth_date = ?, sex = ?, phone = ?, commune = ?, hamlet = ?,
			address = ?, employer = NULLIF(?, 0), enterprise_id = NULLIF(?, ''), command_centre = NULLIF(?, 0), version = ?, updated_at = ?
			WHERE id = ?`, p.FullName, p.Folded, p.BirthDate.Format(time.DateOnly), p.Sex, p.Phone, p.Commune, p.Hamlet, p.Address,
			p.Employer, p.EnterpriseID, p.CommandCentre, p.Version, tx.Now.Unix(), p.ID)
	}
	if err != nil {
		if IsForeignKeyViolation(err) {
			return p, invalid(FieldEnterpr, "doanh nghiệp không có trong danh sách")
		}
		return p, fmt.Errorf("ghi người %s: %w", p.IDNumber, err)
	}
	return p, tx.enqueue("person", p.ID, "put", PersonToWire(p))
}

const personColumns = `id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
	COALESCE(employer, 0), COALESCE(enterprise_id, ''), COALESCE(command_centre, 0), version`

func scanPerson(row interface{ Scan(...any) error }) (Person, error) {
	var p Person
	var birth string
	err := row.Scan(&p.ID, &p.IDNumber, &p.FullName, &p.Folded, &birth, &p.Sex, &p.Phone, &p.Commune, &p.Hamlet, &p.Address,
		&p.Employer, &p.EnterpriseID, &p.CommandCentre, &p.Version)
	if err == nil {
		p.BirthDate, _ = time.ParseInLocation(time.DateOnly, birth, Vietnam)
	}
	return p, err
}

// PersonByIDNumber finds a person by their exact ID number.
func (db *DB) PersonByIDNumber(ctx context.Context, idNumber string) (Person, error) {
	p, err := scanPerson(db.sql.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id_number = ?`, strings.TrimSpace(idNumber)))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("chưa có người mang số %s", idNumber)
	}
	return p, err
}

// Person returns the person with id.
func (db *DB) Person(ctx context.Context, id string) (Person, error) {
	p, err := scanPerson(db.sql.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("không có người %s", id)
	}
	return p, err
}

// SearchPeople finds people by ID-number prefix (when the query is digits) or
// by name with diacritics folded: "nguyen van duc" and "Nguyễn Văn Đức" both
// find Nguyễn Văn Đức, "nguyen van d" too (the name's start), and "van duc"
// or "duc" find the words anywhere in the name. Every path is indexed: the
// name's start walks a B-tree range, words go through FTS5 with whole words
// first (which stream and stop at the limit) and a prefix on the last word
// only when those are not enough.
func (db *DB) SearchPeople(ctx context.Context, query string, limit int) ([]Person, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	if isDigits(q) {
		return db.queryPeople(ctx, nil, `SELECT `+personColumns+` FROM people
			WHERE id_number >= ? AND id_number < ? ORDER BY id_number LIMIT ?`, q, q+":", limit)
	}
	words := ftsWords(q)
	if len(words) == 0 {
		return nil, nil
	}
	prefix := strings.Join(words, " ")
	out, err := db.queryPeople(ctx, nil, `SELECT `+personColumns+` FROM people
		WHERE folded >= ? AND folded < ? ORDER BY folded LIMIT ?`, prefix, prefix+"\U0010FFFF", limit)
	if err != nil {
		return nil, err
	}
	for _, match := range []string{ftsMatch(words, false), ftsMatch(words, true)} {
		if len(out) >= limit {
			break
		}
		seen := make(map[string]bool, len(out))
		for _, p := range out {
			seen[p.ID] = true
		}
		more, err := db.queryPeople(ctx, seen, `SELECT `+personColumns+` FROM people
			WHERE rowid IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ? LIMIT ?)`, match, limit+len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, more[:min(len(more), limit-len(out))]...)
	}
	return out, nil
}

// queryPeople runs a people query, skipping IDs in skip.
func (db *DB) queryPeople(ctx context.Context, skip map[string]bool, query string, args ...any) ([]Person, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("tìm người: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, err
		}
		if !skip[p.ID] {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// ftsWords folds free text into words safe to quote in an FTS5 query, so
// nothing the user types is read as FTS syntax.
func ftsWords(q string) []string {
	var words []string
	for _, w := range strings.Fields(Fold(q)) {
		w = strings.Map(func(r rune) rune {
			if r == '"' || r == '*' {
				return -1
			}
			return r
		}, w)
		if w != "" {
			words = append(words, w)
		}
	}
	return words
}

// ftsMatch quotes words as FTS5 terms; lastPrefix lets the last word be the
// start of a word still being typed.
func ftsMatch(words []string, lastPrefix bool) string {
	terms := make([]string, len(words))
	for i, w := range words {
		terms[i] = `"` + w + `"`
	}
	if lastPrefix {
		terms[len(terms)-1] += "*"
	}
	return strings.Join(terms, " ")
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
