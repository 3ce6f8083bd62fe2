package store

import (
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
	return scanPermit(q.QueryRow(`SELECT `+permitColumns+` FROM `+permitFrom+` WHERE application_id = ?`, appID))
}

// EnterpriseByID reads the enterprise with id inside tx.
func EnterpriseByID(tx *Tx, id string) (Enterprise, error) { return tx.enterprise(id) }
