package store

// The desk's half of sync (SYNC.md "On the desk"): the outbox as the
// transport drives it, what a desk applies from a pulled page, and the
// enrollment it keeps.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// Settings of the desk's side of sync.
const (
	SettingSyncURL    = "sync.url"    // desk: the server's base URL
	SettingSyncToken  = "sync.token"  // desk: its bearer token
	SettingSyncPin    = "sync.pin"    // desk: SHA-256 of the server's certificate (hex)
	SettingSyncCursor = "sync.cursor" // desk: the last change sequence applied
	// SettingSyncPulled is when the desk last read the centre's feed to its
	// end (Unix seconds, desk clock): how old its lists and other
	// entrances' uses may be.
	SettingSyncPulled = "sync.pulled"
	// SettingSyncReceived counts the changes the desk has received from
	// the centre, for the Đồng bộ tab and `thonghanh sync` to say.
	SettingSyncReceived = "sync.received"
)

// MarkPulled records that the feed was read to its end now.
func (db *DB) MarkPulled(ctx context.Context) error {
	return db.SetSetting(ctx, SettingSyncPulled, fmt.Appendf(nil, "%d", db.Now().Unix()))
}

// LastPulled is when the desk last read the centre's feed to its end (zero:
// never). Uses made at other entrances since then are not known here.
func (db *DB) LastPulled(ctx context.Context) time.Time {
	v, ok, _ := db.Setting(ctx, SettingSyncPulled)
	if !ok {
		return time.Time{}
	}
	n, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}

// SettingSyncTokenPrevious is, on a desk, the tokens it held before, newest
// first, one a line (a server restored from an older backup knows only an
// older one).
const SettingSyncTokenPrevious = "sync.token.previous"

// ResetInFlight puts ops left in flight by a crash back to pending. Call it
// before the first push of a run.
func (db *DB) ResetInFlight(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'in_flight'`, tx.Now.Unix())
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// ClaimOutbox marks in flight, and returns, the pending ops after seq, in
// order, at most limit of them and at most maxBytes of payload (at least one).
func (db *DB) ClaimOutbox(ctx context.Context, after int64, limit, maxBytes int) ([]OutboxOp, error) {
	var ops []OutboxOp
	err := db.Write(ctx, func(tx *Tx) error {
		ops = ops[:0]
		rows, err := tx.Query(`SELECT seq, op_id, entity, entity_id, op, payload, payload_hash, attempts FROM outbox
			WHERE state = 'pending' AND seq > ? ORDER BY seq LIMIT ?`, after, limit)
		if err != nil {
			return err
		}
		size := 0
		for rows.Next() {
			var o OutboxOp
			if err := rows.Scan(&o.Seq, &o.OpID, &o.Entity, &o.EntityID, &o.Op, &o.Payload, &o.PayloadHash, &o.Attempts); err != nil {
				rows.Close()
				return err
			}
			size += len(o.Payload) + 200
			if len(ops) > 0 && size > maxBytes {
				break
			}
			o.State = OpInFlight
			ops = append(ops, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ops) == 0 {
			return nil
		}
		// The claimed ops are exactly the pending ones in (after, last]: one
		// statement marks them all.
		_, err = tx.Exec(`UPDATE outbox SET state = 'in_flight', updated_at = ? WHERE state = 'pending' AND seq > ? AND seq <= ?`,
			tx.Now.Unix(), after, ops[len(ops)-1].Seq)
		return err
	})
	return ops, err
}

// ReleaseOutbox puts ops back to pending after a failed send, counting the
// attempt and keeping the error for the sync screen.
func (db *DB) ReleaseOutbox(ctx context.Context, seqs []int64, lastErr string) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, s := range seqs {
			if _, err := tx.Exec(`UPDATE outbox SET state = 'pending', attempts = attempts + 1, last_error = ?, updated_at = ?
				WHERE seq = ? AND state = 'in_flight'`, lastErr, tx.Now.Unix(), s); err != nil {
				return err
			}
		}
		return nil
	})
}

// UnclaimOutbox puts ops back to pending that were never tried (the server
// refused the whole push unread, being busy): no attempt is counted, and
// the note is kept for the sync screen.
func (db *DB) UnclaimOutbox(ctx context.Context, seqs []int64, note string) error {
	return db.Write(ctx, func(tx *Tx) error {
		for _, s := range seqs {
			if _, err := tx.Exec(`UPDATE outbox SET state = 'pending', last_error = ?, updated_at = ? WHERE seq = ? AND state = 'in_flight'`,
				note, tx.Now.Unix(), s); err != nil {
				return err
			}
		}
		return nil
	})
}

// Settlement is the outcome of one op the server answered.
type Settlement struct {
	Seq       int64
	State     string // OpDone, OpRejected, OpConflict, or OpPending to send again
	LastError string
	// Current is, for a conflict, the application as the server holds it:
	// the desk takes it over.
	Current json.RawMessage
	// Revoked is a serial of this desk's the server revoked.
	Revoked string
	Reason  string
	// Code is the server's result code (CodeMissing, ...), when it gave one.
	Code string
	// Audit is, for an audit op, its payload (the entry as sent): once the
	// server has accepted it, it is the chain head the centre acknowledged.
	Audit json.RawMessage
}

// SettleOutbox records the server's answers in one transaction: each op's
// new state, the server's state of an application that lost a race, and the
// revocation of a permit the server refused.
func (db *DB) SettleOutbox(ctx context.Context, settled []Settlement) error {
	return db.Write(ctx, func(tx *Tx) error {
		var head *AuditEntry
		for _, s := range settled {
			if s.State == OpDone && len(s.Audit) > 0 {
				var e AuditEntry
				if err := json.Unmarshal(s.Audit, &e); err == nil && (head == nil || e.Seq > head.Seq) {
					head = &e
				}
			}
			if _, err := tx.Exec(`UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ?, updated_at = ?
				WHERE seq = ? AND state = 'in_flight'`, s.State, s.LastError, tx.Now.Unix(), s.Seq); err != nil {
				return err
			}
			if len(s.Current) > 0 {
				var st AppState
				if err := json.Unmarshal(s.Current, &st); err == nil {
					if err := tx.applyRemoteApplication(st, true); err != nil {
						return err
					}
				}
			}
			if s.Revoked != "" {
				if err := tx.markRevoked(s.Revoked, s.Reason); err != nil {
					return err
				}
			}
			if s.Code == CodeMissing || s.Code == CodeRefusedForGood {
				if err := tx.settleNeverApplicable(s.Seq, s.Code == CodeRefusedForGood, s.LastError); err != nil {
					return err
				}
			}
		}
		if head != nil {
			return tx.anchorAudit(head.Seq, head.Hash)
		}
		return nil
	})
}

// RequeueSettled sends every settled op again: the server was restored from
// an older backup and may have lost them. What it still holds comes back as
// duplicate; the rest is applied again.
func (db *DB) RequeueSettled(ctx context.Context) (int64, error) {
	var n int64
	err := db.Write(ctx, func(tx *Tx) error {
		res, err := tx.Exec(`UPDATE outbox SET state = 'pending', updated_at = ? WHERE state IN ('done', 'rejected', 'conflict')`, tx.Now.Unix())
		if err == nil {
			n, _ = res.RowsAffected()
		}
		return err
	})
	return n, err
}

// OutboxSettled counts the ops the server has answered for good.
func (db *DB) OutboxSettled(ctx context.Context) (int64, error) {
	var n int64
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state IN ('done', 'rejected', 'conflict')`).Scan(&n)
	return n, err
}

// OutboxWaiting counts the ops not yet answered (pending or in flight).
func (db *DB) OutboxWaiting(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'in_flight')`).Scan(&n)
	return n, err
}

func (tx *Tx) markRevoked(serial, reason string) error {
	if reason == "" {
		reason = "máy chủ tỉnh thu hồi"
	}
	if err := tx.AddRevocation(serial, reason); err != nil {
		return err
	}
	_, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoke_reason = ? WHERE serial = ? AND revoked_at = 0`, tx.Now.Unix(), reason, serial)
	return err
}

// ApplyChanges applies one pulled page and moves the cursor to next, in one
// transaction: a crash leaves both as they were, and the page is pulled
// again. Nothing applied here goes to the outbox. beforeCursor, when set,
// runs after the page is applied and before the cursor moves (tests use it
// to crash there).
//
// token, when not empty, is the new device token the page came with: it is
// kept in the same transaction, and the one it replaces joins the previous
// tokens (SettingSyncTokenPrevious).
func (db *DB) ApplyChanges(ctx context.Context, changes []Change, next int64, token string, beforeCursor func() error) error {
	return db.Write(ctx, func(tx *Tx) error {
		// A run of applications is written together (most of a first
		// pull is one); anything else between them is applied in its
		// place, after the applications before it.
		var run []AppState
		var runFrom, runTo int64
		writeRun := func() error {
			if len(run) == 0 {
				return nil
			}
			err := tx.applyRemoteApplications(run, false)
			if err != nil {
				err = fmt.Errorf("áp dụng thay đổi %d–%d (%d hồ sơ): %w", runFrom, runTo, len(run), err)
			}
			run = run[:0]
			return err
		}
		for _, c := range changes {
			if c.Entity == ChangeApplication {
				// Decoded as its wire form, which AppState's UnmarshalJSON
				// would check and decode a second time.
				var w wire.AppState
				if err := json.Unmarshal(c.Payload, &w); err != nil {
					return fmt.Errorf("áp dụng thay đổi %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
				}
				if len(run) == 0 {
					runFrom = c.Seq
				}
				run, runTo = append(run, AppStateFromWire(w)), c.Seq
				continue
			}
			if err := writeRun(); err != nil {
				return err
			}
			if err := tx.applyChange(c); err != nil {
				return fmt.Errorf("áp dụng thay đổi %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
			}
		}
		if err := writeRun(); err != nil {
			return err
		}
		if token != "" {
			if err := tx.keepSyncToken(token); err != nil {
				return err
			}
		}
		if len(changes) > 0 {
			raw, _, err := tx.Setting(SettingSyncReceived)
			if err != nil {
				return err
			}
			n, _ := strconv.ParseInt(string(raw), 10, 64)
			if err := tx.SetSetting(SettingSyncReceived, fmt.Appendf(nil, "%d", n+int64(len(changes)))); err != nil {
				return err
			}
		}
		if beforeCursor != nil {
			if err := beforeCursor(); err != nil {
				return err
			}
		}
		return tx.SetSetting(SettingSyncCursor, fmt.Appendf(nil, "%d", next))
	})
}

// SyncReceived is how many changes the desk has received from the centre.
func (db *DB) SyncReceived(ctx context.Context) (int64, error) {
	raw, _, err := db.Setting(ctx, SettingSyncReceived)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(string(raw), 10, 64)
	return n, nil
}

// tokensKept is how many previous tokens a desk keeps: with a rotation a
// day at most, a week of them, enough to sync with a server restored from
// last week's backup.
const tokensKept = 7

// keepSyncToken makes token the desk's own, the current one going first in
// the previous tokens.
func (tx *Tx) keepSyncToken(token string) error {
	cur, ok, err := tx.Setting(SettingSyncToken)
	if err != nil {
		return err
	}
	if ok && string(cur) == token {
		return nil
	}
	prevRaw, _, err := tx.Setting(SettingSyncTokenPrevious)
	if err != nil {
		return err
	}
	prev := strings.Fields(string(prevRaw))
	if ok {
		prev = append([]string{string(cur)}, prev...)
	}
	if len(prev) > tokensKept {
		prev = prev[:tokensKept]
	}
	if err := tx.SetSetting(SettingSyncTokenPrevious, []byte(strings.Join(prev, "\n"))); err != nil {
		return err
	}
	return tx.SetSetting(SettingSyncToken, []byte(token))
}

// FallBackToToken makes token, one of the previous tokens, the desk's own
// again, and forgets those issued after it (a server restored from a backup
// never knew them).
func (db *DB) FallBackToToken(ctx context.Context, token string) error {
	return db.Write(ctx, func(tx *Tx) error {
		prevRaw, _, err := tx.Setting(SettingSyncTokenPrevious)
		if err != nil {
			return err
		}
		prev := strings.Fields(string(prevRaw))
		i := slices.Index(prev, token)
		if i < 0 {
			return notFound("máy không còn giữ mã truy cập này")
		}
		if err := tx.SetSetting(SettingSyncTokenPrevious, []byte(strings.Join(prev[i+1:], "\n"))); err != nil {
			return err
		}
		return tx.SetSetting(SettingSyncToken, []byte(token))
	})
}

func (tx *Tx) applyChange(c Change) error {
	switch c.Entity {
	case ChangeApplication:
		var st AppState
		if err := json.Unmarshal(c.Payload, &st); err != nil {
			return err
		}
		return tx.applyRemoteApplication(st, false)
	case ChangeOfficer:
		var o OfficerRecord
		if err := json.Unmarshal(c.Payload, &o); err != nil {
			return err
		}
		if mine, err := tx.unpushed(ChangeOfficer, o.ID); err != nil || mine {
			return err
		}
		return tx.putOfficerRecord(o)
	case ChangeZone:
		var z ZoneRecord
		if err := json.Unmarshal(c.Payload, &z); err != nil {
			return err
		}
		return tx.putZoneRecord(z)
	case ChangeMarket:
		var m MarketRecord
		if err := json.Unmarshal(c.Payload, &m); err != nil {
			return err
		}
		return tx.putMarketRecord(m)
	case ChangeRevocation:
		var r RevocationNotice
		if err := json.Unmarshal(c.Payload, &r); err != nil {
			return err
		}
		return tx.markRevoked(r.Serial, r.Reason)
	case ChangeScan:
		var e ScanEvent
		if err := json.Unmarshal(c.Payload, &e); err != nil {
			return err
		}
		_, err := tx.ApplyRemoteScans([]ScanEvent{e})
		return err
	case ChangeConflict:
		var cf Conflict
		if err := json.Unmarshal(c.Payload, &cf); err != nil {
			return err
		}
		return tx.applyConflict(cf)
	case ChangeVoucher:
		var v VoucherIssue
		if err := json.Unmarshal(c.Payload, &v); err != nil {
			return err
		}
		return tx.putVoucherIssue(v)
	case ChangeTrustList, ChangeRevocationList:
		var l SignedList
		if err := json.Unmarshal(c.Payload, &l); err != nil {
			return err
		}
		return tx.applySignedList(c.Entity, l.Raw)
	}
	return nil // an entity this version does not know: skipped, not fatal
}

// applySignedList keeps a list the province root signed, if it is newer
// than the one held; an older or forged one is ignored.
func (tx *Tx) applySignedList(entity string, raw []byte) error {
	root, ok, err := tx.Setting(SettingRootKey)
	if err != nil || !ok {
		return err
	}
	key := SettingTrustList
	if entity == ChangeRevocationList {
		key = SettingRevocation
	}
	held, _, err := tx.Setting(key)
	if err != nil {
		return err
	}
	if entity == ChangeTrustList {
		var seq uint64
		if cur, err := seal.OpenTrustList(root, held, 0); err == nil {
			seq = cur.Sequence
		}
		if l, err := seal.OpenTrustList(root, raw, seq); err != nil || l.Sequence == seq && bytes.Equal(held, raw) {
			return nil
		}
		return tx.SetSetting(key, raw)
	}
	var seq uint64
	if cur, err := seal.OpenRevocationList(root, held, 0); err == nil {
		seq = cur.Sequence
	}
	l, err := seal.OpenRevocationList(root, raw, seq)
	if err != nil {
		return nil
	}
	// The province's whole list, a hundred thousand serials after a
	// month: written a hundred a statement (AddRevocation's row each).
	rows := make([][]any, len(l.Serials))
	for i, s := range l.Serials {
		rows[i] = []any{s, tx.Now.Unix(), "danh sách thu hồi của tỉnh"}
	}
	if err := tx.execRows(`INSERT INTO revocations (serial, revoked_at, reason)`, `(?, ?, ?)`, ` ON CONFLICT (serial) DO NOTHING`, rows); err != nil {
		return err
	}
	return tx.SetSetting(key, raw)
}

// unpushed reports whether the desk holds a change of entity id the centre
// has not settled yet. A pulled record is then older than the desk's own
// (the centre has not seen that change), so it is left alone, as a pulled
// application is while a decision on it waits: the push brings the
// centre to the desk's state, and once settled the centre's copy is the
// one kept again.
func (tx *Tx) unpushed(entity, id string) (bool, error) {
	if err := tx.flushOutbox(); err != nil {
		return false, err
	}
	return tx.Exists(`SELECT 1 FROM outbox WHERE entity = ? AND entity_id = ? AND state IN ('pending', 'in_flight')`, entity, id)
}

// putZoneRecord stores a zone of the desk's commune as the centre holds it,
// unless the desk has a change of it still to push.
func (tx *Tx) putZoneRecord(r ZoneRecord) error {
	z := r.Zone
	if z.ID == "" {
		return invalid("Tên vùng", "vùng từ máy chủ thiếu mã")
	}
	if mine, err := tx.unpushed("zone", z.ID); err != nil || mine {
		return err
	}
	if known, err := tx.Exists(`SELECT 1 FROM units WHERE code = ?`, z.Commune); err != nil || !known {
		return err // a unit this desk does not hold: nothing of it to plan here
	}
	// The commune of a zone never changes: a record naming another one is
	// not this zone's.
	_, err := tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, risk = excluded.risk, hamlets = excluded.hamlets, active = excluded.active
		WHERE zones.commune = excluded.commune`,
		z.ID, z.Commune, z.Name, z.Risk, strings.Join(z.Hamlets, "\n"), tx.Now.Unix(), r.Active)
	return err
}

// putMarketRecord stores a market as the centre holds it, unless the desk
// has a change of it or of its zone still to push. A market of a zone the desk does not
// hold (a zone made before zones travelled to every desk of the commune)
// is skipped: the zone's next change brings both.
func (tx *Tx) putMarketRecord(r MarketRecord) error {
	m := r.Market
	if m.ID == "" {
		return invalid("Tên chợ", "chợ từ máy chủ thiếu mã")
	}
	if mine, err := tx.unpushed("market", m.ID); err != nil || mine {
		return err
	}
	// A lifting of its zone not pushed yet closed it here: it stays so.
	if mine, err := tx.unpushed("zone", m.ZoneID); err != nil || mine {
		return err
	}
	if known, err := tx.Exists(`SELECT 1 FROM zones WHERE id = ?`, m.ZoneID); err != nil || !known {
		return err
	}
	if m.CloseMinute <= m.OpenMinute || m.Capacity <= 0 {
		return nil // the table's checks would refuse it and stall the page
	}
	_, err := tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, hamlets = excluded.hamlets, open_minute = excluded.open_minute,
		close_minute = excluded.close_minute, capacity = excluded.capacity, active = excluded.active WHERE markets.zone_id = excluded.zone_id`,
		m.ID, m.ZoneID, m.Name, strings.Join(m.Hamlets, "\n"), m.OpenMinute, m.CloseMinute, m.Capacity, r.Active)
	return err
}

// putOfficerRecord stores an account the server sent, under the server's ID.
func (tx *Tx) putOfficerRecord(o OfficerRecord) error {
	// A position this version does not know signs as the head did before
	// positions were kept.
	o.Position, _ = ParsePosition(string(o.Position))
	_, err := tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at, position)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET username = excluded.username, full_name = excluded.full_name,
		unit = excluded.unit, roles = excluded.roles, password_hash = excluded.password_hash, active = excluded.active,
		position = excluded.position`,
		o.ID, o.Username, o.FullName, o.Unit, JoinRoles(o.Roles), o.PasswordHash, o.Active, tx.Now.Unix(), string(o.Position))
	if err != nil && IsUniqueViolation(err) {
		return nil // a local account holds that username: the desk's admin must sort it out
	}
	return err
}

// applyRemoteApplication takes over the server's state of an application
// (applyRemoteApplications).
func (tx *Tx) applyRemoteApplication(st AppState, force bool) error {
	return tx.applyRemoteApplications([]AppState{st}, force)
}

// pulledChunk is how many records one multi-row statement of a pulled page
// writes (27 values an application, far below SQLite's limit on bound
// variables).
const pulledChunk = 100

// applyRemoteApplications takes over the server's states of applications
// in a few statements for all of them rather than a few for
// each: a new desk's first pull is thousands of them, and the people's
// search index is brought up to date once a statement, not once a person.
// Unless forced (the answer to this desk's own conflicting decision), it
// leaves alone an application this desk has a decision on still waiting to
// be pushed, or holds in a newer version.
func (tx *Tx) applyRemoteApplications(states []AppState, force bool) error {
	// An application named twice is taken over once, in the newer of its
	// states (the later of equals), as applying them in turn would leave
	// it: one statement must not write a row twice.
	at := make(map[string]int, len(states))
	distinct := states[:0:0]
	for _, st := range states {
		i, seen := at[st.Application.ID]
		switch {
		case !seen:
			at[st.Application.ID] = len(distinct)
			distinct = append(distinct, st)
		case st.Application.Version >= distinct[i].Application.Version:
			distinct[i] = st
		}
	}
	states = distinct
	if len(states) == 0 {
		return nil
	}
	ids := make([]any, len(states))
	for i, st := range states {
		ids[i] = st.Application.ID
	}
	if !force {
		// Ops queued in this transaction are written first, so the read
		// of the outbox below sees them.
		if err := tx.flushOutbox(); err != nil {
			return err
		}
		waiting := map[string]bool{}
		if err := tx.queryIn(`SELECT entity_id FROM outbox WHERE entity = 'decision' AND state IN ('pending', 'in_flight') AND entity_id IN`, ids,
			func(r *sql.Rows) error {
				var id string
				err := r.Scan(&id)
				waiting[id] = true
				return err
			}); err != nil {
			return err
		}
		local := map[string]int{}
		if err := tx.queryIn(`SELECT id, version FROM applications WHERE id IN`, ids, func(r *sql.Rows) error {
			var id string
			var v int
			err := r.Scan(&id, &v)
			local[id] = v
			return err
		}); err != nil {
			return err
		}
		kept := make([]AppState, 0, len(states))
		for _, st := range states {
			if v, held := local[st.Application.ID]; !waiting[st.Application.ID] && (!held || v <= st.Application.Version) {
				kept = append(kept, st)
			}
		}
		states = kept
	}
	now := tx.Now.Unix()
	people := make([][]any, 0, len(states))
	numbers := make([]any, 0, len(states))
	for _, st := range states {
		p := st.Person
		people = append(people, []any{p.ID, p.IDNumber, p.FullName, Fold(p.FullName), p.BirthDate.Format(time.DateOnly), p.Sex, p.Phone,
			p.Commune, p.Hamlet, p.Address, now, now})
		numbers = append(numbers, p.IDNumber)
	}
	if err := tx.execRows(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
		version, created_at, updated_at)`, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`, ` ON CONFLICT DO NOTHING`, people); err != nil {
		return fmt.Errorf("ghi người %s: %w", states[0].Person.IDNumber, err)
	}
	// The desk's own ID of each holder: a person it already held under
	// another ID keeps it.
	personIDs := make(map[string]string, len(states))
	if err := tx.queryIn(`SELECT id_number, id FROM people WHERE id_number IN`, numbers, func(r *sql.Rows) error {
		var number, id string
		err := r.Scan(&number, &id)
		personIDs[number] = id
		return err
	}); err != nil {
		return err
	}
	apps := make([][]any, 0, len(states))
	var permits []*Permit
	approvers := map[string]bool{}
	for _, st := range states {
		a := st.Application
		personID, ok := personIDs[st.Person.IDNumber]
		if !ok {
			continue // cannot place it; the next page will carry it again
		}
		if a.EnterpriseID != "" {
			var err error
			if a.EnterpriseID, err = tx.localEnterprise(a.EnterpriseID, st.Enterprise); err != nil {
				return err
			}
		}
		var hf, ht any
		if a.HasHours {
			hf, ht = a.HoursFrom, a.HoursTo
		}
		decided := int64(0)
		if !a.DecidedAt.IsZero() {
			decided = a.DecidedAt.Unix()
		}
		apps = append(apps, []any{a.ID, a.Number, personID, a.Category, a.Purpose, a.PurposeNote, JoinCodes(a.Area), a.Route, a.ValidFrom.Unix(),
			a.ValidUntil.Unix(), hf, ht, a.Vehicle, a.Employer, a.EnterpriseID, a.CommandCentre, a.Source, a.Status, a.QueueUnit, a.ReceivedUnit,
			a.ReceivedBy, a.DecidedBy, decided, a.Reason, a.Version, a.CreatedAt.Unix(), now})
		if st.Permit != nil {
			pm := *st.Permit
			pm.ApplicationID = a.ID
			permits = append(permits, &pm)
			approvers[pm.ApprovedBy] = true
		}
	}
	if err := tx.execRows(`INSERT INTO applications (id, number, person_id, category, purpose, purpose_note, area, route,
		valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
		queue_unit, received_unit, received_by, decided_by, decided_at, reason, version, created_at, updated_at)`,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		` ON CONFLICT (id) DO UPDATE SET status = excluded.status, queue_unit = excluded.queue_unit, decided_by = excluded.decided_by,
		decided_at = excluded.decided_at, reason = excluded.reason, version = excluded.version, updated_at = excluded.updated_at`, apps); err != nil {
		return fmt.Errorf("ghi hồ sơ %s: %w", apps[0][1], err)
	}
	if len(permits) == 0 {
		return nil
	}
	keys := make([]any, 0, len(approvers))
	for id := range approvers {
		keys = append(keys, id)
	}
	if err := tx.queryIn(`SELECT id FROM officers WHERE id IN`, keys, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		delete(approvers, id)
		return err
	}); err != nil {
		return err
	}
	rows := make([][]any, 0, len(permits))
	for _, pm := range permits {
		if approvers[pm.ApprovedBy] {
			if err := tx.knowApprover(pm); err != nil {
				return err
			}
			delete(approvers, pm.ApprovedBy)
		}
		rows = append(rows, []any{pm.Serial, pm.ApplicationID, pm.Unit, pm.DeskNo, pm.Category, pm.HolderName, Fold(pm.HolderName), pm.IDNumber,
			pm.ValidFrom.Unix(), pm.ValidUntil.Unix(), pm.QR, pm.ApprovedBy, pm.IssuedAt.Unix(), unixOrZero(pm.RevokedAt), pm.RevokeReason})
	}
	if err := tx.execRows(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
		valid_from, valid_until, qr, approved_by, issued_at, revoked_at, revoke_reason)`, `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		` ON CONFLICT DO NOTHING`, rows); err != nil {
		return fmt.Errorf("ghi giấy %s: %w", permits[0].Serial, err)
	}
	return nil
}

// localEnterprise is the desk's ID of the enterprise id the server named:
// the one it holds under id or e's tax code, or e, written now; none (the
// application names no enterprise) when it holds neither and the server
// sent no e.
func (tx *Tx) localEnterprise(id string, e *Enterprise) (string, error) {
	var local string
	err := tx.QueryRow(`SELECT id FROM enterprises WHERE id = ?`, id).Scan(&local)
	if errors.Is(err, sql.ErrNoRows) && e != nil {
		if err := tx.QueryRow(`SELECT id FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&local); errors.Is(err, sql.ErrNoRows) {
			if _, err := tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
				e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit); err != nil {
				return "", err
			}
			local = e.ID
		}
	}
	return local, nil
}

// execRows writes rows (each one row's values) with multi-row statements,
// head VALUES row, row, … tail, rowsPerStatement at a time: three statement
// texts in all, each prepared once.
func (tx *Tx) execRows(head, row, tail string, rows [][]any) error {
	for len(rows) > 0 {
		n := rowsPerStatement(len(rows), pulledChunk)
		var b strings.Builder
		b.Grow(len(head) + 8 + n*(len(row)+2) + len(tail))
		b.WriteString(head)
		b.WriteString(" VALUES ")
		args := make([]any, 0, n*len(rows[0]))
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
			args = append(args, r...)
		}
		b.WriteString(tail)
		if _, err := tx.Exec(b.String(), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func (tx *Tx) knowApprover(pm *Permit) error {
	known, err := tx.Exists(`SELECT 1 FROM officers WHERE id = ?`, pm.ApprovedBy)
	if err != nil || known || pm.ApprovedBy == "" {
		return err
	}
	name := pm.ApproverName
	if name == "" {
		name = "Cán bộ đơn vị " + fmt.Sprint(pm.Unit)
	}
	_, err = tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at)
		VALUES (?, ?, ?, ?, '', '', 0, ?) ON CONFLICT DO NOTHING`,
		pm.ApprovedBy, "tinh."+strings.ToLower(pm.ApprovedBy), name, pm.Unit, tx.Now.Unix())
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// SaveEnrollment makes db (a fresh desk database) the desk the server
// enrolled: the province's units, the unit's accounts, the desk record, the
// root key and signed lists (checked against each other), the sync settings
// given, and the desk's private key wrapped for the approver's password —
// the key itself is never written in clear.
func (db *DB) SaveEnrollment(ctx context.Context, en EnrollResponse, priv ed25519.PrivateKey, approver, password string,
	params *seal.KeyParams, settings map[string][]byte) error {
	if d, err := db.Desk(ctx); err == nil {
		return conflict("cơ sở dữ liệu này đã là máy %s (%s): dùng một tệp mới", d.ID, d.Label)
	}
	root := ed25519.PublicKey(en.RootPublicKey)
	if len(root) != ed25519.PublicKeySize {
		return invalid("Khóa gốc", "máy chủ gửi khóa gốc không hợp lệ")
	}
	trust, err := seal.OpenTrustList(root, en.TrustList, 0)
	if err != nil {
		return fmt.Errorf("danh sách tin cậy của máy chủ: %w", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	if k, ok := trust.Lookup(seal.KID(pub)); !ok || k.Unit != en.Desk.Unit || !bytes.Equal(en.Desk.PublicKey, pub) {
		return invalid("Khóa máy", "danh sách tin cậy không chứng nhận khóa của máy này cho đơn vị %d", en.Desk.Unit)
	}
	if _, err := seal.OpenRevocationList(root, en.RevocationList, 0); err != nil {
		return fmt.Errorf("danh sách thu hồi của máy chủ: %w", err)
	}
	var wrapFor *OfficerRecord
	for i := range en.Officers {
		if en.Officers[i].Username == strings.ToLower(strings.TrimSpace(approver)) {
			wrapFor = &en.Officers[i]
		}
	}
	if wrapFor == nil || !CheckPassword(wrapFor.PasswordHash, password) {
		return &Error{Code: EAuth, Message: "sai tên đăng nhập hoặc mật khẩu của người duyệt"}
	}
	if units, err := db.Units(ctx); err != nil || len(units.All()) == 0 {
		if err := db.SeedProvince(ctx); err != nil {
			return err
		}
	}
	return db.Write(ctx, func(tx *Tx) error {
		for _, o := range en.Officers {
			if err := tx.putOfficerRecord(o); err != nil {
				return err
			}
		}
		if err := tx.PutDesk(en.Desk, true); err != nil {
			return err
		}
		all := map[string][]byte{SettingRootKey: root, SettingTrustList: en.TrustList, SettingRevocation: en.RevocationList,
			SettingSyncToken: []byte(en.Token), SettingCheckpoint: fmt.Appendf(nil, "%d", en.Desk.Unit)}
		for k, v := range settings {
			all[k] = v
		}
		for k, v := range all {
			if err := tx.SetSetting(k, v); err != nil {
				return err
			}
		}
		o := Officer{ID: wrapFor.ID, Username: wrapFor.Username, Unit: wrapFor.Unit, Roles: wrapFor.Roles, Active: wrapFor.Active}
		return tx.WrapDeskKey(en.Desk.ID, o, password, priv, params)
	})
}

// settleNeverApplicable ends a decision the centre answered "missing its
// application" when the centre refused that application for good: it can
// never apply, so it is not sent again. The application ends rejected on
// the desk with the centre's reason, and the permit the decision issued,
// which may be printed already, is revoked here and its revocation queued
// for the centre's list.
//
// The centre says so itself with DEPENDENCY_REFUSED (refusedForGood, with
// its reason in why); an older centre answers DEPENDENCY_MISSING, and then
// the desk's own record of its application op, refused, tells.
func (tx *Tx) settleNeverApplicable(seq int64, refusedForGood bool, why string) error {
	var entity, appID string
	var payload []byte
	if err := tx.QueryRow(`SELECT entity, entity_id, payload FROM outbox WHERE seq = ?`, seq).Scan(&entity, &appID, &payload); err != nil {
		return err
	}
	if entity != "decision" {
		return nil
	}
	var own string
	err := tx.QueryRow(`SELECT last_error FROM outbox WHERE entity = 'application' AND entity_id = ? AND state = 'rejected'
		ORDER BY seq DESC LIMIT 1`, appID).Scan(&own)
	switch {
	case err == nil:
		why = own
	case !errors.Is(err, sql.ErrNoRows):
		return err
	case !refusedForGood:
		return nil // the application may still arrive: try again later
	}
	reason := "máy chủ tỉnh từ chối hồ sơ: " + strings.TrimSpace(why)
	if r := []rune(reason); len(r) > 300 {
		reason = string(r[:300])
	}
	if _, err := tx.Exec(`UPDATE outbox SET state = 'rejected', last_error = ?, updated_at = ? WHERE seq = ?`,
		reason, tx.Now.Unix(), seq); err != nil {
		return err
	}
	var unit uint32
	if err := tx.QueryRow(`SELECT queue_unit FROM applications WHERE id = ?`, appID).Scan(&unit); err != nil {
		return err
	}
	res, err := tx.Exec(`UPDATE applications SET status = 'rejected', reason = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status != 'rejected'`, reason, tx.Now.Unix(), appID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // ended so before (the op sent again after a restore)
	}
	if err := tx.Audit("", unit, ActionReject, "application", appID, reason); err != nil {
		return err
	}
	var d Decision
	_ = json.Unmarshal(payload, &d) // the officer named in the revocation op; empty if unreadable
	serials, err := tx.Strings(`SELECT serial FROM permits WHERE application_id = ? AND revoked_at = 0`, appID)
	if err != nil {
		return err
	}
	for _, serial := range serials {
		if _, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoke_reason = ? WHERE serial = ?`, tx.Now.Unix(), reason, serial); err != nil {
			return err
		}
		if err := tx.AddRevocation(serial, reason); err != nil {
			return err
		}
		if err := tx.Audit("", unit, ActionRevoke, "permit", serial, reason); err != nil {
			return err
		}
		if err := tx.enqueue("revocation", serial, "revoke", map[string]any{"serial": serial, "reason": reason, "officer": d.Officer,
			"unit": unit, "at": tx.Now.Unix()}); err != nil {
			return err
		}
	}
	return nil
}
