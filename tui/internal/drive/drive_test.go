package drive

import (
	"testing"
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

func tick() tea.Cmd { return tea.Tick(time.Second, func(time.Time) tea.Msg { return nil }) }

func TestIsTimer(t *testing.T) {
	in := textinput.New()
	for _, tc := range []struct {
		name  string
		cmd   tea.Cmd
		timer bool
	}{
		{"tick", tick(), true},
		{"every", tea.Every(time.Second, func(time.Time) tea.Msg { return nil }), true},
		{"blink", in.Focus(), true},
		{"batch", tea.Batch(tick(), tick()), false},
		{"work", func() tea.Msg { return nil }, false},
	} {
		if got := IsTimer(tc.cmd); got != tc.timer {
			t.Errorf("%s (%s): IsTimer = %v", tc.name, funcName(tc.cmd), got)
		}
	}
}

// counter counts the answers of a slow piece of work each key starts.
type counter struct {
	n    int
	gate chan struct{}
}

type answered struct{}

func (c *counter) Init() tea.Cmd { return nil }
func (c *counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case answered:
		c.n++
	case tea.KeyPressMsg:
		gate := c.gate
		return c, tea.Batch(tick(), func() tea.Msg { <-gate; return answered{} })
	}
	return c, nil
}
func (c *counter) View() tea.View { return tea.NewView("") }

// TestSendWaitsForWork holds a key's work until the test lets it go: Send
// returns only once its answer landed, and never waits for the tick.
func TestSendWaitsForWork(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	d := New(t, c)
	d.Press(Key("a"), Key("b"))
	if c.n != 0 {
		t.Fatal("work answered before it was let go")
	}
	close(c.gate)
	d.Send(Key("c"))
	if c.n < 1 {
		t.Fatalf("Send returned before its work answered (%d answers)", c.n)
	}
	d.Until(func(tea.Model) bool { return c.n == 3 }, time.Minute)
}
