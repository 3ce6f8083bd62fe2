// Package testdesk gives tui tests a seeded demo desk on 21 September 2021,
// 08:00 Vietnam time: seeded once per test binary (cheap argon2 and key
// costs), then copied for each test so tests never see each other's writes.
//
// Its room is tests of the tui packages; nothing else imports it.
package testdesk

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/store/storetest"
)

// Sept21 is the day the province's QR permits started; every test runs then.
var Sept21 = storetest.Sept21

// CheapPasswords are argon2id costs for tests.
var CheapPasswords = storetest.CheapPasswords

// Options is the small demo every tui test uses.
var Options = seed.Options{People: 200, PerCategory: 40, Seed: 1, PasswordParams: &CheapPasswords, KeyParams: &seal.CheapKeyParams}

var (
	once     sync.Once
	dir      string
	template string
	result   seed.Result
	seedErr  error
)

// Open returns a fresh copy of the seeded demo desk with the clock fixed.
func Open(tb testing.TB) (*store.DB, seed.Result) {
	tb.Helper()
	ctx := context.Background()
	once.Do(func() {
		var err error
		dir, err = os.MkdirTemp("", "thonghanh-tui-test-")
		if err != nil {
			seedErr = err
			return
		}
		template = filepath.Join(dir, "template.db")
		db, err := store.Open(ctx, template)
		if err != nil {
			seedErr = err
			return
		}
		db.SetClock(func() time.Time { return Sept21 })
		result, seedErr = seed.Demo(ctx, db, Options)
		db.Close()
	})
	if seedErr != nil {
		tb.Fatal(seedErr)
	}
	src, err := store.Open(ctx, template)
	if err != nil {
		tb.Fatal(err)
	}
	file := filepath.Join(tb.TempDir(), "desk.db")
	if err := src.Backup(ctx, file); err != nil {
		tb.Fatal(err)
	}
	src.Close()
	db, err := store.Open(ctx, file)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.SetClock(func() time.Time { return Sept21 })
	return db, result
}

// Main runs a package's tests and then removes the seeded template:
//
//	func TestMain(m *testing.M) { os.Exit(testdesk.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if dir != "" {
		os.RemoveAll(dir)
	}
	return code
}
