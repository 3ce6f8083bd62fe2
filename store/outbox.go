package store

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
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

// DropOutbox makes db keep no outbox from now on: the ops its transactions
// would queue are not built or written. It is the centre's (store/central):
// its changes reach desks through its feed and it pushes to no one, so
// whatever the store's rules queue while it applies a desk's push would only
// be thrown away. A desk's database must never call it.
func (db *DB) DropOutbox() { db.noOutbox.Store(true) }

// keepsOutbox reports whether the ops tx enqueues are kept: a caller whose
// payload costs something to build asks first.
func (tx *Tx) keepsOutbox() bool { return !tx.noOutbox }

// enqueue appends an outbox row inside tx: the change and its op commit or
// roll back together.
func (tx *Tx) enqueue(entity, entityID, op string, payload any) error {
	if tx.noOutbox {
		return nil
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("outbox %s %s: %w", entity, entityID, err)
	}
	return tx.enqueueJSON(entity, entityID, op, body)
}

// enqueueJSON appends an op whose payload is already encoded. The row is
// queued in the transaction and written with the others in multi-row INSERTs
// (flushOutbox): one statement per hundred ops instead of one per op is what
// lets a batch of a thousand walk-ins or approvals commit in a blink. The op
// ID is taken now, so seq order is still the order of the changes. body is
// kept, not copied: the caller must not change it afterwards.
func (tx *Tx) enqueueJSON(entity, entityID, op string, body []byte) error {
	if tx.noOutbox {
		return nil
	}
	tx.outboxQueue = append(tx.outboxQueue, queuedOp{
		opID: NewID(tx.Now), entity: entity, entityID: entityID, op: op, payload: body, hash: sha256.Sum256(body),
	})
	return nil
}

// queuedOp is an outbox row not yet written.
type queuedOp struct {
	opID, entity, entityID, op string
	payload                    []byte
	hash                       [sha256.Size]byte
}

// outboxChunk is how many queued ops one INSERT writes (6 values each, far
// below SQLite's limit on bound variables).
const outboxChunk = 100

// flushOutbox writes the queued ops. Write calls it before COMMIT, and a
// statement that reads or changes the outbox after ops may have been queued
// in its transaction calls it first, so nothing in the transaction sees the
// table without its queued rows.
func (tx *Tx) flushOutbox() error {
	queue := tx.outboxQueue
	tx.outboxQueue = nil
	now := tx.Now.Unix()
	for len(queue) > 0 {
		n := rowsPerStatement(len(queue), outboxChunk)
		stmt, err := tx.Prepare(outboxInsert(n))
		if err != nil {
			return err
		}
		args := make([]any, 1, 1+6*n)
		args[0] = now
		for i := range queue[:n] {
			o := &queue[i]
			args = append(args, o.opID, o.entity, o.entityID, o.op, o.payload, o.hash[:])
		}
		if _, err := stmt.Exec(args...); err != nil {
			return fmt.Errorf("outbox %s %s: %w", queue[0].entity, queue[0].entityID, err)
		}
		queue = queue[n:]
	}
	return nil
}

var outboxInserts sync.Map // rows → statement text

func outboxInsert(rows int) string {
	if q, ok := outboxInserts.Load(rows); ok {
		return q.(string)
	}
	// ?1, the transaction's time, is bound once for all rows.
	q := `INSERT INTO outbox (created_at, updated_at, op_id, entity, entity_id, op, payload, payload_hash) VALUES ` +
		strings.Repeat(`(?1, ?1, ?, ?, ?, ?, ?, ?), `, rows-1) + `(?1, ?1, ?, ?, ?, ?, ?, ?)`
	outboxInserts.Store(rows, q)
	return q
}

// rowsPerStatement is how many of left rows the next multi-row INSERT takes:
// most, 10 or 1, so a table needs three statement texts, all cached.
func rowsPerStatement(left, most int) int {
	for _, n := range [...]int{most, 10} {
		if n <= left {
			return n
		}
	}
	return 1
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
