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

// verify reads what it is not given from the desk's database: the root key,
// the signed lists and the unit hierarchy for area checks.
func init() {
	deskTrustSource = func(ctx context.Context, path string) (ed25519.PublicKey, []byte, []byte, error) {
		if path == "" {
			path = defaultDeskDB()
		}
		db, err := openStore(ctx, path)
		if err != nil {
			return nil, nil, nil, err
		}
		defer db.Close()
		return db.TrustMaterial(ctx)
	}
	deskWithin = func(ctx context.Context, path string) (func(checkpoint, areaUnit uint32) bool, error) {
		if path == "" {
			path = defaultDeskDB()
		}
		db, err := openStore(ctx, path)
		if err != nil {
			return nil, err
		}
		defer db.Close()
		units, err := db.Units(ctx)
		if err != nil {
			return nil, err
		}
		return units.Within, nil
	}
}
