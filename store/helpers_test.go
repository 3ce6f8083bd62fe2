package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/storetest"
)

// sept21 is the day the province's QR permits started: tests run on it.
var sept21 = storetest.Sept21

var cheapPasswords = storetest.CheapPasswords

// TestMain makes every password the tests set (and the dummy hash a wrong
// username is checked against) cheap to stretch: the real argon2id cost is
// seconds under -race and says nothing about the rules tested here.
func TestMain(m *testing.M) {
	store.DefaultPasswordParams = cheapPasswords
	os.Exit(m.Run())
}

// openDB opens a fresh database file in a temp dir with the clock at sept21.
func openDB(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetClock(func() time.Time { return sept21 })
	return db
}

// demoDB opens a database seeded with a small demo province.
func demoDB(t testing.TB, people, perCategory int) (*store.DB, seed.Result) {
	t.Helper()
	db := openDB(t)
	res, err := seed.Demo(context.Background(), db, seed.Options{People: people, PerCategory: perCategory, Seed: 1,
		PasswordParams: &cheapPasswords, KeyParams: &seal.CheapKeyParams})
	if err != nil {
		t.Fatal(err)
	}
	return db, res
}

func login(t testing.TB, db *store.DB, user string) store.Officer {
	t.Helper()
	o, err := db.Login(context.Background(), user, seed.DemoPassword)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	return o
}

func count(t testing.TB, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
