package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"thonghanh/store/seal"
)

// DecisionResult is the outcome for one application of a bulk decision: one
// refused application does not sink the others.
type DecisionResult struct {
	ApplicationID string
	Serial        string // the permit issued, on approval
	Err           error
	warn          message // what the approver should look at again (Warning)
}

// decisionBatch is one transaction's decisions on a chunk of applications:
// the records read ahead for it (prefetch) and each commune's zones, which
// live as long as the chunk, not the transaction.
type decisionBatch struct {
	tx *Tx
	// apps and peopleByID hold the chunk's records (prefetch).
	apps       map[string]Application
	peopleByID map[string]Person
	// zones caches each commune's zones for category-5 decisions.
	zones map[uint32]zoneSet
}

// Decidable checks, inside tx, that officer's unit holds a, an application
// just read, and may decide it: the desk's own rule, for the centre to apply
// to a pushed decision. It returns the application, its holder and the
// verdict, as a desk's approval reads them.
func Decidable(ctx context.Context, tx *Tx, officer Officer, units *UnitIndex, a Application) (Application, Person, Authority, error) {
	b := &decisionBatch{tx: tx, apps: map[string]Application{a.ID: a}}
	return b.decidable(ctx, officer, units, a.ID)
}

// Warning is what the approver should look at again on an approval (the
// holder's home outside the area), in English when english is set; "" for
// none.
func (r DecisionResult) Warning(english bool) string { return r.warn.text(english) }

// decidable loads an application for a decision inside tx and checks that
// officer's unit holds it and may decide it.
func (b *decisionBatch) decidable(ctx context.Context, officer Officer, units *UnitIndex, id string) (Application, Person, Authority, error) {
	tx := b.tx
	var a Application
	var err error
	if cached, ok := b.apps[id]; ok {
		a = cached
		delete(b.apps, id) // a repeated ID reads the row again, decided by then in decideEach (Approve checks repeats itself)
	} else {
		a, err = scanApplication(tx.QueryRow(`SELECT `+applicationColumns+` FROM applications WHERE id = ?`, id))
	}
	if errors.Is(err, sql.ErrNoRows) {
		return a, Person{}, Authority{}, notFound("không có hồ sơ %s", id)
	}
	if err != nil {
		return a, Person{}, Authority{}, err
	}
	if a.Status != StatusPending && a.Status != StatusForwarded {
		return a, Person{}, Authority{}, conflict("hồ sơ %s đã %s", a.Number, strings.ToLower(StatusName(a.Status)))
	}
	if a.QueueUnit != officer.Unit {
		return a, Person{}, Authority{}, forbidden("hồ sơ %s nằm trong hàng chờ của %s, không phải của đơn vị bạn", a.Number, units.Name(a.QueueUnit))
	}
	p, ok := b.peopleByID[a.PersonID]
	if !ok {
		p, err = scanPerson(tx.QueryRow(`SELECT `+personColumns+` FROM people WHERE id = ?`, a.PersonID))
	}
	if err != nil {
		return a, p, Authority{}, fmt.Errorf("đọc người nộp hồ sơ %s: %w", a.Number, err)
	}
	decider, _ := units.Get(officer.Unit)
	c := Case{Category: a.Category, Area: a.Area, Employer: a.Employer, CommandCentre: a.CommandCentre, Status: a.Status, Holder: p}
	if a.EnterpriseID != "" {
		if e, err := tx.enterprise(a.EnterpriseID); err == nil {
			c.Enterprise = &e
		}
	}
	if a.Category == CatZone {
		z, ok := b.zones[p.Commune]
		if !ok {
			if z, err = tx.db.zoneCover(ctx, p.Commune); err != nil {
				return a, p, Authority{}, err
			}
			if b.zones == nil {
				b.zones = map[uint32]zoneSet{}
			}
			b.zones[p.Commune] = z
		}
		c.InZone = z.covers(p.Commune, p.Hamlet)
	}
	return a, p, units.Decide(decider, c), nil
}

// prefetch reads a chunk's applications and their holders in two queries,
// so deciding two hundred does not cost four hundred lookups.
func (b *decisionBatch) prefetch(ids []string) error {
	tx := b.tx
	b.apps = make(map[string]Application, len(ids))
	b.peopleByID = make(map[string]Person, len(ids))
	keys := make([]any, len(ids))
	for i, id := range ids {
		keys[i] = id
	}
	err := tx.queryIn(`SELECT `+applicationColumns+` FROM applications WHERE id IN`, keys, func(r *sql.Rows) error {
		a, err := scanApplication(r)
		b.apps[a.ID] = a
		return err
	})
	if err != nil {
		return err
	}
	persons := make([]any, 0, len(b.apps))
	seen := map[string]bool{}
	for _, a := range b.apps {
		if !seen[a.PersonID] {
			seen[a.PersonID] = true
			persons = append(persons, a.PersonID)
		}
	}
	if len(persons) == 0 {
		return nil
	}
	return tx.queryIn(`SELECT `+personColumns+` FROM people WHERE id IN`, persons, func(r *sql.Rows) error {
		p, err := scanPerson(r)
		b.peopleByID[p.ID] = p
		return err
	})
}

// signingDesk checks that this desk may sign for officer with signer: an
// unlocked key, the officer's own unit, and the key certified for the desk.
func (db *DB) signingDesk(ctx context.Context, officer Officer, signer *seal.Signer) (*UnitIndex, Desk, error) {
	if signer == nil {
		return nil, Desk{}, forbidden("khóa ký của máy chưa được mở: đăng nhập bằng tài khoản người duyệt")
	}
	units, err := db.Units(ctx)
	if err != nil {
		return nil, Desk{}, err
	}
	desk, err := db.Desk(ctx)
	if err != nil {
		return nil, Desk{}, err
	}
	if desk.Unit != officer.Unit {
		return nil, Desk{}, forbidden("máy này của %s, không ký thay đơn vị khác", units.Name(desk.Unit))
	}
	if len(desk.PublicKey) > 0 && seal.KID(desk.PublicKey) != signer.KID() {
		return nil, Desk{}, forbidden("khóa ký không phải khóa đã chứng nhận cho máy này")
	}
	return units, desk, nil
}

func requireApprover(o Officer) error {
	if !o.Has(RoleApprover) {
		return forbidden("chỉ người duyệt mới được quyết định hồ sơ (tài khoản %s không có quyền này)", o.Username)
	}
	return nil
}

// approve is Approve, and with a reason ApproveOverlapping.
func (db *DB) approve(ctx context.Context, officer Officer, signer *seal.Signer, ids []string, overlapReason string) ([]DecisionResult, error) {
	if err := requireApprover(officer); err != nil {
		return nil, err
	}
	units, desk, err := db.signingDesk(ctx, officer, signer)
	if err != nil {
		return nil, err
	}
	results := make([]DecisionResult, len(ids))
	err = db.Write(ctx, func(tx *Tx) error {
		insert, err := tx.Prepare(`INSERT INTO permits (serial, application_id, unit, desk_no, category, holder_name, folded, id_number,
			valid_from, valid_until, qr, approved_by, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		update, err := tx.Prepare(`UPDATE applications SET status = 'approved', decided_by = ?, decided_at = ?, version = version + 1,
			updated_at = ? WHERE id = ? AND version = ?`)
		if err != nil {
			return err
		}
		batch := &decisionBatch{tx: tx}
		if err := batch.prefetch(ids); err != nil {
			return err
		}
		// First every check and every serial, then signing and writing as a
		// pipeline: one goroutine seals permits in order while this one
		// writes those already sealed, so the signature costs next to
		// nothing on a desk with two cores.
		type approval struct {
			i       int
			a       Application
			payload seal.Payload
		}
		var work []approval
		chosen := make(map[string]bool, len(ids))
		dup := newOverlapCheck(officer, units, ids, overlapReason)
		for i, id := range ids {
			results[i].ApplicationID = id
			a, p, auth, err := batch.decidable(ctx, officer, units, id)
			if err == nil && !auth.Allowed {
				err = auth.refusal()
			}
			if err == nil && chosen[id] {
				// Listed twice: the writes come after every check, so the
				// second would find the row still pending. One permit only.
				err = conflict("hồ sơ %s đã %s", a.Number, strings.ToLower(StatusName(StatusApproved)))
			}
			chosen[id] = true
			if err == nil {
				var domain *Error
				if results[i].warn, err = dup.check(tx, a, p); err != nil && !errors.As(err, &domain) {
					return err
				}
			}
			if err != nil {
				results[i].Err = err
				continue
			}
			payload, err := tx.permitPayload(desk, a, p)
			if err != nil {
				return err
			}
			work = append(work, approval{i: i, a: a, payload: payload})
		}
		// The sealer also builds each decision's op (JSON and hash): only
		// the writes stay on this goroutine.
		type sealed struct {
			permit Permit
			op     []byte
			err    error
		}
		out := make(chan sealed, 64)
		stop := make(chan struct{})
		defer close(stop) // on any early return the sealer stops too
		go func() {
			defer close(out)
			for _, w := range work {
				var s sealed
				qr, err := signer.Seal(w.payload)
				if err != nil {
					s.err = fmt.Errorf("ký giấy %s: %w", w.payload.Serial, err)
				} else {
					s.permit = Permit{Serial: w.payload.Serial, ApplicationID: w.a.ID, Unit: desk.Unit, DeskNo: desk.Number,
						Category: w.a.Category, HolderName: w.payload.Name, IDNumber: w.payload.IDNumber, ValidFrom: w.a.ValidFrom,
						ValidUntil: w.a.ValidUntil, QR: qr, ApprovedBy: officer.ID, IssuedAt: tx.Now}
					s.op, s.err = json.Marshal(Decision{ApplicationID: w.a.ID, ExpectedVersion: w.a.Version, Outcome: StatusApproved,
						Officer: officer.ID, Unit: officer.Unit, At: tx.Now.Unix(), Permit: &s.permit})
				}
				select {
				case out <- s:
				case <-stop:
					return
				}
			}
		}()
		for _, w := range work {
			s := <-out
			if s.err != nil {
				return s.err
			}
			a, permit := w.a, s.permit
			if _, err := insert.Exec(permit.Serial, permit.ApplicationID, permit.Unit, permit.DeskNo, permit.Category, permit.HolderName,
				Fold(permit.HolderName), permit.IDNumber, permit.ValidFrom.Unix(), permit.ValidUntil.Unix(), permit.QR, permit.ApprovedBy,
				permit.IssuedAt.Unix()); err != nil {
				return fmt.Errorf("ghi giấy %s: %w", permit.Serial, err)
			}
			if _, err := update.Exec(officer.ID, tx.Now.Unix(), tx.Now.Unix(), a.ID, a.Version); err != nil {
				return err
			}
			if err := tx.Audit(officer.ID, officer.Unit, ActionApprove, "application", a.ID, "cấp giấy "+permit.Serial); err != nil {
				return err
			}
			if err := tx.enqueueJSON("decision", a.ID, "decide", s.op); err != nil {
				return err
			}
			results[w.i].Serial = permit.Serial
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// Reject refuses the applications with a reason the applicant will be told.
func (db *DB) Reject(ctx context.Context, officer Officer, ids []string, reason string) ([]DecisionResult, error) {
	reason, err := CleanText(FieldReason, reason, 300)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, invalid(FieldReason, "phải ghi lý do từ chối")
	}
	return db.decideEach(ctx, officer, ids, func(tx *Tx, a Application, auth Authority) (Decision, error) {
		if !auth.MayReject() {
			return Decision{}, auth.refusal()
		}
		_, err := tx.Exec(`UPDATE applications SET status = 'rejected', reason = ?, decided_by = ?, decided_at = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, reason, officer.ID, tx.Now.Unix(), tx.Now.Unix(), a.ID, a.Version)
		return Decision{Outcome: StatusRejected, Reason: reason}, err
	})
}

// Forward passes requests on: category-4 requests whose area leaves the
// district up to the district People's Committee, and any request this
// unit may not decide to the unit that may (Authority.ForwardTo).
func (db *DB) Forward(ctx context.Context, officer Officer, ids []string) ([]DecisionResult, error) {
	return db.decideEach(ctx, officer, ids, func(tx *Tx, a Application, auth Authority) (Decision, error) {
		if !auth.Forward {
			if auth.Allowed {
				return Decision{}, forbidden("hồ sơ %s thuộc thẩm quyền đơn vị bạn, không cần chuyển", a.Number)
			}
			return Decision{}, auth.refusal()
		}
		_, err := tx.Exec(`UPDATE applications SET status = 'forwarded', queue_unit = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, auth.ForwardTo, tx.Now.Unix(), a.ID, a.Version)
		return Decision{Outcome: StatusForwarded, ForwardTo: auth.ForwardTo}, err
	})
}

// decideEach runs one non-signing decision per application in one
// transaction, with its audit entry and outbox op.
func (db *DB) decideEach(ctx context.Context, officer Officer, ids []string,
	apply func(tx *Tx, a Application, auth Authority) (Decision, error)) ([]DecisionResult, error) {
	if err := requireApprover(officer); err != nil {
		return nil, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	results := make([]DecisionResult, len(ids))
	err = db.Write(ctx, func(tx *Tx) error {
		batch := &decisionBatch{tx: tx}
		if err := batch.prefetch(ids); err != nil {
			return err
		}
		for i, id := range ids {
			results[i].ApplicationID = id
			a, _, auth, err := batch.decidable(ctx, officer, units, id)
			if err != nil {
				results[i].Err = err
				continue
			}
			d, err := apply(tx, a, auth)
			var domain *Error
			if errors.As(err, &domain) {
				results[i].Err = err
				continue
			}
			if err != nil {
				return err
			}
			d.ApplicationID, d.ExpectedVersion, d.Officer, d.Unit, d.At = a.ID, a.Version, officer.ID, officer.Unit, tx.Now.Unix()
			action := map[string]string{StatusRejected: ActionReject, StatusForwarded: ActionForward}[d.Outcome]
			if err := tx.Audit(officer.ID, officer.Unit, action, "application", a.ID, d.Reason); err != nil {
				return err
			}
			if err := tx.enqueue("decision", a.ID, "decide", d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// permitPayload numbers the permit for a and states what its seal carries.
func (tx *Tx) permitPayload(desk Desk, a Application, p Person) (seal.Payload, error) {
	year := tx.Now.In(Vietnam).Year()
	seq, err := tx.nextCounter(fmt.Sprintf("permit.%d", year))
	if err != nil {
		return seal.Payload{}, err
	}
	return seal.Payload{
		Kind: seal.KindPermit, Serial: fmt.Sprintf("%d-%d-%d-%06d", desk.Unit, desk.Number, year, seq), Unit: desk.Unit,
		Category: uint8(a.Category), Name: p.FullName, IDNumber: p.IDNumber, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil,
		HasHours: a.HasHours, HoursFrom: a.HoursFrom, HoursTo: a.HoursTo,
		Area: a.Area, Route: a.Route, Purpose: seal.Purpose(a.Purpose), IssuedAt: tx.Now, Vehicle: a.Vehicle,
	}, nil
}
