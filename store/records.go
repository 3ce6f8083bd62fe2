package store

import (
	"context"
	"database/sql"
	"strings"
)

// The store's records read one at a time, or a set at a time (…Where), for
// the centre (store/central), which keeps them in the same tables with the
// same columns. Each one-at-a-time read returns sql.ErrNoRows, unwrapped,
// when there is no such record: the caller says what that means; a set
// holds only the records found.

// Queryer reads one row: a *Tx, or a reader outside any transaction.
type Queryer interface {
	QueryRow(query string, args ...any) *sql.Row
}

// ApplicationByID reads the application with id.
func ApplicationByID(q Queryer, id string) (Application, error) {
	return scanApplication(q.QueryRow(`SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
}

// ApplicationsOfPerson lists every application of the person with personID.
func ApplicationsOfPerson(tx *Tx, personID string) ([]Application, error) {
	return scanApplications(tx.Query(`SELECT `+applicationColumns+` FROM applications WHERE person_id = ?`, personID))
}

// PersonByID reads the person with id.
func PersonByID(q Queryer, id string) (Person, error) {
	return scanPerson(q.QueryRow(`SELECT `+personColumns+` FROM people WHERE id = ?`, id))
}

// PersonByNumber reads the person with ID number idNumber.
func PersonByNumber(q Queryer, idNumber string) (Person, error) {
	return scanPerson(q.QueryRow(`SELECT `+personColumns+` FROM people WHERE id_number = ?`, idNumber))
}

// OfficerByID reads the account with id.
func OfficerByID(q Queryer, id string) (Officer, error) {
	return scanOfficer(q.QueryRow(`SELECT `+officerColumns+` FROM officers WHERE id = ?`, id))
}

// OfficerByUsername reads the account with username (as typed: trimmed and
// lowered here).
func OfficerByUsername(q Queryer, username string) (Officer, error) {
	return scanOfficer(q.QueryRow(`SELECT `+officerColumns+` FROM officers WHERE username = ?`, strings.ToLower(strings.TrimSpace(username))))
}

// PermitOfApplication reads the permit issued on the application appID.
func PermitOfApplication(q Queryer, appID string) (Permit, error) {
	return scanPermit(q.QueryRow(`SELECT `+permitColumns+` FROM `+permitFrom+` WHERE application_id = ?`, appID))
}

// EnterpriseByID reads the enterprise with id inside tx.
func EnterpriseByID(tx *Tx, id string) (Enterprise, error) { return tx.enterprise(id) }

// Reader runs a query outside the statement cache: a *sql.DB, or a
// *sql.Tx (the centre reads a page of its feed in one read transaction).
type Reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// ApplicationsWhere reads the applications that where (a condition on
// their columns, with args) selects, by ID: the centre reads a page of its
// feed's applications in one query.
func ApplicationsWhere(ctx context.Context, q Reader, where string, args ...any) (map[string]Application, error) {
	out := map[string]Application{}
	err := scanEach(q.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE `+where, args...))(func(r *sql.Rows) error {
		a, err := scanApplication(r)
		out[a.ID] = a
		return err
	})
	return out, err
}

// PeopleWhere reads the people that where selects, by ID.
func PeopleWhere(ctx context.Context, q Reader, where string, args ...any) (map[string]Person, error) {
	out := map[string]Person{}
	err := scanEach(q.QueryContext(ctx, `SELECT `+personColumns+` FROM people WHERE `+where, args...))(func(r *sql.Rows) error {
		p, err := scanPerson(r)
		out[p.ID] = p
		return err
	})
	return out, err
}

// PermitsWhere reads the permits that where selects, by application.
func PermitsWhere(ctx context.Context, q Reader, where string, args ...any) (map[string]Permit, error) {
	out := map[string]Permit{}
	err := scanEach(q.QueryContext(ctx, `SELECT `+permitColumns+` FROM `+permitFrom+` WHERE `+where, args...))(func(r *sql.Rows) error {
		p, err := scanPermit(r)
		out[p.ApplicationID] = p
		return err
	})
	return out, err
}

// ScanEach hands every row of a query to scan and closes it:
//
//	err := store.ScanEach(db.QueryContext(ctx, query, args...))(func(r *sql.Rows) error { … })
func ScanEach(rows *sql.Rows, err error) func(scan func(*sql.Rows) error) error {
	return scanEach(rows, err)
}

func scanEach(rows *sql.Rows, err error) func(scan func(*sql.Rows) error) error {
	return func(scan func(*sql.Rows) error) error {
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
}
