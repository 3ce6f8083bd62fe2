package store_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// abuseDB is a database holding real permits (approved on the demo desk, so
// their applications carry area and hours) and a scan log written directly,
// as the central server holds it after every desk's push.
func abuseDB(t *testing.T) (*store.DB, store.Application) {
	t.Helper()
	db, _ := demoDB(t, 60, 5)
	ctx := context.Background()
	approver := login(t, db, "duyet")
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	queue, err := db.Queue(ctx, approver.Unit)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range queue {
		if q.Authority.Allowed {
			ids = append(ids, q.ID)
		}
	}
	if _, err := db.Approve(ctx, approver, signer, ids); err != nil {
		t.Fatal(err)
	}
	// A commune resident's permit: area the commune, hours 07:00–11:00.
	for _, id := range ids {
		a, err := db.Application(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Category == store.CatResident && a.HasHours && len(a.Area) == 1 {
			return db, a
		}
	}
	t.Fatal("no approved resident permit with hours")
	return nil, store.Application{}
}

func serialOf(t *testing.T, db *store.DB, a store.Application) string {
	t.Helper()
	var serial string
	if err := db.SQL().QueryRow(`SELECT serial FROM permits WHERE application_id = ?`, a.ID).Scan(&serial); err != nil {
		t.Fatal(err)
	}
	return serial
}

// at is a Vietnam wall-clock time on 22 September 2021.
func at(hour, minute int) int64 {
	return time.Date(2021, 9, 22, hour, minute, 0, 0, seal.TimeZone).Unix()
}

func TestAbuseReport(t *testing.T) {
	db, app := abuseDB(t)
	ctx := context.Background()
	permit := serialOf(t, db, app)
	home := app.Area[0]
	var far uint32 = 28300 // Phường 4 of Thị xã Gò Công: outside any Mỹ Tho commune's area
	units, _ := db.Units(ctx)
	if units.Within(far, home) {
		t.Fatalf("test premise: %d lies in %d", far, home)
	}
	h := func(minutes int) (int, int) { return minutes / 60, minutes % 60 }
	inHour, inMin := h(app.HoursFrom + 30)
	lateHour, lateMin := h((app.HoursTo + 120) % (24 * 60))

	var events []store.ScanEvent
	add := func(serial string, kind seal.Kind, v seal.Verdict, checkpoint uint32, when int64) {
		events = append(events, store.ScanEvent{ID: store.NewID(time.Unix(when, 0)), At: when, Serial: serial, Kind: kind,
			Verdict: v, Checkpoint: checkpoint, Officer: "o", Desk: "d"})
	}
	// The permit: fine at home in its hours; seen outside its area (the
	// checkpoint said VALID: its location was wrong or unset… the centre
	// judges again) and outside its hours; a forged copy's scans prove nothing.
	add(permit, seal.KindPermit, seal.Valid, home, at(inHour, inMin))
	add(permit, seal.KindPermit, seal.Valid, far, at(inHour, inMin+5))
	add(permit, seal.KindPermit, seal.OutsideHours, home, at(lateHour, lateMin))
	// Outside its hours too, refused by a checkpoint that stopped earlier.
	add(permit, seal.KindPermit, seal.NotYetValid, home, at(lateHour, lateMin+1))
	add(permit, seal.KindPermit, seal.BadSignature, 28301, at(inHour, inMin+10))
	// A permit the centre has no record of yet, judged outside its area by
	// the checkpoint itself.
	add("28255-1-2021-000001", seal.KindPermit, seal.OutsideArea, far, at(9, 0))
	// A permit seen at five checkpoints in one day, and one at four (the
	// threshold): only the first is named.
	for i, c := range []uint32{28249, 28252, 28255, 28258, 28261} {
		add("28261-1-2021-000005", seal.KindPermit, seal.Valid, c, at(8+i, 0))
		if i < 4 {
			add("28261-1-2021-000004", seal.KindPermit, seal.Valid, c, at(8+i, 0))
		}
	}
	// A fifth checkpoint that turned it back: not a checkpoint it passed.
	add("28261-1-2021-000004", seal.KindPermit, seal.Expired, 28264, at(13, 0))
	// Vouchers: let in at one market, then shown at another; let in twice
	// by two entrances that had not synced; refused once as used at the
	// same market (the system working, not abuse).
	add("28291-1-2021-004001", seal.KindVoucher, seal.Valid, 28291, at(7, 0))
	add("28291-1-2021-004001", seal.KindVoucher, seal.AlreadyUsed, 28249, at(7, 30))
	add("28291-1-2021-004002", seal.KindVoucher, seal.Valid, 28291, at(7, 0))
	add("28291-1-2021-004002", seal.KindVoucher, seal.Valid, 28291, at(7, 2))
	add("28291-1-2021-004003", seal.KindVoucher, seal.Valid, 28291, at(7, 0))
	add("28291-1-2021-004003", seal.KindVoucher, seal.AlreadyUsed, 28291, at(7, 1))
	// The day before: outside any window asked for below.
	add(permit, seal.KindPermit, seal.Valid, far, at(inHour, inMin)-86400)
	if err := db.Write(ctx, func(tx *store.Tx) error {
		// What the centre keeps of a voucher's issue, and the entrances' desks.
		if _, err := tx.Exec(`INSERT INTO voucher_issues (serial, unit, household_code, representative, market_id, market_name, slot_start, slot_end)
			VALUES ('28291-1-2021-004002', 28291, 'TMC-002', 'Trần Thị Bích', 'm1', 'Chợ Tân Mỹ Chánh', 0, 0)`); err != nil {
			return err
		}
		gate := 0
		for i, e := range events {
			if e.Serial == "28291-1-2021-004002" {
				gate++
				events[i].Desk = fmt.Sprintf("desk-gate-%d", gate)
			}
		}
		for _, d := range []store.Desk{{ID: "desk-gate-1", Unit: 28291, Number: 7, Label: "Cổng chợ số 1"}, {ID: "desk-gate-2", Unit: 28291, Number: 8, Label: "Cổng chợ số 2"}} {
			if err := tx.PutDesk(d, false); err != nil {
				return err
			}
		}
		_, err := tx.ApplyRemoteScans(events)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	rows, err := db.AbuseReport(ctx, store.AbuseOptions{From: time.Unix(at(0, 0), 0), Until: time.Unix(at(0, 0)+86400, 0)})
	if err != nil {
		t.Fatal(err)
	}
	type finding struct {
		kind   store.AbuseKind
		serial string
	}
	got := map[finding]store.AbuseRow{}
	for _, r := range rows {
		got[finding{r.Kind, r.Serial}] = r
	}
	want := []finding{
		{store.AbuseOutsideArea, permit},
		{store.AbuseOutsideHours, permit},
		{store.AbuseOutsideArea, "28255-1-2021-000001"},
		{store.AbuseManyCheckpoints, "28261-1-2021-000005"},
		{store.AbuseVoucherReused, "28291-1-2021-004001"},
		{store.AbuseVoucherReused, "28291-1-2021-004002"},
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("missing %s %s", w.kind, w.serial)
		}
	}
	if len(rows) != len(want) {
		for _, r := range rows {
			t.Logf("%s %s %s %s", r.Day, r.Kind, r.Serial, r.Detail)
		}
		t.Errorf("%d findings, want %d", len(rows), len(want))
	}
	area := got[finding{store.AbuseOutsideArea, permit}]
	if area.Scans != 1 || len(area.Checkpoints) != 1 || area.Checkpoints[0] != far || area.Unit != 28291 ||
		area.Holder == "" || area.Day != "2021-09-22" || !strings.Contains(area.Detail, "Phường 4") {
		t.Errorf("outside-area row %+v", area)
	}
	if r := got[finding{store.AbuseOutsideArea, "28255-1-2021-000001"}]; r.Unit != 28255 || r.Holder != "" {
		t.Errorf("unknown permit's row %+v", r)
	}
	if r := got[finding{store.AbuseManyCheckpoints, "28261-1-2021-000005"}]; r.Scans != 5 || len(r.Checkpoints) != 5 {
		t.Errorf("many-checkpoints row %+v", r)
	}
	if r := got[finding{store.AbuseOutsideHours, permit}]; r.Scans != 2 || r.Refused != 2 ||
		len(r.Verdicts) != 2 || r.Verdicts[0] != seal.OutsideHours || r.Verdicts[1] != seal.NotYetValid {
		t.Errorf("outside-hours row does not carry the checkpoints' own verdicts: %+v", r)
	}
	twice := got[finding{store.AbuseVoucherReused, "28291-1-2021-004002"}]
	if twice.Holder != "Trần Thị Bích (hộ TMC-002)" || len(twice.Admissions) != 2 || twice.Refused != 0 ||
		!strings.Contains(twice.Detail, "Cổng chợ số 1") || !strings.Contains(twice.Detail, "Cổng chợ số 2") ||
		!strings.Contains(twice.Detail, "07:00:00") || !strings.Contains(twice.Detail, "07:02:00") {
		t.Errorf("double-use row names neither the household nor both entrances and times: %+v", twice)
	}
	if r := got[finding{store.AbuseVoucherReused, "28291-1-2021-004001"}]; r.Refused != 1 || len(r.Admissions) != 1 {
		t.Errorf("voucher shown after use: refused scans not counted apart: %+v", r)
	}
	// The threshold is configurable.
	rows, _ = db.AbuseReport(ctx, store.AbuseOptions{From: time.Unix(at(0, 0), 0), Until: time.Unix(at(0, 0)+86400, 0), MaxCheckpointsPerDay: 3})
	n := 0
	for _, r := range rows {
		if r.Kind == store.AbuseManyCheckpoints {
			n++
		}
	}
	if n != 2 {
		t.Errorf("threshold 3: %d permits at too many checkpoints, want 2", n)
	}
	// Without a window, the day before shows too.
	rows, _ = db.AbuseReport(ctx, store.AbuseOptions{})
	days := map[string]bool{}
	for _, r := range rows {
		days[r.Day] = true
	}
	if !days["2021-09-21"] || !days["2021-09-22"] {
		t.Errorf("days %v", days)
	}

	var buf bytes.Buffer
	if err := store.WriteAbuseCSV(&buf, rows, units); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark: Excel would garble the diacritics")
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(rows)+1 || records[0][0] != "Loại vi phạm" || records[0][5] != "Người được cấp" {
		t.Errorf("CSV: %d records, header %v", len(records), records[0])
	}
	if !strings.Contains(buf.String(), "Phiếu dùng nhiều lần") || !strings.Contains(buf.String(), "UBND Xã Tân Mỹ Chánh (28291)") {
		t.Errorf("CSV body:\n%s", buf.String())
	}
}
