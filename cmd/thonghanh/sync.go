package main

import (
	"context"
	"fmt"
	"time"

	"thonghanh/store"
	"thonghanh/store/batchsync"
)

func init() {
	register(&command{name: "sync", summary: "đồng bộ một lần với máy chủ tỉnh rồi thoát (tác vụ hẹn giờ, không cần mở màn hình)", run: runSync})
}

// runSync is one sync round from the shell, for a desk PC whose TUI is not
// open (a scheduled task, a script): progress on stderr while ops go out,
// then a summary; exit 0 only when the round finished.
func runSync(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "sync", "sync [--db TỆP] [--quiet]",
		"Gửi mọi thao tác đang chờ lên máy chủ tỉnh rồi nhận các thay đổi về, một lần, rồi thoát.\n"+
			"Mã thoát 0 khi xong, 1 khi chưa xong (các thao tác chưa gửi được vẫn giữ cho lần sau).\n"+
			"Dùng trong Task Scheduler của Windows hoặc cron khi không mở màn hình làm việc.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	quiet := fs.Bool("quiet", false, "không in tiến độ, chỉ in kết quả")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(io, fs, "không nhận tham số %q", fs.Arg(0))
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "sync", err)
	}
	defer db.Close()
	client, err := batchsync.NewClient(ctx, db, batchsync.ClientOptions{})
	if err != nil {
		return fail(io, "sync", err)
	}
	before, err := db.OutboxCounts(ctx)
	if err != nil {
		return fail(io, "sync", err)
	}
	from, err := db.SyncReceived(ctx)
	if err != nil {
		return fail(io, "sync", err)
	}
	if !*quiet {
		fmt.Fprintf(io.err, "Đang đồng bộ với máy chủ tỉnh: %d thao tác chờ gửi…\n", before[store.OpPending]+before[store.OpInFlight])
	}
	done := make(chan error, 1)
	go func() { done <- client.Sync(ctx) }()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	shown := -1
wait:
	for {
		select {
		case err = <-done:
			break wait
		case <-tick.C:
			if st := client.State(); !*quiet && st.Running && st.Total > 0 && st.Done != shown {
				shown = st.Done
				fmt.Fprintf(io.err, "  đã gửi %d/%d\n", st.Done, st.Total)
			}
		}
	}
	after, cerr := db.OutboxCounts(context.WithoutCancel(ctx))
	if cerr != nil {
		return fail(io, "sync", cerr)
	}
	sent := after[store.OpDone] - before[store.OpDone]
	refused := after[store.OpRejected] + after[store.OpConflict] - before[store.OpRejected] - before[store.OpConflict]
	waiting := after[store.OpPending] + after[store.OpInFlight]
	to, _ := db.SyncReceived(context.WithoutCancel(ctx))
	fmt.Fprintf(io.out, "Đã gửi %d thao tác, máy chủ từ chối %d; nhận %d thay đổi từ máy chủ; còn %d thao tác chờ gửi.\n",
		sent, refused, to-from, waiting)
	if refused > 0 {
		fmt.Fprintln(io.out, "Các thao tác bị từ chối hiện ở thẻ Đồng bộ của màn hình làm việc.")
	}
	if err != nil {
		fmt.Fprintf(io.err, "sync: chưa xong: %v\n", err)
		return exitFail
	}
	fmt.Fprintln(io.out, "Đồng bộ xong lúc "+store.FormatDateTime(time.Now())+".")
	return exitOK
}
