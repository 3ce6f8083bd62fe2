package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Audit actions.
const (
	ActionSubmit  = "submit"
	ActionApprove = "approve"
	// ActionApproveOverlap: a permit issued although the holder has another
	// valid one of the same category for some of the same days, with why.
	ActionApproveOverlap = "approve_overlap"
	ActionReject         = "reject"
	ActionForward        = "forward"
	ActionRevoke         = "revoke"
	ActionPrint          = "print"
	ActionScan           = "scan"
	ActionIssue          = "issue" // vouchers
	ActionLogin          = "login"
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

// AuditHash is SHA-256 over the previous hash and every field, each
// length-prefixed so that no two different entries share an encoding.
func AuditHash(e *AuditEntry) []byte {
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

// ComputeHash is the hash the entry must carry: SHA-256 over its previous
// hash and every field.
func (e *AuditEntry) ComputeHash() []byte { return AuditHash(e) }

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
	e.Hash = AuditHash(&e)
	_, err := tx.Exec(`INSERT INTO audit (seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.ID, e.At, e.Officer, e.Unit, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("ghi nhật ký: %w", err)
	}
	tx.auditSeq, tx.auditHead = e.Seq, e.Hash
	return tx.enqueue("audit", e.ID, "append", AuditEntryToWire(e))
}

// AuditProblem describes the first place the chain breaks.
type AuditProblem struct {
	Seq    int64  // the entry at fault (or the first missing one)
	Reason string // Vietnamese
}

func (p *AuditProblem) Error() string {
	return fmt.Sprintf("nhật ký bị sửa hoặc xóa tại mục số %d: %s", p.Seq, p.Reason)
}

// checkLink checks that e is entry want of a chain whose previous hash is
// prev, and that its own hash recomputes.
func checkLink(e *AuditEntry, want int64, prev []byte) *AuditProblem {
	switch {
	case e.Seq != want:
		return &AuditProblem{Seq: want, Reason: fmt.Sprintf("thiếu mục %d đến %d (đã bị xóa)", want, e.Seq-1)}
	case !bytes.Equal(e.PrevHash, prev):
		return &AuditProblem{Seq: e.Seq, Reason: "không nối tiếp mục trước (mục trước đã bị sửa hoặc xóa)"}
	case !bytes.Equal(AuditHash(e), e.Hash):
		return &AuditProblem{Seq: e.Seq, Reason: "nội dung không khớp mã băm (đã bị sửa)"}
	}
	return nil
}

// anchorAudit keeps seq and hash as the chain head the centre acknowledged,
// unless a later one is kept already.
func (tx *Tx) anchorAudit(seq int64, hash []byte) error {
	_, err := tx.Exec(`INSERT INTO audit_anchor (id, seq, hash, acked_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, acked_at = excluded.acked_at
		WHERE excluded.seq > audit_anchor.seq`, seq, hash, tx.Now.Unix())
	return err
}

// AuditAnchor is the chain head the centre last acknowledged: ok is false
// on a desk that has not synced an entry yet.
func (db *DB) AuditAnchor(ctx context.Context) (seq int64, hash []byte, ok bool, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT seq, hash FROM audit_anchor WHERE id = 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, false, nil
	}
	return seq, hash, err == nil, err
}

// VerifyAudit walks the chain and returns the number of entries checked and
// the first edited or deleted entry, nil when the chain is whole.
//
// On a synced desk the chain is also held against what left it: the head
// the centre acknowledged (audit_anchor) and each entry's copy in the
// outbox. So a tail deleted at or below the acknowledged head, or entries
// edited and the whole chain rehashed after the triggers were dropped, no
// longer pass. An entry is named by the first copy it differs from; if the
// copies were rewritten as well, by the acknowledged head it no longer
// reaches.
func (db *DB) VerifyAudit(ctx context.Context) (int64, *AuditProblem, error) {
	anchorSeq, anchorHash, anchored, err := db.AuditAnchor(ctx)
	if err != nil {
		return 0, nil, err
	}
	sent, lastSent, lastDone, refused, err := db.sentAudit(ctx)
	if err != nil {
		return 0, nil, err
	}
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
		if p := checkLink(&e, want, prev); p != nil {
			return n, p, nil
		}
		if copyHash, ok := sent[e.Seq]; ok && !bytes.Equal(copyHash, e.Hash) {
			return n, &AuditProblem{Seq: e.Seq, Reason: "khác với bản đã đưa vào hàng chờ gửi máy chủ tỉnh (đã bị sửa rồi tính lại mã băm)"}, nil
		}
		if anchored && e.Seq == anchorSeq && !bytes.Equal(e.Hash, anchorHash) {
			return n, &AuditProblem{Seq: e.Seq, Reason: fmt.Sprintf(
				"không khớp mục %d máy chủ tỉnh đã xác nhận: nhật ký đến mục này đã bị viết lại", anchorSeq)}, nil
		}
		prev = e.Hash
		want++
	}
	if err := rows.Err(); err != nil {
		return n, nil, err
	}
	last := want - 1
	switch {
	case anchored && anchorSeq > last:
		return n, &AuditProblem{Seq: want, Reason: fmt.Sprintf(
			"thiếu mục %d đến %d (đã bị xóa): máy chủ tỉnh đã xác nhận đến mục %d", want, anchorSeq, anchorSeq)}, nil
	case lastSent > last:
		return n, &AuditProblem{Seq: want, Reason: fmt.Sprintf(
			"thiếu mục %d đến %d (đã bị xóa): hàng chờ gửi máy chủ tỉnh còn bản sao", want, lastSent)}, nil
	case lastDone > 0 && (!anchored || lastDone > anchorSeq):
		// Settling an accepted entry moves the anchor in the same
		// transaction: an anchor behind it was edited or deleted.
		return n, &AuditProblem{Seq: lastDone, Reason: fmt.Sprintf(
			"mốc máy chủ tỉnh đã xác nhận (mục %d) bị xóa hoặc sửa lùi", lastDone)}, nil
	case refused > 0:
		return n, &AuditProblem{Seq: refused, Reason: "máy chủ tỉnh đã từ chối mục này: nhật ký trên máy không còn khớp bản máy chủ giữ (xem lỗi ở màn hình Đồng bộ)"}, nil
	}
	return n, nil, nil
}

// sentAudit reads the copy of every audit entry in the outbox (seq → hash,
// nil when two copies differ), the highest seq among them, the highest the
// centre accepted and the lowest it refused.
func (db *DB) sentAudit(ctx context.Context) (sent map[int64][]byte, last, lastDone, refused int64, err error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT payload, state FROM outbox WHERE entity = 'audit'`)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	defer rows.Close()
	sent = map[int64][]byte{}
	for rows.Next() {
		var payload []byte
		var state string
		if err := rows.Scan(&payload, &state); err != nil {
			return nil, 0, 0, 0, err
		}
		var e struct {
			Seq  int64
			Hash []byte
		}
		if json.Unmarshal(payload, &e) != nil || e.Seq < 1 {
			continue
		}
		if held, ok := sent[e.Seq]; ok && !bytes.Equal(held, e.Hash) {
			e.Hash = nil // two different copies of one entry: neither vouches for it
		}
		sent[e.Seq] = e.Hash
		last = max(last, e.Seq)
		switch state {
		case OpDone:
			lastDone = max(lastDone, e.Seq)
		case OpRejected:
			if refused == 0 || e.Seq < refused {
				refused = e.Seq
			}
		}
	}
	return sent, last, lastDone, refused, rows.Err()
}

// DeskAuditCheck is what the centre finds in one desk's audit chain as it
// holds it (desk_audit), and the pushed entries it refused.
type DeskAuditCheck struct {
	DeskID  string
	Unit    uint32
	Label   string
	Entries int64
	// Problem is the first bad entry held, nil when the chain is whole.
	Problem *AuditProblem
	// Refusals are the pushed entries refused for not chaining (forks,
	// forged hashes, and gaps the missing entries have not closed since).
	Refusals []AuditRefusal
}

// AuditRefusal is one pushed audit entry the centre refused.
type AuditRefusal struct {
	Seq      int64
	Kind     string // gap, fork, hash
	Reason   string // Vietnamese
	Attempts int
	FirstAt  time.Time
	LastAt   time.Time
}

// Bad reports whether the desk's chain needs someone's attention.
func (c *DeskAuditCheck) Bad() bool { return c.Problem != nil || len(c.Refusals) > 0 }

// VerifyDeskAudits checks, on the central server, every desk's audit chain
// it holds, from the genesis, and lists the refused entries, desk by desk
// in ID order. A desk with neither entries nor refusals is left out.
func (db *DB) VerifyDeskAudits(ctx context.Context) ([]DeskAuditCheck, error) {
	var out []DeskAuditCheck
	index := map[string]int{}
	desk := func(id string) *DeskAuditCheck {
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			out = append(out, DeskAuditCheck{DeskID: id})
		}
		return &out[i]
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT desk_id, seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash
		FROM desk_audit ORDER BY desk_id, seq`)
	if err != nil {
		return nil, err
	}
	var cur *DeskAuditCheck
	var prev []byte
	for rows.Next() {
		var id string
		var e AuditEntry
		if err := rows.Scan(&id, &e.Seq, &e.ID, &e.At, &e.Officer, &e.Unit, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			rows.Close()
			return nil, err
		}
		if cur == nil || cur.DeskID != id {
			cur, prev = desk(id), []byte{}
		}
		cur.Entries++
		if cur.Problem != nil {
			continue
		}
		if cur.Problem = checkLink(&e, cur.Entries, prev); cur.Problem == nil {
			prev = e.Hash
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT r.desk_id, r.seq, r.kind, r.reason, r.attempts, r.first_at, r.last_at
		FROM desk_audit_refusals r
		WHERE NOT (r.kind = 'gap' AND EXISTS (SELECT 1 FROM desk_audit a WHERE a.desk_id = r.desk_id AND a.seq = r.seq AND a.hash = r.hash))
		ORDER BY r.desk_id, r.seq, r.first_at`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id string
		var r AuditRefusal
		var first, last int64
		if err := rows.Scan(&id, &r.Seq, &r.Kind, &r.Reason, &r.Attempts, &first, &last); err != nil {
			rows.Close()
			return nil, err
		}
		r.FirstAt, r.LastAt = time.Unix(first, 0), time.Unix(last, 0)
		d := desk(id)
		d.Refusals = append(d.Refusals, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if d, err := db.DeskByID(ctx, out[i].DeskID); err == nil {
			out[i].Unit, out[i].Label = d.Unit, d.Label
		}
	}
	slices.SortFunc(out, func(a, b DeskAuditCheck) int { return strings.Compare(a.DeskID, b.DeskID) })
	return out, nil
}
