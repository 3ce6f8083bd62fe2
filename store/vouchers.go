package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"thonghanh/store/seal"
	"thonghanh/store/slots"
)

// VoucherPlan is a split previewed for one zone, ready to issue. It holds
// the inputs it was made from, so IssueVouchers can tell when the list or
// the markets changed in between.
type VoucherPlan struct {
	Zone       Zone
	Markets    []Market    // in the order given to slots.Split (Plan's market indices)
	Households []Household // in the order given to slots.Split (Plan's household indices)
	Numbers    []int       // each household's odd/even number
	Params     slots.Params
	Plan       *slots.Plan
	// AlreadyIssued counts households of the plan already holding a voucher
	// (not revoked) in the period; IssueVouchers refuses while it is not 0.
	AlreadyIssued int

	slotMarkets []slots.Market
	digest      string
}

// Count is the number of vouchers the plan issues.
func (p *VoucherPlan) Count() int { return len(p.Plan.Trips) }

// Capacity is the per-market summary for a preview.
func (p *VoucherPlan) Capacity() []slots.CapacityRow { return p.Plan.Capacity(p.slotMarkets) }

// SlotMarkets are the markets as given to slots.Split.
func (p *VoucherPlan) SlotMarkets() []slots.Market { return p.slotMarkets }

// End is the midnight after the period's last day.
func (p *VoucherPlan) End() time.Time { return p.Plan.Start.AddDate(0, 0, p.Plan.Days) }

// ZoneByID returns a zone.
func (db *DB) ZoneByID(ctx context.Context, id string) (Zone, error) {
	return zoneByID(ctx, db.sql, id)
}

// voucherReader is what loading a zone's inputs needs: the database outside
// a transaction (preview), the SQL transaction inside one (issue), read
// directly since none of these reads names the outbox.
type voucherReader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func zoneByID(ctx context.Context, q voucherReader, id string) (Zone, error) {
	var z Zone
	var hs string
	err := q.QueryRowContext(ctx, `SELECT id, commune, name, risk, hamlets FROM zones WHERE id = ?`, id).
		Scan(&z.ID, &z.Commune, &z.Name, &z.Risk, &hs)
	if errors.Is(err, sql.ErrNoRows) {
		return z, notFound("không có vùng %s", id)
	}
	z.Hamlets = splitLines(hs)
	return z, err
}

// voucherInputs is what a split is made from, and its digest.
type voucherInputs struct {
	zone       Zone
	markets    []Market
	households []Household
	digest     string
}

func loadVoucherInputs(ctx context.Context, q voucherReader, zoneID string) (voucherInputs, error) {
	var in voucherInputs
	var err error
	if in.zone, err = zoneByID(ctx, q, zoneID); err != nil {
		return in, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, zone_id, name, hamlets, open_minute, close_minute, capacity FROM markets
		WHERE zone_id = ? AND active = 1 ORDER BY name, id`, zoneID)
	if err != nil {
		return in, err
	}
	for rows.Next() {
		var m Market
		var hs string
		if err := rows.Scan(&m.ID, &m.ZoneID, &m.Name, &hs, &m.OpenMinute, &m.CloseMinute, &m.Capacity); err != nil {
			rows.Close()
			return in, err
		}
		m.Hamlets = splitLines(hs)
		in.markets = append(in.markets, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return in, err
	}
	want := map[string]bool{}
	for _, h := range in.zone.Hamlets {
		want[Fold(h)] = true
	}
	rows, err = q.QueryContext(ctx, `SELECT id, commune, code, representative, id_number, hamlet, address, phone, members, updated_at
		FROM households WHERE commune = ? ORDER BY code`, in.zone.Commune)
	if err != nil {
		return in, err
	}
	defer rows.Close()
	for rows.Next() {
		var h Household
		var updated int64
		if err := rows.Scan(&h.ID, &h.Commune, &h.Code, &h.Representative, &h.IDNumber, &h.Hamlet, &h.Address, &h.Phone,
			&h.Members, &updated); err != nil {
			return in, err
		}
		if len(want) > 0 && !want[Fold(h.Hamlet)] {
			continue // outside the zone: no voucher, the household may go out with a category-4 permit instead
		}
		h.UpdatedAt = time.Unix(updated, 0)
		in.households = append(in.households, h)
	}
	if err := rows.Err(); err != nil {
		return in, err
	}
	in.digest = digestInputs(in)
	return in, nil
}

// digestInputs hashes every field a voucher or its split depends on.
func digestInputs(in voucherInputs) string {
	h := sha256.New()
	var n [8]byte
	put := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	putInt := func(v int64) {
		binary.BigEndian.PutUint64(n[:], uint64(v))
		h.Write(n[:])
	}
	put(in.zone.ID)
	putInt(int64(in.zone.Commune))
	put(strings.Join(in.zone.Hamlets, "\n"))
	for _, m := range in.markets {
		put(m.ID)
		put(m.Name)
		put(strings.Join(m.Hamlets, "\n"))
		putInt(int64(m.OpenMinute))
		putInt(int64(m.CloseMinute))
		putInt(int64(m.Capacity))
	}
	putInt(-1)
	for _, x := range in.households {
		put(x.ID)
		put(x.Code)
		put(x.Representative)
		put(x.IDNumber)
		put(x.Hamlet)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// householdNumber is the number the odd/even pattern reads: the trailing
// number of the household's code ("AP1-017" → 17), as communes number
// houses; a code with no trailing digits takes its place in the list.
func householdNumber(code string, place int) int {
	i := len(code)
	for i > 0 && code[i-1] >= '0' && code[i-1] <= '9' {
		i--
	}
	digits := code[i:]
	if len(digits) > 9 {
		digits = digits[len(digits)-9:] // the last digits decide odd or even; no overflow
	}
	if n, err := strconv.Atoi(digits); err == nil {
		return n
	}
	return place
}

// PlanVouchers previews the split of a zone's households over its markets.
// Nothing is written. When the markets cannot carry the demand the error
// wraps *slots.ShortageError with the numbers (errors.As finds it).
func (db *DB) PlanVouchers(ctx context.Context, zoneID string, params slots.Params) (*VoucherPlan, error) {
	in, err := loadVoucherInputs(ctx, db.sql, zoneID)
	if err != nil {
		return nil, err
	}
	if params.Start.IsZero() {
		return nil, invalid("Ngày bắt đầu", "chưa chọn ngày bắt đầu của đợt")
	}
	params.Start = StartOfDay(params.Start)
	if params.Start.Before(StartOfDay(db.Now())) {
		return nil, invalid("Ngày bắt đầu", "ngày %s đã qua: đợt phát phiếu phải bắt đầu từ hôm nay trở đi", FormatDate(params.Start))
	}
	if len(in.markets) == 0 {
		return nil, invalid("Chợ", "vùng %s chưa có chợ nào: quản trị viên thêm chợ trước (thonghanh market add)", in.zone.Name)
	}
	if len(in.households) == 0 {
		return nil, invalid("Hộ", "vùng %s chưa có hộ nào trong danh sách: nhập danh sách hộ của xã trước", in.zone.Name)
	}
	p := &VoucherPlan{Zone: in.zone, Markets: in.markets, Households: in.households, Params: params, digest: in.digest}
	hh := make([]slots.Household, len(in.households))
	p.Numbers = make([]int, len(in.households))
	for i, h := range in.households {
		p.Numbers[i] = householdNumber(h.Code, i+1)
		hh[i] = slots.Household{Code: h.Code, Number: p.Numbers[i], Hamlet: h.Hamlet}
	}
	p.slotMarkets = make([]slots.Market, len(in.markets))
	for i, m := range in.markets {
		p.slotMarkets[i] = slots.Market{ID: m.ID, Name: m.Name, Hamlets: m.Hamlets, OpenMinute: m.OpenMinute,
			CloseMinute: m.CloseMinute, Capacity: m.Capacity}
	}
	p.Plan, err = slots.Split(hh, p.slotMarkets, params)
	if err != nil {
		return nil, splitError(err)
	}
	held, err := householdsHolding(ctx, db.sql, in.zone.Commune, p.Plan.Start, p.End())
	if err != nil {
		return nil, err
	}
	for _, h := range in.households {
		if held[h.ID] {
			p.AlreadyIssued++
		}
	}
	return p, nil
}

// splitError gives the algorithm's typed errors a store code, keeping them
// reachable with errors.As for the numbers.
func splitError(err error) error {
	var short *slots.ShortageError
	var input *slots.InputError
	switch {
	case errors.As(err, &short):
		return &Error{Code: EInvalid, Message: short.Error(), Err: err}
	case errors.As(err, &input):
		return &Error{Code: EInvalid, Message: input.Msg, Err: err}
	}
	return err
}

// householdsHolding returns the households of a commune that hold a voucher
// (not revoked) with a slot inside [from, until).
func householdsHolding(ctx context.Context, q voucherReader, commune uint32, from, until time.Time) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT v.household_id FROM vouchers v JOIN households h ON h.id = v.household_id
		WHERE h.commune = ? AND v.slot_start < ? AND v.slot_end > ? AND v.serial NOT IN (SELECT serial FROM revocations)`,
		commune, until.Unix(), from.Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func requireVoucherIssuer(o Officer) error {
	if !o.Has(RoleApprover) {
		return forbidden("chỉ người duyệt mới được phát phiếu đi chợ (tài khoản %s không có quyền này)", o.Username)
	}
	return nil
}

// IssueVouchers seals one voucher per trip of the plan with the desk's key.
// Only an approver of the zone's commune may issue (category 5 is the
// commune's, for the households of its zones). Every voucher, its outbox op
// and one audit entry commit in one transaction; on any error nothing is
// written. It refuses a plan whose list or markets changed since the
// preview, a household already holding a voucher in the period, and any
// slot that would go over its market's capacity, counting vouchers issued
// before.
func (db *DB) IssueVouchers(ctx context.Context, officer Officer, signer *seal.Signer, plan *VoucherPlan) ([]string, error) {
	if err := requireVoucherIssuer(officer); err != nil {
		return nil, err
	}
	if plan == nil || plan.Plan == nil || len(plan.Plan.Trips) == 0 {
		return nil, invalid("Kế hoạch", "chưa có kế hoạch chia lượt để phát phiếu")
	}
	units, desk, err := db.signingDesk(ctx, officer, signer)
	if err != nil {
		return nil, err
	}
	decider, _ := units.Get(officer.Unit)
	if StartOfDay(plan.Plan.Start).Before(StartOfDay(db.Now())) {
		return nil, invalid("Ngày bắt đầu", "đợt bắt đầu %s đã qua: xem trước lại với ngày mới", FormatDate(plan.Plan.Start))
	}

	var serials []string
	err = db.Write(ctx, func(tx *Tx) error {
		serials = serials[:0]
		in, err := loadVoucherInputs(ctx, tx.sqlTx, plan.Zone.ID)
		if err != nil {
			return err
		}
		// From here on only what the database holds is sealed: the zone, its
		// households and markets as read in this transaction (the same as the
		// preview's, by the digest), never the plan's exported copies.
		if in.digest != plan.digest {
			return conflict("danh sách hộ, vùng hoặc chợ đã thay đổi sau khi xem trước: hãy xem trước lại rồi mới phát phiếu")
		}
		if auth := units.Decide(decider, Case{Category: CatZone, Holder: Person{Commune: in.zone.Commune}, InZone: true}); !auth.Allowed {
			return auth.refusal()
		}
		from, until := plan.Plan.Start, plan.End()
		for _, t := range plan.Plan.Trips {
			if t.Household < 0 || t.Household >= len(in.households) || t.Market < 0 || t.Market >= len(in.markets) ||
				!t.End.After(t.Start) || t.Start.Before(from) || !t.Start.Before(until) {
				return invalid("Kế hoạch", "kế hoạch chia lượt không khớp danh sách hộ và chợ: hãy xem trước lại")
			}
		}
		held, err := householdsHolding(ctx, tx.sqlTx, in.zone.Commune, from, until)
		if err != nil {
			return err
		}
		var holding []string
		for _, h := range in.households {
			if held[h.ID] {
				holding = append(holding, h.Code)
			}
		}
		if len(holding) > 0 {
			shown := holding[:min(len(holding), 5)]
			more := ""
			if len(holding) > len(shown) {
				more = fmt.Sprintf(" và %d hộ khác", len(holding)-len(shown))
			}
			return conflict("%d hộ đã có phiếu đi chợ trong đợt %s–%s (%s%s): thu hồi phiếu cũ hoặc chọn đợt khác",
				len(holding), FormatDate(from), FormatDate(until.AddDate(0, 0, -1)), strings.Join(shown, ", "), more)
		}
		if err := tx.checkVoucherCapacity(ctx, in.markets, plan.Plan.Trips, from, until); err != nil {
			return err
		}

		insert, err := tx.Prepare(`INSERT INTO vouchers (serial, household_id, market_id, slot_start, slot_end, qr, issued_by, issued_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		year := tx.Now.In(Vietnam).Year()
		counter := fmt.Sprintf("voucher.%d", year)
		for _, t := range plan.Plan.Trips {
			h := in.households[t.Household]
			m := in.markets[t.Market]
			seq, err := tx.nextCounter(counter)
			if err != nil {
				return err
			}
			// V keeps voucher serials apart from the same desk's permit serials.
			serial := fmt.Sprintf("%d-%d-%d-V%06d", desk.Unit, desk.Number, year, seq)
			// The representative's name and the market's name are printed
			// beside the QR but not sealed in it: with them a voucher needs QR
			// version 13, over the 11 at level Q that QR-FORMAT.md budgets for
			// cheap paper (store/seal's TestVoucherWithNameSize). The entrance
			// checks the sealed ID number, household code, slot and commune.
			qr, err := signer.Seal(seal.Payload{
				Kind: seal.KindVoucher, Serial: serial, Unit: desk.Unit, Category: CatZone,
				IDNumber: h.IDNumber, ValidFrom: t.Start, ValidUntil: t.End,
				Area: []uint32{in.zone.Commune}, IssuedAt: tx.Now, Household: h.Code,
			})
			if err != nil {
				return fmt.Errorf("ký phiếu %s (hộ %s): %w", serial, h.Code, err)
			}
			if _, err := insert.Exec(serial, h.ID, m.ID, t.Start.Unix(), t.End.Unix(), qr, officer.ID, tx.Now.Unix()); err != nil {
				return fmt.Errorf("ghi phiếu %s: %w", serial, err)
			}
			v := Voucher{Serial: serial, HouseholdID: h.ID, HouseholdCode: h.Code, Commune: h.Commune, Hamlet: h.Hamlet,
				MarketID: m.ID, MarketName: m.Name, ZoneID: in.zone.ID, SlotStart: t.Start, SlotEnd: t.End, QR: qr,
				IssuedBy: officer.ID, IssuedAt: tx.Now, Representative: h.Representative, IDNumber: h.IDNumber, Unit: desk.Unit}
			if err := tx.enqueue("voucher", serial, "issue", v); err != nil {
				return err
			}
			serials = append(serials, serial)
		}
		detail := fmt.Sprintf("phát %d phiếu đi chợ cho %d hộ, %s–%s (%s … %s)", len(serials), len(in.households),
			FormatDate(from), FormatDate(until.AddDate(0, 0, -1)), serials[0], serials[len(serials)-1])
		return tx.Audit(officer.ID, officer.Unit, ActionIssue, "zone", in.zone.ID, detail)
	})
	if err != nil {
		return nil, err
	}
	return serials, nil
}

// checkVoucherCapacity refuses a plan that would put more households in a
// market slot than it holds, counting the vouchers already issued there.
// slots.Split never overfills on its own; this is the store's guard, since
// an earlier plan may have used the same slots.
func (tx *Tx) checkVoucherCapacity(ctx context.Context, markets []Market, trips []slots.Trip, from, until time.Time) error {
	type slotKey struct {
		market string
		start  int64
	}
	load := map[slotKey]int{}
	capacity := map[string]int{}
	ids := make([]any, 0, len(markets)+2)
	for _, m := range markets {
		capacity[m.ID] = m.Capacity
		ids = append(ids, m.ID)
	}
	ids = append(ids, from.Unix(), until.Unix())
	// The IN list changes the statement's text with every zone's number of
	// markets, so it bypasses the statement cache, as queryIn does.
	rows, err := tx.sqlTx.QueryContext(ctx, `SELECT market_id, slot_start, COUNT(*) FROM vouchers
		WHERE market_id IN (`+strings.Repeat("?,", len(markets)-1)+`?) AND slot_start >= ? AND slot_start < ?
		AND serial NOT IN (SELECT serial FROM revocations) GROUP BY market_id, slot_start`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k slotKey
		var n int
		if err := rows.Scan(&k.market, &k.start, &n); err != nil {
			return err
		}
		load[k] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range trips {
		load[slotKey{markets[t.Market].ID, t.Start.Unix()}]++
	}
	keys := make([]slotKey, 0, len(load))
	for k := range load {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b slotKey) int {
		return cmp.Or(cmp.Compare(a.start, b.start), strings.Compare(a.market, b.market))
	})
	for _, k := range keys {
		if c, ok := capacity[k.market]; ok && load[k] > c {
			name := k.market
			for _, m := range markets {
				if m.ID == k.market {
					name = m.Name
				}
			}
			return conflict("%s khung %s: %d hộ, quá sức chứa %d hộ mỗi khung (tính cả phiếu đã phát trước): xem trước lại",
				name, FormatDateTime(time.Unix(k.start, 0)), load[k], c)
		}
	}
	return nil
}

// VoucherFilter selects issued vouchers; zero fields select everything.
type VoucherFilter struct {
	Commune     uint32
	ZoneID      string
	HouseholdID string
	Serials     []string  // exact serials
	IssuedFrom  time.Time // issued at or after
	IssuedUntil time.Time // issued before
	SlotFrom    time.Time // slot starting at or after
	SlotUntil   time.Time // slot starting before
	Unused      bool      // only vouchers not yet used at a market entrance
	Limit       int
}

const voucherSelect = `SELECT v.serial, v.household_id, h.code, h.commune, h.hamlet, h.representative, h.id_number,
	v.market_id, m.name, m.zone_id, v.slot_start, v.slot_end, v.qr, v.issued_by, v.issued_at, v.used_at, v.printed,
	EXISTS (SELECT 1 FROM revocations r WHERE r.serial = v.serial)
	FROM vouchers v JOIN households h ON h.id = v.household_id JOIN markets m ON m.id = v.market_id`

func scanVoucher(row interface{ Scan(...any) error }) (Voucher, error) {
	var v Voucher
	var start, end, issued, used int64
	err := row.Scan(&v.Serial, &v.HouseholdID, &v.HouseholdCode, &v.Commune, &v.Hamlet, &v.Representative, &v.IDNumber,
		&v.MarketID, &v.MarketName, &v.ZoneID, &start, &end, &v.QR, &v.IssuedBy, &issued, &used, &v.Printed, &v.Revoked)
	if err != nil {
		return v, err
	}
	v.SlotStart, v.SlotEnd, v.IssuedAt = time.Unix(start, 0), time.Unix(end, 0), time.Unix(issued, 0)
	if used > 0 {
		v.UsedAt = time.Unix(used, 0)
	}
	v.Unit = v.Commune
	if _, p, _, _, err := seal.Decode(v.QR); err == nil {
		v.IDNumber, v.Unit = p.IDNumber, p.Unit
		if p.Name != "" {
			v.Representative = p.Name
		}
	}
	return v, nil
}

// Voucher returns the voucher with serial.
func (db *DB) Voucher(ctx context.Context, serial string) (Voucher, error) {
	v, err := scanVoucher(db.sql.QueryRowContext(ctx, voucherSelect+` WHERE v.serial = ?`, strings.TrimSpace(serial)))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("không có phiếu đi chợ số %s", serial)
	}
	return v, err
}

// voucherSerialChunk keeps a serial list's IN (…) well below SQLite's
// limit on bound parameters.
const voucherSerialChunk = 500

// Vouchers lists vouchers by issue order (issued at, then serial). With
// Serials, they come back in the order given, unknown serials left out.
func (db *DB) Vouchers(ctx context.Context, f VoucherFilter) ([]Voucher, error) {
	if len(f.Serials) > voucherSerialChunk {
		byID := map[string]Voucher{}
		for i := 0; i < len(f.Serials); i += voucherSerialChunk {
			part := f
			part.Serials, part.Limit = f.Serials[i:min(i+voucherSerialChunk, len(f.Serials))], 0
			vs, err := db.Vouchers(ctx, part)
			if err != nil {
				return nil, err
			}
			for _, v := range vs {
				byID[v.Serial] = v
			}
		}
		return inSerialOrder(byID, f.Serials, f.Limit), nil
	}
	where := []string{"1 = 1"}
	var args []any
	if f.Commune != 0 {
		where = append(where, "h.commune = ?")
		args = append(args, f.Commune)
	}
	if f.ZoneID != "" {
		where = append(where, "m.zone_id = ?")
		args = append(args, f.ZoneID)
	}
	if f.HouseholdID != "" {
		where = append(where, "v.household_id = ?")
		args = append(args, f.HouseholdID)
	}
	if len(f.Serials) > 0 {
		where = append(where, "v.serial IN ("+strings.Repeat("?,", len(f.Serials)-1)+"?)")
		for _, s := range f.Serials {
			args = append(args, strings.TrimSpace(s))
		}
	}
	for _, c := range []struct {
		cond string
		t    time.Time
	}{{"v.issued_at >= ?", f.IssuedFrom}, {"v.issued_at < ?", f.IssuedUntil}, {"v.slot_start >= ?", f.SlotFrom}, {"v.slot_start < ?", f.SlotUntil}} {
		if !c.t.IsZero() {
			where = append(where, c.cond)
			args = append(args, c.t.Unix())
		}
	}
	if f.Unused {
		where = append(where, "v.used_at = 0")
	}
	query := voucherSelect + ` WHERE ` + strings.Join(where, " AND ") + ` ORDER BY v.issued_at, v.serial`
	if f.Limit > 0 && len(f.Serials) == 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Voucher
	for rows.Next() {
		v, err := scanVoucher(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(f.Serials) > 0 {
		byID := make(map[string]Voucher, len(out))
		for _, v := range out {
			byID[v.Serial] = v
		}
		return inSerialOrder(byID, f.Serials, f.Limit), nil
	}
	return out, nil
}

func inSerialOrder(byID map[string]Voucher, serials []string, limit int) []Voucher {
	out := make([]Voucher, 0, len(byID))
	seen := map[string]bool{}
	for _, s := range serials {
		s = strings.TrimSpace(s)
		if v, ok := byID[s]; ok && !seen[s] {
			seen[s] = true
			out = append(out, v)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}
