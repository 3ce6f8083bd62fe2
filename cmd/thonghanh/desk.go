package main

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/tui"
	"thonghanh/tui/common"
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

// syncAdapter shows the sync client to the TUI. The pending count is read
// from the outbox each time: the client counts it only during a round, and
// a bulk approval between rounds must show in the header at once.
type syncAdapter struct {
	ctx context.Context
	db  *store.DB
	c   *batchsync.Client
}

func (a syncAdapter) SyncState() common.SyncState {
	s := common.SyncState(a.c.State())
	if n, err := a.db.OutboxWaiting(a.ctx); err == nil {
		s.Pending = n
	}
	return s
}

func (a syncAdapter) SyncNow() { a.c.SyncNow() }

// LookupPerson asks the centre about an ID number the desk does not hold.
func (a syncAdapter) LookupPerson(ctx context.Context, idNumber string) (store.Person, bool, error) {
	return a.c.LookupPerson(ctx, idNumber)
}

// startSync runs the desk's sync client in the background while a program
// runs, when the desk is enrolled: nil Syncer (offline) otherwise. stop
// ends it and waits.
func startSync(ctx context.Context, io stdio, db *store.DB, opt batchsync.ClientOptions, who string) (common.Syncer, func()) {
	client, err := batchsync.NewClient(ctx, db, opt)
	if err != nil {
		if !errors.Is(err, batchsync.ErrNotEnrolled) {
			fmt.Fprintln(io.err, who+": không khởi động được đồng bộ:", err)
		}
		return nil, func() {}
	}
	return syncAdapter{ctx: ctx, db: db, c: client}, client.Start(ctx)
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
	// A desk set up as a checkpoint scans at an entrance too: it learns
	// the other entrances' uses as often as `thonghanh check` does.
	var opt batchsync.ClientOptions
	if db.Checkpoint(ctx) != 0 {
		opt.Interval = batchsync.ScanningInterval
	}
	syncer, stop := startSync(ctx, io, db, opt, "thonghanh")
	defer stop()
	model, err := tui.New(tui.Options{Ctx: ctx, DB: db, Lang: o.lang, PrintDir: o.printDir, Syncer: syncer, DemoPassword: demoLoginHint})
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
