package common

import (
	"fmt"

	"charm.land/bubbles/v2/key"

	"thonghanh/tui/i18n"
)

// KeyMap holds the frame's keys and the navigation keys every list page
// shares, with help text in the desk's language. Pages add their own action
// keys next to these.
type KeyMap struct {
	// Frame.
	Tabs    [NumTabs]key.Binding // 1–7, when no text input has focus
	AltTabs [NumTabs]key.Binding // alt+1…7, always
	Help    key.Binding
	// HelpF1 opens the full help from anywhere, typing or not: in an
	// input that may hold "?" it is the only way to the screen's keys.
	HelpF1 key.Binding
	Sync   key.Binding
	Logout key.Binding
	Quit   key.Binding

	// Lists.
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Home, End        key.Binding
	Mark             key.Binding
	MarkUp, MarkDown key.Binding // extend marks while moving
	MarkAll          key.Binding
	Filter           key.Binding
	Open             key.Binding

	// Help-only summaries, for the full help at 80 columns.
	PageKeys, EndKeys, RangeKeys key.Binding

	Back            key.Binding
	Confirm, Cancel key.Binding
}

// NewKeyMap builds the keys with help text in lang.
func NewKeyMap(lang i18n.Lang) *KeyMap {
	k := &KeyMap{
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", lang.T("key.help"))),
		HelpF1:   key.NewBinding(key.WithKeys("f1"), key.WithHelp("f1", lang.T("key.help"))),
		Sync:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", lang.T("key.sync"))),
		Logout:   key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", lang.T("key.logout"))),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", lang.T("key.quit"))),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", lang.T("key.up"))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", lang.T("key.down"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", lang.T("key.pageup"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", lang.T("key.pagedown"))),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", lang.T("key.home"))),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", lang.T("key.end"))),
		Mark:     key.NewBinding(key.WithKeys("space"), key.WithHelp("space", lang.T("key.mark"))),
		MarkUp:   key.NewBinding(key.WithKeys("shift+up", "K"), key.WithHelp("shift+↑", lang.T("key.markup"))),
		MarkDown: key.NewBinding(key.WithKeys("shift+down", "J"), key.WithHelp("shift+↓", lang.T("key.markdown"))),
		MarkAll:  key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", lang.T("key.markall"))),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", lang.T("key.filter"))),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", lang.T("key.open"))),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", lang.T("key.back"))),
		Confirm:  key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", lang.T("key.confirm"))),
		Cancel:   key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", lang.T("key.cancel"))),
	}
	k.PageKeys = key.NewBinding(key.WithKeys("pgup", "pgdown"), key.WithHelp("pg↑↓", lang.T("key.pages")))
	k.EndKeys = key.NewBinding(key.WithKeys("g", "G"), key.WithHelp("g/G", lang.T("key.ends")))
	k.RangeKeys = key.NewBinding(key.WithKeys("shift+up", "shift+down"), key.WithHelp("shift+↑↓", lang.T("key.range")))
	for i := range NumTabs {
		n := fmt.Sprint(int(i) + 1)
		k.Tabs[i] = key.NewBinding(key.WithKeys(n), key.WithHelp("", lang.T("key.tabs.digits")))
		k.AltTabs[i] = key.NewBinding(key.WithKeys("alt+"+n), key.WithHelp("", lang.T("key.tabs")))
	}
	k.SetLastTab(6)
	return k
}

// SetLastTab makes the tab keys' help name the number keys up to last
// ("alt+1–6"): an officer who has no Quản trị tab is not told of a seventh.
func (k *KeyMap) SetLastTab(last int) {
	for i := range NumTabs {
		k.Tabs[i].SetHelp(fmt.Sprintf("1–%d", last), k.Tabs[i].Help().Desc)
		k.AltTabs[i].SetHelp(fmt.Sprintf("alt+1–%d", last), k.AltTabs[i].Help().Desc)
	}
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"key.help":        {Vi: "trợ giúp", En: "help"},
		"key.sync":        {Vi: "đồng bộ", En: "sync"},
		"key.logout":      {Vi: "đăng xuất", En: "log out"},
		"key.quit":        {Vi: "thoát", En: "quit"},
		"key.up":          {Vi: "lên", En: "up"},
		"key.down":        {Vi: "xuống", En: "down"},
		"key.pageup":      {Vi: "trang trước", En: "page up"},
		"key.pagedown":    {Vi: "trang sau", En: "page down"},
		"key.home":        {Vi: "đầu", En: "first"},
		"key.end":         {Vi: "cuối", En: "last"},
		"key.mark":        {Vi: "đánh dấu", En: "mark"},
		"key.markup":      {Vi: "đánh dấu lên", En: "mark up"},
		"key.markdown":    {Vi: "đánh dấu xuống", En: "mark down"},
		"key.markall":     {Vi: "đánh dấu tất cả", En: "mark all"},
		"key.pages":       {Vi: "lật trang", En: "page"},
		"key.ends":        {Vi: "đầu/cuối", En: "first/last"},
		"key.range":       {Vi: "đánh dấu dải", En: "mark a range"},
		"key.filter":      {Vi: "tìm", En: "filter"},
		"key.open":        {Vi: "xem", En: "open"},
		"key.back":        {Vi: "quay lại", En: "back"},
		"key.confirm":     {Vi: "đồng ý", En: "confirm"},
		"key.cancel":      {Vi: "hủy", En: "cancel"},
		"key.tabs":        {Vi: "chuyển thẻ", En: "tabs"},
		"key.tabs.digits": {Vi: "chuyển thẻ khi không gõ vào ô", En: "tabs, when not typing in a field"},

		"role.clerk":    {Vi: "cán bộ tiếp nhận", En: "counter clerk"},
		"role.approver": {Vi: "người duyệt", En: "approving officer"},
		"role.admin":    {Vi: "quản trị", En: "administrator"},
		"role.checker":  {Vi: "kiểm tra", En: "checkpoint officer"},
	})
}
