package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/tui/i18n"
	"thonghanh/tui/report"
)

func TestConsolePeriod(t *testing.T) {
	now := time.Date(2021, 9, 30, 23, 30, 0, 0, store.Vietnam)
	d := func(day, month int) time.Time {
		return time.Date(2021, time.Month(month), day, 0, 0, 0, 0, store.Vietnam)
	}
	for _, c := range []struct {
		from, to string
		f, t     time.Time
		err      string
	}{
		{"", "", d(1, 9), d(30, 9), ""},
		{"", "15/09/2021", d(17, 8), d(15, 9), ""},
		{"10/09/2021", "", d(10, 9), d(30, 9), ""},
		{"01/08/2021", "", d(1, 8), d(30, 8), ""},
		{"05/09/2021", "20/09/2021", d(5, 9), d(20, 9), ""},
		{"31/02/2021", "", time.Time{}, time.Time{}, "không đúng dạng ngày/tháng/năm"},
		{"20/09/2021", "05/09/2021", time.Time{}, time.Time{}, "ngày bắt đầu phải trước hoặc bằng ngày kết thúc"},
		{"01/01/2020", "05/09/2021", time.Time{}, time.Time{}, "dài nhất 366 ngày"},
	} {
		f, to, err := consolePeriod(c.from, c.to, now)
		if c.err != "" {
			if err == nil || !strings.Contains(store.ErrorText(err, false), c.err) {
				t.Errorf("%q %q: error %v, want %q", c.from, c.to, err, c.err)
			}
			continue
		}
		if err != nil || !f.Equal(c.f) || !to.Equal(c.t) {
			t.Errorf("%q %q: %s–%s %v, want %s–%s", c.from, c.to, f.Format("02/01"), to.Format("02/01"), err, c.f.Format("02/01"), c.t.Format("02/01"))
		}
	}
}

// A wrong date is refused before the centre is opened, in Vietnamese.
func TestServerConsoleRefusesAWrongDate(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"server", "console", "--dir", filepath.Join(t.TempDir(), "none"), "--from", "31/02/2021"},
		stdio{in: strings.NewReader(""), out: &out, err: &errb})
	if code != exitUsage || !strings.Contains(errb.String(), "không đúng dạng ngày/tháng/năm") {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}

// consoleProbe is the console as the program runs it, keeping each screen
// it drew for the test to wait on.
type consoleProbe struct {
	*report.Model
	mu      *sync.Mutex
	screens *[]string
	changed chan struct{}
}

func (p consoleProbe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.Model.Update(msg)
	s := ansi.Strip(p.Render())
	p.mu.Lock()
	*p.screens = append(*p.screens, s)
	p.mu.Unlock()
	select {
	case p.changed <- struct{}{}:
	default:
	}
	return p, cmd
}

func (p consoleProbe) waitFor(t *testing.T, what string, cond func(string) bool) string {
	t.Helper()
	net := time.NewTimer(safetyNet)
	defer net.Stop()
	for {
		p.mu.Lock()
		for i, s := range *p.screens {
			if cond(s) {
				*p.screens = (*p.screens)[i+1:]
				p.mu.Unlock()
				return s
			}
		}
		*p.screens = nil
		p.mu.Unlock()
		select {
		case <-p.changed:
		case <-net.C:
			t.Fatalf("no screen %s within %s", what, safetyNet)
		}
	}
}

// The console over a real centre, in a real program at 80×24: it computes
// the figures in the background and shows them, or the centre's error in
// Vietnamese; the help lists its keys; q ends the program.
func TestServerConsoleRunsOverTheCentre(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "server")
	runCmd(t, ctx, "server", "init", "--dir", dir, "--insecure-root-key")
	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from, to, _ := consolePeriod("", "", db.Now())
	p := consoleProbe{Model: consoleModel(ctx, db, i18n.Vi, from, to), mu: &sync.Mutex{}, screens: &[]string{}, changed: make(chan struct{}, 1)}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(80, 24))
	s := p.waitFor(t, "with the figures or the error", func(s string) bool {
		// The province's line starts a line; the title's words do not.
		return strings.Contains(s, "\n TOÀN TỈNH ") || strings.Contains(s, "Không tính được báo cáo")
	})
	if strings.Contains(s, "Không tính được báo cáo") {
		t.Fatalf("an empty centre's report failed:\n%s", s)
	}
	if !strings.Contains(s, "BÁO CÁO TOÀN TỈNH "+from.Format("02/01/2006")+" – "+to.Format("02/01/2006")) {
		t.Errorf("the period is not shown:\n%s", s)
	}
	tm.Type("?")
	p.waitFor(t, "of help", func(s string) bool { return strings.Contains(s, "Phím của màn hình Báo cáo") })
	tm.Type("x")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(safetyNet))
}
