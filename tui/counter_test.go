package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// focusedTitle is the title of the form field that has the cursor: huh
// draws a thick bar before the focused field's lines.
func focusedTitle(m *Model) string {
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.HasPrefix(l, "┃ ") {
			return strings.TrimSpace(strings.TrimPrefix(l, "┃ "))
		}
	}
	return ""
}

// TestTypingReplacesPrefilledText: a returning person's route is
// prefilled from their last application; typing a new one replaces it
// rather than adding to its end, and the footer shows how to clear a field.
func TestTypingReplacesPrefilledText(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	logIn(t, d, m, "canbo")
	person, prev := returningResident(t, db)
	if prev.Route == "" {
		t.Fatal("the returning resident has no route to prefill")
	}
	openPerson(d, m, person)
	for i := 0; i < 6 && focusedTitle(m) != "Lộ trình"; i++ {
		d.Send(drive.Key("enter"))
	}
	if focusedTitle(m) != "Lộ trình" {
		t.Fatalf("never reached the route:\n%s", screen(m))
	}
	if s := screen(m); !strings.Contains(s, prev.Route) || !strings.Contains(s, "ctrl+u") {
		t.Errorf("the route field should show the previous route %q and ctrl+u in the footer:\n%s", prev.Route, s)
	}
	checkFrame(t, m, 80, 24)
	const route = "Nhà → Chợ Mỹ Tho"
	d.Send(drive.Type(route)...)
	for i := 0; i < 10 && !strings.Contains(screen(m), "Kiểm tra lại trước khi gửi"); i++ {
		d.Send(drive.Key("enter"))
	}
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã tiếp nhận hồ sơ") }, 5*time.Second)
	apps, err := db.ApplicationsOf(context.Background(), person.ID)
	if err != nil {
		t.Fatal(err)
	}
	if apps[0].Route != route {
		t.Errorf("route sent %q, want %q (typing should replace the prefilled %q)", apps[0].Route, route, prev.Route)
	}
}
