package store

import (
	"fmt"
	"maps"
)

// Savepoint is a point inside a write transaction that the work after it can
// be rolled back to alone: the centre applies the ops of one push in one
// transaction, a savepoint per op, so a refused op undoes only itself.
//
// A bare SQL SAVEPOINT is not enough on a Tx: what the transaction keeps in
// memory (the counters written back at commit, the audit chain's head, the
// outbox ops queued and not yet written, the after-commit hooks) must go
// back with the rows, or the next audited change would chain from an entry
// that was rolled back.
type Savepoint struct {
	tx       *Tx
	name     string
	counters map[string]int64

	auditLoaded bool
	auditSeq    int64
	auditHead   []byte
	hooks       int // tx.afterCommit's length when opened
	done        bool
}

// Savepoint opens a savepoint named name (an SQL identifier made by the
// caller, never by input). The outbox ops queued so far are written first, so
// that a rollback to it drops exactly the ops queued after it.
func (tx *Tx) Savepoint(name string) (*Savepoint, error) {
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') || name == "" {
			return nil, fmt.Errorf("savepoint %q: tên không hợp lệ", name)
		}
	}
	if err := tx.flushOutbox(); err != nil {
		return nil, err
	}
	if _, err := tx.Exec(`SAVEPOINT ` + name); err != nil {
		return nil, fmt.Errorf("savepoint %s: %w", name, err)
	}
	return &Savepoint{tx: tx, name: name, counters: maps.Clone(tx.counters),
		auditLoaded: tx.auditLoaded, auditSeq: tx.auditSeq, auditHead: tx.auditHead, hooks: len(tx.afterCommit)}, nil
}

// Rollback undoes everything written since the savepoint, in SQLite and in
// the transaction's memory, and closes it. The transaction goes on.
func (sp *Savepoint) Rollback() error {
	if sp.done {
		return fmt.Errorf("savepoint %s: đã đóng", sp.name)
	}
	sp.done = true
	tx := sp.tx
	tx.outboxQueue = nil
	tx.counters = sp.counters
	tx.auditLoaded, tx.auditSeq, tx.auditHead = sp.auditLoaded, sp.auditSeq, sp.auditHead
	tx.afterCommit = tx.afterCommit[:sp.hooks]
	if _, err := tx.Exec(`ROLLBACK TO ` + sp.name); err != nil {
		return fmt.Errorf("rollback to %s: %w", sp.name, err)
	}
	if _, err := tx.Exec(`RELEASE ` + sp.name); err != nil {
		return fmt.Errorf("release %s: %w", sp.name, err)
	}
	return nil
}

// Release keeps what was written since the savepoint (it commits with the
// transaction) and closes it.
func (sp *Savepoint) Release() error {
	if sp.done {
		return fmt.Errorf("savepoint %s: đã đóng", sp.name)
	}
	sp.done = true
	if _, err := sp.tx.Exec(`RELEASE ` + sp.name); err != nil {
		return fmt.Errorf("release %s: %w", sp.name, err)
	}
	return nil
}
