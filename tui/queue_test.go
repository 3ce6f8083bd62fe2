package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

func TestQueueScreen(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	checkFrame(t, m, 80, 24)
	golden.RequireEqual(t, d.View())
}

func TestQueueScreenWide(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 132, 40)
	logIn(t, d, m, "duyet")
	checkFrame(t, m, 132, 40)
	s := screen(m)
	if !strings.Contains(s, "Số hồ sơ") || !strings.Contains(s, "Ghi chú") {
		t.Errorf("a wide queue shows the number and note columns:\n%s", s)
	}
	golden.RequireEqual(t, d.View())
}

func TestQueueEnglish(t *testing.T) {
	m, d, _ := newDesk(t, i18n.En, 80, 24)
	logIn(t, d, m, "duyet")
	s := screen(m)
	for _, want := range []string{"Queue · UBND Xã Tân Mỹ Chánh", "approving officer", "approve", "Offline"} {
		if !strings.Contains(s, want) {
			t.Errorf("English queue lacks %q:\n%s", want, s)
		}
	}
	// What the commune may not decide says why in English too.
	for range 400 {
		if strings.Contains(screen(m), "travel beyond") {
			break
		}
		d.Send(drive.Key("down"))
	}
	if s := screen(m); !strings.Contains(s, "↑ f forward to UBND Thành phố Mỹ Tho, r reject: travel beyond") || strings.Contains(s, "xã chuyển lên") {
		t.Errorf("a request to forward should say why in English:\n%s", s)
	}
}

// TestApproveMarkedThenPermits approves a few marked rows, then finds their
// permits on the next tab.
func TestApproveMarkedThenPermits(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	for range 3 {
		d.Send(drive.Key("space"))
	}
	d.Send(drive.Key("a"))
	if s := screen(m); !strings.Contains(s, "Duyệt 3 hồ sơ (loại 2 × 3)") {
		t.Fatalf("confirmation should say how many and which categories:\n%s", s)
	}
	d.Send(drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 3/3 hồ sơ") }, 10*time.Second)
	ps, err := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if err != nil || len(ps) != 3 {
		t.Fatalf("%d permits in the store (%v)", len(ps), err)
	}
	d.Send(drive.Key("3"))
	waitLoaded(t, d, m)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "3 giấy") }, 5*time.Second)
	t.Run("permits", func(t *testing.T) {
		checkFrame(t, m, 80, 24)
		golden.RequireEqual(t, d.View())
	})
	for _, p := range ps {
		if !strings.Contains(screen(m), p.Serial) {
			t.Errorf("permit %s not listed", p.Serial)
		}
	}
	if m.active != common.TabPermits {
		t.Fatal("not on the permits tab")
	}
}

// TestBulkApproveStaysResponsive approves every application of a large
// queue in the background; the cursor keeps moving meanwhile, the progress
// bar shows, and the result says what the store refused and why.
func TestBulkApproveStaysResponsive(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 5,000 applications")
	}
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	addResidents(t, db, 5000)
	logIn(t, d, m, "duyet")
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "5.") }, 20*time.Second)
	d.Send(drive.Key("ctrl+a"))
	d.Send(drive.Key("a"))
	d.Press(drive.Key("y")) // the approval runs in the background
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "%") }, 10*time.Second)
	before := screen(m)
	d.Send(drive.Key("down"))
	d.Send(drive.Key("down"))
	if after := screen(m); after == before || !strings.Contains(after, "%") {
		t.Errorf("the screen did not answer while approving:\n%s", after)
	}
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt") }, 120*time.Second)
	s := screen(m)
	if !strings.Contains(s, "Đã duyệt 5.") {
		t.Errorf("result line:\n%s", s)
	}
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM permits`).Scan(&n); err != nil || n < 5000 {
		t.Errorf("%d permits after approving 5,000 (%v)", n, err)
	}
}

// addResidents submits n category-4 walk-ins from residents of the desk's
// commune, each a new person, in batches.
func addResidents(t testing.TB, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	from := store.StartOfDay(db.Now()).AddDate(0, 0, 1)
	var batch []store.Intake
	flush := func() {
		if _, err := db.SubmitBatch(ctx, store.System(), batch); err != nil {
			t.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range n {
		p := store.Person{IDNumber: fmtID(i), FullName: "Người Thử Số " + letters(i), BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, store.Vietnam),
			Sex: store.SexMale, Commune: 28291, Hamlet: "Ấp 3"}
		a := store.Application{Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{28291}, Route: "Nhà → chợ",
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, 3), Source: store.SourceWalkIn}
		batch = append(batch, store.Intake{Person: p, Application: a})
		if len(batch) == 500 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
}

func fmtID(i int) string {
	s := "082080" + strings.Repeat("0", 6)
	n := []byte(s)
	for j, k := len(n)-1, i; k > 0; j, k = j-1, k/10 {
		n[j] = byte('0' + k%10)
	}
	return string(n)
}

// letters spells i in letters so that the names are valid.
func letters(i int) string {
	const a = "ABCDEGHKLMNOPQRSTUVXY"
	out := []byte{}
	for {
		out = append(out, a[i%len(a)])
		i /= len(a)
		if i == 0 {
			break
		}
	}
	return string(out)
}

func TestQueueDetailForwardReject(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Người nộp") }, 5*time.Second)
	s := screen(m)
	queue, _ := db.Queue(context.Background(), 28291)
	first := "Hồ sơ " + queue[0].Number + " · Chờ duyệt"
	for _, want := range []string{first, "Nơi làm việc", "Thẩm quyền", "Đơn vị được duyệt hồ sơ này"} {
		if !strings.Contains(s, want) {
			t.Errorf("detail lacks %q:\n%s", want, s)
		}
	}
	d.Send(drive.Key("esc"))

	// Forward every category-4 request that leaves the district.
	d.Send(drive.Key("ctrl+a"), drive.Key("f"))
	if !strings.Contains(screen(m), "đến UBND Thành phố Mỹ Tho") {
		t.Fatalf("forward confirmation:\n%s", screen(m))
	}
	d.Send(drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã chuyển") }, 10*time.Second)
	var forwarded int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM applications WHERE status = 'forwarded' AND queue_unit = 815`).Scan(&forwarded)
	if forwarded == 0 {
		t.Fatal("nothing forwarded to Mỹ Tho")
	}

	// Reject the first row with a reason.
	d.Send(drive.Key("esc"), drive.Key("home"), drive.Key("r"))
	d.Send(drive.Type("Không có lý do chính đáng")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã từ chối 1/1") }, 10*time.Second)
	var rejected int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM applications WHERE status = 'rejected' AND reason = 'Không có lý do chính đáng'`).Scan(&rejected)
	if rejected != 1 {
		t.Errorf("%d rejected", rejected)
	}
}

// TestQueueMarksDuplicatesAndAsksAReason: one person sat twice in the queue
// with the same dates, and one bulk approval issued both. The queue marks
// them ≡; approving issues one, and the second only with a reason.
func TestQueueMarksDuplicatesAndAsksAReason(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	ctx := context.Background()
	from := store.StartOfDay(db.Now()).AddDate(0, 0, 1)
	in := store.Intake{
		Person: store.Person{IDNumber: "082079004321", FullName: "Phạm Văn Hùng", BirthDate: time.Date(1979, 5, 6, 0, 0, 0, 0, store.Vietnam),
			Sex: store.SexMale, Commune: 28291, Hamlet: "Ấp 3"},
		Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{28291}, Route: "Nhà → chợ xã → nhà",
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, 3), Source: store.SourceWalkIn},
	}
	if _, err := db.SubmitBatch(ctx, store.System(), []store.Intake{in, in}); err != nil {
		t.Fatal(err)
	}
	logIn(t, d, m, "duyet")
	d.Send(drive.Key("/"))
	d.Send(drive.Type("pham van hung")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "hiện 2") }, 5*time.Second)
	s := screen(m)
	if strings.Count(s, "≡ HS28291-") != 2 || strings.Count(s, "Phạm Văn Hùng") != 2 || !strings.Contains(s, "≡ Trùng: người này có giấy hoặc hồ sơ khác cùng loại") {
		t.Fatalf("both rows should be marked ≡ and the cursor line say why:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("ctrl+a"))
	d.Send(drive.Key("a"))
	if s := screen(m); !strings.Contains(s, "2 hồ sơ trùng (≡)") {
		t.Fatalf("the confirmation should count the duplicates:\n%s", s)
	}
	d.Send(drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 1/2 hồ sơ") }, 10*time.Second)
	if s := screen(m); !strings.Contains(s, "1 trùng giấy còn hiệu lực") {
		t.Errorf("the result should say the second was a duplicate:\n%s", s)
	}
	// The one left is now a duplicate of the permit just issued: with a
	// reason it is issued too.
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "hiện 1") }, 5*time.Second)
	d.Send(drive.Key("a"))
	d.Send(drive.Key("l"))
	if s := screen(m); !strings.Contains(s, "Lý do cấp thêm") {
		t.Fatalf("l asks why a second paper:\n%s", s)
	}
	d.Send(drive.Type("giấy trước ghi sai lộ trình")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt 1/1 hồ sơ") }, 10*time.Second)
	var n int
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM audit WHERE action = ? AND detail LIKE '%ghi sai lộ trình%'`,
		store.ActionApproveOverlap).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d audit entries with the reason (%v)", n, err)
	}
}

// TestRejectOnlyRowLeavesTheQueue: a row no unit may approve (a market
// trip from outside every zone) says so and what can be done, and the
// unit holding it rejects it; it used to stay in the queue for ever.
func TestRejectOnlyRowLeavesTheQueue(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "duyet")
	for range 400 {
		if strings.Contains(screen(m), "⊘ Không ai duyệt được, chỉ từ chối (r): nơi ở") {
			break
		}
		d.Send(drive.Key("down"))
	}
	if s := screen(m); !strings.Contains(s, "⊘ Không ai duyệt được, chỉ từ chối (r): nơi ở") {
		t.Fatalf("no market-trip row from outside the zones says it can only be rejected:\n%s", s)
	}
	d.Send(drive.Key("r"))
	d.Send(drive.Type("Nơi ở không thuộc vùng nguy cơ")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã từ chối 1/1") }, 10*time.Second)
	var n int
	db.SQL().QueryRow(`SELECT COUNT(*) FROM applications WHERE status = 'rejected' AND category = 5`).Scan(&n)
	if n != 1 {
		t.Errorf("%d market-trip requests rejected, want 1", n)
	}
}

// TestQueueWarnsWhenHomeIsOutsideTheArea: the row and the approval's
// confirmation say that the paper would not cover the holder's way home.
func TestQueueWarnsWhenHomeIsOutsideTheArea(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	from := store.StartOfDay(db.Now()).AddDate(0, 0, 1)
	in := store.Intake{
		Person: store.Person{IDNumber: "082079004322", FullName: "Phạm Văn Hải", BirthDate: time.Date(1979, 5, 6, 0, 0, 0, 0, store.Vietnam),
			Sex: store.SexMale, Commune: 28291, Hamlet: "Ấp 3"},
		Application: store.Application{Category: store.CatResident, Purpose: store.PurposeFood, Area: []uint32{28249}, Route: "Chợ Phường 5",
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, 3), Source: store.SourceWalkIn},
	}
	if _, err := db.SubmitBatch(context.Background(), store.System(), []store.Intake{in}); err != nil {
		t.Fatal(err)
	}
	logIn(t, d, m, "duyet")
	d.Send(drive.Key("/"))
	d.Send(drive.Type("pham van hai")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "hiện 1") }, 5*time.Second)
	if s := screen(m); !strings.Contains(s, "! HS28291-") || !strings.Contains(s, "Phạm Văn Hải") || !strings.Contains(s, "! Nơi cư trú ngoài khu vực đi lại: Phường 5") {
		t.Fatalf("the row should be flagged with why:\n%s", s)
	}
	d.Send(drive.Key("a"))
	if s := screen(m); !strings.Contains(s, "1 hồ sơ có nơi cư trú của người nộp ngoài khu vực") {
		t.Errorf("the confirmation should warn:\n%s", s)
	}
}
