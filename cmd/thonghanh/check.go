package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/tui"
	"thonghanh/tui/check"
	"thonghanh/tui/i18n"
)

func init() {
	register(&command{
		name:    "check",
		summary: "màn hình Kiểm tra riêng cho máy tại chốt: quét mã QR bằng máy quét, không cần mạng",
		run:     runCheck,
	})
}

const checkDescription = `Mở riêng màn hình Kiểm tra cho máy tính đặt tại chốt kiểm soát hoặc cổng chợ.
Cán bộ đăng nhập bằng tài khoản kiểm tra; máy quét USB hoặc Bluetooth gõ mã rồi
Enter, màn hình báo kết quả ngay (xanh: hợp lệ; đỏ và chuông: không hợp lệ),
không cần mạng. Mỗi lượt quét được ghi nhật ký và gửi ngay về máy chủ tỉnh khi có
mạng; máy tự đồng bộ mỗi 10 giây, nên các lối vào cùng xã biết phiếu đã dùng ở lối
khác. Khi mất mạng vẫn quét được; kết quả phiếu đi chợ ghi rõ "chưa đồng bộ từ …".

Ví dụ:
  thonghanh check --db may-cho.db --checkpoint 28291 --market "Chợ Tân Mỹ Chánh"

Vị trí chốt (mã đơn vị hành chính) đặt một lần bằng --checkpoint, hoặc bằng phím
F2 trên màn hình; thiếu nó thì chưa kiểm tra được khu vực đi lại. Ở cổng chợ, --market
đặt chợ của lối vào: phiếu đi chợ của chợ khác trong xã bị từ chối ("Sai chợ"). Tên chủ
hộ và chợ của phiếu hiện khi máy giữ phiếu đó (máy đã phát phiếu).`

func runCheck(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "check", "check [--db TỆP] [--lang vi|en] [--checkpoint MÃ] [--market CHỢ]", checkDescription)
	dbPath := fs.String("db", defaultDeskDB(), "`TỆP` cơ sở dữ liệu của máy")
	lang := fs.String("lang", "vi", "`NGÔN_NGỮ` của màn hình: vi hoặc en")
	checkpoint := fs.String("checkpoint", "", "`MÃ` đơn vị hành chính (xã, phường, thị trấn, huyện) nơi đặt chốt; lưu lại sau khi đăng nhập")
	market := fs.String("market", "", "`CHỢ` (mã hoặc tên) nơi đặt lối vào: phiếu của chợ khác bị từ chối; lưu lại sau khi đăng nhập")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(io.err, "check: không nhận tham số %q\n", strings.Join(fs.Args(), " "))
		return exitUsage
	}
	l, err := i18n.Parse(*lang)
	if err != nil {
		fmt.Fprintln(io.err, "check:", err)
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		fmt.Fprintln(io.err, "check:", err)
		return exitFail
	}
	defer db.Close()

	var code uint32
	if *checkpoint != "" {
		// Refuse a wrong code here, before the officer logs in, rather than
		// after: the setting is only written once someone is accountable.
		n, err := strconv.ParseUint(strings.TrimSpace(*checkpoint), 10, 32)
		units, uerr := db.Units(ctx)
		if uerr != nil {
			fmt.Fprintln(io.err, "check:", uerr)
			return exitFail
		}
		u, ok := units.Get(uint32(n))
		if err != nil || !ok || !u.Administrative() {
			fmt.Fprintf(io.err, "check: --checkpoint %q không phải mã của xã, phường, thị trấn hay huyện nào\n", *checkpoint)
			return exitUsage
		}
		code = u.Code
	}

	var marketID string
	if *market != "" {
		m, err := db.FindMarket(ctx, *market)
		if err != nil {
			fmt.Fprintln(io.err, "check: --market:", store.ErrorText(err, false))
			return exitUsage
		}
		marketID = m.ID
	}
	// An enrolled checkpoint syncs as a desk does, more often: its scans
	// go out at once and the other entrances' uses come in within seconds.
	syncer, stop := startSync(ctx, io, db, batchsync.ClientOptions{Interval: batchsync.ScanningInterval}, "check")
	defer stop()
	app, err := tui.NewCheckpoint(tui.CheckpointOptions{Ctx: ctx, DB: db, Lang: l, Checkpoint: code, Market: marketID, Syncer: syncer, DemoPassword: demoLoginHint})
	if err != nil {
		fmt.Fprintln(io.err, "check:", err)
		if store.ErrorCode(err) == store.ENotFound {
			return exitUsage
		}
		return exitFail
	}
	p := tea.NewProgram(app, tea.WithContext(ctx), tea.WithInput(io.in), tea.WithOutput(io.out))
	if _, err := p.Run(); err != nil && ctx.Err() == nil {
		fmt.Fprintln(io.err, "check:", err)
		return exitFail
	}
	// The shift's tally, left on the terminal after the screen closes.
	fmt.Fprintln(io.out, check.Summary(l, app.Counts()))
	return exitOK
}
