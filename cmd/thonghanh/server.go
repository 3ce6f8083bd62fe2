package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"thonghanh/cmd/thonghanh/internal/kiemtra"
	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/central"
	"thonghanh/store/wire"
)

func init() {
	register(&command{name: "server", summary: "máy chủ tỉnh: khởi tạo, chạy, đơn vị, cán bộ, máy, mã đăng ký, báo cáo", run: runServer})
}

var serverSubs = map[string]string{
	"init":        "tạo thư mục máy chủ: khóa gốc, chứng chỉ TLS, cơ sở dữ liệu tỉnh",
	"run":         "chạy máy chủ HTTPS cho các máy đồng bộ",
	"units":       "liệt kê các đơn vị của tỉnh",
	"officers":    "tài khoản cán bộ: add, list, disable",
	"desks":       "các máy đã đăng ký: list, revoke",
	"enroll-code": "tạo mã đăng ký dùng một lần cho một máy của đơn vị",
	"tokens":      "thu hồi mã truy cập của một máy: tokens revoke MÁY",
	"phones":      "các điện thoại đã đăng nhập trang kiểm tra " + kiemtra.Prefix + ": list, revoke",
	"report":      "báo cáo trách nhiệm của một đơn vị (CSV cho Excel); report province: toàn tỉnh (PDF, CSV); report abuse: dấu hiệu lạm dụng",
	"conflicts":   "xung đột giữa các máy về một người hoặc giấy trùng (CSV cho Excel, --json)",
	"audit":       "kiểm tra nhật ký trách nhiệm của mọi máy mà máy chủ giữ: audit verify",
	"console":     "màn hình Báo cáo toàn tỉnh (chỉ xem): bảng các đơn vị, sắp xếp, biểu đồ theo ngày",
}

func runServer(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w, code := io.out, exitOK
		if len(args) == 0 {
			w, code = io.err, exitUsage
		}
		subcommandHelp(w, "Cách dùng: thonghanh server LỆNH [THAM SỐ]   (mỗi lệnh có --help)\n\nCác lệnh:", serverSubs)
		return code
	}
	switch args[0] {
	case "init":
		return serverInit(ctx, args[1:], io)
	case "run":
		return serverRun(ctx, args[1:], io)
	case "units":
		return serverUnits(ctx, args[1:], io)
	case "officers":
		return serverOfficers(ctx, args[1:], io)
	case "desks":
		return serverDesks(ctx, args[1:], io)
	case "enroll-code":
		return serverEnrollCode(ctx, args[1:], io)
	case "tokens":
		return serverTokens(ctx, args[1:], io)
	case "phones":
		return serverPhones(ctx, args[1:], io)
	case "report":
		return serverReport(ctx, args[1:], io)
	case "audit":
		return serverAudit(ctx, args[1:], io)
	case "conflicts":
		return serverConflicts(ctx, args[1:], io)
	case "console":
		return serverConsole(ctx, args[1:], io)
	}
	fmt.Fprintf(io.err, "server: không có lệnh %q\n\n", args[0])
	subcommandHelp(io.err, "Các lệnh:", serverSubs)
	return exitUsage
}

func fail(io stdio, what string, err error) int {
	fmt.Fprintf(io.err, "%s: %v\n", what, err)
	return exitFail
}

// readSecret reads a password or passphrase: from file when given, else
// from envVar when set, else typed at the terminal (without echo) or read
// as one line of standard input.
// isEOF reports the end of standard input; readSecret's stdio parameter
// hides the io package's name.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

func readSecret(io stdio, file, envVar, prompt string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("đọc tệp mật khẩu: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	if envVar != "" {
		if v := os.Getenv(envVar); v != "" {
			return v, nil
		}
	}
	fmt.Fprint(io.err, prompt)
	if f, ok := io.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(io.err)
		return string(b), err
	}
	line, err := bufio.NewReader(io.in).ReadString('\n')
	if isEOF(err) && line == "" {
		return "", errors.New("không đọc được mật khẩu: không có mật khẩu nào được gõ vào")
	}
	if err != nil && line == "" {
		return "", fmt.Errorf("không đọc được mật khẩu: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func dirFlag(fs interface {
	String(string, string, string) *string
}) *string {
	return fs.String("dir", "thonghanh-server", "`THƯ_MỤC` của máy chủ (do server init tạo)")
}

func serverInit(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server init", "server init --dir THƯ_MỤC [--host TÊN,...] [--passphrase-file TỆP | --insecure-root-key]",
		"Tạo máy chủ tỉnh trong một thư mục mới: khóa gốc của tỉnh (mã hóa bằng mật khẩu lấy từ --passphrase-file\n"+
			"hoặc biến "+batchsync.EnvPassphrase+"), tệp khóa công khai root.pub cho `thonghanh verify --root`,\n"+
			"chứng chỉ TLS tự ký (ECDSA P-256) cho các tên trong --host cùng localhost và 127.0.0.1, và cơ sở dữ liệu\n"+
			"với các đơn vị của tỉnh, danh sách tin cậy và danh sách thu hồi đầu tiên đã ký.\n"+
			"In ra dấu vân tay chứng chỉ: các máy đăng ký dùng nó để ghim (--fingerprint).")
	dir := dirFlag(fs)
	hosts := fs.String("host", "", "tên miền hoặc địa chỉ IP các máy dùng để gọi máy chủ, cách nhau bởi dấu phẩy")
	passFile := fs.String("passphrase-file", "", "`TỆP` chứa mật khẩu bảo vệ khóa gốc")
	insecure := fs.Bool("insecure-root-key", false, "giữ khóa gốc KHÔNG mã hóa (chỉ để chạy thử)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	opt := batchsync.InitOptions{Dir: *dir, Insecure: *insecure}
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			opt.Hosts = append(opt.Hosts, h)
		}
	}
	if !*insecure {
		pass, err := readSecret(io, *passFile, batchsync.EnvPassphrase, "Mật khẩu bảo vệ khóa gốc của tỉnh: ")
		if err != nil {
			return fail(io, "server init", err)
		}
		opt.Passphrase = pass
	}
	res, err := batchsync.InitServerDir(ctx, opt)
	if err != nil {
		return fail(io, "server init", err)
	}
	if *insecure {
		fmt.Fprintln(io.err, "!!! CẢNH BÁO: khóa gốc của tỉnh được lưu KHÔNG MÃ HÓA trong", *dir+"/"+batchsync.FileRootInsecure)
		fmt.Fprintln(io.err, "!!! Ai chép được tệp này sẽ ký được giấy đi đường giả. Chỉ dùng để chạy thử, không bao giờ cấp giấy thật.")
	}
	fmt.Fprintf(io.out, "Đã tạo máy chủ tỉnh trong %s\n", *dir)
	fmt.Fprintf(io.out, "Khóa công khai gốc (root.pub): %x\n", res.RootPublicKey)
	fmt.Fprintf(io.out, "Dấu vân tay chứng chỉ (SHA-256): %s\n", res.Fingerprint)
	fmt.Fprintf(io.out, "Tiếp theo: thonghanh server officers add ..., thonghanh server enroll-code --unit MÃ, thonghanh server run --dir %s\n", *dir)
	return exitOK
}

func rootPassphrase(io stdio, file string) (string, error) {
	if file == "" && os.Getenv(batchsync.EnvPassphrase) == "" {
		return "", nil // LoadRootKey asks for it only if the key is encrypted
	}
	return readSecret(io, file, batchsync.EnvPassphrase, "")
}

func serverRun(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server run", "server run --dir THƯ_MỤC [--addr :8443] [--passphrase-file TỆP] [--phone-addr :443 --tls-cert TỆP --tls-key TỆP]",
		"Chạy máy chủ HTTPS cho đồng bộ (SYNC.md). Nhật ký dạng JSON ra stderr. Ctrl+C hoặc SIGTERM dừng êm:\n"+
			"các yêu cầu đang chạy được làm xong trong thời hạn --shutdown-timeout.\n"+
			"Trang kiểm tra cho điện thoại ở "+kiemtra.Prefix+": trên --addr (chứng chỉ tự ký, trình duyệt sẽ cảnh báo),\n"+
			"và trên --phone-addr với chứng chỉ do CA cấp mà điện thoại chấp nhận; các máy vẫn ghim chứng chỉ của --addr.\n"+
			"Ví dụ: thonghanh server run --dir /srv/thonghanh --addr :8443 --phone-addr :443 \\\n"+
			"          --tls-cert /etc/letsencrypt/live/thonghanh.tiengiang.gov.vn/fullchain.pem \\\n"+
			"          --tls-key /etc/letsencrypt/live/thonghanh.tiengiang.gov.vn/privkey.pem")
	dir := dirFlag(fs)
	addr := fs.String("addr", ":8443", "`ĐỊA_CHỈ:CỔNG` để lắng nghe")
	passFile := fs.String("passphrase-file", "", "`TỆP` chứa mật khẩu khóa gốc (hoặc biến "+batchsync.EnvPassphrase+")")
	timeout := fs.Duration("shutdown-timeout", 15*time.Second, "thời gian tối đa để dừng êm")
	phoneAddr := fs.String("phone-addr", "", "`ĐỊA_CHỈ:CỔNG` thứ hai, cho trang kiểm tra trên điện thoại "+kiemtra.Prefix+" (ví dụ :443), với chứng chỉ do CA cấp")
	tlsCert := fs.String("tls-cert", "", "`TỆP` chứng chỉ PEM do CA cấp cho tên máy chủ của tỉnh (cổng --phone-addr)")
	tlsKey := fs.String("tls-key", "", "`TỆP` khóa PEM của chứng chỉ --tls-cert")
	busyAfter := fs.Duration("busy-after", batchsync.DefaultBusyAfter,
		"lô gửi lên phải chờ ghi lâu hơn `THỜI_GIAN` này thì máy chủ trả lời bận (429), máy giữ thao tác và gửi lại sau; số âm: không bao giờ từ chối")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *busyAfter == 0 {
		return usageError(io, fs, "--busy-after phải khác 0 (số âm: không bao giờ từ chối)")
	}
	pass, err := rootPassphrase(io, *passFile)
	if err != nil {
		return fail(io, "server run", err)
	}
	log := slog.New(slog.NewJSONHandler(io.err, nil))
	pages, err := phonePages()
	if err != nil {
		return fail(io, "server run", err)
	}
	err = batchsync.Serve(ctx, batchsync.ServeOptions{Dir: *dir, Addr: *addr, Passphrase: pass, Logger: log, ShutdownTimeout: *timeout, Pages: pages,
		PhoneAddr: *phoneAddr, PhoneCertFile: *tlsCert, PhoneKeyFile: *tlsKey, BusyAfter: *busyAfter})
	if err != nil {
		log.Error("server stopped", slog.Any("err", err))
		return exitFail
	}
	log.Info("server stopped")
	return exitOK
}

func openCentral(ctx context.Context, io stdio, what, dir string) (*central.DB, int) {
	db, err := batchsync.OpenCentral(ctx, dir)
	if err != nil {
		return nil, fail(io, what, err)
	}
	return db, exitOK
}

// unitKinds are the Vietnamese words --kind takes, and the store's own
// names still, for scripts written before.
var unitKinds = map[string]store.UnitKind{"tinh": store.KindProvincePC, "huyen": store.KindDistrictPC, "xa": store.KindCommunePC,
	"so": store.KindDepartment, "co-quan": store.KindAgency, "kcn": store.KindIndustrialParks, "chi-huy": store.KindCommandCentre}

// kindWord is the word a unit kind is listed under.
var kindWord = map[store.UnitKind]string{}

func init() {
	for w, k := range unitKinds {
		kindWord[k] = w
	}
	for _, k := range store.UnitKinds {
		unitKinds[string(k)] = k
	}
}

func serverUnits(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server units", "server units --dir THƯ_MỤC [--kind LOẠI] [--search CHỮ]",
		"Liệt kê các đơn vị của tỉnh: mã, loại, tên. Loại: tinh (UBND tỉnh), huyen (UBND huyện), xa (UBND xã),\nso (sở, ban, ngành), co-quan (cơ quan khác), kcn (Ban Quản lý các KCN), chi-huy (Ban Chỉ huy phòng, chống dịch).")
	dir := dirFlag(fs)
	kind := fs.String("kind", "", "chỉ liệt kê `LOẠI` này (tinh, huyen, xa, so, co-quan, kcn, chi-huy)")
	search := fs.String("search", "", "chỉ các đơn vị có tên chứa các chữ này (không dấu cũng được)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, code := openCentral(ctx, io, "server units", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	want, ok := unitKinds[*kind]
	if !ok && *kind != "" {
		return usageError(io, fs, "--kind %q: loại là tinh, huyen, xa, so, co-quan, kcn hoặc chi-huy", *kind)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return fail(io, "server units", err)
	}
	words := strings.Fields(store.Fold(*search))
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "MÃ\tLOẠI\tTÊN")
	n := 0
	for _, u := range units.All() {
		if want != "" && u.Kind != want {
			continue
		}
		f := store.Fold(u.Name)
		match := true
		for _, w := range words {
			match = match && strings.Contains(f, w)
		}
		if !match {
			continue
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\n", u.Code, kindWord[u.Kind], u.CommitteeName())
		n++
	}
	tw.Flush()
	fmt.Fprintf(io.out, "%d đơn vị\n", n)
	return exitOK
}

func serverOfficers(ctx context.Context, args []string, io stdio) int {
	subs := map[string]string{
		"add":     "thêm tài khoản: --unit MÃ --username TÊN --name \"HỌ TÊN\" --roles approver,clerk [--password-file TỆP]",
		"list":    "liệt kê tài khoản [--unit MÃ]",
		"disable": "vô hiệu hóa tài khoản TÊN (--enable để mở lại)",
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		w, code := io.out, exitOK
		if len(args) == 0 {
			w, code = io.err, exitUsage
		}
		subcommandHelp(w, "Cách dùng: thonghanh server officers LỆNH --dir THƯ_MỤC ...\n\nTài khoản do tỉnh cấp; các máy của đơn vị nhận chúng khi đăng ký và khi đồng bộ.\n\nCác lệnh:", subs)
		return code
	}
	switch args[0] {
	case "add":
		fs := newFlags(io, "server officers add", "server officers add --dir THƯ_MỤC --unit MÃ --username TÊN --name \"HỌ TÊN\" --roles VAI_TRÒ [--password-file TỆP]",
			"Tạo tài khoản cán bộ của một đơn vị. Vai trò: clerk (tiếp nhận), approver (duyệt, ký), admin, checker (kiểm tra).\nMật khẩu lấy từ --password-file hoặc được hỏi: ít nhất 10 ký tự cho người duyệt và quản trị, 8 cho người khác,\n"+
				"không phải mật khẩu phổ biến hay ngày tháng (như ngày sinh).")
		dir := dirFlag(fs)
		unit := fs.Uint("unit", 0, "`MÃ` đơn vị")
		username := fs.String("username", "", "tên đăng nhập")
		name := fs.String("name", "", "họ và tên")
		roles := fs.String("roles", "clerk", "vai trò, cách nhau bởi dấu phẩy")
		position := fs.String("position", "truong", "`CHỨC_VỤ` của người duyệt, cho khối chữ ký trên giấy: truong (TM. … CHỦ TỊCH) hoặc pho (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)")
		passFile := fs.String("password-file", "", "`TỆP` chứa mật khẩu")
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		pass, err := readSecret(io, *passFile, "", "Mật khẩu của "+*username+": ")
		if err != nil {
			return fail(io, "server officers add", err)
		}
		db, code := openCentral(ctx, io, "server officers add", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		pos, err := store.ParsePosition(*position)
		if err != nil {
			return fail(io, "server officers add", err)
		}
		n := store.NewOfficer{Username: *username, FullName: *name, Unit: uint32(*unit), Password: pass, Position: pos}
		for _, r := range strings.Split(*roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				n.Roles = append(n.Roles, store.Role(r))
			}
		}
		o, err := db.CreateOfficer(ctx, "", n)
		if err != nil {
			return fail(io, "server officers add", err)
		}
		fmt.Fprintf(io.out, "Đã tạo tài khoản %s (%s) của đơn vị %d, vai trò %s\n", o.Username, o.FullName, o.Unit, *roles)
		return exitOK
	case "list":
		fs := newFlags(io, "server officers list", "server officers list --dir THƯ_MỤC [--unit MÃ]", "Liệt kê tài khoản cán bộ (mọi đơn vị nếu không có --unit).")
		dir := dirFlag(fs)
		unit := fs.Uint("unit", 0, "`MÃ` đơn vị")
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		db, code := openCentral(ctx, io, "server officers list", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		list, err := db.OfficerRecords(ctx, uint32(*unit))
		if err != nil {
			return fail(io, "server officers list", err)
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TÊN ĐĂNG NHẬP\tHỌ TÊN\tĐƠN VỊ\tVAI TRÒ\tHOẠT ĐỘNG")
		for _, o := range list {
			roles := make([]string, len(o.Roles))
			for i, r := range o.Roles {
				roles[i] = string(r)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", o.Username, o.FullName, o.Unit, strings.Join(roles, ","), map[bool]string{true: "có", false: "KHÔNG"}[o.Active])
		}
		tw.Flush()
		return exitOK
	case "disable":
		fs := newFlags(io, "server officers disable", "server officers disable --dir THƯ_MỤC [--enable] TÊN",
			"Vô hiệu hóa (hoặc mở lại với --enable) một tài khoản; các máy của đơn vị biết ở lần đồng bộ tới.")
		dir := dirFlag(fs)
		enable := fs.Bool("enable", false, "mở lại tài khoản")
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintln(io.err, "server officers disable: cần đúng một TÊN đăng nhập")
			return exitUsage
		}
		db, code := openCentral(ctx, io, "server officers disable", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		o, err := db.SetOfficerActive(ctx, fs.Arg(0), *enable)
		if err != nil {
			return fail(io, "server officers disable", err)
		}
		fmt.Fprintf(io.out, "Tài khoản %s: hoạt động = %v\n", o.Username, o.Active)
		return exitOK
	}
	fmt.Fprintf(io.err, "server officers: không có lệnh %q\n", args[0])
	return exitUsage
}

func serverDesks(ctx context.Context, args []string, io stdio) int {
	subs := map[string]string{
		"list":   "liệt kê các máy đã đăng ký",
		"revoke": "thu hồi máy MÁY: khóa của nó bị gỡ khỏi danh sách tin cậy (ký lại), mã truy cập bị thu hồi",
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		w, code := io.out, exitOK
		if len(args) == 0 {
			w, code = io.err, exitUsage
		}
		subcommandHelp(w, "Cách dùng: thonghanh server desks LỆNH --dir THƯ_MỤC ...\n\nCác lệnh:", subs)
		return code
	}
	switch args[0] {
	case "list":
		fs := newFlags(io, "server desks list", "server desks list --dir THƯ_MỤC", "Liệt kê các máy: mã, đơn vị, số máy, nhãn, còn hiệu lực, số thao tác đã nhận, lần gửi cuối.")
		dir := dirFlag(fs)
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		db, code := openCentral(ctx, io, "server desks list", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		desks, err := db.Desks(ctx)
		if err != nil {
			return fail(io, "server desks list", err)
		}
		tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "MÁY\tĐƠN VỊ\tSỐ\tNHÃN\tHIỆU LỰC\tTHAO TÁC\tGỬI LẦN CUỐI")
		for _, d := range desks {
			last := "—"
			if !d.LastPush.IsZero() {
				last = store.FormatDateTime(d.LastPush)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\t%s\n", d.ID, d.Unit, d.Number, d.Label,
				map[bool]string{true: "có", false: "THU HỒI"}[d.Active && d.ActiveTokens > 0], d.OpsHeld, last)
		}
		tw.Flush()
		return exitOK
	case "revoke":
		fs := newFlags(io, "server desks revoke", "server desks revoke --dir THƯ_MỤC [--passphrase-file TỆP] MÁY",
			"Thu hồi một máy (máy mất, bị đánh cắp): gỡ khóa ký của nó khỏi danh sách tin cậy, tăng số thứ tự, ký lại\nbằng khóa gốc, và thu hồi mọi mã truy cập của nó. Giấy nó ký từ nay là UNKNOWN_SIGNER tại chốt.")
		dir := dirFlag(fs)
		passFile := fs.String("passphrase-file", "", "`TỆP` chứa mật khẩu khóa gốc (hoặc biến "+batchsync.EnvPassphrase+")")
		if ok, code := parseFlags(fs, io, args[1:]); !ok {
			return code
		}
		if fs.NArg() != 1 {
			fmt.Fprintln(io.err, "server desks revoke: cần đúng một mã MÁY (xem server desks list)")
			return exitUsage
		}
		pass, err := rootPassphrase(io, *passFile)
		if err != nil {
			return fail(io, "server desks revoke", err)
		}
		root, _, err := batchsync.LoadRootKey(*dir, pass)
		if err != nil {
			return fail(io, "server desks revoke", err)
		}
		db, code := openCentral(ctx, io, "server desks revoke", *dir)
		if db == nil {
			return code
		}
		defer db.Close()
		if err := db.RevokeDesk(ctx, root, fs.Arg(0)); err != nil {
			return fail(io, "server desks revoke", err)
		}
		fmt.Fprintf(io.out, "Đã thu hồi máy %s: khóa bị gỡ khỏi danh sách tin cậy mới, mã truy cập bị thu hồi\n", fs.Arg(0))
		return exitOK
	}
	fmt.Fprintf(io.err, "server desks: không có lệnh %q\n", args[0])
	return exitUsage
}

func serverEnrollCode(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server enroll-code", "server enroll-code --dir THƯ_MỤC --unit MÃ [--ttl 24h]",
		"Tạo mã đăng ký dùng một lần cho một máy của đơn vị. Chỉ mã băm được lưu: hãy chép mã ngay.\nTrên máy: thonghanh enroll https://MÁY_CHỦ:8443 MÃ --fingerprint VÂN_TAY --approver TÊN")
	dir := dirFlag(fs)
	unit := fs.Uint("unit", 0, "`MÃ` đơn vị của máy")
	ttl := fs.Duration("ttl", 24*time.Hour, "thời hạn của mã")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, code := openCentral(ctx, io, "server enroll-code", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	codeText, expires, err := db.CreateEnrollCode(ctx, uint32(*unit), *ttl)
	if err != nil {
		return fail(io, "server enroll-code", err)
	}
	fp, _ := batchsync.CertFingerprint(*dir)
	fmt.Fprintln(io.out, codeText)
	fmt.Fprintf(io.err, "Mã dùng một lần cho đơn vị %d, hết hạn %s. Vân tay chứng chỉ máy chủ: %s\n", *unit, store.FormatDateTime(expires), fp)
	return exitOK
}

func serverTokens(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 || args[0] != "revoke" {
		w, code := io.err, exitUsage
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			w, code = io.out, exitOK
		}
		subcommandHelp(w, "Cách dùng: thonghanh server tokens revoke --dir THƯ_MỤC MÁY\n\nCác lệnh:", map[string]string{
			"revoke": "thu hồi mọi mã truy cập của MÁY: máy đó ngừng đồng bộ và báo cho người dùng",
		})
		return code
	}
	fs := newFlags(io, "server tokens revoke", "server tokens revoke --dir THƯ_MỤC MÁY",
		"Thu hồi mọi mã truy cập của một máy. Máy vẫn ký được giấy (khóa vẫn trong danh sách tin cậy);\nđể cắt hẳn một máy, dùng server desks revoke.")
	dir := dirFlag(fs)
	if ok, code := parseFlags(fs, io, args[1:]); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "server tokens revoke: cần đúng một mã MÁY")
		return exitUsage
	}
	db, code := openCentral(ctx, io, "server tokens revoke", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	n, err := db.RevokeTokens(ctx, fs.Arg(0))
	if err != nil {
		return fail(io, "server tokens revoke", err)
	}
	fmt.Fprintf(io.out, "Đã thu hồi %d mã truy cập của máy %s\n", n, fs.Arg(0))
	return exitOK
}

func serverReport(ctx context.Context, args []string, io stdio) int {
	if len(args) > 0 && args[0] == "abuse" {
		return serverReportAbuse(ctx, args[1:], io)
	}
	if len(args) > 0 && args[0] == "province" {
		return serverReportProvince(ctx, args[1:], io)
	}
	fs := newFlags(io, "server report", "server report --dir THƯ_MỤC --unit MÃ --from NGÀY --to NGÀY [--csv TỆP]",
		"Báo cáo trách nhiệm của một đơn vị trong khoảng ngày (dd/mm/yyyy): hồ sơ theo loại và trạng thái,\n"+
			"giấy đã cấp theo người duyệt, giấy bị thu hồi. --csv ghi tệp CSV (UTF-8 có BOM, mở được bằng Excel).\n"+
			"Toàn tỉnh, mọi đơn vị theo huyện (PDF, CSV): server report province --help.")
	dir := dirFlag(fs)
	unit := fs.Uint("unit", 0, "`MÃ` đơn vị")
	from := fs.String("from", "", "từ `NGÀY`")
	to := fs.String("to", "", "đến `NGÀY` (tính cả ngày đó)")
	csvFile := fs.String("csv", "", "ghi báo cáo ra `TỆP` CSV")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	fromT, err := store.ParseDate("--from", *from)
	if err != nil {
		return fail(io, "server report", err)
	}
	toT, err := store.ParseDate("--to", *to)
	if err != nil {
		return fail(io, "server report", err)
	}
	db, code := openCentral(ctx, io, "server report", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	r, err := db.UnitReport(ctx, uint32(*unit), fromT, toT)
	if err != nil {
		return fail(io, "server report", err)
	}
	if *csvFile != "" {
		f, err := os.Create(*csvFile)
		if err != nil {
			return fail(io, "server report", err)
		}
		err = batchsync.WriteReportCSV(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fail(io, "server report", err)
		}
		fmt.Fprintf(io.err, "Đã ghi %s\n", *csvFile)
	}
	printReport(io.out, r)
	return exitOK
}

// serverReportAbuse lists permits used outside their area or hours or at too
// many checkpoints in a day, and vouchers used twice.
func serverReportAbuse(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server report abuse", "server report abuse --dir THƯ_MỤC [--from NGÀY] [--to NGÀY] [--max-checkpoints N] [--out TỆP [--force]]",
		"Dấu hiệu lạm dụng theo các lượt quét đã đồng bộ: giấy quét ngoài khu vực hoặc ngoài giờ được phép,\n"+
			"giấy được cho qua ở quá nhiều chốt trong một ngày, phiếu đi chợ được cho vào hai lần (ghi rõ hộ,\n"+
			"từng lối vào và giờ). Mỗi dòng ghi kết quả chốt đã báo và số lượt bị từ chối. Ghi CSV (UTF-8 có BOM)\n"+
			"ra --out hoặc ra màn hình.\n\n"+
			"Ví dụ:\n  thonghanh server report abuse --dir /srv/thonghanh --from 21/09/2021 --to 30/09/2021 --out lam-dung.csv")
	dir := dirFlag(fs)
	from := fs.String("from", "", "từ `NGÀY` (dd/mm/yyyy; bỏ trống: từ đầu)")
	to := fs.String("to", "", "đến `NGÀY` (tính cả ngày đó; bỏ trống: đến nay)")
	maxCP := fs.Int("max-checkpoints", store.DefaultMaxCheckpointsPerDay, "số chốt tối đa một giấy được quét trong một ngày")
	out := fs.String("out", "", "ghi báo cáo ra `TỆP` CSV")
	force := fs.Bool("force", false, "ghi đè tệp --out đã có")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	var opt store.AbuseOptions
	opt.MaxCheckpointsPerDay = *maxCP
	if *from != "" {
		t, err := store.ParseDate("--from", *from)
		if err != nil {
			return fail(io, "server report abuse", err)
		}
		opt.From = t
	}
	if *to != "" {
		t, err := store.ParseDate("--to", *to)
		if err != nil {
			return fail(io, "server report abuse", err)
		}
		opt.Until = t.AddDate(0, 0, 1)
	}
	db, code := openCentral(ctx, io, "server report abuse", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	rows, err := db.AbuseReport(ctx, opt)
	if err != nil {
		return fail(io, "server report abuse", err)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return fail(io, "server report abuse", err)
	}
	w := io.out
	if *out != "" {
		mode := os.O_CREATE | os.O_EXCL | os.O_WRONLY
		if *force {
			mode = os.O_CREATE | os.O_TRUNC | os.O_WRONLY
		}
		f, err := os.OpenFile(*out, mode, 0o640)
		if errors.Is(err, os.ErrExist) {
			fmt.Fprintf(io.err, "server report abuse: tệp %s đã có; thêm --force để ghi đè\n", *out)
			return exitFail
		}
		if err != nil {
			return fail(io, "server report abuse", err)
		}
		defer f.Close()
		w = f
	}
	if err := store.WriteAbuseCSV(w, rows, units); err != nil {
		return fail(io, "server report abuse", err)
	}
	fmt.Fprintf(io.err, "%d dấu hiệu lạm dụng.\n", len(rows))
	return exitOK
}

// serverConflicts lists what the centre kept instead of overwriting: two
// desks' versions of a person, and overlapping permits from two desks.
func serverConflicts(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "server conflicts", "server conflicts --dir THƯ_MỤC [--all] [--json] [--out TỆP]",
		"Liệt kê các xung đột máy chủ tỉnh ghi nhận: hai máy ghi khác nhau họ tên, ngày sinh hoặc giới tính của\n"+
			"cùng một số định danh (máy chủ giữ cả hai bản, không ghi đè), và hai giấy cùng loại còn hiệu lực trùng\n"+
			"ngày của một người do hai máy cấp. Mặc định chỉ các xung đột đang mở, dạng CSV (UTF-8 có BOM, mở được\n"+
			"bằng Excel) ra màn hình hoặc ra --out; --json ghi JSON.\n\n"+
			"Ví dụ: thonghanh server conflicts --dir thonghanh-server --out xung-dot.csv")
	dir := dirFlag(fs)
	all := fs.Bool("all", false, "liệt kê cả các xung đột đã giải quyết")
	asJSON := fs.Bool("json", false, "ghi JSON thay cho CSV")
	out := fs.String("out", "", "ghi ra `TỆP` (không ghi đè tệp có sẵn)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, code := openCentral(ctx, io, "server conflicts", *dir)
	if db == nil {
		return code
	}
	defer db.Close()
	cs, err := db.Conflicts(ctx, *all)
	if err != nil {
		return fail(io, "server conflicts", err)
	}
	w := io.out
	if *out != "" {
		f, err := os.OpenFile(*out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return fail(io, "server conflicts", err)
		}
		defer f.Close()
		w = f
	}
	if *asJSON {
		if cs == nil {
			cs = []wire.Conflict{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		err = enc.Encode(cs)
	} else {
		err = central.WriteConflictsCSV(w, cs)
	}
	if err != nil {
		return fail(io, "server conflicts", err)
	}
	fmt.Fprintf(io.err, "%d xung đột.\n", len(cs))
	return exitOK
}

func printReport(w io.Writer, r central.Report) {
	fmt.Fprintf(w, "BÁO CÁO TRÁCH NHIỆM — %s (%d), từ %s đến %s\n\n", r.Unit.CommitteeName(), r.Unit.Code, store.FormatDate(r.From), store.FormatDate(r.To))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HỒ SƠ\tLOẠI\tTRẠNG THÁI\tSỐ LƯỢNG")
	for _, c := range r.Applications {
		fmt.Fprintf(tw, "\t%d\t%s\t%d\n", c.Category, store.StatusName(c.Status), c.Count)
	}
	fmt.Fprintln(tw, "\nGIẤY THEO NGƯỜI DUYỆT\tTÊN ĐĂNG NHẬP\tĐÃ CẤP\tBỊ THU HỒI")
	for _, p := range r.Permits {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\n", p.FullName, p.Username, p.Issued, p.Revoked)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nGIẤY BỊ THU HỒI: %d\n", len(r.Revocations))
	for _, v := range r.Revocations {
		fmt.Fprintf(w, "  %s  %s  %s\n", v.Serial, store.FormatDateTime(v.RevokedAt), v.Reason)
	}
}
