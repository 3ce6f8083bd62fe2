package tui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"thonghanh/store"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// returningResident finds a resident of the desk's commune whose latest
// application is a category-4 request this commune decides.
func returningResident(t *testing.T, db *store.DB) (store.Person, store.Application) {
	t.Helper()
	ctx := context.Background()
	items, err := db.Queue(ctx, 28291)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Category != store.CatResident || !it.Authority.Allowed {
			continue
		}
		p, err := db.PersonByIDNumber(ctx, it.IDNumber)
		if err != nil {
			t.Fatal(err)
		}
		apps, err := db.ApplicationsOf(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if apps[0].ID == it.ID {
			return p, apps[0]
		}
	}
	t.Fatal("the demo has no returning resident")
	return store.Person{}, store.Application{}
}

// TestReturningPersonTakesFewKeys counts every key a clerk presses, from
// the empty intake screen to the application in the queue: the ID number,
// then Enter through the prefilled form and the review.
func TestReturningPersonTakesFewKeys(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, prev := returningResident(t, db)

	keys := 0
	press := func(msgs ...tea.Msg) {
		for _, msg := range msgs {
			keys++
			d.Send(msg)
		}
	}
	press(drive.Type(person.IDNumber)...)
	press(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), person.FullName) }, 5*time.Second)
	for i := 0; i < 20 && !strings.Contains(screen(m), "Đã tiếp nhận hồ sơ"); i++ {
		press(drive.Key("enter"))
		d.Until(func(tea.Model) bool { return !strings.Contains(screen(m), "Đang gửi") }, 5*time.Second)
	}
	s := screen(m)
	if !strings.Contains(s, "Đã tiếp nhận hồ sơ") {
		t.Fatalf("not submitted after %d keys:\n%s", keys, s)
	}
	t.Logf("returning person: %d keys", keys)
	if keys > 25 {
		t.Errorf("a returning person's application took %d keys, want ≤ 25", keys)
	}

	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := apps[0]
	if got.ID == prev.ID {
		t.Fatal("no new application in the store")
	}
	if got.Category != prev.Category || got.Purpose != prev.Purpose || !slices.Equal(got.Area, prev.Area) || got.Route != prev.Route {
		t.Errorf("defaults not carried over:\n got  %+v\n prev %+v", got, prev)
	}
	if got.Status != store.StatusPending || got.QueueUnit != 28291 || got.Source != store.SourceWalkIn {
		t.Errorf("new application: status %s, queue %d, source %s", got.Status, got.QueueUnit, got.Source)
	}
	if !strings.Contains(s, got.Number) || !strings.Contains(s, "UBND Xã Tân Mỹ Chánh") {
		t.Errorf("the clerk should see the number %s and the queue:\n%s", got.Number, s)
	}
}

// openPerson types a known person's ID number at the intake and waits for
// their record.
func openPerson(d *drive.Driver, m *Model, person store.Person) {
	d.Send(drive.Type(person.IDNumber)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), person.FullName) }, 5*time.Second)
}

func TestIntakeScreens(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, _ := returningResident(t, db)
	t.Run("id", func(t *testing.T) {
		checkFrame(t, m, 80, 24)
		golden.RequireEqual(t, d.View())
	})
	openPerson(d, m, person)
	t.Run("returning", func(t *testing.T) {
		checkFrame(t, m, 80, 24)
		golden.RequireEqual(t, d.View())
	})
	for range 8 {
		d.Send(drive.Key("enter"))
	}
	t.Run("review", func(t *testing.T) {
		if !strings.Contains(screen(m), "Kiểm tra lại trước khi gửi") {
			t.Fatalf("not at the review:\n%s", screen(m))
		}
		checkFrame(t, m, 80, 24)
		golden.RequireEqual(t, d.View())
	})
}

// TestNewPersonIntake enters a person the desk has never seen, with an
// inline error on the way, and checks what reaches the store.
func TestNewPersonIntake(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	const id = "082195001234" // Tiền Giang, born 1995, a woman (4th digit odd)
	typeLine := func(s string) {
		d.Send(drive.Type(s)...)
		d.Send(drive.Key("enter"))
	}
	typeLine(id)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Người mới") }, 5*time.Second)
	typeLine("Trần Thị Bé Ba")
	typeLine("05/05/1985") // the ID says 1995
	if s := screen(m); !strings.Contains(s, "không khớp với năm sinh 1985") {
		t.Fatalf("no inline error for a birth year the ID contradicts:\n%s", s)
	}
	for range 4 {
		d.Send(drive.Key("backspace"))
	}
	typeLine("1995")
	d.Send(drive.Key("right")) // Nữ
	d.Send(drive.Key("enter"))
	typeLine("0912 345 678")
	d.Send(drive.Key("ctrl+u")) // the desk's commune is prefilled: type it again, unaccented
	typeLine("tan my chanh")
	typeLine("Ấp 3")
	typeLine("Số 12")
	d.Send(drive.Key("enter")) // category 4, the commune desk's default
	d.Send(drive.Key("down"))  // medical
	d.Send(drive.Key("down"))
	d.Send(drive.Key("enter"))
	typeLine("") // area: the home commune by default
	typeLine("Nhà → trạm y tế xã")
	typeLine("")             // from today
	typeLine("23/09/2021")   // until
	typeLine("")             // hours: the default
	typeLine("63-b1 123.45") // vehicle
	s := screen(m)
	for _, want := range []string{"Trần Thị Bé Ba", "Nữ", "Ấp 3", "Khám, chữa bệnh", "Xã Tân Mỹ Chánh", "21/09/2021 – 23/09/2021 · 06:00–18:00", "63-B1 123.45"} {
		if !strings.Contains(strings.ToUpper(s), strings.ToUpper(want)) {
			t.Errorf("review lacks %q:\n%s", want, s)
		}
	}
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã tiếp nhận hồ sơ") }, 5*time.Second)

	p, err := db.PersonByIDNumber(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if p.FullName != "Trần Thị Bé Ba" || p.Sex != store.SexFemale || p.Phone != "0912345678" || p.Commune != 28291 || p.Hamlet != "Ấp 3" {
		t.Errorf("stored person %+v", p)
	}
	apps, _ := db.ApplicationsOf(context.Background(), p.ID)
	if len(apps) != 1 {
		t.Fatalf("%d applications", len(apps))
	}
	a := apps[0]
	if a.Category != store.CatResident || a.Purpose != store.PurposeMedical || !slices.Equal(a.Area, []uint32{28291}) ||
		!a.HasHours || a.HoursFrom != 6*60 || a.Vehicle != "63-B1 123.45" || store.FormatDate(a.ValidUntil) != "23/09/2021" {
		t.Errorf("stored application %+v", a)
	}
}

// TestIntakeShowsStoreRefusal: the store's own checks (here, a start date
// that passed while the review stood open) come back on the review screen,
// field by field.
func TestIntakeShowsStoreRefusal(t *testing.T) {
	for _, tc := range []struct {
		lang          i18n.Lang
		refused, said string
	}{
		{i18n.Vi, "chưa gửi được", "ngày bắt đầu 21/09/2021 đã qua"},
		{i18n.En, "was not accepted", "Validity: the start date 21/09/2021 is past"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			m, d, db := newDesk(t, tc.lang, 80, 24)
			logIn(t, d, m, "canbo")
			person, _ := returningResident(t, db)
			openPerson(d, m, person)
			for range 4 {
				d.Send(drive.Key("enter"))
			}
			// Today passes the field's check; the review is then left open
			// past midnight, and only the store can say the day is gone.
			d.Send(drive.Type("21/09/2021")...)
			for range 4 {
				d.Send(drive.Key("enter"))
			}
			tomorrow := db.Now().AddDate(0, 0, 1)
			db.SetClock(func() time.Time { return tomorrow })
			d.Send(drive.Key("enter"))
			d.Until(func(tea.Model) bool { return strings.Contains(screen(m), tc.refused) }, 5*time.Second)
			if s := screen(m); !strings.Contains(s, tc.said) {
				t.Errorf("the store's message is not shown as %q:\n%s", tc.said, s)
			}
		})
	}
}

// TestEditKnownPerson: ctrl+e opens a returning person's own details; a new
// phone number is saved with the application.
func TestEditKnownPerson(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, _ := returningResident(t, db)
	openPerson(d, m, person)
	d.Send(drive.Key("ctrl+e"))
	if !strings.Contains(screen(m), "Họ và tên") {
		t.Fatalf("ctrl+e should show the person's details:\n%s", screen(m))
	}
	for range 3 { // name, birth date, sex
		d.Send(drive.Key("enter"))
	}
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type("0987 654 321")...)
	for range 20 {
		if strings.Contains(screen(m), "Kiểm tra lại trước khi gửi") {
			break
		}
		d.Send(drive.Key("enter"))
	}
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã tiếp nhận hồ sơ") }, 5*time.Second)
	p, err := db.PersonByIDNumber(context.Background(), person.IDNumber)
	if err != nil || p.Phone != "0987654321" || p.ID != person.ID {
		t.Fatalf("person after editing: %+v (%v)", p, err)
	}
}

// TestOfficialGoesToEmployersQueue: a category-2 request is routed by the
// store to the employing agency's queue, and the clerk is told so.
func TestOfficialGoesToEmployersQueue(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	typeLine := func(s string) {
		d.Send(drive.Type(s)...)
		d.Send(drive.Key("enter"))
	}
	const id = "082090004321"
	typeLine(id)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Người mới") }, 5*time.Second)
	typeLine("Võ Minh Tâm")
	typeLine("10/10/1990")
	d.Send(drive.Key("enter")) // Nam
	typeLine("")               // no phone
	typeLine("")               // commune: the desk's
	typeLine("Ấp 1")
	typeLine("")
	d.Send(drive.Key("up"), drive.Key("up"), drive.Key("enter")) // category 2
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type("so y te")...)
	if !strings.Contains(screen(m), "Khớp: Sở Y tế") {
		t.Errorf("the agency input should suggest Sở Y tế:\n%s", screen(m))
	}
	d.Send(drive.Key("enter"))
	for range 6 { // area, route, from, until, hours, vehicle
		d.Send(drive.Key("enter"))
	}
	if s := screen(m); !strings.Contains(s, "Sở Y tế") || !strings.Contains(s, "Thành phố Mỹ Tho") {
		t.Fatalf("review:\n%s", s)
	}
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã tiếp nhận hồ sơ") }, 5*time.Second)
	s := screen(m)
	if !strings.Contains(s, "Sở Y tế") || !strings.Contains(s, "do đơn vị khác xét duyệt") {
		t.Errorf("the clerk should see the agency's queue:\n%s", s)
	}
	p, _ := db.PersonByIDNumber(context.Background(), id)
	apps, _ := db.ApplicationsOf(context.Background(), p.ID)
	if len(apps) != 1 || apps[0].QueueUnit != 820104 || apps[0].Employer != 820104 || p.Employer != 820104 {
		t.Errorf("application %+v, person employer %d", apps, p.Employer)
	}
}

// A stray esc in the middle of the form loses nothing: the first asks, a
// second throws the application away, any other key carries on.
func TestIntakeEscAsksBeforeDiscarding(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, _ := returningResident(t, db)
	openPerson(d, m, person)
	before := screen(m)

	d.Send(drive.Key("esc"))
	s := screen(m)
	if !strings.Contains(s, "Bấm esc lần nữa để bỏ hồ sơ") || !strings.Contains(s, person.FullName) {
		t.Fatalf("one esc should ask and keep the form:\n%s", s)
	}
	checkFrame(t, m, 80, 24)

	d.Send(drive.Key("enter")) // carries on: the question goes, the form moves on
	s = screen(m)
	if strings.Contains(s, "Bấm esc lần nữa") || !strings.Contains(s, person.FullName) {
		t.Fatalf("another key should carry on with the form:\n%s", s)
	}
	if s == before {
		t.Error("enter after the question did not reach the form")
	}

	d.Send(drive.Key("esc"))
	d.Send(drive.Key("esc"))
	s = screen(m)
	if strings.Contains(s, person.FullName) || !strings.Contains(s, "Tiếp nhận") {
		t.Fatalf("two esc should start a new application:\n%s", s)
	}
}

// The form's inline checks speak the desk's language.
func TestIntakeInlineErrorsInEnglish(t *testing.T) {
	for _, tc := range []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.Vi, "Phải có 12 số (CCCD) hoặc 9 số (CMND), đang có 3 số"},
		{i18n.En, "Must have 12 digits (CCCD) or 9 (CMND), has 3"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			m, d, _ := newDesk(t, tc.lang, 80, 24)
			logIn(t, d, m, "canbo")
			d.Send(drive.Type("082")...)
			d.Send(drive.Key("enter"))
			d.Until(func(tea.Model) bool { return strings.Contains(screen(m), tc.want) }, 5*time.Second)
			if s := screen(m); !strings.Contains(s, tc.want) {
				t.Errorf("inline error is not %q:\n%s", tc.want, s)
			}
		})
	}
}
