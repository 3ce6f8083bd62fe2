package store

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteCode is SQLite's extended result code under err (the driver turns
// extended codes on for every connection), or 0 when err did not come from
// SQLite. Classifying by code rather than by the message keeps working when
// SQLite rewords a message or a caller wraps the error.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// IsUniqueViolation reports whether err is SQLite refusing a row whose key
// or UNIQUE column is already taken.
// SQLite words a PRIMARY KEY conflict as "UNIQUE constraint failed" too,
// so both codes count.
func IsUniqueViolation(err error) bool {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// IsForeignKeyViolation reports whether err is SQLite refusing a row that
// names a parent that is not there.
func IsForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
