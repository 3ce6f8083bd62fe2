package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// Outbox states (SYNC.md).
const (
	OpPending  = "pending"
	OpInFlight = "in_flight"
	OpDone     = "done"
	OpRejected = "rejected"
	OpConflict = "conflict"
)

// OutboxOp is one change the central server must learn.
type OutboxOp struct {
	Seq         int64
	OpID        string
	Entity      string // application, decision, permit, revocation, voucher, scan, audit, person, household
	EntityID    string
	Op          string // create, decide, append, …
	Payload     []byte // JSON
	PayloadHash []byte // SHA-256 of Payload
	State       string
	Attempts    int
	LastError   string
}

// enqueue appends an outbox row inside tx: the change and its op commit or
// roll back together.
func (tx *Tx) enqueue(entity, entityID, op string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox %s %s: %w", entity, entityID, err)
	}
	return tx.enqueueJSON(entity, entityID, op, body)
}

// enqueueJSON appends an op whose payload is already encoded.
func (tx *Tx) enqueueJSON(entity, entityID, op string, body []byte) error {
	sum := sha256.Sum256(body)
	_, err := tx.Exec(`INSERT INTO outbox (op_id, entity, entity_id, op, payload, payload_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, NewID(tx.Now), entity, entityID, op, body, sum[:], tx.Now.Unix(), tx.Now.Unix())
	if err != nil {
		return fmt.Errorf("outbox %s %s: %w", entity, entityID, err)
	}
	return nil
}

// Enqueue is enqueue for packages of the store room that write their own
// records (store/sync applying pulled changes never enqueues).
func (tx *Tx) Enqueue(entity, entityID, op string, payload any) error {
	return tx.enqueue(entity, entityID, op, payload)
}

// OutboxCounts returns how many ops are in each state.
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT state, COUNT(*) FROM outbox GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// OutboxProblems lists the newest ops the centre refused or that lost a race,
// with the server's reason: what the Đồng bộ screen shows the clerk.
func (db *DB) OutboxProblems(ctx context.Context, limit int) ([]OutboxOp, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, op_id, entity, entity_id, op, state, attempts, last_error FROM outbox
		WHERE state IN ('rejected', 'conflict') ORDER BY seq DESC LIMIT ?`, max(limit, 1))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxOp
	for rows.Next() {
		var o OutboxOp
		if err := rows.Scan(&o.Seq, &o.OpID, &o.Entity, &o.EntityID, &o.Op, &o.State, &o.Attempts, &o.LastError); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}
