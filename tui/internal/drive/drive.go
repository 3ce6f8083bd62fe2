// Package drive runs a Bubble Tea model in tests without a terminal: it
// calls Update with each message, runs the commands that come back in the
// background and feeds their messages in, until the model has been quiet
// for a moment. Commands that would only answer later (cursor blinks, the
// clock's tick, debounce timers) are dropped once the moment is over, so a
// test never stalls on them and a view never changes under its assertions.
//
// Its room is tests of the tui packages; nothing else imports it.
package drive

import (
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// DefaultQuiet is how long the model must receive nothing before Send
// returns: longer than any command that answers at once (a database read,
// a form's next-field message), shorter than a cursor blink.
const DefaultQuiet = 40 * time.Millisecond

// Driver holds a model and the messages its commands produce.
type Driver struct {
	tb    testing.TB
	Model tea.Model
	Quiet time.Duration
	Quit  bool // the model returned tea.Quit
	// Late says which answers to earlier keys still count: background
	// work (a bulk approval's next chunk) must reach the model however
	// many keys were pressed meanwhile, a cursor blink must not.
	Late func(tea.Msg) bool

	msgs chan envelope
	done chan struct{}
	gen  int
}

type envelope struct {
	gen int
	msg tea.Msg
}

// New starts driving m: it runs m.Init's commands.
func New(tb testing.TB, m tea.Model) *Driver {
	d := &Driver{tb: tb, Model: m, Quiet: DefaultQuiet, msgs: make(chan envelope, 4096), done: make(chan struct{})}
	tb.Cleanup(func() { close(d.done) })
	d.gen++
	d.spawn(m.Init())
	d.drain(d.Quiet, nil, 0)
	return d
}

// Send delivers msg and everything its commands produce while the model
// keeps answering.
func (d *Driver) Send(msgs ...tea.Msg) {
	d.tb.Helper()
	for _, msg := range msgs {
		d.gen++
		d.handle(msg)
		d.drain(d.Quiet, nil, 0)
	}
}

// Until keeps delivering messages until cond holds, failing the test after
// timeout. Use it for background work slower than Quiet (a bulk approval).
func (d *Driver) Until(cond func(tea.Model) bool, timeout time.Duration) {
	d.tb.Helper()
	if cond(d.Model) {
		return
	}
	// timeout is a bound for a lost message, not a speed target: under the
	// race detector on a busy two-core CI machine background work (argon2,
	// signing) runs many times slower, so the bound stretches. A test still
	// ends as soon as cond holds.
	timeout *= slowMachineFactor
	if !d.drain(d.Quiet, cond, timeout) {
		d.tb.Fatalf("drive: condition not met within %s", timeout)
	}
}

// slowMachineFactor stretches Until's bounds (see there).
const slowMachineFactor = 6

// View is the model's current screen content.
func (d *Driver) View() string { return d.Model.View().Content }

// drain processes messages of the current generation until none arrives for
// quiet (cond == nil), or until cond holds or timeout passes.
func (d *Driver) drain(quiet time.Duration, cond func(tea.Model) bool, timeout time.Duration) bool {
	var deadline <-chan time.Time
	if cond != nil {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	idle := time.NewTimer(quiet)
	defer idle.Stop()
	for {
		select {
		case e := <-d.msgs:
			// A late answer to an earlier key is dropped, but never a batch
			// of commands: that is work still to run (a page's first load),
			// and dropping it would leave the page loading forever.
			if e.gen != d.gen && !isCommands(e.msg) && (d.Late == nil || !d.Late(e.msg)) {
				continue
			}
			d.handle(e.msg)
			if cond != nil && cond(d.Model) {
				return true
			}
			if !idle.Stop() {
				select {
				case <-idle.C:
				default:
				}
			}
			idle.Reset(quiet)
		case <-idle.C:
			if cond == nil {
				return true
			}
			idle.Reset(quiet)
		case <-deadline:
			return false
		}
	}
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

// isCommands reports whether msg is a batch or sequence of commands.
func isCommands(msg tea.Msg) bool {
	if _, ok := msg.(tea.BatchMsg); ok {
		return true
	}
	v := reflect.ValueOf(msg)
	return v.IsValid() && v.Kind() == reflect.Slice && v.Type().Elem() == cmdType
}

func (d *Driver) handle(msg tea.Msg) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.spawn(c)
		}
		return
	case tea.QuitMsg:
		d.Quit = true
		return
	}
	// tea.Sequence returns an unexported slice of commands: run them in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		cmds := make([]tea.Cmd, v.Len())
		for i := range cmds {
			cmds[i] = v.Index(i).Interface().(tea.Cmd)
		}
		d.sequence(cmds)
		return
	}
	var cmd tea.Cmd
	d.Model, cmd = d.Model.Update(msg)
	d.spawn(cmd)
}

func (d *Driver) spawn(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	gen := d.gen
	go func() {
		msg := cmd()
		select {
		case d.msgs <- envelope{gen, msg}:
		case <-d.done:
		}
	}()
}

func (d *Driver) sequence(cmds []tea.Cmd) {
	gen := d.gen
	go func() {
		for _, c := range cmds {
			if c == nil {
				continue
			}
			select {
			case d.msgs <- envelope{gen, c()}:
			case <-d.done:
				return
			}
		}
	}()
}

// Key builds the key press a terminal would send for a key name: "enter",
// "esc", "tab", "space", "up", "down", "shift+down", "ctrl+a", "alt+2", or
// a single character.
func Key(name string) tea.KeyPressMsg {
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"backspace": tea.KeyBackspace, "home": tea.KeyHome, "end": tea.KeyEnd,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	}
	var mod tea.KeyMod
	for {
		switch {
		case len(name) > 6 && name[:6] == "shift+":
			mod |= tea.ModShift
			name = name[6:]
			continue
		case len(name) > 5 && name[:5] == "ctrl+":
			mod |= tea.ModCtrl
			name = name[5:]
			continue
		case len(name) > 4 && name[:4] == "alt+":
			mod |= tea.ModAlt
			name = name[4:]
			continue
		}
		break
	}
	if code, ok := special[name]; ok {
		k := tea.KeyPressMsg{Code: code, Mod: mod}
		if code == tea.KeySpace && mod == 0 {
			k.Text = " "
		}
		return k
	}
	r := []rune(name)[0]
	k := tea.KeyPressMsg{Code: r, Mod: mod}
	if mod == 0 || mod == tea.ModShift {
		k.Text = name
	}
	return k
}

// Type is the key presses of typing s.
func Type(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}
