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
		for _, c := range changes {
			if err := tx.applyChange(c); err != nil {
				return fmt.Errorf("áp dụng thay đổi %d (%s %s): %w", c.Seq, c.Entity, c.ID, err)
			}
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
		return tx.putOfficerRecord(o)
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
	for _, s := range l.Serials {
		if err := tx.AddRevocation(s, "danh sách thu hồi của tỉnh"); err != nil {
			return err
		}
	}
	return tx.SetSetting(key, raw)
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

// applyRemoteApplication takes over the server's state of an application.
// Unless forced (the answer to this desk's own conflicting decision), it
// leaves alone an application this desk has a decision on still waiting to
// be pushed, or holds in a newer version.
func (tx *Tx) applyRemoteApplication(st AppState, force bool) error {
	a := st.Application
	if !force {
		if err := tx.flushOutbox(); err != nil {
			return err
		}
		if waiting, err := tx.Exists(`SELECT 1 FROM outbox WHERE entity = 'decision' AND entity_id = ? AND state IN ('pending', 'in_flight')`, a.ID); err != nil || waiting {
			return err
		}
		var local int
		err := tx.QueryRow(`SELECT version FROM applications WHERE id = ?`, a.ID).Scan(&local)
		if err == nil && local > a.Version {
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	p := st.Person
	if _, err := tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
		p.ID, p.IDNumber, p.FullName, Fold(p.FullName), p.BirthDate.Format(time.DateOnly), p.Sex, p.Phone, p.Commune, p.Hamlet, p.Address,
		tx.Now.Unix(), tx.Now.Unix()); err != nil {
		return fmt.Errorf("ghi người %s: %w", p.IDNumber, err)
	}
	var personID string
	if err := tx.QueryRow(`SELECT id FROM people WHERE id_number = ?`, p.IDNumber).Scan(&personID); err != nil {
		return nil // cannot place it; the next page will carry it again
	}
	if a.EnterpriseID != "" {
		var local string
		err := tx.QueryRow(`SELECT id FROM enterprises WHERE id = ?`, a.EnterpriseID).Scan(&local)
		if errors.Is(err, sql.ErrNoRows) && st.Enterprise != nil {
			e := st.Enterprise
			if err := tx.QueryRow(`SELECT id FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&local); errors.Is(err, sql.ErrNoRows) {
				if _, err := tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
					e.ID, e.Name, Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit); err != nil {
					return err
				}
				local = e.ID
			}
		}
		a.EnterpriseID = local
	}
	var hf, ht any
	if a.HasHours {
		hf, ht = a.HoursFrom, a.HoursTo
	}
	decided := int64(0)
	if !a.DecidedAt.IsZero() {
		decided = a.DecidedAt.Unix()
	}
	if _, err := tx.Exec(`INSERT INTO applications (id, number, person_id, category, purpose, purpose_note, area, route,
		valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
		queue_unit, received_unit, received_by, decided_by, decided_at, reason, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, queue_unit = excluded.queue_unit, decided_by = excluded.decided_by,
		decided_at = excluded.decided_at, reason = excluded.reason, version = excluded.version, updated_at = excluded.updated_at`,
		a.ID, a.Number, personID, a.Category, a.Purpose, a.PurposeNote, JoinCodes(a.Area), a.Route, a.ValidFrom.Unix(), a.ValidUntil.Unix(),
		hf, ht, a.Vehicle, a.Employer, a.EnterpriseID, a.CommandCentre, a.Source, a.Status, a.QueueUnit, a.ReceivedUnit, a.ReceivedBy,
		a.DecidedBy, decided, a.Reason, a.Version, a.CreatedAt.Unix(), tx.Now.Unix()); err != nil {
		return fmt.Errorf("ghi hồ sơ %s: %w", a.Number, err)
	}
	if pm := st.Permit; pm != nil {
		if err := tx.knowApprover(pm); err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
			valid_from, valid_until, qr, approved_by, issued_at, revoked_at, revoke_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, pm.Serial, a.ID, pm.Unit, pm.DeskNo, pm.Category, pm.HolderName, Fold(pm.HolderName), pm.IDNumber,
			pm.ValidFrom.Unix(), pm.ValidUntil.Unix(), pm.QR, pm.ApprovedBy, pm.IssuedAt.Unix(), unixOrZero(pm.RevokedAt), pm.RevokeReason); err != nil {
			return fmt.Errorf("ghi giấy %s: %w", pm.Serial, err)
		}
	}
	return nil
}

// knowApprover makes sure the desk holds the account that approved a pulled
// permit: a permit decided upward, at the district for an application this
// commune forwarded, names an officer of another unit, whose account the
// desk never receives. It is kept as the centre named it (ID, full name,
// unit), inactive, with no role and no password, so the permit is kept and
// prints its approver, and nobody can log in with it.
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
