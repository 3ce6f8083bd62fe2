package main

import (
	"context"
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
