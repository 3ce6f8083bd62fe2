package check_test

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store/seed"
	"thonghanh/tui"
	"thonghanh/tui/check"
	"thonghanh/tui/i18n"
)

// TestAppLoginAndScan runs `thonghanh check`'s program at 80×24: a clerk is
// turned away, the checker logs in, the --checkpoint flag is applied, a
// scan shows its verdict.
func TestAppLoginAndScan(t *testing.T) {
	db, text := check.CheckpointDesk(t)
	ctx := context.Background()
	app, err := tui.NewCheckpoint(tui.CheckpointOptions{Ctx: ctx, DB: db, Lang: i18n.Vi, Checkpoint: 28249})
	if err != nil {
		t.Fatal(err)
	}
	render := func() string { return app.View().Content }
	update := func(msg tea.Msg) tea.Cmd { _, cmd := app.Update(msg); return cmd }
	check.Drive(t, update, tea.WindowSizeMsg{Width: 80, Height: 24})
	login := func(user string) {
		var msgs []tea.Msg
		for _, r := range user {
			msgs = append(msgs, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		msgs = append(msgs, tea.KeyPressMsg{Code: tea.KeyTab})
		for _, r := range seed.DemoPassword {
			msgs = append(msgs, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		check.Drive(t, update, append(msgs, tea.KeyPressMsg{Code: tea.KeyEnter})...)
	}
	login("canbo")
	if app.Scanning() || !strings.Contains(ansi.Strip(render()), "không có quyền kiểm tra") {
		t.Fatalf("a clerk got in:\n%s", ansi.Strip(render()))
	}
	login("kiemtra")
	if !app.Scanning() {
		t.Fatalf("checker not logged in:\n%s", ansi.Strip(render()))
	}
	if db.Checkpoint(ctx) != 28249 {
		t.Errorf("--checkpoint not applied: %d", db.Checkpoint(ctx))
	}
	check.Drive(t, update, check.Keystrokes(text)...)
	view := render()
	check.AssertFits(t, view, 80, 24)
	plain := ansi.Strip(view)
	if lines := strings.Count(view, "\n") + 1; lines != 24 {
		t.Errorf("view is %d lines, want 24", lines)
	}
	for _, want := range []string{"H Ợ P   L Ệ", "Giấy hợp lệ", "LÊ NGUYỄN HOÀNG PHƯƠNG VY", "28249-1-2021-000123", "F2", "đổi vị trí chốt"} {
		if !strings.Contains(plain, want) {
			t.Errorf("80×24 view lacks %q:\n%s", want, plain)
		}
	}
	if got := check.Summary(i18n.Vi, app.Counts()); got != "1 lượt quét: 1 hợp lệ, 0 không hợp lệ" {
		t.Errorf("summary %q", got)
	}
}
