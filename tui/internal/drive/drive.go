// Package drive runs a Bubble Tea model in tests without a terminal: it
// calls Update with each message, runs the commands that come back in the
// background and feeds their messages in.
//
// It waits on work, never on the clock: Send returns once every command
// its message caused (and every command those answers caused, and so on)
// has answered and been handled, however slow the machine. Only timers are
// not waited for — tea.Tick, tea.Every, a cursor's blink — since they
// answer later by design; their answers still count while the test waits
// for a condition (Until), and are dropped once a later key was sent, so a
// view never changes under an assertion because a clock ran.
//
// Its room is tests of the tui packages; nothing else imports it.
package drive

import (
	"fmt"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// SafetyNet bounds every wait: it is there to end a test whose model lost
// a message, with the commands still running named, long before go test's
// own timeout; it is no speed target.
const SafetyNet = 10 * time.Minute

// Driver holds a model and the messages its commands produce.
type Driver struct {
	tb    testing.TB
	Model tea.Model
	Quit  bool // the model returned tea.Quit
	// Late says which timer answers to earlier keys still count: a
	// debounced search must reach the model however many keys were
	// pressed meanwhile, a cursor blink must not.
	Late func(tea.Msg) bool

	msgs chan envelope
	done chan struct{}
	gen  int // the generation of the last message sent

	background map[int]bool   // generations of Press: nobody waits for them
	inflight   map[int]int    // generation → commands not yet answered and handled
	running    map[int]string // command id → function, to name a lost message
	nextID     int
}

// envelope is a command's answer. part marks an answer of a sequence that
// has more commands to run.
type envelope struct {
	gen   int
	id    int
	timer bool
	part  bool
	msg   tea.Msg
}

// New starts driving m: it runs m.Init's commands and waits for them.
func New(tb testing.TB, m tea.Model) *Driver {
	tb.Helper()
	d := &Driver{
		tb: tb, Model: m, msgs: make(chan envelope, 4096), done: make(chan struct{}),
		background: map[int]bool{}, inflight: map[int]int{}, running: map[int]string{},
	}
	tb.Cleanup(func() { close(d.done) })
	d.gen++
	d.spawn(m.Init(), d.gen)
	d.settle()
	return d
}

// Send delivers each message once the model has finished with the one
// before, then waits until it has finished with this one too: every
// command it caused has answered. With no message it waits for the work
// already under way.
func (d *Driver) Send(msgs ...tea.Msg) {
	d.tb.Helper()
	d.settle()
	for _, msg := range msgs {
		d.gen++
		d.handle(msg, d.gen)
		d.settle()
	}
}

// Press delivers the messages at once, without waiting for anything, as a
// fast typist, a paste or a scanner does: keys arrive while earlier work
// (a password check, a look-up) is still running. The work they cause
// runs in the background; later Sends do not wait for it, Until sees it.
func (d *Driver) Press(msgs ...tea.Msg) {
	d.tb.Helper()
	for _, msg := range msgs {
		d.gen++
		d.background[d.gen] = true
		d.handle(msg, d.gen)
	}
}

// Until keeps delivering messages until cond holds, timers' answers
// included. timeout is kept for the callers' sake, as the longest they
// think it takes; every wait is bounded by SafetyNet, however slow the
// machine, and a test still ends as soon as cond holds.
func (d *Driver) Until(cond func(tea.Model) bool, timeout time.Duration) {
	d.tb.Helper()
	_ = timeout
	if cond(d.Model) {
		return
	}
	if !d.drain(cond) {
		d.tb.Fatalf("drive: condition not met within %s; still running: %s", SafetyNet, d.pending())
	}
}

// View is the model's current screen content.
func (d *Driver) View() string { return d.Model.View().Content }

// settle handles answers until no command of a waited-for generation is
// left.
func (d *Driver) settle() {
	d.tb.Helper()
	if !d.drain(nil) {
		d.tb.Fatalf("drive: the model did not settle within %s; still running: %s", SafetyNet, d.pending())
	}
}

// settled reports that every command outside Press's generations has
// answered and its answer was handled.
func (d *Driver) settled() bool {
	for gen, n := range d.inflight {
		if n > 0 && !d.background[gen] {
			return false
		}
	}
	return true
}

// drain handles answers until cond holds, or (cond == nil) until settled.
func (d *Driver) drain(cond func(tea.Model) bool) bool {
	if cond == nil && d.settled() {
		return true
	}
	net := time.NewTimer(SafetyNet)
	defer net.Stop()
	for {
		select {
		case e := <-d.msgs:
			d.receive(e)
			if cond != nil && cond(d.Model) || cond == nil && d.settled() {
				return true
			}
		case <-net.C:
			return false
		}
	}
}

func (d *Driver) receive(e envelope) {
	if !e.part && !e.timer {
		delete(d.running, e.id)
		if d.inflight[e.gen]--; d.inflight[e.gen] <= 0 {
			delete(d.inflight, e.gen)
		}
	}
	// A timer's late answer to an earlier key is dropped unless the test
	// says it counts. Answers of real work always land, as in a real
	// program: dropping one would leave a page waiting forever.
	if e.timer && e.gen != d.gen && (d.Late == nil || !d.Late(e.msg)) {
		return
	}
	d.handle(e.msg, e.gen)
}

// pending names the commands still running, for a failure message.
func (d *Driver) pending() string {
	var names []string
	for _, n := range d.running {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "nothing (a timer's answer never came, or the model ignored it)"
	}
	return strings.Join(names, ", ")
}

var cmdType = reflect.TypeOf(tea.Cmd(nil))

// handle delivers msg to the model, or runs the commands it carries. gen
// is the generation of the key that caused it: the commands it starts
// belong to it.
func (d *Driver) handle(msg tea.Msg, gen int) {
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			d.spawn(c, gen)
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
		d.sequence(cmds, gen)
		return
	}
	var cmd tea.Cmd
	d.Model, cmd = d.Model.Update(msg)
	d.spawn(cmd, gen)
}

func (d *Driver) spawn(cmd tea.Cmd, gen int) {
	if cmd == nil {
		return
	}
	e := envelope{gen: gen, timer: IsTimer(cmd)}
	if !e.timer {
		d.nextID++
		e.id = d.nextID
		d.running[e.id] = funcName(cmd)
		d.inflight[gen]++
	}
	go func() {
		e.msg = cmd()
		select {
		case d.msgs <- e:
		case <-d.done:
		}
	}()
}

// sequence runs cmds one after the other, as tea.Sequence does; the whole
// sequence is one piece of work, answered when its last command is.
func (d *Driver) sequence(cmds []tea.Cmd, gen int) {
	d.nextID++
	id := d.nextID
	d.running[id] = "tea.Sequence"
	d.inflight[gen]++
	go func() {
		for _, c := range cmds {
			if c == nil {
				continue
			}
			select {
			case d.msgs <- envelope{gen: gen, id: id, part: true, msg: c()}:
			case <-d.done:
				return
			}
		}
		select {
		case d.msgs <- envelope{gen: gen, id: id}:
		case <-d.done:
		}
	}()
}

// timerFunc matches the commands that wait on the clock rather than on
// work: the closures tea.Tick and tea.Every return (pages' ticks,
// debounces, spinners) and a text input's cursor blink, also when the
// compiler inlined them into a caller (then the caller's name comes first).
var timerFunc = regexp.MustCompile(`(^|\.)(Tick|Every|\(\*Model\)\.Blink|Blink)\.func\d+$`)

// IsTimer reports whether cmd waits on the clock (a tick, a debounce, a
// cursor blink) rather than doing work: a test waits for work, not for
// timers.
func IsTimer(cmd tea.Cmd) bool { return timerFunc.MatchString(funcName(cmd)) }

func funcName(cmd tea.Cmd) string {
	if f := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()); f != nil {
		return f.Name()
	}
	return fmt.Sprintf("%p", cmd)
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
