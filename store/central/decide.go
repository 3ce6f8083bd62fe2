package central

// The central server: pushed decisions, revocations, audit entries,
// enterprises, zones and markets.

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

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// applyDecision re-checks a desk's decision as if it were made here: the
// officer, the expected version (the server's commit order decides races),
// the authority rules for the pushing desk's unit, and for an approval the
// permit's seal against the province trust list and its match with the
// application.
func applyDecision(ctx context.Context, tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var d store.Decision
	if err := decodeOp(op, &d); err != nil {
		return err
	}
	if d.ApplicationID == "" || d.ApplicationID != op.EntityID {
		return invalid("Quyết định", "mã hồ sơ %q không khớp op (%q)", d.ApplicationID, op.EntityID)
	}
	a, err := store.ApplicationByID(tx, d.ApplicationID)
	if errors.Is(err, sql.ErrNoRows) {
		return missingApplication(tx, desk, d)
	}
	if err != nil {
		return err
	}
	// A sealed permit is checked first. Refusing the decision revokes it only
	// when it is this desk's own paper for this very application and not the
	// permit on record (it may be printed, so checkpoints must refuse it); a
	// genuine seal of another unit or desk, of another application, or the
	// accepted permit replayed, is refused and left alone.
	var sealed seal.Result
	var serial, revocable string
	if d.Outcome == store.StatusApproved {
		if d.Permit == nil {
			return invalid("Quyết định", "duyệt mà không kèm giấy")
		}
		trust, _, err := trustList(tx)
		if err != nil {
			return err
		}
		sealed = (&seal.Checker{Trust: trust}).Verify(d.Permit.QR)
		switch sealed.Verdict {
		case seal.Malformed:
			return invalid("Giấy", "mã QR của giấy %s hỏng: %s", d.Permit.Serial, sealed.Detail)
		case seal.UnknownSigner, seal.BadSignature, seal.SignerNotAllowed:
			return &refused{status: store.PushForbidden, code: CodeSignature,
				msg: fmt.Sprintf("giấy %s không mang chữ ký hợp lệ của một máy được chứng nhận (%s)", d.Permit.Serial, sealed.Verdict)}
		}
		serial = sealed.Payload.Serial
		if revocable, err = revocableSeal(tx, desk, sealed, a); err != nil {
			return err
		}
	}
	refuse := func(status, code, format string, args ...any) error {
		r := &refused{status: status, code: code, msg: fmt.Sprintf(format, args...), serial: revocable}
		if status == store.PushConflict {
			if st, err := appState(tx, a.ID); err == nil {
				r.current, _ = json.Marshal(st)
			}
		}
		return r
	}
	if _, err := checkApprover(tx, desk, d.Officer); err != nil {
		return refuse(store.PushForbidden, CodeOfficer, "%s", err.Error())
	}
	if a.Version != d.ExpectedVersion || (a.Status != store.StatusPending && a.Status != store.StatusForwarded) {
		return refuse(store.PushConflict, CodeVersion, "hồ sơ %s đã thay đổi trên máy chủ (phiên bản %d, %s) trước quyết định này (phiên bản %d)",
			a.Number, a.Version, strings.ToLower(store.StatusName(a.Status)), d.ExpectedVersion)
	}
	a, p, auth, err := store.Decidable(ctx, tx, store.Officer{Unit: desk.Unit}, units, a)
	if err != nil {
		var e *store.Error
		if errors.As(err, &e) && e.Code == store.EForbidden {
			return refuse(store.PushForbidden, CodeAuthority, "%s", e.Message)
		}
		return err
	}
	oldQueue := a.QueueUnit
	newQueue := a.QueueUnit
	switch d.Outcome {
	case store.StatusApproved:
		if !auth.Allowed {
			return refuse(store.PushForbidden, CodeAuthority, "%s", auth.Reason)
		}
		if sealed.Signer.Unit != desk.Unit {
			return refuse(store.PushForbidden, CodeSignature, "giấy %s ký bằng khóa chứng nhận cho đơn vị %d, không phải đơn vị của máy (%d)",
				serial, sealed.Signer.Unit, desk.Unit)
		}
		if own, err := deskKey(tx, desk); err != nil {
			return err
		} else if !bytes.Equal(sealed.Signer.PublicKey, own) {
			return refuse(store.PushForbidden, CodeSignature, "giấy %s ký bằng khóa của máy khác (%s), không phải khóa của máy này", serial, sealed.Signer.Label)
		}
		pl := sealed.Payload
		if pl.Kind != seal.KindPermit || pl.Unit != desk.Unit || !permitMatches(pl, a, p.IDNumber) {
			return refuse(store.PushForbidden, CodeSignature, "nội dung giấy %s không khớp hồ sơ %s", serial, a.Number)
		}
		if !strings.HasPrefix(serial, deskSeries(desk)) {
			return refuse(store.PushForbidden, CodeSignature, "số giấy %s không phải số của máy này (%s…)", serial, deskSeries(desk))
		}
		if _, err := tx.Exec(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
			valid_from, valid_until, qr, approved_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			serial, a.ID, desk.Unit, desk.Number, a.Category, pl.Name, store.Fold(pl.Name), pl.IDNumber, pl.ValidFrom.Unix(), pl.ValidUntil.Unix(),
			d.Permit.QR, d.Officer, pl.IssuedAt.Unix()); err != nil {
			if store.IsUniqueViolation(err) {
				return refuse(store.PushRejected, CodeInvalid, "số giấy %s đã có trên máy chủ", serial)
			}
			return fmt.Errorf("ghi giấy %s: %w", serial, err)
		}
		if err := flagPermitOverlap(tx, desk, serial, a, p); err != nil { // conflicts.go
			return err
		}
		_, err = tx.Exec(`UPDATE applications SET status = 'approved', decided_by = ?, decided_at = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ?`, d.Officer, d.At, tx.Now.Unix(), a.ID, a.Version)
	case store.StatusRejected:
		if !auth.MayReject() { // the desk's rule: the unit holding a request may always reject it
			return refuse(store.PushForbidden, CodeAuthority, "%s", auth.Reason)
		}
		reason, err := store.CleanText(store.FieldReason, d.Reason, 300)
		if err != nil || reason == "" {
			return invalid(store.FieldReason, "từ chối phải có lý do hợp lệ")
		}
		_, err = tx.Exec(`UPDATE applications SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, reason, d.Officer, d.At, tx.Now.Unix(), a.ID, a.Version)
		if err != nil {
			return err
		}
	case store.StatusForwarded:
		if !auth.Forward {
			return refuse(store.PushForbidden, CodeAuthority, "hồ sơ %s không thuộc diện chuyển lên: %s", a.Number, auth.Reason)
		}
		newQueue = auth.ForwardTo // the server's reading, whatever the desk named
		_, err = tx.Exec(`UPDATE applications SET status = 'forwarded', queue_unit = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, newQueue, tx.Now.Unix(), a.ID, a.Version)
	default:
		return invalid("Quyết định", "không có kết quả %q", d.Outcome)
	}
	if err != nil {
		return err
	}
	return feedApp(tx, desk.DeskID, a.ID, oldQueue, newQueue, a.ReceivedUnit)
}

// missingApplication answers a decision on an application the centre does
// not hold. Not yet arrived, it is sent again later (DEPENDENCY_MISSING);
// refused for good when this desk pushed it, the decision never can apply
// and is refused for good too (DEPENDENCY_REFUSED), or the desk would send
// it forever. The permit it carries, when this desk sealed it in its own
// series and the province holds no such permit, goes on the revocation
// list: it may be printed, for an application the province never took.
func missingApplication(tx *store.Tx, desk DeskAuth, d store.Decision) error {
	var code string
	err := tx.QueryRow(`SELECT code FROM sync_ops WHERE desk_id = ? AND entity = 'application' AND entity_id = ?
		AND status IN ('rejected', 'forbidden')`, desk.DeskID, d.ApplicationID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có hồ sơ %s", d.ApplicationID)
	}
	if err != nil {
		return err
	}
	r := &refused{status: store.PushRejected, code: CodeRefusedDep,
		msg: fmt.Sprintf("máy chủ đã từ chối hồ sơ %s (%s): quyết định về hồ sơ này không bao giờ được nhận", d.ApplicationID, code)}
	if d.Outcome != store.StatusApproved || d.Permit == nil {
		return r
	}
	trust, _, err := trustList(tx)
	if err != nil {
		return err
	}
	sealed := (&seal.Checker{Trust: trust}).Verify(d.Permit.QR)
	pl := sealed.Payload
	if sealed.Verdict == seal.Malformed || sealed.Signer == nil || sealed.Signer.Unit != desk.Unit || pl.Kind != seal.KindPermit ||
		pl.Unit != desk.Unit || !strings.HasPrefix(pl.Serial, deskSeries(desk)) {
		return r
	}
	switch sealed.Verdict {
	case seal.UnknownSigner, seal.BadSignature, seal.SignerNotAllowed:
		return r
	}
	own, err := deskKey(tx, desk)
	if err != nil {
		return err
	}
	held, err := tx.Exists(`SELECT 1 FROM permits WHERE serial = ?`, pl.Serial)
	if err != nil {
		return err
	}
	if !held && bytes.Equal(sealed.Signer.PublicKey, own) {
		r.serial = pl.Serial
	}
	return r
}

// permitMatches: everything the checkpoint will read comes from the
// application, as permitPayload put it (the holder's name may have changed
// since, so it is not compared).
func permitMatches(pl seal.Payload, a store.Application, idNumber string) bool {
	return int(pl.Category) == a.Category && pl.IDNumber == idNumber &&
		pl.ValidFrom.Equal(a.ValidFrom) && pl.ValidUntil.Equal(a.ValidUntil) && slices.Equal(pl.Area, a.Area) &&
		pl.HasHours == a.HasHours && (!a.HasHours || pl.HoursFrom == a.HoursFrom && pl.HoursTo == a.HoursTo) &&
		pl.Route == a.Route && pl.Purpose == seal.Purpose(a.Purpose) && pl.Vehicle == a.Vehicle
}

// deskSeries is how every permit serial of the desk begins (28291-1-…).
func deskSeries(desk DeskAuth) string { return fmt.Sprintf("%d-%d-", desk.Unit, desk.Number) }

// deskKey is the public key the province certified for the pushing desk.
func deskKey(tx *store.Tx, desk DeskAuth) ([]byte, error) {
	var key []byte
	err := tx.QueryRow(`SELECT COALESCE(public_key, x'') FROM desks WHERE id = ?`, desk.DeskID).Scan(&key)
	return key, err
}

// revocableSeal returns the serial of a sealed permit that refusing its
// decision must put on the revocation list, or "" when refusing must leave
// it alone. Only a permit this desk signed with its own key, numbered in its
// own series, for this application's holder and category qualifies (one
// that differs from the application in its hours, route or dates is the
// dangerous paper a modified desk prints, and is revoked); never a serial
// the province already holds as a permit (the permit on record: a replay, a
// stale conflict) nor one whose every term matches another application of
// the same holder (that application's permit, not yet pushed). Revoking
// those would harm what the decision does not own.
func revocableSeal(tx *store.Tx, desk DeskAuth, sealed seal.Result, a store.Application) (string, error) {
	pl := sealed.Payload
	if sealed.Signer == nil || sealed.Signer.Unit != desk.Unit || pl.Kind != seal.KindPermit || pl.Unit != desk.Unit ||
		!strings.HasPrefix(pl.Serial, deskSeries(desk)) || int(pl.Category) != a.Category {
		return "", nil
	}
	own, err := deskKey(tx, desk)
	if err != nil || !bytes.Equal(sealed.Signer.PublicKey, own) {
		return "", err
	}
	var idNumber string
	if err := tx.QueryRow(`SELECT id_number FROM people WHERE id = ?`, a.PersonID).Scan(&idNumber); err != nil {
		return "", err
	}
	if pl.IDNumber != idNumber {
		return "", nil
	}
	if held, err := tx.Exists(`SELECT 1 FROM permits WHERE serial = ?`, pl.Serial); err != nil || held {
		return "", err
	}
	if permitMatches(pl, a, idNumber) {
		return pl.Serial, nil
	}
	others, err := store.ApplicationsOfPerson(tx, a.PersonID)
	if err != nil {
		return "", err
	}
	for _, other := range others {
		if other.ID != a.ID && permitMatches(pl, other, idNumber) {
			return "", nil
		}
	}
	return pl.Serial, nil
}

// maxDays is MaxDays read inside tx, through the statement cache (one
// setting read per pushed application, not five fresh prepares).
func maxDays(tx *store.Tx, category int) int {
	if v, ok, _ := tx.Setting(fmt.Sprintf("max_days.%d", category)); ok {
		if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
			return n
		}
	}
	return store.DefaultMaxDays[category]
}

// feedApp tells the desks of every unit concerned (the queue it is in, the
// one it left, the one that received it), except the desk that caused it.
func feedApp(tx *store.Tx, origin, id string, units ...uint32) error {
	seen := map[uint32]bool{}
	for _, u := range units {
		if u == 0 || seen[u] {
			continue
		}
		seen[u] = true
		if err := feed(tx, u, store.ChangeApplication, id, origin); err != nil {
			return err
		}
	}
	return nil
}

// applyRevocation: an approver of the unit that issued the permit revokes it.
func applyRevocation(tx *store.Tx, root ed25519.PrivateKey, desk DeskAuth, op store.PushOp) error {
	var r struct {
		Serial  string `json:"serial"`
		Reason  string `json:"reason"`
		Officer string `json:"officer"`
		At      int64  `json:"at"`
	}
	if err := decodeOp(op, &r); err != nil {
		return err
	}
	if r.Serial == "" || r.Serial != op.EntityID {
		return invalid("Thu hồi", "số giấy %q không khớp op (%q)", r.Serial, op.EntityID)
	}
	if _, err := checkApprover(tx, desk, r.Officer); err != nil {
		return err
	}
	var unit uint32
	var revoked int64
	err := tx.QueryRow(`SELECT unit, revoked_at FROM permits WHERE serial = ?`, r.Serial).Scan(&unit, &revoked)
	if errors.Is(err, sql.ErrNoRows) && desk.voucherSerial(r.Serial) {
		// The centre keeps no voucher rows, only the list: a commune's own
		// voucher goes on it straight away (waiting for a row would wait
		// forever, and the entrances would never learn).
		reason, err := store.CleanText(store.FieldReason, r.Reason, 300)
		if err != nil {
			return err
		}
		return revokeSerial(tx, root, r.Serial, reason)
	}
	if errors.Is(err, sql.ErrNoRows) {
		// A permit the centre revoked itself without ever holding it (its
		// decision was refused for good): the desk's own revocation of it
		// has nothing left to do, and would wait forever for the permit.
		if listed, err := tx.Exists(`SELECT 1 FROM revocations WHERE serial = ?`, r.Serial); err != nil || listed {
			return err
		}
		return missingDep("chưa có giấy %s", r.Serial)
	}
	if err != nil {
		return err
	}
	if unit != desk.Unit {
		return forbidden("giấy %s do đơn vị khác cấp", r.Serial)
	}
	if revoked > 0 {
		return nil
	}
	reason, err := store.CleanText(store.FieldReason, r.Reason, 300)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE permits SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE serial = ?`,
		max(r.At, 1), r.Officer, reason, r.Serial); err != nil {
		return err
	}
	if err := tx.AddRevocation(r.Serial, reason); err != nil {
		return err
	}
	if err := feedRevocation(tx, r.Serial, desk.DeskID); err != nil { // central.go
		return err
	}
	if err := closePermitConflicts(tx, r.Serial, reason); err != nil { // conflicts.go
		return err
	}
	return resignRevocations(tx, root)
}

// applyAudit keeps a desk's audit entry only if it chains from the last one
// the centre holds for that desk (SYNC.md, "Audit continuity"): its hash
// recomputes, its seq is one more and its prev hash is that entry's hash;
// the desk's first entry chains from the empty genesis. The outbox sends in
// seq order, so a well-kept desk never breaks the chain; an entry the centre
// already holds, sent again, is accepted again. A fork (another entry at a
// held seq, or one that does not follow the last) and a forged hash are
// refused for good; a gap (entries missing before it) is refused until the
// missing ones arrive, since one of them may only have failed on the way.
// Every refusal is recorded for `server audit verify`.
func applyAudit(tx *store.Tx, desk DeskAuth, op store.PushOp) error {
	var e store.AuditEntry
	if err := decodeOp(op, &e); err != nil {
		return err
	}
	if e.PrevHash == nil {
		e.PrevHash = []byte{}
	}
	if e.Seq < 1 {
		return invalid("Nhật ký", "mục %d: số thứ tự phải từ 1", e.Seq)
	}
	if !bytes.Equal(store.AuditHash(&e), e.Hash) {
		return auditBreak(e, auditBreakHash, fmt.Sprintf("mục %d: mã băm không khớp nội dung (mục đã bị sửa)", e.Seq))
	}
	last, lastHash := int64(0), []byte{}
	err := tx.QueryRow(`SELECT seq, hash FROM desk_audit WHERE desk_id = ? ORDER BY seq DESC LIMIT 1`, desk.DeskID).Scan(&last, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	switch {
	case e.Seq <= last:
		var held []byte
		err := tx.QueryRow(`SELECT hash FROM desk_audit WHERE desk_id = ? AND seq = ?`, desk.DeskID, e.Seq).Scan(&held)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if bytes.Equal(held, e.Hash) {
			return nil
		}
		return auditBreak(e, auditBreakFork, fmt.Sprintf(
			"mục %d khác với mục %d máy chủ tỉnh đã nhận của máy này (nhật ký bị viết lại hoặc rẽ nhánh)", e.Seq, e.Seq))
	case e.Seq > last+1:
		return auditBreak(e, auditBreakGap, fmt.Sprintf(
			"thiếu mục %d đến %d trước mục %d: máy chủ tỉnh mới nhận đến mục %d của máy này", last+1, e.Seq-1, e.Seq, last))
	case !bytes.Equal(e.PrevHash, lastHash):
		return auditBreak(e, auditBreakFork, fmt.Sprintf(
			"mục %d không nối tiếp mục %d máy chủ tỉnh đã nhận của máy này (nhật ký bị rẽ nhánh)", e.Seq, last))
	}
	_, err = tx.Exec(`INSERT INTO desk_audit (desk_id, seq, id, at, officer_id, unit, action, entity, entity_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, desk.DeskID, e.Seq, e.ID, e.At, e.Officer, e.Unit,
		e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash)
	return err
}

// Kinds of audit chain refusal, as desk_audit_refusals keeps them.
const (
	auditBreakGap  = "gap"
	auditBreakFork = "fork"
	auditBreakHash = "hash"
)

// chainBreak is a pushed audit entry that does not chain from what the
// centre holds for its desk.
type chainBreak struct {
	kind   string
	seq    int64
	hash   []byte
	reason string
}

// auditBreak refuses entry e: a gap as retryable, since the desk sends the
// missing entries again, anything else as a kept refusal.
func auditBreak(e store.AuditEntry, kind, reason string) error {
	b := &chainBreak{kind: kind, seq: e.Seq, hash: e.Hash, reason: reason}
	if kind == auditBreakGap {
		return &retryLater{msg: reason, code: CodeAuditChain, chain: b}
	}
	return &refused{status: store.PushRejected, code: CodeAuditChain, msg: reason, chain: b}
}

// reportAuditBreak records, for `server audit verify`, the chain break err
// carries if any: one row per desk, entry and hash, counting resends.
func reportAuditBreak(tx *store.Tx, deskID string, err error) error {
	var b *chainBreak
	var later *retryLater
	var r *refused
	switch {
	case errors.As(err, &later) && later.chain != nil:
		b = later.chain
	case errors.As(err, &r) && r.chain != nil:
		b = r.chain
	default:
		return nil
	}
	hash := b.hash
	if hash == nil {
		hash = []byte{}
	}
	_, err = tx.Exec(`INSERT INTO desk_audit_refusals (desk_id, seq, hash, kind, reason, first_at, last_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (desk_id, seq, hash) DO UPDATE SET attempts = attempts + 1, last_at = excluded.last_at`,
		deskID, b.seq, hash, b.kind, b.reason, tx.Now.Unix(), tx.Now.Unix())
	return err
}

// applyEnterprise: a desk may register an enterprise under its own unit
// only, and may not move an existing one to another managing unit. The
// enterprise is checked with the desk's own rules first.
func applyEnterprise(tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var w wire.Enterprise
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	e := store.EnterpriseFromWire(w)
	if e.ID == "" || e.ID != op.EntityID {
		return invalid(store.FieldEnterpr, "mã doanh nghiệp %q không khớp op (%q)", e.ID, op.EntityID)
	}
	e, err := store.NormalizeEnterprise(e, units)
	if err != nil {
		return err
	}
	var id string
	var managing uint32
	err = tx.QueryRow(`SELECT id, managing_unit FROM enterprises WHERE tax_code = ?`, e.TaxCode).Scan(&id, &managing)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if e.ManagingUnit != desk.Unit {
			return forbidden("máy của %s không được đăng ký doanh nghiệp do %s quản lý", units.Name(desk.Unit), units.Name(e.ManagingUnit))
		}
		_, err = tx.Exec(`INSERT INTO enterprises (id, name, folded, tax_code, district, managing_unit) VALUES (?, ?, ?, ?, ?, ?)`,
			e.ID, e.Name, store.Fold(e.Name), e.TaxCode, e.District, e.ManagingUnit)
		if err != nil && store.IsUniqueViolation(err) {
			return invalid(store.FieldEnterpr, "mã doanh nghiệp %s đã có trên máy chủ", e.ID)
		}
		return err
	case err != nil:
		return err
	}
	if e.ManagingUnit != managing {
		return forbidden("doanh nghiệp %s do %s quản lý; máy không đổi được đơn vị quản lý", e.TaxCode, units.Name(managing))
	}
	if managing != desk.Unit {
		// Known, and not this desk's to rename: its ID only becomes an alias.
		return alias(tx, "enterprise", e.ID, id)
	}
	if err := alias(tx, "enterprise", e.ID, id); err != nil {
		return err
	}
	_, err = tx.Exec(`UPDATE enterprises SET name = ?, folded = ?, district = ? WHERE id = ?`, e.Name, store.Fold(e.Name), e.District, id)
	return err
}

// applyZone: a commune zones only itself (category 5 authority depends on
// it), with the desk's own rules for a zone. A zone of another commune is
// refused whatever the payload says. Lifting a zone closes its markets, as
// the desk that lifted it did, in the same transaction; the zone and its
// markets go in the feed, so the commune's other desks list what the
// centre lists.
func applyZone(tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var z store.Zone
	if err := decodeOp(op, &z); err != nil {
		return err
	}
	if z.ID == "" || z.ID != op.EntityID {
		return invalid("Tên vùng", "mã vùng %q không khớp op (%q)", z.ID, op.EntityID)
	}
	if z.Commune != desk.Unit {
		return forbidden("máy chỉ khoanh vùng được trong xã của mình")
	}
	z, err := store.NormalizeZone(z, units)
	if err != nil {
		return err
	}
	var commune uint32
	switch err := tx.QueryRow(`SELECT commune FROM zones WHERE id = ?`, z.ID).Scan(&commune); {
	case err == nil:
		if commune != desk.Unit {
			return forbidden("vùng này không thuộc xã của máy")
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	hamlets := strings.Join(z.Hamlets, "\n")
	switch op.Op {
	case "update":
		// An edit leaves the zone in force or lifted as the centre holds it:
		// another desk may have lifted it meanwhile.
		_, err = tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, risk = excluded.risk, hamlets = excluded.hamlets`,
			z.ID, z.Commune, z.Name, z.Risk, hamlets, tx.Now.Unix())
	case "deactivate", "reactivate":
		_, err = tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, risk = excluded.risk, hamlets = excluded.hamlets, active = excluded.active`,
			z.ID, z.Commune, z.Name, z.Risk, hamlets, tx.Now.Unix(), op.Op == "reactivate")
		if err == nil && op.Op == "deactivate" {
			_, err = tx.Exec(`UPDATE markets SET active = 0 WHERE zone_id = ? AND active = 1`, z.ID)
		}
	default:
		_, err = tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			z.ID, z.Commune, z.Name, z.Risk, hamlets, tx.Now.Unix())
	}
	if err != nil {
		return err
	}
	// No origin: the pushing desk takes the centre's state back too, which
	// may differ from its own (an edit of a zone another desk lifted).
	if err := feed(tx, z.Commune, store.ChangeZone, z.ID, ""); err != nil {
		return err
	}
	return feedZoneMarkets(tx, z)
}

// selectIDs reads the one column of IDs query selects, all of them before
// the caller writes (a transaction's rows must be closed first).
func selectIDs(tx *store.Tx, query string, args ...any) ([]string, error) {
	var ids []string
	err := store.ScanEach(tx.Query(query, args...))(func(rows *sql.Rows) error {
		var id string
		err := rows.Scan(&id)
		ids = append(ids, id)
		return err
	})
	return ids, err
}

// feedZoneMarkets puts a zone's markets in the feed after the zone: a
// desk meets a market only after its zone (the feed moves a record to its
// latest change), and a lifted zone's markets reach it closed.
func feedZoneMarkets(tx *store.Tx, z store.Zone) error {
	ids, err := selectIDs(tx, `SELECT id FROM markets WHERE zone_id = ?`, z.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := feed(tx, z.Commune, store.ChangeMarket, id, ""); err != nil {
			return err
		}
	}
	return nil
}

// applyMarket: a market goes in a zone of the desk's own commune, checked
// with the desk's own rules for a market. It opens only in a zone in force:
// a market made or reopened offline in a zone another desk lifted stays
// closed (made) or is refused (reopened).
func applyMarket(tx *store.Tx, desk DeskAuth, op store.PushOp) error {
	var m store.Market
	if err := decodeOp(op, &m); err != nil {
		return err
	}
	if m.ID == "" || m.ID != op.EntityID {
		return invalid("Tên chợ", "mã chợ %q không khớp op (%q)", m.ID, op.EntityID)
	}
	m, err := store.NormalizeMarket(m)
	if err != nil {
		return err
	}
	var commune uint32
	var zoneActive bool
	err = tx.QueryRow(`SELECT commune, active FROM zones WHERE id = ?`, m.ZoneID).Scan(&commune, &zoneActive)
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có vùng %s", m.ZoneID)
	}
	if err != nil {
		return err
	}
	if commune != desk.Unit {
		return forbidden("vùng này không thuộc xã của máy")
	}
	hamlets := strings.Join(m.Hamlets, "\n")
	// An edit, a closing or a reopening keeps the market in its zone, of
	// this commune: the WHERE leaves a market of another zone alone.
	switch op.Op {
	case "update":
		_, err = tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, hamlets = excluded.hamlets, open_minute = excluded.open_minute,
		close_minute = excluded.close_minute, capacity = excluded.capacity WHERE markets.zone_id = excluded.zone_id`,
			m.ID, m.ZoneID, m.Name, hamlets, m.OpenMinute, m.CloseMinute, m.Capacity, zoneActive)
	case "deactivate", "reactivate":
		if op.Op == "reactivate" && !zoneActive {
			return invalid("Chợ", "vùng %s đã được gỡ trên máy chủ: khôi phục vùng trước", m.ZoneID)
		}
		_, err = tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, hamlets = excluded.hamlets, open_minute = excluded.open_minute,
		close_minute = excluded.close_minute, capacity = excluded.capacity, active = excluded.active WHERE markets.zone_id = excluded.zone_id`,
			m.ID, m.ZoneID, m.Name, hamlets, m.OpenMinute, m.CloseMinute, m.Capacity, op.Op == "reactivate")
	default:
		_, err = tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, m.ID, m.ZoneID, m.Name, hamlets, m.OpenMinute, m.CloseMinute, m.Capacity, zoneActive)
	}
	if err != nil {
		return err
	}
	return feed(tx, commune, store.ChangeMarket, m.ID, "")
}

// applyOfficer: a desk's administrator opens, changes or closes accounts
// of the desk's own unit only. An account the centre knows under another
// unit, or a username another account holds, is refused. The account then
// reaches the unit's other desks through the feed.
func applyOfficer(tx *store.Tx, desk DeskAuth, op store.PushOp) error {
	var o store.OfficerRecord
	if err := decodeOp(op, &o); err != nil {
		return err
	}
	if o.ID == "" || o.ID != op.EntityID {
		return invalid("Tài khoản", "mã tài khoản %q không khớp op (%q)", o.ID, op.EntityID)
	}
	if o.Unit != desk.Unit {
		return forbidden("máy chỉ quản lý được tài khoản của đơn vị mình")
	}
	var unit uint32
	switch err := tx.QueryRow(`SELECT unit FROM officers WHERE id = ?`, o.ID).Scan(&unit); {
	case err == nil:
		if unit != desk.Unit {
			return forbidden("máy chỉ quản lý được tài khoản của đơn vị mình")
		}
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	username, err := store.NormalizeUsername(o.Username)
	if err != nil {
		return err
	}
	name, err := store.ValidateName(o.FullName)
	if err != nil {
		return err
	}
	if len(o.Roles) == 0 {
		return invalid("Vai trò", "cần ít nhất một vai trò")
	}
	if o.Position, err = store.ParsePosition(string(o.Position)); err != nil {
		return err
	}
	_, err = tx.Exec(`INSERT INTO officers (id, username, full_name, unit, roles, password_hash, active, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, roles = excluded.roles, active = excluded.active, position = excluded.position`,
		o.ID, username, name, o.Unit, store.JoinRoles(o.Roles), o.PasswordHash, o.Active, tx.Now.Unix(), string(o.Position))
	if err != nil {
		if store.IsUniqueViolation(err) {
			return invalid("Tên đăng nhập", "%q đã có người dùng", username)
		}
		return err
	}
	return feed(tx, o.Unit, store.ChangeOfficer, o.ID, desk.DeskID)
}
