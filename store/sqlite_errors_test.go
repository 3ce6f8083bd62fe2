package store

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
)

// The classifiers read SQLite's code, so a wrapped error still counts and
// an error merely mentioning a constraint in its text does not.
func TestSQLiteCodeClassifiesConstraints(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "c.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`CREATE TABLE p (id TEXT PRIMARY KEY, name TEXT UNIQUE)`,
		`CREATE TABLE c (id INTEGER PRIMARY KEY, p TEXT REFERENCES p (id))`,
		`INSERT INTO p VALUES ('a', 'An')`,
		`INSERT INTO c VALUES (1, 'a')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	exec := func(q string) error {
		_, err := db.Exec(q)
		if err == nil {
			t.Fatalf("%s: no error", q)
		}
		return fmt.Errorf("wrapped: %w", err)
	}
	unique := exec(`INSERT INTO p VALUES ('b', 'An')`)
	primary := exec(`INSERT INTO p VALUES ('a', 'Bình')`)
	rowid := exec(`INSERT INTO c VALUES (1, 'a')`)
	foreign := exec(`INSERT INTO c VALUES (2, 'zz')`)
	for _, tt := range []struct {
		name            string
		err             error
		unique, foreign bool
	}{
		{"unique column", unique, true, false},
		{"text primary key", primary, true, false},
		{"rowid", rowid, true, false},
		{"foreign key", foreign, false, true},
		{"not from SQLite", errors.New("UNIQUE constraint failed: FOREIGN KEY"), false, false},
		{"nil", nil, false, false},
	} {
		if got := IsUniqueViolation(tt.err); got != tt.unique {
			t.Errorf("%s: IsUniqueViolation(%v) = %v", tt.name, tt.err, got)
		}
		if got := IsForeignKeyViolation(tt.err); got != tt.foreign {
			t.Errorf("%s: IsForeignKeyViolation(%v) = %v", tt.name, tt.err, got)
		}
	}
	if c := sqliteCode(unique); c == 0 {
		t.Errorf("sqliteCode(%v) = 0", unique)
	}
}
