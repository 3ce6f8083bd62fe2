package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"thonghanh/store"
)

// A savepoint rolled back takes the transaction's memory back with its rows:
// the audit entry written after it chains from the last entry kept, not
// from the one rolled back, and the outbox holds only the kept entries' ops.
func TestSavepointRollbackKeepsTheAuditChain(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before := outboxRows(t, db)
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.Audit("", 0, store.ActionAdmin, "test", "kept-1", ""); err != nil {
			return err
		}
		sp, err := tx.Savepoint("probe")
		if err != nil {
			return err
		}
		if err := tx.Audit("", 0, store.ActionAdmin, "test", "undone", ""); err != nil {
			return err
		}
		if err := sp.Rollback(); err != nil {
			return err
		}
		if err := sp.Release(); err == nil {
			return errors.New("a savepoint closed twice")
		}
		return tx.Audit("", 0, store.ActionAdmin, "test", "kept-2", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, problem, err := db.VerifyAudit(ctx); err != nil || problem != nil {
		t.Fatalf("audit chain after a rolled-back savepoint: %+v %v", problem, err)
	}
	var undone int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM audit WHERE entity_id = 'undone'`).Scan(&undone)
	if undone != 0 {
		t.Fatal("the rolled-back entry was kept")
	}
	if n := outboxRows(t, db) - before; n != 2 {
		t.Fatalf("%d outbox ops for 2 kept audit entries", n)
	}
}

func outboxRows(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// After-commit hooks run once the rows they mirror are committed: never for
// a transaction that rolls back, nor for work under a savepoint rolled back.
func TestAfterCommitRunsOnlyForWhatCommitted(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ran []string
	hook := func(name string) func() { return func() { ran = append(ran, name) } }

	refused := errors.New("refused")
	err = db.Write(ctx, func(tx *store.Tx) error {
		tx.AfterCommit(hook("rolled back"))
		return refused
	})
	if !errors.Is(err, refused) || len(ran) != 0 {
		t.Fatalf("a rolled-back transaction: %v, hooks ran %q", err, ran)
	}

	err = db.Write(ctx, func(tx *store.Tx) error {
		tx.AfterCommit(hook("kept"))
		sp, err := tx.Savepoint("op")
		if err != nil {
			return err
		}
		tx.AfterCommit(hook("under the savepoint"))
		if err := sp.Rollback(); err != nil {
			return err
		}
		tx.AfterCommit(hook("after"))
		if len(ran) != 0 {
			return errors.New("a hook ran before the commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ran) != 2 || ran[0] != "kept" || ran[1] != "after" {
		t.Fatalf("hooks ran %q, want kept then after", ran)
	}
}
