package central

// The central server: applying pushed ops (SYNC.md "On the wire"): the
// batch, idempotency, people and applications.

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// retryLater marks an op the server cannot apply yet (what it refers to has
// not arrived): nothing is stored, and the desk sends it again.
type retryLater struct {
	msg   string
	code  string      // CodeMissing when empty
	chain *chainBreak // an audit entry that does not chain yet, to report
}

func (e *retryLater) Error() string { return e.msg }

func missingDep(format string, args ...any) error {
	return &retryLater{msg: fmt.Sprintf(format, args...)}
}

// refused is a domain refusal that also names a validly sealed permit to
// put on the revocation list (a permit that lost a race or was not allowed:
// it may already be printed, so checkpoints must refuse it).
type refused struct {
	status  string
	code    string
	msg     string
	current []byte
	serial  string
	chain   *chainBreak // an audit entry that does not chain, to report
}

func (e *refused) Error() string { return e.msg }

// ApplyOp settles one pushed op on its own: ApplyBatch of one op.
func (db *DB) ApplyOp(ctx context.Context, root ed25519.PrivateKey, desk DeskAuth, op store.PushOp) (store.OpResult, error) {
	res, err := db.ApplyBatch(ctx, root, desk, []store.PushOp{op}, nil)
	if len(res) == 0 {
		return store.OpResult{OpID: op.OpID, Status: store.PushRejected, Code: CodeInternal, Message: "lỗi máy chủ, gửi lại sau", Retryable: true}, err
	}
	return res[0], err
}

// ApplyBatch settles the ops of one push, in order, exactly once, in one
// transaction with a savepoint per op (SYNC.md "Each op succeeds or fails on
// its own"): a refused op rolls back alone and its result is still kept; an
// op that cannot apply yet leaves nothing but its retryable answer. A second
// push of the same op_id and payload gets the stored result back as
// duplicate; of the same op_id with another payload, IDEMPOTENCY_MISMATCH.
// The desk's unit comes from desk (its token), never from the payload. root
// signs the revocation list when a permit must be revoked.
//
// next, when not nil, runs before each op; false stops the batch there: the
// ops applied so far commit, and the rest are left out of the results (the
// desk keeps them pending). There is one result per op applied, in order.
// An error is returned only for internal failures; the results of the ops
// it touched then say retryable, and when the transaction itself could not
// commit, every result does.
func (db *DB) ApplyBatch(ctx context.Context, root ed25519.PrivateKey, desk DeskAuth, ops []store.PushOp, next func(store.PushOp) bool) ([]store.OpResult, error) {
	results := make([]store.OpResult, 0, len(ops))
	var opErrs []error
	err := db.Write(ctx, func(tx *store.Tx) error {
		deferListSigning(tx)
		defer deferredLists.Delete(tx)
		for _, op := range ops {
			if next != nil && !next(op) {
				break
			}
			res, err := settleOp(ctx, tx, root, desk, op)
			var fatal *batchBroken
			if errors.As(err, &fatal) {
				return err
			}
			if err != nil {
				opErrs = append(opErrs, err)
			}
			results = append(results, res)
		}
		// Once per push, outside the ops' savepoints: the revocation list
		// its ops changed, the people they wrote into the name index.
		if err := signDeferred(tx, root); err != nil {
			return err
		}
		return flushPeopleSearch(tx)
	})
	if err != nil {
		// Nothing of the batch was kept: every op is sent again.
		for i := range results {
			results[i] = internalResult(results[i].OpID)
		}
		return results, fmt.Errorf("lô %d thao tác của máy %s: %w", len(ops), desk.DeskID, err)
	}
	return results, errors.Join(opErrs...)
}

// syncOpInsert keeps an op's op_id and payload hash, its result to follow.
const syncOpInsert = `INSERT INTO sync_ops (desk_id, op_id, entity, entity_id, payload_hash, status, received_at)
	VALUES (?, ?, ?, ?, ?, '', ?)`

// batchBroken is a failure that leaves the push's transaction unusable (a
// savepoint that does not roll back): the whole batch is abandoned.
type batchBroken struct{ err error }

func (e *batchBroken) Error() string { return e.err.Error() }
func (e *batchBroken) Unwrap() error { return e.err }

func internalResult(opID string) store.OpResult {
	return store.OpResult{OpID: opID, Status: store.PushRejected, Code: CodeInternal, Message: "lỗi máy chủ, gửi lại sau", Retryable: true}
}

// settleOp applies one op of a batch inside its own savepoint and returns
// its result. Every answer but a missing op_id and a retryable one is kept
// in sync_ops with the op, so a desk's books and the server's always agree
// on how many of its ops were settled. An internal failure of the op rolls
// it back alone and answers INTERNAL (retryable) with the error; a
// *batchBroken error ends the batch.
func settleOp(ctx context.Context, tx *store.Tx, root ed25519.PrivateKey, desk DeskAuth, op store.PushOp) (store.OpResult, error) {
	res := store.OpResult{OpID: op.OpID}
	if op.OpID == "" || len(op.OpID) > 64 {
		// Nothing to key it by: the only answer not kept.
		res.Status, res.Code, res.Message = store.PushRejected, CodeInvalid, "thiếu op_id hoặc op_id dài quá 64 ký tự"
		return res, nil
	}
	sum := sha256.Sum256(op.Payload)
	// The op's savepoint: a retryable op leaves nothing, not even its op_id;
	// a refused one is rolled back and its result recorded afresh.
	sp, err := tx.Savepoint("apply_op")
	if err != nil {
		return internalResult(op.OpID), &batchBroken{err}
	}
	// A savepoint that does not roll back leaves the transaction in an
	// unknown state, so the batch ends.
	fail := func(err error) (store.OpResult, error) {
		if e := sp.Rollback(); e != nil {
			return internalResult(op.OpID), &batchBroken{e}
		}
		return internalResult(op.OpID), fmt.Errorf("op %s (%s %s): %w", op.OpID, op.Entity, op.EntityID, err)
	}
	release := func(out store.OpResult) (store.OpResult, error) {
		if err := sp.Release(); err != nil {
			return internalResult(op.OpID), &batchBroken{err}
		}
		return out, nil
	}
	// An op_id is the desk's own: it is looked up among that desk's ops
	// only (the unique key is desk and op_id), so another desk sending the
	// same op_id gets its own processing, never this one's result.
	ins, err := tx.Exec(syncOpInsert+` ON CONFLICT (desk_id, op_id) DO NOTHING`, desk.DeskID, op.OpID, op.Entity, op.EntityID, sum[:], tx.Now.Unix())
	if err != nil {
		return fail(err)
	}
	if n, _ := ins.RowsAffected(); n == 0 {
		var hash, detail []byte
		var status, code, msg string
		if err := tx.QueryRow(`SELECT payload_hash, status, code, message, detail FROM sync_ops WHERE desk_id = ? AND op_id = ?`, desk.DeskID, op.OpID).
			Scan(&hash, &status, &code, &msg, &detail); err != nil {
			return fail(err)
		}
		if !bytes.Equal(hash, sum[:]) {
			res.Status, res.Code = store.PushRejected, CodeMismatch
			res.Message = "op_id này đã được gửi với nội dung khác; bản đầu tiên được giữ"
			return release(res)
		}
		res.Status, res.Original, res.Code, res.Message = store.PushDuplicate, status, code, msg
		if status == store.PushConflict {
			res.Current = detail
		}
		return release(res)
	}
	out, err := checkedApply(ctx, tx, root, desk, op, sum[:])
	if err != nil {
		if e := sp.Rollback(); e != nil {
			return internalResult(op.OpID), &batchBroken{e}
		}
		var later *retryLater
		if errors.As(err, &later) {
			// An audit entry that does not chain yet is recorded on its
			// own, outside the op.
			if e := reportAuditBreak(tx, desk.DeskID, later); e != nil {
				return internalResult(op.OpID), fmt.Errorf("op %s: ghi nhận nhật ký đứt đoạn: %w", op.OpID, e)
			}
			code := CodeMissing
			if later.code != "" {
				code = later.code
			}
			return store.OpResult{OpID: op.OpID, Status: store.PushRejected, Code: code, Message: later.msg, Retryable: true}, nil
		}
		// A refusal is kept: its op_id and result, a chain break it
		// reports, the permit it revokes; in a savepoint of their own.
		var e error
		if sp, e = tx.Savepoint("apply_op"); e != nil {
			return internalResult(op.OpID), &batchBroken{e}
		}
		if _, e := tx.Exec(syncOpInsert, desk.DeskID, op.OpID, op.Entity, op.EntityID, sum[:], tx.Now.Unix()); e != nil {
			return fail(e)
		}
		if e := reportAuditBreak(tx, desk.DeskID, err); e != nil {
			return fail(e)
		}
		if out, err = refusal(tx, root, err); err != nil {
			return fail(err)
		}
	}
	var detail any
	if len(out.Current) > 0 {
		detail = []byte(out.Current)
	} else if out.Code == CodeArchived {
		detail = []byte(op.Payload)
	}
	if _, err := tx.Exec(`UPDATE sync_ops SET status = ?, code = ?, message = ?, detail = ? WHERE desk_id = ? AND op_id = ?`,
		out.Status, out.Code, out.Message, detail, desk.DeskID, op.OpID); err != nil {
		return fail(err)
	}
	out.OpID = op.OpID
	return release(out)
}

// checkedApply refuses, as a kept result, an op whose form is wrong or whose
// payload does not match the hash the desk computed; otherwise it applies it.
// Every answer but a missing op_id is kept, so a desk's books and the
// server's always agree on how many of its ops were settled.
func checkedApply(ctx context.Context, tx *store.Tx, root ed25519.PrivateKey, desk DeskAuth, op store.PushOp, sum []byte) (store.OpResult, error) {
	switch {
	case op.Entity == "" || len(op.Entity) > 32 || len(op.EntityID) > 128 || len(op.Op) > 32:
		return store.OpResult{}, &refused{status: store.PushRejected, code: CodeInvalid, msg: "thiếu loại bản ghi hoặc trường quá dài"}
	case len(op.Payload) == 0 || !json.Valid(op.Payload):
		return store.OpResult{}, &refused{status: store.PushRejected, code: CodeInvalid, msg: "nội dung không phải JSON"}
	case op.Hash != "" && !strings.EqualFold(op.Hash, hex.EncodeToString(sum)):
		return store.OpResult{}, &refused{status: store.PushRejected, code: CodeHash, msg: "mã băm không khớp nội dung: bản ghi trên máy bị hỏng"}
	}
	return applyOp(ctx, tx, root, desk, op)
}

// refusal turns a domain error into the op's stored result, revoking the
// permit a refused decision carried.
func refusal(tx *store.Tx, root ed25519.PrivateKey, err error) (store.OpResult, error) {
	var r *refused
	if errors.As(err, &r) {
		out := store.OpResult{Status: r.status, Code: r.code, Message: r.msg, Current: r.current}
		if r.serial != "" {
			reason := "máy chủ tỉnh thu hồi: " + r.msg
			if len([]rune(reason)) > 300 {
				reason = string([]rune(reason)[:300])
			}
			if err := revokeSerial(tx, root, r.serial, reason); err != nil {
				return out, err
			}
			out.Revoked = r.serial
			out.Message += "; giấy " + r.serial + " đã bị thu hồi"
		}
		return out, nil
	}
	var e *store.Error
	if errors.As(err, &e) {
		switch e.Code {
		case store.EForbidden:
			return store.OpResult{Status: store.PushForbidden, Code: CodeAuthority, Message: e.Error()}, nil
		case store.EConflict:
			return store.OpResult{Status: store.PushConflict, Code: CodeVersion, Message: e.Error()}, nil
		case store.EInvalid, store.ENotFound:
			return store.OpResult{Status: store.PushRejected, Code: CodeInvalid, Message: e.Error()}, nil
		}
	}
	return store.OpResult{}, err
}

func accepted() store.OpResult { return store.OpResult{Status: store.PushAccepted} }

func applyOp(ctx context.Context, tx *store.Tx, root ed25519.PrivateKey, desk DeskAuth, op store.PushOp) (store.OpResult, error) {
	units, err := tx.DB().Units(ctx)
	if err != nil {
		return store.OpResult{}, err
	}
	switch op.Entity {
	case "person":
		return accepted(), applyPerson(tx, units, desk, op)
	case "conflict":
		return accepted(), applyConflictOp(ctx, tx, units, desk, op)
	case "application":
		return accepted(), applyApplication(ctx, tx, units, desk, op)
	case "decision":
		return accepted(), applyDecision(ctx, tx, units, desk, op)
	case "revocation":
		return accepted(), applyRevocation(tx, root, desk, op)
	case "audit":
		return accepted(), applyAudit(tx, desk, op)
	case "enterprise":
		return accepted(), applyEnterprise(tx, units, desk, op)
	case "zone":
		return accepted(), applyZone(tx, units, desk, op)
	case "market":
		return accepted(), applyMarket(tx, desk, op)
	case store.ChangeOfficer:
		return accepted(), applyOfficer(tx, desk, op)
	case "scan":
		return accepted(), applyScan(tx, desk, op)
	case "voucher", "household":
		// Kept as sent, for the province's reports; no rule of this server
		// applies to them yet beyond this: a desk archives its own vouchers.
		if op.Entity == "voucher" && !desk.voucherSerial(op.EntityID) {
			return store.OpResult{}, forbidden("phiếu %s không thuộc dãy số của máy này", op.EntityID)
		}
		if op.Entity == "voucher" {
			if err := recordVoucher(tx, desk, op); err != nil {
				return store.OpResult{}, err
			}
		}
		return store.OpResult{Status: store.PushAccepted, Code: CodeArchived, Message: "đã lưu"}, nil
	}
	// Anything else is refused, not archived: kept as sent it would be held
	// forever under no rule and no bound.
	return store.OpResult{}, invalid("Nội dung", "máy chủ không nhận loại bản ghi %q", op.Entity)
}

// applyScan keeps a checkpoint's scan for the abuse report. The desk comes
// from the token, never from the payload. A voucher let in at a market
// entrance is relayed to the desks of the unit that issued it (the serial's
// first part), so a second entrance refuses it once it has pulled.
func applyScan(tx *store.Tx, desk DeskAuth, op store.PushOp) error {
	var e store.ScanEvent
	if err := decodeOp(op, &e); err != nil {
		return err
	}
	e.Desk = desk.DeskID
	added, err := tx.ApplyRemoteScans([]store.ScanEvent{e})
	if err != nil || added == 0 {
		return err
	}
	if e.Kind == seal.KindVoucher && (e.Verdict == seal.Valid || e.Verdict == seal.AlreadyUsed) {
		issuer, _, _ := strings.Cut(e.Serial, "-")
		if unit, err := strconv.ParseUint(issuer, 10, 32); err == nil {
			return feed(tx, uint32(unit), store.ChangeScan, e.ID, desk.DeskID)
		}
	}
	return nil
}

// voucherSerial reports whether serial is a market voucher this desk
// issued: 28291-1-2021-V000001 (IssueVouchers' numbering).
func (d DeskAuth) voucherSerial(serial string) bool {
	own := fmt.Sprintf("%d-%d-", d.Unit, d.Number)
	_, seq, ok := strings.Cut(strings.TrimPrefix(serial, own), "-V")
	return strings.HasPrefix(serial, own) && ok && seq != ""
}

func decodeOp(op store.PushOp, v any) error {
	if err := json.Unmarshal(op.Payload, v); err != nil {
		return invalid("Nội dung", "%s %s: %v", op.Entity, op.EntityID, err)
	}
	return nil
}

// resolve maps an ID a desk made to the server's record of the same thing.
func resolve(tx *store.Tx, entity, id string) string {
	if id == "" {
		return ""
	}
	var real string
	if err := tx.QueryRow(`SELECT id FROM id_aliases WHERE entity = ? AND alias = ?`, entity, id).Scan(&real); err == nil {
		return real
	}
	return id
}

func alias(tx *store.Tx, entity, alias, id string) error {
	if alias == id {
		return nil
	}
	_, err := tx.Exec(`INSERT INTO id_aliases (entity, alias, id) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET id = excluded.id`, entity, alias, id)
	return err
}

// applyPerson stores a holder under the first ID the province saw for that
// ID number; a later desk's ID becomes an alias, and its version is merged
// (mergePerson).
func applyPerson(tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var w wire.Person
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	p := store.PersonFromWire(w)
	if p.ID == "" {
		p.ID = op.EntityID
	}
	if p.EnterpriseID = resolve(tx, "enterprise", p.EnterpriseID); p.EnterpriseID != "" {
		if ok, err := tx.Exists(`SELECT 1 FROM enterprises WHERE id = ?`, p.EnterpriseID); err != nil {
			return err
		} else if !ok {
			return missingDep("chưa có doanh nghiệp %s", p.EnterpriseID)
		}
	}
	clean, err := store.NormalizePerson(p, units)
	if err != nil {
		return err
	}
	id := resolve(tx, "person", clean.ID)
	var existing string
	err = tx.QueryRow(`SELECT id FROM people WHERE id = ?`, id).Scan(&existing)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.QueryRow(`SELECT id FROM people WHERE id_number = ?`, clean.IDNumber).Scan(&existing)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.Exec(`INSERT INTO people (id, id_number, full_name, folded, birth_date, sex, phone, commune, hamlet, address,
			employer, enterprise_id, command_centre, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), 1, ?, ?)`,
			clean.ID, clean.IDNumber, clean.FullName, clean.Folded, clean.BirthDate.Format(time.DateOnly), clean.Sex, clean.Phone,
			clean.Commune, clean.Hamlet, clean.Address, clean.Employer, clean.EnterpriseID, clean.CommandCentre, tx.Now.Unix(), tx.Now.Unix())
		if err == nil {
			err = notePersonSource(tx, clean.ID, desk)
		}
	case err == nil:
		if err = alias(tx, "person", clean.ID, existing); err != nil {
			return err
		}
		err = mergePerson(tx, desk, existing, clean) // conflicts.go: an identity that differs is kept apart
	}
	if err != nil {
		if store.IsUniqueViolation(err) || store.IsForeignKeyViolation(err) {
			return invalid(store.FieldIDNumber, "không ghi được người %s: %v", clean.IDNumber, err)
		}
		return fmt.Errorf("ghi người %s: %w", clean.IDNumber, err)
	}
	return nil
}

// maxClockAheadDays is how far ahead of the centre's clock a desk's may run
// and its applications still be dated by it.
const maxClockAheadDays = 30

// applicationInsert is the one INSERT of an application, on a desk or on the
// server (it matches SubmitBatch's).
const applicationInsert = `INSERT INTO applications (id, number, person_id, category, purpose, purpose_note, area, route,
	valid_from, valid_until, hours_from, hours_to, vehicle, employer, enterprise_id, command_centre, source, status,
	queue_unit, received_unit, received_by, version, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, ''), NULLIF(?, 0), ?, ?, ?, ?, ?, 1, ?, ?)`

// applyApplication records a desk's application: validated as at the desk
// when it was made, routed by the server's own reading of the rules, and
// received by the pushing desk's unit whatever the payload says.
func applyApplication(ctx context.Context, tx *store.Tx, units *store.UnitIndex, desk DeskAuth, op store.PushOp) error {
	var w wire.Application
	if err := decodeOp(op, &w); err != nil {
		return err
	}
	a := store.ApplicationFromWire(w)
	if a.ID == "" || a.ID != op.EntityID {
		return invalid("Hồ sơ", "mã hồ sơ %q không khớp op (%q)", a.ID, op.EntityID)
	}
	if ok, err := tx.Exists(`SELECT 1 FROM applications WHERE id = ?`, a.ID); err != nil || ok {
		return err // already here (sent under another op): nothing to add
	}
	personID := resolve(tx, "person", a.PersonID)
	p, err := store.PersonByID(tx, personID)
	if errors.Is(err, sql.ErrNoRows) {
		return missingDep("chưa có người %s của hồ sơ %s", a.PersonID, a.Number)
	}
	if err != nil {
		return err
	}
	created := a.CreatedAt
	if created.IsZero() {
		created = tx.Now
	}
	// The desk's clock dates the application and its dates are checked
	// against it (a desk may push weeks later); a date far ahead of the
	// centre's would let a start in any year through.
	if created.After(tx.Now.AddDate(0, 0, maxClockAheadDays)) {
		return invalid(store.FieldValidity, "hồ sơ %s lập ngày %s, quá %d ngày sau giờ của máy chủ: đồng hồ của máy sai", a.Number, store.FormatDate(created), maxClockAheadDays)
	}
	if a.Source == "" {
		a.Source = store.SourceWalkIn
	}
	if a, err = store.NormalizeApplication(a, created, units, map[int]int{a.Category: maxDays(tx, a.Category)}); err != nil {
		return err
	}
	if a.Employer == 0 {
		a.Employer = p.Employer
	}
	if a.EnterpriseID = resolve(tx, "enterprise", a.EnterpriseID); a.EnterpriseID == "" {
		a.EnterpriseID = p.EnterpriseID
	}
	if a.CommandCentre == 0 {
		a.CommandCentre = p.CommandCentre
	}
	c := store.Case{Category: a.Category, Area: a.Area, Employer: a.Employer, CommandCentre: a.CommandCentre, Holder: p}
	if a.Category == store.CatWorker && a.EnterpriseID != "" {
		e, err := store.EnterpriseByID(tx, a.EnterpriseID)
		if errors.Is(err, sql.ErrNoRows) {
			return missingDep("chưa có doanh nghiệp %s của hồ sơ %s", a.EnterpriseID, a.Number)
		}
		if err != nil {
			return err
		}
		c.Enterprise = &e
	}
	if a.QueueUnit, err = units.Route(c); err != nil {
		return err
	}
	number, err := store.CleanText("Số hồ sơ", a.Number, 40)
	if err != nil || number == "" {
		return invalid("Số hồ sơ", "thiếu hoặc không hợp lệ")
	}
	// A desk numbers from its own counter only: a number of another desk's
	// series would take that desk's next application from it.
	if series := store.ApplicationSeries(store.Desk{Unit: desk.Unit, Number: desk.Number}); !strings.HasPrefix(number, series) {
		return invalid("Số hồ sơ", "số %s không thuộc dãy số của máy này (%s…)", number, series)
	}
	var hf, ht any
	if a.HasHours {
		hf, ht = a.HoursFrom, a.HoursTo
	}
	if _, err := tx.Exec(applicationInsert, a.ID, number, p.ID, a.Category, a.Purpose, a.PurposeNote, store.JoinCodes(a.Area), a.Route,
		a.ValidFrom.Unix(), a.ValidUntil.Unix(), hf, ht, a.Vehicle, a.Employer, a.EnterpriseID, a.CommandCentre, a.Source, store.StatusPending,
		a.QueueUnit, desk.Unit, a.ReceivedBy, created.Unix(), tx.Now.Unix()); err != nil {
		if store.IsUniqueViolation(err) || store.IsForeignKeyViolation(err) {
			return invalid("Hồ sơ", "không ghi được hồ sơ %s: %v", number, err)
		}
		return fmt.Errorf("ghi hồ sơ %s: %w", number, err)
	}
	return feedApp(tx, desk.DeskID, a.ID, a.QueueUnit, desk.Unit)
}

func officerByID(tx *store.Tx, id string) (store.Officer, error) {
	o, err := store.OfficerByID(tx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return o, forbidden("cán bộ %q không có trong danh sách tài khoản của tỉnh", id)
	}
	return o, err
}

// checkApprover: a decision or revocation names an approver of the pushing
// desk's unit, active, as the province's accounts say.
func checkApprover(tx *store.Tx, desk DeskAuth, id string) (store.Officer, error) {
	o, err := officerByID(tx, id)
	if err != nil {
		return o, err
	}
	switch {
	case !o.Active:
		return o, forbidden("tài khoản %s đã bị vô hiệu hóa", o.Username)
	case !o.Has(store.RoleApprover):
		return o, forbidden("tài khoản %s không có quyền duyệt", o.Username)
	case o.Unit != desk.Unit:
		return o, forbidden("tài khoản %s thuộc đơn vị khác máy này", o.Username)
	}
	return o, nil
}

// appState reads an application as desks receive it.
func appState(tx *store.Tx, id string) (store.AppState, error) { return appStateFrom(tx, id) }

func appStateFrom(q store.Queryer, id string) (store.AppState, error) {
	var st store.AppState
	a, err := store.ApplicationByID(q, id)
	if err != nil {
		return st, err
	}
	st.Application = a
	if st.Person, err = store.PersonByID(q, a.PersonID); err != nil {
		return st, err
	}
	if a.EnterpriseID != "" {
		var e store.Enterprise
		if err := q.QueryRow(`SELECT id, name, tax_code, district, managing_unit FROM enterprises WHERE id = ?`, a.EnterpriseID).
			Scan(&e.ID, &e.Name, &e.TaxCode, &e.District, &e.ManagingUnit); err == nil {
			st.Enterprise = &e
		}
	}
	if pm, err := store.PermitOfApplication(q, id); err == nil {
		st.Permit = &pm
	}
	return st, nil
}
