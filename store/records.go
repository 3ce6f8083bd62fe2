package store

import (
	"context"
	"database/sql"
	"strings"
)

// The store's records read one at a time, for the centre (store/central),
// which keeps them in the same tables with the same columns. Each returns
// sql.ErrNoRows, unwrapped, when there is no such record: the caller says
// what that means.

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
	return scanPermit(q.QueryRow(`SELECT `+permitColumns+` FROM permits WHERE application_id = ?`, appID))
}

// EnterpriseByID reads the enterprise with id inside tx.
func EnterpriseByID(tx *Tx, id string) (Enterprise, error) { return tx.enterprise(id) }

// Reader runs a query outside the statement cache: a *sql.DB, or a
// *sql.Tx (the centre reads a page of its feed in one read transaction).
type Reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// QueryIn runs query, which ends in "IN", for keys in lists of up to 500,
// and hands each row to scan: a page's records in a few reads instead of
// one per record.
func QueryIn(ctx context.Context, q Reader, query string, keys []any, scan func(*sql.Rows) error) error {
	return queryIn(ctx, q, query, keys, scan)
}

// ApplicationsByIDs reads the applications with ids, by ID; an ID with no
// application is absent from the map.
func ApplicationsByIDs(ctx context.Context, q Reader, ids []any) (map[string]Application, error) {
	out := make(map[string]Application, len(ids))
	err := queryIn(ctx, q, `SELECT `+applicationColumns+` FROM applications WHERE id IN`, ids, func(r *sql.Rows) error {
		a, err := scanApplication(r)
		out[a.ID] = a
		return err
	})
	return out, err
}

// PeopleByIDs reads the people with ids, by ID.
func PeopleByIDs(ctx context.Context, q Reader, ids []any) (map[string]Person, error) {
	out := make(map[string]Person, len(ids))
	err := queryIn(ctx, q, `SELECT `+personColumns+` FROM people WHERE id IN`, ids, func(r *sql.Rows) error {
		p, err := scanPerson(r)
		out[p.ID] = p
		return err
	})
	return out, err
}

// PermitsOfApplications reads the permits issued on the applications
// appIDs, by application.
func PermitsOfApplications(ctx context.Context, q Reader, appIDs []any) (map[string]Permit, error) {
	out := make(map[string]Permit, len(appIDs))
	err := queryIn(ctx, q, `SELECT `+permitColumns+` FROM permits WHERE application_id IN`, appIDs, func(r *sql.Rows) error {
		p, err := scanPermit(r)
		out[p.ApplicationID] = p
		return err
	})
	return out, err
}
