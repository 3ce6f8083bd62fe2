// Package common is what every screen of the desk shares: the Common value
// (size, styles, keys, language, context, store handle, officer, signer)
// handed to each page, the Page interface a tab implements, the Syncer the
// header reads, and the few messages pages send to the frame.
//
// Its room is the contract between the frame (package tui) and the pages
// (tui/intake, tui/queue, tui/permits, and tui/vouchers, tui/check,
// tui/syncpage, tui/admin). It may use store (for the
// handle and record types), store/seal (the signer) and i18n; it never
// imports a page or the frame, and it writes no records itself.
//
// Writing a page:
//
//   - func New(c common.Common) common.Page, registered in tui/tabs.go;
//     keep c (it carries the store, the officer, the signer, the styles).
//   - View returns at most c.Width × c.Height; SetSize updates them. Draw
//     only the rows on screen for long lists (common.Window, common.Marks).
//   - Do I/O in commands, never in Update or View; wrap their results with
//     c.Run (or c.Own, c.After) so they reach the page even when another
//     tab is active.
//   - Typing is true while a text input has focus; the frame then leaves
//     plain keys (1–7, ?, s) to the page.
//   - Strings go through c.T / c.Tf with keys registered in the page's own
//     i18n.Register call; pick colours from c.Styles only.
package common

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/i18n"
)

// Tab identifies one of the desk's tabs, in the order of the number keys.
type Tab int

// The tabs, reachable with keys 1–7 (alt+1…7 while typing).
const (
	TabIntake   Tab = iota // Tiếp nhận: walk-in applications (clerk)
	TabQueue               // Hàng chờ: the approval queue (approver)
	TabPermits             // Giấy đã cấp: issued permits, QR, revoke, print
	TabVouchers            // Phiếu đi chợ: market-trip vouchers
	TabCheck               // Kiểm tra: checkpoint scanning
	TabSync                // Đồng bộ: sync with the central server
	TabAdmin               // Quản trị: zones, markets and accounts (admin, approver)
	NumTabs
)

// Common is handed by value to every page. The frame fills it once per login
// and gives each page its own copy with Tab set; SetSize updates Width and
// Height. Styles is a pointer so a light/dark switch reaches every page.
type Common struct {
	Ctx    context.Context
	Lang   i18n.Lang
	Styles *Styles
	Keys   *KeyMap

	// Width and Height are the page's area: the terminal minus the frame.
	Width, Height int

	DB      *store.DB
	Units   *store.UnitIndex
	Desk    store.Desk
	Officer store.Officer
	// Signer is the desk's unlocked signing key: set only after an
	// approver's login, nil for clerks, checkers and admins.
	Signer *seal.Signer
	Syncer Syncer // nil: offline, no central server configured

	// PrintDir is where PDFs go; empty = the desk's setting (paper.PrintDir).
	PrintDir string
	// Screen is the whole terminal's size, for a page that goes full screen.
	Screen func() (width, height int)

	// Tab is the page's own tab: Own uses it to address background results.
	Tab Tab
}

// SyncSoon starts a sync round now when the desk has a central server:
// decisions and revocations should reach the centre, and through it the
// checkpoints, without waiting for the next timed round.
func (c Common) SyncSoon() {
	if c.Syncer != nil {
		c.Syncer.SyncNow()
	}
}

// ErrorText is err for the clerk, in the desk's language.
func (c Common) ErrorText(err error) string { return ErrorText(err, c.Lang) }

// English reports whether the desk runs in English.
func (c Common) English() bool { return c.Lang.English() }

// T translates key in the desk's language.
func (c Common) T(key string) string { return c.Lang.T(key) }

// Tf translates and formats.
func (c Common) Tf(key string, args ...any) string { return c.Lang.Tf(key, args...) }

// Now is the store's clock (tests fix it), so screens agree with records.
func (c Common) Now() time.Time {
	if c.DB == nil {
		return time.Now()
	}
	return c.DB.Now()
}

// UnitName names a unit for a clerk: the People's Committee for a territory
// ("UBND Xã Tân Mỹ Chánh"), the body's own name otherwise.
func (c Common) UnitName(code uint32) string {
	if c.Units == nil {
		return ""
	}
	if u, ok := c.Units.Get(code); ok {
		return u.CommitteeName()
	}
	return c.Units.Name(code)
}

// Page is one tab of the desk. Only the frame returns a tea.View and owns the
// alt screen; a page renders a string exactly Width×Height or smaller.
//
// The frame sends tea.WindowSizeMsg (as SetSize) and tea.BackgroundColorMsg to
// every page, every other message only to the active one, except ForPage
// messages, which reach the page they name wherever the clerk is.
type Page interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (Page, tea.Cmd)
	View() string
	SetSize(width, height int)
	// ShortHelp and FullHelp are the page's key map for the footer
	// (bubbles/help); the frame adds its own keys after them.
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	// Typing reports that a text input has focus: plain keys (1–7, ?, s)
	// then belong to the page, and only alt+1…7 switch tabs.
	Typing() bool
}

// DigitTaker is implemented by pages with fields that take digits typed
// straight onto them, without opening an input first (a number of days):
// while TakesDigits is true 1–7 are the page's, and ? and s stay the frame's.
type DigitTaker interface {
	TakesDigits() bool
}

// TakesDigits reports whether p wants the digits typed now.
func TakesDigits(p Page) bool {
	if p.Typing() {
		return true
	}
	d, ok := p.(DigitTaker)
	return ok && d.TakesDigits()
}

// HelpKeeper is implemented by pages with inputs that never hold "?" (an
// ID number, a name): while KeepsHelp is true ? opens the frame's full help
// though the page is Typing, and the footer says so. 1–7 and s stay the
// page's.
type HelpKeeper interface {
	KeepsHelp() bool
}

// HelpKey reports whether ? is the frame's help key on p now: wherever
// nothing is typed, and in inputs that never hold it.
func HelpKey(p Page) bool {
	if !p.Typing() {
		return true
	}
	h, ok := p.(HelpKeeper)
	return ok && h.KeepsHelp()
}

// Activator is implemented by pages that want to know when they are shown
// (to reload a queue another tab changed). The frame calls Activate on every
// switch to the page.
type Activator interface {
	Activate() tea.Cmd
}

// Deactivator is implemented by pages that work only while shown (a refresh
// timer): the frame tells them when another tab takes the screen.
type Deactivator interface {
	Deactivate()
}

// FullScreener is implemented by pages that sometimes need the whole
// terminal (a QR code to be scanned off the screen): while FullScreen is true
// the frame draws only the page's View, at the size Common.Screen reports.
type FullScreener interface {
	FullScreen() bool
}

// NewPage builds a page for a logged-in officer.
type NewPage func(c Common) Page

// ForPage carries a message to one page whatever tab is active: results of
// background work (a bulk approval's progress, a reload) must not be lost
// because the clerk switched tabs meanwhile.
type ForPage struct {
	Tab Tab
	Msg tea.Msg
}

// Own addresses msg to this page.
func (c Common) Own(msg tea.Msg) tea.Msg { return ForPage{Tab: c.Tab, Msg: msg} }

// Run runs work in the background (a tea.Cmd) and addresses its result to
// this page. Call it in Update: it copies c then, so the goroutine never
// reads the page while Update writes it.
func (c Common) Run(work func() tea.Msg) tea.Cmd {
	return func() tea.Msg { return c.Own(work()) }
}

// After delivers msg to this page after d (a debounce, a timeout).
func (c Common) After(d time.Duration, msg tea.Msg) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return c.Own(msg) })
}

// StatusMsg asks the frame to show a one-line notice above the help.
type StatusMsg struct {
	Text string
	Kind StatusKind
}

// StatusKind colours a notice.
type StatusKind int

// Notice kinds.
const (
	StatusInfo StatusKind = iota
	StatusOK
	StatusWarn
	StatusError
)

// Status returns a command showing text in the status line.
func Status(kind StatusKind, text string) tea.Cmd {
	return func() tea.Msg { return StatusMsg{Text: text, Kind: kind} }
}

// SwitchTabMsg asks the frame to show another tab (e.g. the permits after an
// approval).
type SwitchTabMsg struct{ Tab Tab }

// Syncer is the desk's link to the central server (store/batchsync), read by the
// header and driven by the `s` key. A nil Syncer means the desk is offline
// with no server configured; the header then reads the pending count from
// the store's outbox.
type Syncer interface {
	SyncState() SyncState
	// SyncNow starts a sync round in the background and returns at once.
	SyncNow()
}

// PersonLookup is what a Syncer linked to the centre may also do: look an
// ID number up there before the desk creates a person (GET /v1/people).
// found is false for a number the centre does not hold or will not tell
// this desk about.
type PersonLookup interface {
	LookupPerson(ctx context.Context, idNumber string) (p store.Person, found bool, err error)
}

// SyncState is what the header shows about sync.
type SyncState struct {
	Online      bool
	Pending     int // outbox ops not yet accepted by the centre
	LastSuccess time.Time
	LastError   string
	Running     bool
	Done, Total int // progress of the running round
	// ListsAt is when the centre's feed was last read to its end (zero:
	// never): the age of the revocations, lists and other entrances' uses.
	ListsAt time.Time
	// Busy: the centre told the last push to come back later; the ops
	// wait on the desk, which is not an error.
	Busy bool
}

// Age says how long ago something was, shortly: "<1 phút", "3 phút",
// "2 giờ", "5 ngày".
func Age(lang i18n.Lang, d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.T("age.now")
	case d < time.Hour:
		return lang.Tf("age.minutes", int(d/time.Minute))
	case d < 48*time.Hour:
		return lang.Tf("age.hours", int(d/time.Hour))
	}
	return lang.Tf("age.days", int(d/(24*time.Hour)))
}

// RoleName is the officer's main role in the desk's language, the strongest
// first: an approver who is also a clerk is shown as approver.
func RoleName(lang i18n.Lang, o store.Officer) string {
	for _, r := range []store.Role{store.RoleApprover, store.RoleAdmin, store.RoleClerk, store.RoleChecker} {
		if o.Has(r) {
			return lang.T("role." + string(r))
		}
	}
	return ""
}

// CategoryName names a holder category: the store's Vietnamese wording, or
// the seal's English one.
func (c Common) CategoryName(cat int) string {
	if c.Lang == i18n.En {
		return seal.CategoryText(uint8(cat), "en")
	}
	return store.CategoryName(cat)
}

// PurposeName names a purpose the same way.
func (c Common) PurposeName(p int) string {
	if c.Lang == i18n.En {
		return seal.PurposeText(seal.Purpose(p), "en")
	}
	return store.PurposeName(p)
}

// AreaNames names the units of a permit's area, comma separated.
func (c Common) AreaNames(area []uint32) string {
	if c.Units == nil {
		return ""
	}
	names := make([]string, len(area))
	for i, code := range area {
		names[i] = c.Units.Name(code)
	}
	return strings.Join(names, ", ")
}

// VerdictName names a checkpoint's verdict on a scanned code.
func (c Common) VerdictName(v seal.Verdict) string { return c.T("verdict." + string(v)) }

// StatusName names an application's status.
func (c Common) StatusName(s string) string {
	if c.Lang == i18n.En {
		if i18n.Has("status." + s) {
			return c.T("status." + s)
		}
		return s
	}
	return store.StatusName(s)
}

// PermitStatus names a permit's state now, in the words of the issued
// permits' screen: revoked, expired, not yet valid (before its first day)
// or valid. Every screen that shows a permit says it this way.
func (c Common) PermitStatus(p store.Permit) string {
	now := c.Now()
	switch {
	case !p.RevokedAt.IsZero():
		return c.T("permits.status.revoked")
	case p.ValidUntil.Before(now):
		return c.T("permits.status.expired")
	case p.ValidFrom.After(now):
		return c.T("permits.status.notyet")
	}
	return c.T("permits.status.valid")
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"permits.status.valid":   {Vi: "Còn hạn", En: "Valid"},
		"permits.status.expired": {Vi: "Hết hạn", En: "Expired"},
		"permits.status.notyet":  {Vi: "Chưa đến hạn", En: "Not yet valid"},
		"permits.status.revoked": {Vi: "Đã thu hồi", En: "Revoked"},

		"status.pending":   {Vi: "Chờ duyệt", En: "Pending"},
		"status.forwarded": {Vi: "Đã chuyển lên", En: "Forwarded"},
		"status.approved":  {Vi: "Đã cấp", En: "Approved"},
		"status.rejected":  {Vi: "Từ chối", En: "Rejected"},
		"status.withdrawn": {Vi: "Đã rút", En: "Withdrawn"},

		"age.now":     {Vi: "<1 phút", En: "<1 min"},
		"age.minutes": {Vi: "%d phút", En: "%d min"},
		"age.hours":   {Vi: "%d giờ", En: "%d h"},
		"age.days":    {Vi: "%d ngày", En: "%d days"},
	})
}
