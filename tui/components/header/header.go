// Package header is the frame's two top lines: the program, the desk and
// the Vietnam clock; then who is logged in and the state of sync.
package header

import (
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// Header is what the two lines say.
type Header struct {
	Title   string         // the program: "Thông Hành", "Thông Hành · Kiểm tra"
	Desk    string         // the desk's label
	Now     time.Time      // the clock, from the store
	Officer *store.Officer // nil before anyone logs in
	Signer  bool           // the officer's signing key is unlocked
	Sync    common.SyncState
}

// View draws the header at width w.
func (h Header) View(s *common.Styles, lang i18n.Lang, w int) string {
	left := " ◆ " + h.Title + " · " + h.Desk
	line1 := s.HeaderBar.Render(Spread(left, store.FormatDateTime(h.Now)+" ", w))
	var who string
	if o := h.Officer; o != nil {
		who = " " + o.FullName + " · " + common.RoleName(lang, *o)
		if h.Signer {
			who += " · " + lang.T("frame.signer")
		}
	} else {
		who = " " + lang.T("frame.notloggedin")
	}
	return line1 + "\n" + Spread(s.HeaderLine.Render(who), h.syncView(s, lang), w)
}

func (h Header) syncView(s *common.Styles, lang i18n.Lang) string {
	st := h.Sync
	var parts []string
	switch {
	case st.Running:
		parts = append(parts, s.Info.Render("⟳ "+lang.Tf("frame.syncing", st.Done, st.Total)))
	case st.Online:
		parts = append(parts, s.OK.Render("● "+lang.T("frame.online")))
	default:
		parts = append(parts, s.Warn.Render("○ "+lang.T("frame.offline")))
	}
	parts = append(parts, s.HeaderLine.Render(lang.Tf("frame.pending", lang.Int(st.Pending))))
	if !st.ListsAt.IsZero() {
		// How old the revocations and other entrances' uses may be: a
		// checkpoint offline since morning must see it at a glance.
		parts = append(parts, s.HeaderLine.Render(lang.Tf("frame.lists", common.Age(lang, h.Now.Sub(st.ListsAt)))))
	}
	switch {
	case st.Busy:
		parts = append(parts, s.Warn.Render("⏸ "+lang.T("frame.syncbusy")))
	case st.LastError != "":
		parts = append(parts, s.Error.Render("⚠ "+lang.T("frame.syncerror")))
	}
	return strings.Join(parts, s.HeaderLine.Render(" · ")) + " "
}

// Spread puts left and right (plain or styled) on one line of width w,
// cutting left when both do not fit.
func Spread(left, right string, w int) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > w {
		left = ansi.Truncate(left, max(w-rw-1, 0), "…")
		lw = ansi.StringWidth(left)
	}
	return left + strings.Repeat(" ", max(w-lw-rw, 0)) + right
}
