package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"

	"thonghanh/store"
)

// defaultDeskDB is where a desk keeps its database when --db is not given:
// the user's config folder (%AppData% on Windows, ~/.config on Linux).
func defaultDeskDB() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "thonghanh", "desk.db")
}

// openStore opens a database that must already exist: a typo in --db should
// not silently create an empty desk.
func openStore(ctx context.Context, file string) (*store.DB, error) {
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("không thấy cơ sở dữ liệu %s (chạy `thonghanh init` hoặc `thonghanh enroll` trước): %w", file, err)
	}
	return store.Open(ctx, file)
}

// deskUsedVouchers reads the vouchers the desk at path knows as used.
var deskUsedVouchers = func(ctx context.Context, path string) (map[string]struct{}, error) {
	if path == "" {
		path = defaultDeskDB()
	}
	db, err := openStore(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.UsedVouchers(ctx)
}

// deskTrust reads what verify is not given from the desk's database, opened
// once: the root key, the signed lists, and the unit hierarchy for area
// checks (nil when the units cannot be read: exact codes only). A variable,
// so tests can stand in for a desk.
var deskTrust = func(ctx context.Context, path string) (root ed25519.PublicKey, trust, revoked []byte,
	within func(checkpoint, areaUnit uint32) bool, err error) {
	if path == "" {
		path = defaultDeskDB()
	}
	db, err := openStore(ctx, path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer db.Close()
	if root, trust, revoked, err = db.TrustMaterial(ctx); err != nil {
		return nil, nil, nil, nil, err
	}
	if units, err := db.Units(ctx); err == nil {
		within = units.Within
	}
	return root, trust, revoked, within, nil
}
