package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
)

// Audit actions.
const (
	ActionSubmit   = "submit"
	ActionApprove  = "approve"
	ActionReject   = "reject"
	ActionForward  = "forward"
	ActionWithdraw = "withdraw"
	ActionRevoke   = "revoke"
	ActionPrint    = "print"
	ActionScan     = "scan"
	ActionIssue    = "issue" // vouchers
	ActionLogin    = "login"
	// ActionLoginFailed: a wrong password, an unknown username, a locked or
	// disabled account.
	ActionLoginFailed = "login_failed"
	ActionImport      = "import"
	ActionAdmin       = "admin"
)

// AuditEntry is one line of the accountability log: who did what to which
// record. Entries are hash-chained, so an edited or deleted row is detected.
type AuditEntry struct {
	Seq      int64
	ID       string
	At       int64
	Officer  string
	Unit     uint32
	Action   string
	Entity   string
	EntityID string
	Detail   string
	PrevHash []byte
	Hash     []byte
}

// auditHash is SHA-256 over the previous hash and every field, each
// length-prefixed so that no two different entries share an encoding.
func auditHash(e *AuditEntry) []byte {
	h := sha256.New()
	var n [8]byte
	writeField := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	writeField(e.PrevHash)
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	writeField([]byte(e.ID))
	binary.BigEndian.PutUint64(n[:], uint64(e.At))
	h.Write(n[:])
	writeField([]byte(e.Officer))
	binary.BigEndian.PutUint64(n[:], uint64(e.Unit))
	h.Write(n[:])
	for _, s := range []string{e.Action, e.Entity, e.EntityID, e.Detail} {
		writeField([]byte(s))
	}
	return h.Sum(nil)
}

// Audit appends one entry inside tx.
func (tx *Tx) Audit(officer string, unit uint32, action, entity, entityID, detail string) error {
	// The chain head is read once per transaction: writers are serialised,
	// so no one else appends meanwhile, and a bulk approval of thousands
	// does not re-read it for every entry.
	if !tx.auditLoaded {
		err := tx.QueryRow(`SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&tx.auditSeq, &tx.auditHead)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("đọc nhật ký: %w", err)
		}
		tx.auditLoaded = true
	}
	seq, head := tx.auditSeq, tx.auditHead
	e := AuditEntry{Seq: seq + 1, ID: NewID(tx.Now), At: tx.Now.Unix(), Officer: officer, Unit: unit,
		Action: action, Entity: entity, EntityID: entityID, Detail: detail, PrevHash: head}
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	e.Hash = auditHash(&e)
	_, err := tx.Exec(`INSERT INTO audit (seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.ID, e.At, e.Officer, e.Unit, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("ghi nhật ký: %w", err)
	}
	tx.auditSeq, tx.auditHead = e.Seq, e.Hash
	return tx.enqueue("audit", e.ID, "append", e)
}

// AuditProblem describes the first place the chain breaks.
type AuditProblem struct {
	Seq    int64  // the entry at fault (or the first missing one)
	Reason string // Vietnamese
}

func (p *AuditProblem) Error() string {
	return fmt.Sprintf("nhật ký bị sửa hoặc xoá tại mục số %d: %s", p.Seq, p.Reason)
}

// VerifyAudit walks the chain and returns the number of entries checked and
// the first edited or deleted entry, nil when the chain is whole.
func (db *DB) VerifyAudit(ctx context.Context) (int64, *AuditProblem, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash
		FROM audit ORDER BY seq`)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var n, want int64 = 0, 1
	prev := []byte{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.Seq, &e.ID, &e.At, &e.Officer, &e.Unit, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return n, nil, err
		}
		n++
		if e.Seq != want {
			return n, &AuditProblem{Seq: want, Reason: fmt.Sprintf("thiếu mục %d đến %d (đã bị xoá)", want, e.Seq-1)}, nil
		}
		if !bytes.Equal(e.PrevHash, prev) {
			return n, &AuditProblem{Seq: e.Seq, Reason: "không nối tiếp mục trước (mục trước đã bị sửa hoặc xoá)"}, nil
		}
		if !bytes.Equal(auditHash(&e), e.Hash) {
			return n, &AuditProblem{Seq: e.Seq, Reason: "nội dung không khớp mã băm (đã bị sửa)"}, nil
		}
		prev = e.Hash
		want++
	}
	return n, nil, rows.Err()
}
