package store

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"thonghanh/store/seal"
)

// The abuse report is the central server's reading of every checkpoint's
// scan log (ARCHITECTURE.md: "scan log ──► outbox ──► central (abuse
// report)"). Each checkpoint judges one scan at a time; only the centre sees
// the same permit at five checkpoints in a day, or one voucher let in at two
// markets. It reads scan_events, permits and applications and writes
// nothing.

// AbuseKind is one pattern the report looks for.
type AbuseKind string

// The patterns, in the order the report lists them within a day.
const (
	AbuseOutsideArea     AbuseKind = "outside_area"     // a permit scanned at a checkpoint outside its area
	AbuseOutsideHours    AbuseKind = "outside_hours"    // a permit scanned outside its daily hours
	AbuseManyCheckpoints AbuseKind = "many_checkpoints" // a permit seen at more checkpoints in one day than a holder needs
	AbuseVoucherReused   AbuseKind = "voucher_reused"   // a voucher let in twice, or shown at two checkpoints
)

var abuseOrder = map[AbuseKind]int{AbuseOutsideArea: 0, AbuseOutsideHours: 1, AbuseManyCheckpoints: 2, AbuseVoucherReused: 3}

// Name is the pattern in Vietnamese, for the report's first column.
func (k AbuseKind) Name() string {
	switch k {
	case AbuseOutsideArea:
		return "Ngoài khu vực"
	case AbuseOutsideHours:
		return "Ngoài khung giờ"
	case AbuseManyCheckpoints:
		return "Quá nhiều chốt trong ngày"
	case AbuseVoucherReused:
		return "Phiếu dùng nhiều lần"
	}
	return string(k)
}

// DefaultMaxCheckpointsPerDay is how many distinct checkpoints one permit
// may pass in a day before the report names it: a worker's way to an
// industrial park and back crosses two or three communes' checkpoints; a
// photocopied permit shared by several people turns up at many more.
const DefaultMaxCheckpointsPerDay = 4

// AbuseOptions select what the report covers.
type AbuseOptions struct {
	From, Until time.Time // scans at or after From and before Until; zero = unbounded
	// MaxCheckpointsPerDay: a permit scanned at more distinct checkpoints
	// than this in one day (Vietnam time) is reported; 0 means
	// DefaultMaxCheckpointsPerDay.
	MaxCheckpointsPerDay int
}

// AbuseRow is one finding: one serial, one pattern, one day (for a voucher,
// the day of its first use), with the scans that show it.
type AbuseRow struct {
	Kind        AbuseKind
	Serial      string
	DocKind     seal.Kind // permit or voucher
	Unit        uint32    // issuing unit: the permit's record, or the serial's first part
	Holder      string    // holder (permit) or household representative (voucher) when the centre knows them
	Day         string    // YYYY-MM-DD in Vietnam
	First, Last time.Time // first and last scan counted
	Scans       int       // every scan counted, let in or refused
	Refused     int       // of those, the scans the checkpoint refused (any verdict but VALID)
	Checkpoints []uint32  // distinct, in order of first scan (many checkpoints: where it was let in)
	// Verdicts are the checkpoints' own verdicts of the scans counted,
	// distinct, in order: a permit the centre finds outside its hours may
	// have been refused at the checkpoint as NOT_YET_VALID.
	Verdicts []seal.Verdict
	// Admissions are the scans that let a voucher in (VALID), in order:
	// which entrance, where and when.
	Admissions []Admission
	Detail     string // why, in Vietnamese
}

// Admission is one scan that let a voucher in.
type Admission struct {
	At         time.Time
	Checkpoint uint32
	Desk       string // the scanning desk's label, or its ID when the centre has no record
}

func appendVerdict(list []seal.Verdict, v seal.Verdict) []seal.Verdict {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// verifiedVerdicts are those given only after the signature verified and
// the signer was allowed: the serial is then genuinely the holder's. A
// forged or unreadable code's serial is whatever the forger wrote and
// proves nothing about the permit it names.
const verifiedVerdicts = `('VALID', 'REVOKED', 'NOT_YET_VALID', 'EXPIRED', 'OUTSIDE_HOURS', 'OUTSIDE_AREA', 'ALREADY_USED')`

// AbuseReport reads the scan log (on the central server, every desk's) and
// returns what looks like abuse, by day, then pattern, then serial:
//
//   - permits scanned outside their area or their daily hours: as the
//     checkpoint judged it (OUTSIDE_AREA, OUTSIDE_HOURS), or as the centre
//     judges it again from the application's area and hours (a checkpoint
//     whose location was not set, or that stopped at an earlier failure,
//     such as EXPIRED, did not look);
//   - permits seen at more than MaxCheckpointsPerDay distinct checkpoints in
//     one day;
//   - vouchers spent twice: two or more VALID scans (two entrances that had
//     not synced yet), or VALID/ALREADY_USED scans at different checkpoints.
func (db *DB) AbuseReport(ctx context.Context, opt AbuseOptions) ([]AbuseRow, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	if opt.MaxCheckpointsPerDay <= 0 {
		opt.MaxCheckpointsPerDay = DefaultMaxCheckpointsPerDay
	}
	from, until := int64(0), int64(1<<62)
	if !opt.From.IsZero() {
		from = opt.From.Unix()
	}
	if !opt.Until.IsZero() {
		until = opt.Until.Unix()
	}
	var out []AbuseRow
	for _, part := range []func(context.Context, *UnitIndex, int64, int64, AbuseOptions) ([]AbuseRow, error){
		db.abuseAreaHours, db.abuseManyCheckpoints, db.abuseVouchers,
	} {
		rows, err := part(ctx, units, from, until, opt)
		if err != nil {
			return nil, fmt.Errorf("báo cáo lạm dụng: %w", err)
		}
		out = append(out, rows...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Kind != b.Kind {
			return abuseOrder[a.Kind] < abuseOrder[b.Kind]
		}
		return a.Serial < b.Serial
	})
	return out, nil
}

// vietnamDay is the date of a Unix time in Vietnam (UTC+7 all year).
func vietnamDay(at int64) string { return time.Unix(at, 0).In(seal.TimeZone).Format("2006-01-02") }

// dayExpr is the same date in SQL, as a number of days: GROUP BY needs it.
const dayExpr = `((s.at + 25200) / 86400)`

// serialUnit reads the issuing unit from a serial (<unit>-<desk>-<year>-<seq>)
// for a permit or voucher the centre holds no record of.
func serialUnit(serial string) uint32 {
	head, _, _ := strings.Cut(serial, "-")
	n, err := strconv.ParseUint(head, 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

// abuseAreaHours walks the verified permit scans in order and judges each
// against its application, one row per serial, day and pattern.
func (db *DB) abuseAreaHours(ctx context.Context, units *UnitIndex, from, until int64, _ AbuseOptions) ([]AbuseRow, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT s.serial, s.at, s.checkpoint, s.verdict,
		COALESCE(p.unit, 0), COALESCE(p.holder_name, ''), COALESCE(a.area, ''), a.hours_from, a.hours_to
		FROM scan_events s
		LEFT JOIN permits p ON p.serial = s.serial
		LEFT JOIN applications a ON a.id = p.application_id
		WHERE s.kind = ? AND s.verdict IN `+verifiedVerdicts+` AND s.at >= ? AND s.at < ?
		ORDER BY s.serial, s.at, s.id`, int(seal.KindPermit), from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		kind        AbuseKind
		serial, day string
	}
	found := map[key]*AbuseRow{}
	var order []key
	for rows.Next() {
		var (
			serial, verdict, holder, area string
			at                            int64
			checkpoint, unit              uint32
			hf, ht                        sql.NullInt64
		)
		if err := rows.Scan(&serial, &at, &checkpoint, &verdict, &unit, &holder, &area, &hf, &ht); err != nil {
			return nil, err
		}
		codes := splitCodes(area)
		var detail [2]string
		var hit [2]bool
		if verdict == string(seal.OutsideArea) || (checkpoint != 0 && len(codes) > 0 && !withinAny(units, checkpoint, codes)) {
			hit[0] = true
			detail[0] = fmt.Sprintf("quét tại chốt %s, khu vực được phép: %s", unitLabel(units, checkpoint), unitList(units, codes))
			if len(codes) == 0 {
				detail[0] = fmt.Sprintf("quét tại chốt %s, chốt báo ngoài khu vực", unitLabel(units, checkpoint))
			}
		}
		if verdict == string(seal.OutsideHours) || (hf.Valid && ht.Valid && !seal.WithinHours(time.Unix(at, 0), int(hf.Int64), int(ht.Int64))) {
			hit[1] = true
			clock := time.Unix(at, 0).In(seal.TimeZone).Format("15:04")
			detail[1] = fmt.Sprintf("quét lúc %s, khung giờ được phép %s–%s", clock, FormatMinutes(int(hf.Int64)), FormatMinutes(int(ht.Int64)))
			if !hf.Valid || !ht.Valid {
				detail[1] = fmt.Sprintf("quét lúc %s, chốt báo ngoài khung giờ", clock)
			}
		}
		if unit == 0 {
			unit = serialUnit(serial)
		}
		for i, kind := range [2]AbuseKind{AbuseOutsideArea, AbuseOutsideHours} {
			if !hit[i] {
				continue
			}
			k := key{kind, serial, vietnamDay(at)}
			r := found[k]
			if r == nil {
				r = &AbuseRow{Kind: kind, Serial: serial, DocKind: seal.KindPermit, Unit: unit, Holder: holder, Day: k.day,
					First: time.Unix(at, 0)}
				found[k] = r
				order = append(order, k)
			}
			r.Last = time.Unix(at, 0)
			r.Scans++
			if verdict != string(seal.Valid) {
				r.Refused++
			}
			r.Verdicts = appendVerdict(r.Verdicts, seal.Verdict(verdict))
			r.Checkpoints = appendUnique(r.Checkpoints, checkpoint)
			if r.Scans == 1 {
				r.Detail = detail[i]
			} else {
				r.Detail = fmt.Sprintf("%d lần quét; lần cuối %s", r.Scans, detail[i])
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]AbuseRow, 0, len(order))
	for _, k := range order {
		out = append(out, *found[k])
	}
	return out, nil
}

// abuseManyCheckpoints counts each permit's distinct checkpoints per day
// where it was let in: a refusal turned the holder back, and is counted
// apart.
func (db *DB) abuseManyCheckpoints(ctx context.Context, units *UnitIndex, from, until int64, opt AbuseOptions) ([]AbuseRow, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT s.serial, MIN(s.at), MAX(s.at), COUNT(*), SUM(s.verdict != 'VALID'),
		COALESCE(GROUP_CONCAT(CASE WHEN s.verdict = 'VALID' THEN s.checkpoint END), ''), GROUP_CONCAT(DISTINCT s.verdict),
		COALESCE(MAX(p.unit), 0), COALESCE(MAX(p.holder_name), '')
		FROM scan_events s LEFT JOIN permits p ON p.serial = s.serial
		WHERE s.kind = ? AND s.checkpoint != 0 AND s.verdict IN `+verifiedVerdicts+` AND s.at >= ? AND s.at < ?
		GROUP BY s.serial, `+dayExpr+`
		HAVING COUNT(DISTINCT CASE WHEN s.verdict = 'VALID' THEN s.checkpoint END) > ?`, int(seal.KindPermit), from, until, opt.MaxCheckpointsPerDay)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AbuseRow
	for rows.Next() {
		var r AbuseRow
		var first, last int64
		var checkpoints, verdicts string
		if err := rows.Scan(&r.Serial, &first, &last, &r.Scans, &r.Refused, &checkpoints, &verdicts, &r.Unit, &r.Holder); err != nil {
			return nil, err
		}
		r.Kind, r.DocKind, r.Day = AbuseManyCheckpoints, seal.KindPermit, vietnamDay(first)
		r.First, r.Last = time.Unix(first, 0), time.Unix(last, 0)
		for _, c := range splitCodes(checkpoints) {
			r.Checkpoints = appendUnique(r.Checkpoints, c)
		}
		for _, v := range strings.Split(verdicts, ",") {
			r.Verdicts = appendVerdict(r.Verdicts, seal.Verdict(v))
		}
		if r.Unit == 0 {
			r.Unit = serialUnit(r.Serial)
		}
		r.Detail = fmt.Sprintf("cho qua tại %d chốt trong ngày (ngưỡng %d): %s", len(r.Checkpoints), opt.MaxCheckpointsPerDay,
			unitList(units, r.Checkpoints))
		if r.Refused > 0 {
			r.Detail += fmt.Sprintf("; %d lần bị từ chối, không tính", r.Refused)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// abuseVouchers finds vouchers spent more than once, naming the household
// (from the desk's records, or what the centre kept of the voucher's issue)
// and every entrance that let it in, and when.
func (db *DB) abuseVouchers(ctx context.Context, units *UnitIndex, from, until int64, _ AbuseOptions) ([]AbuseRow, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT s.serial, MIN(s.at), MAX(s.at), COUNT(*), SUM(s.verdict = 'VALID'),
		COUNT(DISTINCT s.checkpoint), GROUP_CONCAT(s.checkpoint), GROUP_CONCAT(DISTINCT s.verdict),
		COALESCE(MAX(h.representative), MAX(vi.representative), ''), COALESCE(MAX(h.code), MAX(vi.household_code), ''),
		COALESCE(MAX(h.commune), 0)
		FROM scan_events s
		LEFT JOIN vouchers v ON v.serial = s.serial
		LEFT JOIN households h ON h.id = v.household_id
		LEFT JOIN voucher_issues vi ON vi.serial = s.serial
		WHERE s.kind = ? AND s.verdict IN `+usedVerdicts+` AND s.at >= ? AND s.at < ?
		GROUP BY s.serial
		HAVING COUNT(DISTINCT s.checkpoint) >= 2 OR SUM(s.verdict = 'VALID') >= 2`, int(seal.KindVoucher), from, until)
	if err != nil {
		return nil, err
	}
	var out []AbuseRow
	for rows.Next() {
		var r AbuseRow
		var first, last int64
		var valid, distinct int
		var checkpoints, verdicts, code string
		if err := rows.Scan(&r.Serial, &first, &last, &r.Scans, &valid, &distinct, &checkpoints, &verdicts, &r.Holder, &code, &r.Unit); err != nil {
			rows.Close()
			return nil, err
		}
		r.Kind, r.DocKind, r.Day = AbuseVoucherReused, seal.KindVoucher, vietnamDay(first)
		r.First, r.Last = time.Unix(first, 0), time.Unix(last, 0)
		r.Refused = r.Scans - valid
		for _, c := range splitCodes(checkpoints) {
			r.Checkpoints = appendUnique(r.Checkpoints, c)
		}
		for _, v := range strings.Split(verdicts, ",") {
			r.Verdicts = appendVerdict(r.Verdicts, seal.Verdict(v))
		}
		if su := serialUnit(r.Serial); su != 0 {
			r.Unit = su // the serial names the issuing unit; the household's commune is only a guess
		}
		if code != "" && r.Holder != "" {
			r.Holder = fmt.Sprintf("%s (hộ %s)", r.Holder, code)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		if r.Admissions, err = db.admissions(ctx, r.Serial, from, until); err != nil {
			return nil, err
		}
		parts := make([]string, len(r.Admissions))
		for j, a := range r.Admissions {
			parts[j] = fmt.Sprintf("%s tại %s, %s", InVietnam(a.At).Format("15:04:05"), unitLabel(units, a.Checkpoint), a.Desk)
		}
		r.Detail = fmt.Sprintf("%d lần được cho vào: %s", len(r.Admissions), strings.Join(parts, "; "))
		if r.Refused > 0 {
			r.Detail += fmt.Sprintf("; %d lần bị từ chối vì đã dùng", r.Refused)
		}
	}
	return out, nil
}

// admissions lists the scans that let a voucher in, with the scanning
// desk's label.
func (db *DB) admissions(ctx context.Context, serial string, from, until int64) ([]Admission, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT s.at, s.checkpoint, COALESCE(d.label, NULLIF(s.desk_id, ''), 'máy không rõ')
		FROM scan_events s LEFT JOIN desks d ON d.id = s.desk_id
		WHERE s.serial = ? AND s.kind = ? AND s.verdict = 'VALID' AND s.at >= ? AND s.at < ?
		ORDER BY s.at, s.id`, serial, int(seal.KindVoucher), from, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Admission
	for rows.Next() {
		var a Admission
		var at int64
		if err := rows.Scan(&at, &a.Checkpoint, &a.Desk); err != nil {
			return nil, err
		}
		a.At = time.Unix(at, 0)
		out = append(out, a)
	}
	return out, rows.Err()
}

func withinAny(units *UnitIndex, place uint32, area []uint32) bool {
	for _, a := range area {
		if units.Within(place, a) {
			return true
		}
	}
	return false
}

func appendUnique(list []uint32, c uint32) []uint32 {
	for _, x := range list {
		if x == c {
			return list
		}
	}
	return append(list, c)
}

// unitLabel names a checkpoint or area unit with its code: "Phường 5 (28249)".
func unitLabel(units *UnitIndex, code uint32) string {
	if code == 0 {
		return "chưa đặt vị trí"
	}
	if _, ok := units.Get(code); ok {
		return fmt.Sprintf("%s (%d)", units.Name(code), code)
	}
	return strconv.FormatUint(uint64(code), 10)
}

func unitList(units *UnitIndex, codes []uint32) string {
	s := make([]string, len(codes))
	for i, c := range codes {
		s[i] = unitLabel(units, c)
	}
	return strings.Join(s, "; ")
}

// abuseCSVHeader is the report's header row, in Vietnamese for the
// province's staff who open it in Excel.
var abuseCSVHeader = []string{"Loại vi phạm", "Ngày", "Số giấy/phiếu", "Loại", "Đơn vị cấp", "Người được cấp",
	"Số lần quét", "Số lần bị từ chối", "Kết quả tại chốt", "Lần quét đầu", "Lần quét cuối", "Các chốt", "Chi tiết"}

// WriteAbuseCSV writes the report as CSV, UTF-8 with a byte-order mark: Excel
// on a Vietnamese Windows PC opens a BOM-less UTF-8 file as ANSI and garbles
// every diacritic. units names the issuing units and checkpoints (nil: codes).
func WriteAbuseCSV(w io.Writer, rows []AbuseRow, units *UnitIndex) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	if units == nil {
		units = NewUnitIndex(nil)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // Excel's own line end
	if err := cw.Write(abuseCSVHeader); err != nil {
		return err
	}
	for _, r := range rows {
		kind := seal.KindText(r.DocKind, "vi")
		issuer := unitLabel(units, r.Unit)
		if u, ok := units.Get(r.Unit); ok {
			issuer = fmt.Sprintf("%s (%d)", u.CommitteeName(), r.Unit)
		}
		verdicts := make([]string, len(r.Verdicts))
		for i, v := range r.Verdicts {
			verdicts[i] = v.Text("vi")
		}
		if err := cw.Write([]string{r.Kind.Name(), FormatDate(r.First), r.Serial, kind, issuer, r.Holder,
			strconv.Itoa(r.Scans), strconv.Itoa(r.Refused), strings.Join(verdicts, "; "), FormatDateTime(r.First), FormatDateTime(r.Last),
			unitList(units, r.Checkpoints), r.Detail}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
