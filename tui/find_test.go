package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

// ducID is the ID number of the person seedDuc puts on the desk.
const ducID = "082088765432"

// seedDuc puts Nguyễn Văn Đức on the desk with five applications: four
// approved, whose permits are by the desk's clock expired, revoked, valid
// now and not yet valid, and one still pending. Each was taken in and
// decided on its own day, as at a real counter.
func seedDuc(t *testing.T, db *store.DB) (store.Person, map[string]string) {
	t.Helper()
	ctx := context.Background()
	clerk, err := db.Login(ctx, "canbo", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	approver, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := db.UnlockSigner(ctx, approver, seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	day := func(d int) time.Time { return time.Date(2021, 9, d, 0, 0, 0, 0, store.Vietnam) }
	person := store.Person{IDNumber: ducID, FullName: "Nguyễn Văn Đức", BirthDate: time.Date(1988, 5, 2, 0, 0, 0, 0, store.Vietnam),
		Sex: store.SexMale, Commune: 28291, Hamlet: "Ấp 2", Address: "Số 7, Ấp 2"}
	states := map[string]string{} // serial → the state the clerk should read
	for _, c := range []struct {
		taken, from, until int
		approve            bool
		state              string
	}{
		{10, 10, 12, true, "Hết hạn"},
		{14, 14, 16, true, "Đã thu hồi"},
		{20, 20, 23, true, "Còn hạn"},
		{21, 24, 26, true, "Chưa đến hạn"},
		{21, 27, 28, false, ""},
	} {
		db.SetClock(func() time.Time { return day(c.taken).Add(8 * time.Hour) })
		a, err := db.Submit(ctx, clerk, store.Intake{Person: person, Application: store.Application{
			Category: store.CatResident, Purpose: store.PurposeMedical, Area: []uint32{28291}, Route: "Nhà → Trạm y tế xã",
			ValidFrom: day(c.from), ValidUntil: day(c.until), HasHours: true, HoursFrom: 6 * 60, HoursTo: 18 * 60}})
		if err != nil {
			t.Fatalf("submit %d/09: %v", c.from, err)
		}
		if !c.approve {
			continue
		}
		res, err := db.Approve(ctx, approver, signer, []string{a.ID})
		if err != nil || len(res) != 1 || res[0].Err != nil || res[0].Serial == "" {
			t.Fatalf("approve %d/09: %v %+v", c.from, err, res)
		}
		states[res[0].Serial] = c.state
		if c.state == "Đã thu hồi" {
			if err := db.Revoke(ctx, approver, res[0].Serial, "Mất giấy"); err != nil {
				t.Fatal(err)
			}
		}
	}
	db.SetClock(func() time.Time { return testdesk.Sept21 })
	p, err := db.PersonByIDNumber(ctx, ducID)
	if err != nil {
		t.Fatal(err)
	}
	return p, states
}

// findRow moves the search's cursor to the row holding id, as a clerk would
// with the arrows, and reports whether it got there.
func findRow(d *drive.Driver, m *Model, id string) bool {
	for range 20 {
		for l := range strings.SplitSeq(screen(m), "\n") {
			if strings.HasPrefix(l, "› ") && strings.Contains(l, id) {
				return true
			}
		}
		d.Send(drive.Key("down"))
	}
	return false
}

// TestFindPersonByName: from the intake screen a clerk finds Nguyễn Văn Đức
// by typing "nguyen van duc", sees their applications and permits with
// each permit's state in the issued permits' words, goes back to the form
// with what was typed still there, and starts a new application for them
// that is prefilled like a typed ID number's.
func TestFindPersonByName(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	person, states := seedDuc(t, db)
	logIn(t, d, m, "canbo")
	d.Send(drive.Type("0820")...) // half an ID number, then the clerk thinks better of it
	if f := footerLine(m); !strings.Contains(f, "ctrl+f tìm người") {
		t.Errorf("the intake's footer should show ctrl+f tìm người:\n%s", f)
	}
	d.Send(drive.Key("ctrl+f"))
	if s := screen(m); !strings.Contains(s, "Tìm người") || !strings.Contains(s, "Gõ tên để tìm") {
		t.Fatalf("ctrl+f should open the search:\n%s", s)
	}
	checkFrame(t, m, 80, 24)

	d.Send(drive.Type("nguyen")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "người khớp") }, 10*time.Second)
	many := strings.Count(screen(m), "Nguyễn")
	d.Send(drive.Type(" van duc")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), ducID) }, 10*time.Second)
	s := screen(m)
	if !strings.Contains(s, "Nguyễn Văn Đức") || !strings.Contains(s, "1988") || !strings.Contains(s, "Xã Tân Mỹ Chánh") {
		t.Errorf("the result should show the name, birth year and home commune:\n%s", s)
	}
	if strings.Count(s, "Nguyễn") >= many && many > 2 {
		t.Errorf("the results did not narrow from %d Nguyễn as the name was typed:\n%s", many, s)
	}
	checkFrame(t, m, 80, 24)
	if !findRow(d, m, ducID) {
		t.Fatalf("the cursor never reached %s:\n%s", ducID, screen(m))
	}

	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Giấy đi đường (4)") }, 10*time.Second)
	s = screen(m)
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil || len(apps) != 5 {
		t.Fatalf("%d applications, %v", len(apps), err)
	}
	for _, a := range apps {
		if !strings.Contains(s, a.Number) {
			t.Errorf("application %s is not shown:\n%s", a.Number, s)
		}
	}
	if !strings.Contains(s, "Hồ sơ (5)") || !strings.Contains(s, "Chờ duyệt") || !strings.Contains(s, "Đã cấp") {
		t.Errorf("the applications with their status should be shown:\n%s", s)
	}
	for serial, state := range states {
		if line := lineWith(s, serial); !strings.Contains(line, state) {
			t.Errorf("permit %s should read %q, the line is %q", serial, state, line)
		}
	}
	if line := lineWith(s, apps[0].Number); !strings.Contains(line, "27/09–28/09/2021") || !strings.Contains(line, "L4") {
		t.Errorf("the pending application's line should give its category and dates: %q", line)
	}
	checkFrame(t, m, 80, 24)

	// ? lists the keys of the person's view.
	d.Send(drive.Key("?"))
	if s := screen(m); !strings.Contains(s, "n hồ sơ mới") || !strings.Contains(s, "esc quay lại danh sách") {
		t.Errorf("the help should list the person view's keys:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("?"))

	// esc, esc: the list, then the ID number as it was typed.
	d.Send(drive.Key("esc"))
	if s := screen(m); !strings.Contains(s, "nguyen van duc") || !strings.Contains(s, ducID) {
		t.Errorf("esc should return to the results:\n%s", s)
	}
	d.Send(drive.Key("esc"))
	s = screen(m)
	if !strings.Contains(s, "Số CCCD/CMND") || !strings.Contains(s, "> 0820") {
		t.Fatalf("esc should return to the form with 0820 still typed:\n%s", s)
	}
	d.Send(drive.Type("1")...)
	if !strings.Contains(screen(m), "> 08201") {
		t.Errorf("typing after the search should carry on the ID number:\n%s", screen(m))
	}

	// Again, and n takes a new application for them, prefilled.
	d.Send(drive.Key("ctrl+f"))
	if s := screen(m); !strings.Contains(s, "nguyen van duc") {
		t.Errorf("the search should open with the last query:\n%s", s)
	}
	findRow(d, m, ducID)
	d.Send(drive.Key("enter"))
	d.Send(drive.Key("n"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "✓ Nguyễn Văn Đức") }, 10*time.Second)
	s = screen(m)
	if !strings.Contains(s, ducID) || !strings.Contains(s, "Đang có") {
		t.Errorf("the new application should start from the person's record and papers:\n%s", s)
	}
	// The form is the returning person's: the route is prefilled and
	// typing replaces it.
	for i := 0; i < 8 && focusedTitle(m) != "Lộ trình"; i++ {
		d.Send(drive.Key("enter"))
	}
	if s := screen(m); focusedTitle(m) != "Lộ trình" || !strings.Contains(s, "Nhà → Trạm y tế xã") {
		t.Fatalf("the route should be prefilled from the last application:\n%s", s)
	}
	d.Send(drive.Type("Nhà → Chợ")...)
	if line := lineWith(screen(m), "Nhà → Chợ"); strings.Contains(line, "Trạm") {
		t.Errorf("typing should replace the prefilled route: %q", line)
	}
	checkFrame(t, m, 80, 24)

	// From the middle of the form, the search and back: the route typed
	// is still there, the cursor still in it.
	d.Send(drive.Key("ctrl+f"))
	if !strings.Contains(screen(m), "Gõ họ tên") {
		t.Fatalf("ctrl+f from the form should open the search:\n%s", screen(m))
	}
	d.Send(drive.Key("esc"))
	d.Send(drive.Type(" Mỹ Tho")...)
	if s := screen(m); focusedTitle(m) != "Lộ trình" || !strings.Contains(s, "Nhà → Chợ Mỹ Tho") {
		t.Errorf("esc should return to the route as typed:\n%s", s)
	}
}

// TestFindPersonOddInput: a name typed in decomposed Unicode (as some
// keyboards send it) finds the person all the same, and emoji or
// punctuation find nobody and say so in Vietnamese, without a crash.
func TestFindPersonOddInput(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	seedDuc(t, db)
	logIn(t, d, m, "canbo")
	d.Send(drive.Key("ctrl+f"))
	nfd := "Nguye\u0302\u0303n Va\u0306n D\u0303u\u031b\u0301c" // "Nguyễn Văn D̃ức" as combining marks
	d.Send(drive.Type(nfd)...)
	d.Until(func(tea.Model) bool {
		return strings.Contains(screen(m), "người khớp") || strings.Contains(screen(m), "Không tìm thấy")
	}, 10*time.Second)
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("ctrl+u"))
	d.Send(drive.Type("nguye\u0302\u0303n va\u0306n \u0111u\u031b\u0301c")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), ducID) }, 10*time.Second)
	checkFrame(t, m, 80, 24)
	for _, q := range []string{"😀🎉", "\"*:(", "\u0301\u0301", "nguyen 😀"} {
		d.Send(drive.Key("ctrl+u"))
		d.Send(drive.Type(q)...) // each answer is in once Send returns
		s := screen(m)
		switch q {
		case "\u0301\u0301": // nothing left once folded
			if !strings.Contains(s, "Gõ tên để tìm") {
				t.Errorf("%q should ask for a name:\n%s", q, s)
			}
		case "nguyen 😀": // the emoji is passed over like punctuation
			if !strings.Contains(s, "người khớp") {
				t.Errorf("%q should find the Nguyễn:\n%s", q, s)
			}
		default:
			if !strings.Contains(s, "Không tìm thấy ai khớp") || strings.Contains(s, ducID) {
				t.Errorf("%q should find nobody, and say so in Vietnamese:\n%s", q, s)
			}
		}
		checkFrame(t, m, 80, 24)
	}
}

// TestFindPersonEnglish: the search speaks the desk's language.
func TestFindPersonEnglish(t *testing.T) {
	m, d, db := newDesk(t, i18n.En, 80, 24)
	_, _ = seedDuc(t, db)
	logIn(t, d, m, "canbo")
	d.Send(drive.Key("ctrl+f"))
	d.Send(drive.Type("nguyen van duc")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), ducID) }, 10*time.Second)
	findRow(d, m, ducID)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Permits (4)") }, 10*time.Second)
	s := screen(m)
	for _, want := range []string{"Find a person", "Applications (5)", "Pending", "Not yet valid", "Revoked", "Expired", "Valid"} {
		if !strings.Contains(s, want) {
			t.Errorf("the English view lacks %q:\n%s", want, s)
		}
	}
	for _, vi := range []string{"Còn hạn", "Hồ sơ (", "Chờ duyệt"} {
		if strings.Contains(s, vi) {
			t.Errorf("Vietnamese %q on the English screen:\n%s", vi, s)
		}
	}
}
