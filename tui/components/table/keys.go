package table

import (
	"charm.land/bubbles/v2/key"

	"thonghanh/tui/common"
)

// Keys are the keys every table page shares: moving and marking, the
// filter box, the reason dialog, opening a row and reloading.
type Keys struct {
	common.ListKeys
	Back                             key.Binding
	Filter, ApplyFilter, CancelInput key.Binding
	Reload, Open                     key.Binding
	SubmitReason, Close              key.Binding
	PageKeys, EndKeys, RangeKeys     key.Binding
}

// KeysHelp is what a page's shared keys say in its help, and which keys
// close its full-screen views.
type KeysHelp struct {
	Back, Filter, ApplyFilter, Reload, SubmitReason string
	Close                                           []string
}

// NewKeys builds the shared keys from the desk's key map.
func NewKeys(c common.Common, h KeysHelp) Keys {
	k := c.Keys
	if k == nil {
		k = common.NewKeyMap(c.Lang)
	}
	back := k.Back
	back.SetHelp("esc", h.Back)
	filter := k.Filter
	if h.Filter != "" {
		filter.SetHelp("/", h.Filter)
	}
	return Keys{
		ListKeys: k.ListKeys(), Back: back,
		Filter:       filter,
		ApplyFilter:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", h.ApplyFilter)),
		CancelInput:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", c.T("key.cancel"))),
		Reload:       key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", h.Reload)),
		Open:         k.Open,
		SubmitReason: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", h.SubmitReason)),
		Close:        key.NewBinding(key.WithKeys(h.Close...), key.WithHelp("esc", c.T("key.back"))),
		PageKeys:     k.PageKeys, EndKeys: k.EndKeys, RangeKeys: k.RangeKeys,
	}
}

// MoveHelp are the help's first two columns: moving, then marking.
func (k Keys) MoveHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageKeys, k.EndKeys},
		{k.Mark, k.RangeKeys, k.MarkAll, k.Back},
	}
}
