package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"thonghanh/tui/common"
)

// placeholderPage stands in for a tab the officer's roles may not open (or
// a page not written yet). It says so, and does nothing else.
type placeholderPage struct {
	c       common.Common
	title   string
	message string
}

// forbiddenPage is shown for a tab the officer's roles do not open.
func forbiddenPage(c common.Common, titleKey string) common.Page {
	return &placeholderPage{c: c, title: c.T(titleKey), message: c.Tf("placeholder.forbidden", common.RoleName(c.Lang, c.Officer))}
}

func (p *placeholderPage) Init() tea.Cmd                         { return nil }
func (p *placeholderPage) Update(tea.Msg) (common.Page, tea.Cmd) { return p, nil }
func (p *placeholderPage) SetSize(w, h int)                      { p.c.Width, p.c.Height = w, h }
func (p *placeholderPage) ShortHelp() []key.Binding              { return nil }
func (p *placeholderPage) FullHelp() [][]key.Binding             { return nil }
func (p *placeholderPage) Typing() bool                          { return false }
func (p *placeholderPage) View() string {
	s := p.c.Styles
	body := s.Title.Render(p.title) + "\n\n" + s.Dim.Render(p.message)
	return lipgloss.Place(p.c.Width, p.c.Height, lipgloss.Center, lipgloss.Center,
		lipgloss.NewStyle().Width(min(60, p.c.Width)).Align(lipgloss.Center).Render(body))
}
