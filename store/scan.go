package store

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"thonghanh/store/seal"
)

// This file is the checkpoint's side of the store: a Scanner holds the
// desk's trust material in memory and turns what a QR scanner typed into one
// verdict and one scan-log row (ARCHITECTURE.md, "scanner ──► tui/check").
// Verification itself is store/seal's; what lives here is what needs the
// database: the revocations table, single use of vouchers, the checkpoint
// setting, roles, and the log with its outbox op.

// ScanEvent is one line of the scan log: when, where, who, what verdict,
// and of the holder nothing but the serial. It is also the outbox payload a
// scan sends to the central server, and what ApplyRemoteScans takes back; it
// travels as wire.ScanEvent (wirefmt.go).
type ScanEvent struct {
	ID         string
	At         int64 // Unix seconds
	Serial     string
	Kind       seal.Kind
	Verdict    seal.Verdict
	Checkpoint uint32
	Officer    string
	Desk       string
}

// Time is At as a time.
func (e ScanEvent) Time() time.Time { return time.Unix(e.At, 0) }

// ScanResult is what a checkpoint shows after a scan.
type ScanResult struct {
	seal.Result
	Input      ScanInput // the repairs made, or why the text is unreadable
	Event      ScanEvent // the logged row
	Checkpoint uint32    // where it was checked (0: not configured, area not checked)
	// Voucher is this desk's row of a genuine voucher: its household and
	// market, which the QR leaves out. Nil when the desk did not issue it.
	Voucher *Voucher
	why     message // the desk's own reason, for a verdict only a desk gives
}

// Reason is the desk's own sentence for the verdict (WRONG_MARKET names both
// markets), in Vietnamese or English; "" when the verdict's text says all.
func (r ScanResult) Reason(english bool) string {
	if r.why.format == "" {
		return ""
	}
	return r.why.text(english)
}

// Scanner verifies scanned codes at this desk's checkpoint. It is built once
// from the desk's trust material and holds in memory what every scan reads:
// the trust list, the revoked serials (the province's signed list and this
// desk's revocations table, 100,000 and more: a map) and the vouchers used
// here or reported used by other entrances. Safe for concurrent use.
type Scanner struct {
	db     *DB
	deskID string

	mu         sync.RWMutex
	root       ed25519.PublicKey
	trust      *seal.TrustList
	revoked    map[string]struct{}
	used       map[string]struct{}
	checkpoint uint32
	market     Market    // the market whose entrance this is (zero: any market)
	held       heldLists // what the maps were built from, to skip needless reloads
}

// heldLists fingerprints the trust material a Scanner was built from.
type heldLists struct {
	root, trust, revocation []byte
	tableRevocations        int
	trustSeq, revocationSeq uint64
}

// NewScanner builds the checkpoint's verifier from what the desk holds: the
// province root key, the signed trust and revocation lists (each verified
// against the root, never trusted as stored), the revocations table, the
// vouchers already used, and the checkpoint setting. A desk with no root key
// or trust list cannot check anything and gets ENotFound.
func (db *DB) NewScanner(ctx context.Context) (*Scanner, error) {
	s := &Scanner{db: db}
	if desk, err := db.Desk(ctx); err == nil {
		s.deskID = desk.ID
	} else if ErrorCode(err) != ENotFound {
		return nil, err
	}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload re-reads the trust material, the revocations, the used vouchers and
// the checkpoint, and swaps them in at once; scans in progress finish on the
// old ones. Call it when sync has stored new lists; Refresh is the cheap
// form that rebuilds only what changed.
func (s *Scanner) Reload(ctx context.Context) error { return s.load(ctx, true) }

// Refresh rebuilds the in-memory lists only if the stored ones changed
// (new list files, new rows in the revocations table), and always re-reads
// the checkpoint and the used vouchers. It costs a few milliseconds with
// 100,000 revocations; the Kiểm tra screen runs it in the background.
func (s *Scanner) Refresh(ctx context.Context) error { return s.load(ctx, false) }

func (s *Scanner) load(ctx context.Context, force bool) error {
	root, trustRaw, revRaw, err := s.db.TrustMaterial(ctx)
	if err != nil {
		return err
	}
	if len(trustRaw) == 0 {
		return notFound("máy chưa có danh sách khóa ký tin cậy của tỉnh: chưa kiểm tra được mã nào (đồng bộ với máy chủ tỉnh trước)")
	}
	var tableCount int
	if err := s.db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM revocations`).Scan(&tableCount); err != nil {
		return fmt.Errorf("đọc danh sách thu hồi: %w", err)
	}
	used, err := s.db.usedVouchers(ctx)
	if err != nil {
		return err
	}
	checkpoint := s.db.Checkpoint(ctx)
	market, err := s.db.checkpointMarket(ctx)
	if err != nil {
		return err
	}

	s.mu.RLock()
	same := !force && s.trust != nil && bytes.Equal(root, s.held.root) && bytes.Equal(trustRaw, s.held.trust) &&
		bytes.Equal(revRaw, s.held.revocation) && tableCount == s.held.tableRevocations
	prevTrustSeq, prevRevSeq := s.held.trustSeq, s.held.revocationSeq
	s.mu.RUnlock()
	if same {
		s.mu.Lock()
		s.used, s.checkpoint, s.market = used, checkpoint, market
		s.mu.Unlock()
		return nil
	}

	// A list older than the one held would bring back a dropped key or
	// un-revoke serials (QR-FORMAT.md): refuse it, keep the held one.
	trust, err := seal.OpenTrustList(root, trustRaw, prevTrustSeq)
	if err != nil {
		return &Error{Code: EInvalid, Message: "danh sách khóa ký tin cậy không hợp lệ: " + err.Error(), Err: err}
	}
	revoked := map[string]struct{}{}
	var revSeq uint64
	if len(revRaw) > 0 {
		list, err := seal.OpenRevocationList(root, revRaw, prevRevSeq)
		if err != nil {
			return &Error{Code: EInvalid, Message: "danh sách thu hồi không hợp lệ: " + err.Error(), Err: err}
		}
		revSeq = list.Sequence
		revoked = make(map[string]struct{}, len(list.Serials)+tableCount)
		for _, serial := range list.Serials {
			revoked[serial] = struct{}{}
		}
	}
	rows, err := s.db.sql.QueryContext(ctx, `SELECT serial FROM revocations`)
	if err != nil {
		return fmt.Errorf("đọc danh sách thu hồi: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var serial string
		if err := rows.Scan(&serial); err != nil {
			return err
		}
		revoked[serial] = struct{}{}
	}
	if err := rows.Err(); err != nil {
		return err
	}

	s.mu.Lock()
	s.root, s.trust, s.revoked, s.used, s.checkpoint, s.market = root, trust, revoked, used, checkpoint, market
	s.held = heldLists{root: root, trust: trustRaw, revocation: revRaw, tableRevocations: tableCount,
		trustSeq: trust.Sequence, revocationSeq: revSeq}
	s.mu.Unlock()
	return nil
}

// usedVerdicts are the verdicts that mean a voucher got someone in, or was
// shown after it had: either way it is spent.
const usedVerdicts = `('VALID', 'ALREADY_USED')`

// UsedVouchers is every voucher serial this desk knows as spent, here or at
// another entrance (as far as its last pull): for a verifier that reads the
// desk's database without scanning (`thonghanh verify --db`).
func (db *DB) UsedVouchers(ctx context.Context) (map[string]struct{}, error) {
	return db.usedVouchers(ctx)
}

// usedVouchers reads every voucher serial this desk knows as spent: scanned
// here or reported by another entrance (scan_events), or marked on the
// vouchers table of the desk that issued it.
func (db *DB) usedVouchers(ctx context.Context) (map[string]struct{}, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT serial FROM scan_events WHERE kind = ? AND verdict IN `+usedVerdicts+`
		UNION SELECT serial FROM vouchers WHERE used_at > 0`, int(seal.KindVoucher))
	if err != nil {
		return nil, fmt.Errorf("đọc phiếu đã dùng: %w", err)
	}
	defer rows.Close()
	used := map[string]struct{}{}
	for rows.Next() {
		var serial string
		if err := rows.Scan(&serial); err != nil {
			return nil, err
		}
		used[serial] = struct{}{}
	}
	return used, rows.Err()
}

// checkerLocked is the verifier of everything the scanner holds, at now;
// the caller holds s.mu for as long as it verifies.
func (s *Scanner) checkerLocked(units *UnitIndex, now time.Time) seal.Checker {
	revoked, used := s.revoked, s.used
	return seal.Checker{
		Trust:      s.trust,
		IsRevoked:  func(serial string) bool { _, ok := revoked[serial]; return ok },
		IsUsed:     func(serial string) bool { _, ok := used[serial]; return ok },
		Checkpoint: s.checkpoint,
		Within:     units.Within,
		Now:        func() time.Time { return now },
	}
}

// Verify checks text at now exactly as Scan does — the signed lists, this
// desk's own revocations, the vouchers used, the checkpoint's area — but
// logs nothing and spends no voucher: for a look that is not a scan at the
// gate (thonghanh verify --db). checkpoint overrides the desk's setting
// when not 0. It returns the unit index too, to name the units.
func (s *Scanner) Verify(ctx context.Context, text string, now time.Time, checkpoint uint32) (seal.Result, *UnitIndex, error) {
	units, err := s.db.Units(ctx)
	if err != nil {
		return seal.Result{}, nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.checkerLocked(units, now)
	if checkpoint != 0 {
		c.Checkpoint = checkpoint
	}
	return c.Verify(text), units, nil
}

// checkpointMarket reads the market setting, named from the desk's markets
// (by its ID alone when the desk does not hold it).
func (db *DB) checkpointMarket(ctx context.Context) (Market, error) {
	v, ok, err := db.Setting(ctx, SettingCheckpointMarket)
	if err != nil || !ok || len(v) == 0 {
		return Market{}, err
	}
	m := Market{ID: string(v), Name: string(v)}
	err = db.sql.QueryRowContext(ctx, `SELECT zone_id, name FROM markets WHERE id = ?
		UNION ALL SELECT '', market_name FROM voucher_issues WHERE market_id = ? LIMIT 1`, m.ID, m.ID).Scan(&m.ZoneID, &m.Name)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Market{}, fmt.Errorf("đọc chợ của lối vào: %w", err)
	}
	return m, nil
}

// relayedVoucher is a voucher another desk of the commune issued, as the
// centre relayed it: its household and market (no QR, no household row).
func (db *DB) relayedVoucher(ctx context.Context, serial string) (Voucher, bool, error) {
	v := Voucher{Serial: serial}
	err := db.sql.QueryRowContext(ctx, `SELECT unit, household_code, representative, hamlet, market_id, market_name
		FROM voucher_issues WHERE serial = ?`, serial).
		Scan(&v.Unit, &v.HouseholdCode, &v.Representative, &v.Hamlet, &v.MarketID, &v.MarketName)
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("đọc phiếu đi chợ: %w", err)
	}
	return v, true, nil
}

// FindMarket finds one of the desk's markets by its ID or its name (folded:
// "cho tan my chanh" finds Chợ Tân Mỹ Chánh).
func (db *DB) FindMarket(ctx context.Context, text string) (Market, error) {
	// The desk's own markets, and those of the vouchers other desks of the
	// commune issued (a second desk at an entrance holds no markets).
	rows, err := db.sql.QueryContext(ctx, `SELECT id, zone_id, name FROM markets
		UNION SELECT market_id, '', market_name FROM voucher_issues WHERE market_id NOT IN (SELECT id FROM markets)
		ORDER BY 3, 1`)
	if err != nil {
		return Market{}, err
	}
	defer rows.Close()
	want := Fold(strings.TrimSpace(text))
	var found []Market
	for rows.Next() {
		var m Market
		if err := rows.Scan(&m.ID, &m.ZoneID, &m.Name); err != nil {
			return Market{}, err
		}
		if m.ID == strings.TrimSpace(text) {
			return m, nil
		}
		if Fold(m.Name) == want {
			found = append(found, m)
		}
	}
	if err := rows.Err(); err != nil {
		return Market{}, err
	}
	switch len(found) {
	case 0:
		return Market{}, notFound("máy này không có chợ %q", text)
	case 1:
		return found[0], nil
	}
	return Market{}, invalid("Chợ", "có %d chợ tên %q: ghi mã chợ", len(found), text)
}

// Market is the market whose entrance the scanner stands at (zero: any).
func (s *Scanner) Market() Market {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.market
}

// SetMarket records which market's entrance this desk scans at, so a
// voucher for another market of the commune is refused (WRONG_MARKET). It
// is an audited change, by an officer who may scan.
func (s *Scanner) SetMarket(ctx context.Context, officer Officer, id string) error {
	if err := MayScan(officer); err != nil {
		return err
	}
	m, err := s.db.FindMarket(ctx, id)
	if err != nil {
		return err
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		if err := tx.SetSetting(SettingCheckpointMarket, []byte(m.ID)); err != nil {
			return err
		}
		return tx.Audit(officer.ID, officer.Unit, ActionAdmin, "setting", SettingCheckpointMarket,
			fmt.Sprintf("đặt lối vào chợ: %s (%s)", m.Name, m.ID))
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.market = m
	s.mu.Unlock()
	return nil
}

// Checkpoint is the unit code the scanner checks areas against (0: not set).
func (s *Scanner) Checkpoint() uint32 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.checkpoint
}

// Lists tells what the scanner holds, for the screen's status line.
func (s *Scanner) Lists() (trustSeq, revocationSeq uint64, keys, revoked int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.held.trustSeq, s.held.revocationSeq, len(s.trust.Keys), len(s.revoked)
}

// MayScan is the role rule for scanning: checkers scan, and so may
// approvers and admins (a head of unit standing in at the checkpoint).
// Clerks may not. Screens ask it to say so before a scan is refused.
func MayScan(o Officer) error {
	if o.ID == "" || !(o.Has(RoleChecker) || o.Has(RoleApprover) || o.Has(RoleAdmin)) {
		return forbidden("tài khoản %s không có quyền kiểm tra giấy tại chốt", o.Username)
	}
	return nil
}

// SetCheckpoint records where this desk scans: an administrative unit
// (commune, district or the province), so OUTSIDE_AREA can be judged. It is
// an audited change, by an officer who may scan.
func (s *Scanner) SetCheckpoint(ctx context.Context, officer Officer, code uint32) error {
	if err := MayScan(officer); err != nil {
		return err
	}
	units, err := s.db.Units(ctx)
	if err != nil {
		return err
	}
	u, ok := units.Get(code)
	if !ok || !u.Administrative() {
		return invalid("Vị trí chốt", "không có xã, phường, thị trấn hay huyện nào mã %d", code)
	}
	err = s.db.Write(ctx, func(tx *Tx) error {
		if err := tx.SetSetting(SettingCheckpoint, fmt.Appendf(nil, "%d", code)); err != nil {
			return err
		}
		return tx.Audit(officer.ID, officer.Unit, ActionAdmin, "setting", SettingCheckpoint,
			fmt.Sprintf("đặt vị trí chốt kiểm soát: %s (%d)", u.Name, code))
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.checkpoint = code
	s.mu.Unlock()
	return nil
}

// maxLoggedSerial bounds the serial logged from a code whose signature did
// not verify: it is whatever a forger wrote. Real serials are ~20 characters.
const maxLoggedSerial = 64

// Scan checks what a scanner typed, at this desk's checkpoint, now:
// NormalizeScan, then seal's checks in QR-FORMAT.md's order against the
// held lists (of several repaired readings, the one whose signature
// verifies, if exactly one does). A voucher that passes everything is spent by this scan: the
// scan-log row and the vouchers' used mark commit in one transaction, and the
// used set is re-checked inside it, so two scans of one voucher (two
// entrances on one database, or a scan racing a pull of another entrance's
// scan) can never both be VALID.
//
// Every scan, whatever its verdict, writes one scan event (time, serial,
// kind, verdict, checkpoint, officer, desk: nothing else of the holder), its
// audit entry and its outbox op, in one transaction. A non-nil error means
// the scan was not logged; the verdict in the result is then not to be acted
// on for a voucher, which was not marked used.
func (s *Scanner) Scan(ctx context.Context, officer Officer, raw string) (ScanResult, error) {
	if err := MayScan(officer); err != nil {
		return ScanResult{}, err
	}
	units, err := s.db.Units(ctx)
	if err != nil {
		return ScanResult{}, err
	}
	in := NormalizeScan(raw)
	now := s.db.Now()

	s.mu.RLock()
	checker := s.checkerLocked(units, now)
	res := ScanResult{Result: checker.Verify(in.Text), Input: in, Checkpoint: s.checkpoint}
	if in.Problem == ProblemAmbiguous {
		// Several repairs decode; an Ed25519 signature verifies under at
		// most one of them, and that one is the code.
		var verified []ScanResult
		for _, r := range in.Readings {
			if v := checker.Verify(r.Text); v.Signer != nil {
				verified = append(verified, ScanResult{Result: v, Input: r, Checkpoint: s.checkpoint})
			}
		}
		if len(verified) == 1 {
			res = verified[0]
		}
	}
	market := s.market
	s.mu.RUnlock()

	p := &res.Payload
	if p.Kind == seal.KindVoucher && res.Signer != nil {
		// The household and the market, which the QR leaves out, as the
		// desk that issued the voucher knows them.
		if v, err := s.db.Voucher(ctx, p.Serial); err == nil {
			res.Voucher = &v
		} else if ErrorCode(err) != ENotFound {
			return res, err
		} else if v, ok, err := s.db.relayedVoucher(ctx, p.Serial); err != nil {
			return res, err
		} else if ok {
			res.Voucher = &v
		}
		if res.Verdict == seal.Valid && market.ID != "" && res.Voucher != nil && res.Voucher.MarketID != market.ID {
			res.Verdict, res.Detail = seal.WrongMarket, "voucher for market "+res.Voucher.MarketID+", entrance of "+market.ID
			res.why = message{format: "phiếu dành cho %s; đây là lối vào %s", args: []any{res.Voucher.MarketName, market.Name}}
		}
	}
	serial := p.Serial
	if res.Signer == nil && len(serial) > maxLoggedSerial {
		serial = truncateUTF8(serial, maxLoggedSerial)
	}
	res.Event = ScanEvent{ID: NewID(now), At: now.Unix(), Serial: serial, Kind: p.Kind,
		Checkpoint: res.Checkpoint, Officer: officer.ID, Desk: s.deskID}
	spends := res.Verdict == seal.Valid && p.Kind == seal.KindVoucher
	err = s.db.Write(ctx, func(tx *Tx) error {
		if spends {
			used, err := tx.voucherUsed(p.Serial)
			if err != nil {
				return err
			}
			if used {
				res.Verdict, res.Detail = seal.AlreadyUsed, "voucher "+p.Serial+" was already scanned (in the scan log)"
				spends = false
			}
		}
		res.Event.Verdict = res.Verdict
		if _, err := tx.insertScan(res.Event); err != nil {
			return err
		}
		if spends {
			if _, err := tx.Exec(`UPDATE vouchers SET used_at = ? WHERE serial = ? AND used_at = 0`, res.Event.At, p.Serial); err != nil {
				return fmt.Errorf("đánh dấu phiếu đã dùng: %w", err)
			}
		}
		if err := tx.Audit(officer.ID, officer.Unit, ActionScan, "scan", res.Event.ID,
			fmt.Sprintf("%s %s tại chốt %d", res.Verdict, serial, res.Checkpoint)); err != nil {
			return err
		}
		if p.Kind == seal.KindVoucher && (res.Verdict == seal.Valid || res.Verdict == seal.AlreadyUsed) {
			// From now on a repeat is ALREADY_USED from memory, before any
			// query — once the spend it mirrors is committed.
			serial := p.Serial
			tx.AfterCommit(func() {
				s.mu.Lock()
				s.used[serial] = struct{}{}
				s.mu.Unlock()
			})
		}
		return tx.enqueue("scan", res.Event.ID, "create", ScanEventToWire(res.Event))
	})
	if err != nil {
		return res, fmt.Errorf("ghi nhật ký kiểm tra: %w", err)
	}
	return res, nil
}

func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// voucherUsed is the authoritative single-use check, inside the scan's
// transaction: any scan event that spent the serial, from this desk or
// pulled from another entrance, or the issuing desk's used mark.
func (tx *Tx) voucherUsed(serial string) (bool, error) {
	var one int
	err := tx.QueryRow(`SELECT 1 FROM scan_events WHERE serial = ? AND kind = ? AND verdict IN `+usedVerdicts+`
		UNION ALL SELECT 1 FROM vouchers WHERE serial = ? AND used_at > 0 LIMIT 1`, serial, int(seal.KindVoucher), serial).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("kiểm tra phiếu đã dùng: %w", err)
	}
	return true, nil
}

func (tx *Tx) insertScan(e ScanEvent) (int64, error) {
	res, err := tx.Exec(`INSERT INTO scan_events (id, at, serial, kind, verdict, checkpoint, officer_id, desk_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		e.ID, e.At, e.Serial, int(e.Kind), string(e.Verdict), e.Checkpoint, e.Officer, e.Desk)
	if err != nil {
		return 0, fmt.Errorf("ghi lượt quét: %w", err)
	}
	return res.RowsAffected()
}

// ApplyRemoteScans records scan events of other desks that the central
// server relayed (a pull), inside the pull's transaction. It is for
// store/batchsync: idempotent (an event already held is skipped, so a page pulled
// twice changes nothing), it enqueues nothing (the events came from the
// centre) and it writes no audit entry (the scanning desk did). A voucher
// spent at another entrance (verdict VALID or ALREADY_USED) becomes used
// here: the next scan of it on this desk is ALREADY_USED, checked inside
// that scan's transaction, and every Scanner picks it into memory on its
// next Refresh. It returns how many events were new.
func (tx *Tx) ApplyRemoteScans(events []ScanEvent) (int, error) {
	n := 0
	for _, e := range events {
		if e.ID == "" || e.At <= 0 {
			return n, invalid("Lượt quét", "lượt quét từ máy chủ thiếu mã hoặc thời điểm")
		}
		added, err := tx.insertScan(e)
		if err != nil {
			return n, err
		}
		n += int(added)
		if e.Kind == seal.KindVoucher && (e.Verdict == seal.Valid || e.Verdict == seal.AlreadyUsed) {
			if _, err := tx.Exec(`UPDATE vouchers SET used_at = ? WHERE serial = ? AND (used_at = 0 OR used_at > ?)`,
				e.At, e.Serial, e.At); err != nil {
				return n, fmt.Errorf("đánh dấu phiếu đã dùng: %w", err)
			}
		}
	}
	return n, nil
}

// RecentScans lists the latest scans of a desk ("" = every desk), newest
// first: the history under the checkpoint's verdict.
func (db *DB) RecentScans(ctx context.Context, deskID string, limit int) ([]ScanEvent, error) {
	q := `SELECT id, at, serial, kind, verdict, checkpoint, officer_id, desk_id FROM scan_events`
	var args []any
	if deskID != "" {
		q += ` WHERE desk_id = ?`
		args = append(args, deskID)
	}
	q += ` ORDER BY at DESC, id DESC LIMIT ?`
	args = append(args, max(limit, 1))
	rows, err := db.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("đọc lượt quét: %w", err)
	}
	return scanEventRows(rows)
}

// scanEventRows reads rows of id, at, serial, kind, verdict, checkpoint,
// officer_id, desk_id, and closes them.
func scanEventRows(rows *sql.Rows) ([]ScanEvent, error) {
	defer rows.Close()
	var out []ScanEvent
	for rows.Next() {
		var e ScanEvent
		var kind int
		var verdict string
		if err := rows.Scan(&e.ID, &e.At, &e.Serial, &kind, &verdict, &e.Checkpoint, &e.Officer, &e.Desk); err != nil {
			return nil, err
		}
		e.Kind, e.Verdict = seal.Kind(kind), seal.Verdict(verdict)
		out = append(out, e)
	}
	return out, rows.Err()
}

// DeskID is the desk the scanner logs under ("" on a database with no desk).
func (s *Scanner) DeskID() string { return s.deskID }
