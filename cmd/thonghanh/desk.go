package main

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"thonghanh/tui"
	"thonghanh/tui/i18n"
)

func init() {
	register(&command{
		name:    "desk",
		summary: "màn hình làm việc của cán bộ (mặc định khi không ghi lệnh)",
		run:     runDesk,
	})
}

func runDesk(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "desk", "[desk] [--db TỆP] [--lang vi|en]",
		"Mở màn hình làm việc trên cơ sở dữ liệu của máy: tiếp nhận hồ sơ, duyệt, in giấy đi đường.\n"+
			"Máy phải được đăng ký với máy chủ tỉnh (thonghanh enroll) hoặc là máy trình diễn (thonghanh demo).")
	dbPath := fs.String("db", defaultDeskDB(), "tệp cơ sở dữ liệu của máy")
	lang := fs.String("lang", "vi", "ngôn ngữ giao diện: vi (tiếng Việt) hoặc en (English)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	l, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitUsage
	}
	return openDesk(ctx, io, deskOptions{db: *dbPath, lang: l})
}

// deskOptions are what the desk TUI is opened with.
type deskOptions struct {
	db       string
	lang     i18n.Lang
	printDir string // empty: the desk's setting
}

// openDesk opens the store and runs the TUI until the officer quits. The TUI
// owns the terminal meanwhile: nothing else writes to it.
func openDesk(ctx context.Context, io stdio, o deskOptions) int {
	db, err := openStore(ctx, o.db)
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitFail
	}
	defer db.Close()
	model, err := tui.New(tui.Options{Ctx: ctx, DB: db, Lang: o.lang, PrintDir: o.printDir})
	if err != nil {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitFail
	}
	if _, err := tea.NewProgram(model, tea.WithContext(ctx)).Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		fmt.Fprintln(io.err, "thonghanh:", err)
		return exitFail
	}
	return exitOK
}
