package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // a phone photo of a permit
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"thonghanh/print/photo"
	"thonghanh/store"
	"thonghanh/store/seal"
)

func init() {
	register(&command{
		name:    "verify",
		summary: "kiểm tra mã QR giấy đi đường hoặc phiếu đi chợ, không cần mạng",
		run:     runVerify,
	})
}

const verifyDescription = `Kiểm tra mã QR Thông Hành (TH1:...) ngay tại chốt, không cần mạng.
Mã lấy từ tham số, từ đầu vào chuẩn (máy quét USB gõ mã rồi Enter), hoặc từ
một tệp ảnh PNG/JPEG chụp giấy: mọi mã trong ảnh đều được kiểm tra (ảnh một tờ
A4 in hai giấy cho hai kết luận; --json khi đó in một mảng). Cần khóa gốc của
tỉnh và danh sách tin cậy: --root và --trust, hoặc cơ sở dữ liệu của bàn làm
việc (--db), khi đó kiểm tra như màn hình Kiểm tra: cả giấy đã thu hồi tại bàn
này, phiếu đã dùng, và tên đơn vị thay cho mã số.

Ví dụ:
  thonghanh verify --db desk.db anh-chup-giay.jpg
  thonghanh verify --root goc.hex --trust tin-cay.cbor --revoked thu-hoi.cbor TH1:...

verify không ghi lượt quét nên không giữ phiếu đi chợ chỉ dùng một lần: với --db nó
báo "đã dùng" cho phiếu mà bàn làm việc biết là đã dùng, nhưng không đánh dấu phiếu
nó kiểm tra. Ở cổng chợ, dùng thonghanh check.

Mã thoát: 0 mọi mã hợp lệ, 1 có mã không hợp lệ (mọi kết luận khác), 2 lỗi cách dùng.`

// verifyOptions are the parsed flags.
type verifyOptions struct {
	root, trust, revoked, db string
	at                       time.Time
	checkpoint               uint32
	within                   []uint32
	lang                     string
	json                     bool
}

func runVerify(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "verify", "verify [THAM SỐ] [MÃ | ẢNH | -]", verifyDescription)
	root := fs.String("root", "", "`TỆP` khóa công khai gốc của tỉnh (64 ký tự hex)")
	trust := fs.String("trust", "", "`TỆP` danh sách tin cậy đã ký (CBOR)")
	revoked := fs.String("revoked", "", "`TỆP` danh sách thu hồi đã ký (CBOR)")
	at := fs.String("at", "", "`THỜI_ĐIỂM` kiểm tra theo RFC 3339, ví dụ 2021-09-21T07:00:00+07:00 (mặc định: bây giờ)")
	checkpoint := fs.String("checkpoint", "", "`MÃ_ĐƠN_VỊ` của chốt; bỏ trống thì không kiểm tra khu vực")
	within := fs.String("within", "", "`MÃ,MÃ` các đơn vị cấp trên chứa chốt (huyện, tỉnh), khi không có --db")
	lang := fs.String("lang", "vi", "`NGÔN_NGỮ` in ra: vi hoặc en")
	asJSON := fs.Bool("json", false, "in kết quả dạng JSON cho máy đọc")
	db := fs.String("db", "", "`TỆP` cơ sở dữ liệu của bàn làm việc, nguồn khóa gốc và các danh sách")

	// Flags may come after the code too (`verify TH1:... --json`): parse,
	// take one positional argument, parse the rest again.
	var positional []string
	for rest := args; ; {
		if ok, code := parseFlags(fs, io, rest); !ok {
			return code
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) > 1 {
		return usageError(io, fs, "chỉ kiểm tra một mã mỗi lần, nhận được %d", len(positional))
	}

	opt := verifyOptions{root: *root, trust: *trust, revoked: *revoked, db: *db, lang: *lang, json: *asJSON}
	if opt.lang != "vi" && opt.lang != "en" {
		return usageError(io, fs, "--lang phải là vi hoặc en, không phải %q", opt.lang)
	}
	opt.at = time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError(io, fs, "--at %q không đúng dạng RFC 3339 (ví dụ 2021-09-21T07:00:00+07:00)", *at)
		}
		opt.at = t
	}
	var err error
	if *checkpoint != "" {
		if opt.checkpoint, err = parseUnit(*checkpoint); err != nil || opt.checkpoint == 0 {
			return usageError(io, fs, "--checkpoint %q không phải mã đơn vị", *checkpoint)
		}
	}
	for _, s := range strings.FieldsFunc(*within, func(r rune) bool { return r == ',' || r == ' ' }) {
		u, err := parseUnit(s)
		if err != nil || u == 0 {
			return usageError(io, fs, "--within: %q không phải mã đơn vị", s)
		}
		opt.within = append(opt.within, u)
	}

	v, code := opt.verifier(ctx, io)
	if v == nil {
		return code
	}
	defer v.close()

	var texts []string
	arg := "-"
	if len(positional) == 1 {
		arg = positional[0]
	}
	switch {
	case arg == "-":
		text, err := readScannedLine(io)
		if err != nil {
			return usageError(io, nil, "không đọc được mã từ đầu vào: %v", err)
		}
		texts = []string{text}
	case isImagePath(arg):
		if texts, err = readQRImage(arg); err != nil {
			return usageError(io, nil, "%v", err)
		}
	case hasImageExtension(arg):
		return usageError(io, nil, "không tìm thấy tệp ảnh %s", arg)
	default:
		texts = []string{arg}
	}
	results := make([]seal.Result, len(texts))
	for i, text := range texts {
		// Leading whitespace cannot be part of a code (it starts with
		// TH1:), but a trailing space can (it is a base45 digit): strip
		// only line endings.
		texts[i] = strings.TrimRight(strings.TrimLeft(text, " \t\r\n"), "\r\n")
		if results[i], err = v.verify(ctx, texts[i]); err != nil {
			fmt.Fprintf(io.err, "thonghanh verify: %v\n", err)
			return exitFail
		}
		if results[i].Payload.Kind == seal.KindVoucher && results[i].Verdict == seal.Valid {
			fmt.Fprintln(io.err, "Lưu ý: verify không ghi lượt quét, phiếu này chưa bị đánh dấu đã dùng. Ở cổng chợ, dùng thonghanh check.")
		}
	}
	if opt.json {
		writeVerifyJSON(io.out, opt, v.unitName, results)
	} else {
		for i, r := range results {
			if len(results) > 1 {
				if i > 0 {
					fmt.Fprintln(io.out)
				}
				fmt.Fprintf(io.out, "%s %d/%d\n", label(opt.lang, "code"), i+1, len(results))
			}
			writeVerifyText(io.out, opt, v.unitName, texts[i], r)
		}
	}
	for _, r := range results {
		if r.Verdict != seal.Valid {
			return exitFail
		}
	}
	return exitOK
}

func parseUnit(s string) (uint32, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
	return uint32(n), err
}

// usageError prints a Vietnamese message (and the flags, when fs is given)
// and returns the usage exit status.
func usageError(std stdio, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(std.err, "thonghanh verify: "+format+"\n", args...)
	if fs != nil {
		fmt.Fprintln(std.err, "Xem: thonghanh verify --help")
	}
	return exitUsage
}

// verifier checks codes and names units, from files or from a desk.
type verifier struct {
	verify   func(ctx context.Context, text string) (seal.Result, error)
	unitName func(code uint32) string // "Xã Tân Hương (28249)", or the code alone
	close    func()
}

// verifier opens the root key and lists from files, or the desk database,
// and returns a verifier; on failure it has printed why and returns nil and
// the exit status. With the desk it checks exactly as the Kiểm tra screen
// does — the signed lists, the desk's own revocations, the vouchers used at
// this desk — without logging a scan.
func (opt verifyOptions) verifier(ctx context.Context, std stdio) (*verifier, int) {
	haveRootOrTrustArg := opt.root != "" || opt.trust != ""
	switch {
	case haveRootOrTrustArg && (opt.root == "" || opt.trust == ""):
		return nil, usageError(std, nil, "cần cả --root và --trust (hoặc bỏ cả hai để dùng --db của bàn làm việc)")
	case haveRootOrTrustArg:
		c, code := opt.fileChecker(std)
		if c == nil {
			return nil, code
		}
		return &verifier{
			verify:   func(_ context.Context, text string) (seal.Result, error) { return c.Verify(text), nil },
			unitName: func(u uint32) string { return strconv.FormatUint(uint64(u), 10) },
			close:    func() {},
		}, exitOK
	}
	if opt.revoked != "" || len(opt.within) > 0 {
		return nil, usageError(std, nil, "--revoked và --within chỉ dùng với --root và --trust; với cơ sở dữ liệu, danh sách thu hồi và danh mục đơn vị lấy từ bàn làm việc")
	}
	path := opt.db
	if path == "" {
		path = defaultDeskDB()
	}
	db, err := openStore(ctx, path)
	if err != nil {
		return nil, usageError(std, nil, "không mở được cơ sở dữ liệu: %v\nHãy dùng --root TỆP --trust TỆP", err)
	}
	scanner, err := db.NewScanner(ctx)
	if err != nil {
		db.Close()
		return nil, usageError(std, nil, "không lấy được khóa gốc và danh sách tin cậy từ cơ sở dữ liệu: %s\n"+
			"Hãy dùng --root TỆP --trust TỆP", store.ErrorText(err, opt.lang == "en"))
	}
	units, err := db.Units(ctx)
	if err != nil {
		db.Close()
		return nil, usageError(std, nil, "không đọc được danh mục đơn vị: %v", err)
	}
	return &verifier{
		verify: func(ctx context.Context, text string) (seal.Result, error) {
			r, _, err := scanner.Verify(ctx, text, opt.at, opt.checkpoint)
			return r, err
		},
		unitName: func(u uint32) string {
			if name := units.Name(u); name != strconv.FormatUint(uint64(u), 10) {
				return fmt.Sprintf("%s (%d)", name, u)
			}
			return strconv.FormatUint(uint64(u), 10)
		},
		close: func() { db.Close() },
	}, exitOK
}

// fileChecker opens the root key and the lists given as files.
func (opt verifyOptions) fileChecker(std stdio) (*seal.Checker, int) {
	text, err := os.ReadFile(opt.root)
	if err != nil {
		return nil, usageError(std, nil, "không đọc được tệp khóa gốc: %v", err)
	}
	root, err := seal.LoadRootPublicKeyHex(string(text))
	if err != nil {
		return nil, usageError(std, nil, "tệp khóa gốc %s không hợp lệ: %v", opt.root, err)
	}
	trustRaw, err := os.ReadFile(opt.trust)
	if err != nil {
		return nil, usageError(std, nil, "không đọc được danh sách tin cậy: %v", err)
	}
	trust, err := seal.OpenTrustList(root, trustRaw, 0)
	if err != nil {
		return nil, usageError(std, nil, "danh sách tin cậy bị từ chối: %s", listRefusal(err))
	}
	c := &seal.Checker{Trust: trust, Checkpoint: opt.checkpoint, Now: func() time.Time { return opt.at }}
	if opt.revoked != "" {
		revRaw, err := os.ReadFile(opt.revoked)
		if err != nil {
			return nil, usageError(std, nil, "không đọc được danh sách thu hồi: %v", err)
		}
		list, err := seal.OpenRevocationList(root, revRaw, 0)
		if err != nil {
			return nil, usageError(std, nil, "danh sách thu hồi bị từ chối: %s", listRefusal(err))
		}
		set := list.Set()
		c.IsRevoked = func(serial string) bool { _, ok := set[serial]; return ok }
	} else {
		fmt.Fprintln(std.err, "Cảnh báo: không có danh sách thu hồi (--revoked): giấy đã bị thu hồi vẫn có thể hiện là hợp lệ.")
	}
	extra := opt.within
	c.Within = func(checkpoint, area uint32) bool {
		for _, u := range extra {
			if checkpoint == opt.checkpoint && u == area {
				return true
			}
		}
		return false
	}
	return c, exitOK
}

// listRefusal says in Vietnamese why a list file was refused, keeping the
// technical reason for whoever has to fix it.
func listRefusal(err error) string {
	why := "không đọc được"
	switch {
	case errors.Is(err, seal.ErrListSigner):
		why = "không do khóa gốc của tỉnh ký"
	case errors.Is(err, seal.ErrListSignature):
		why = "chữ ký không đúng — tệp đã bị sửa hoặc giả"
	case errors.Is(err, seal.ErrListKind):
		why = "sai loại danh sách"
	case errors.Is(err, seal.ErrListStale):
		why = "cũ hơn danh sách đang giữ"
	case errors.Is(err, seal.ErrListMalformed):
		why = "tệp hỏng hoặc không phải danh sách đã ký"
	}
	return fmt.Sprintf("%s (%v)", why, err)
}

// maxScannedLine bounds what is read from stdin: a code is at most 1,000
// characters, the rest is someone pasting a file.
const maxScannedLine = 64 << 10

// readScannedLine reads the first non-empty line: a USB scanner types the
// code and Enter, so verify answers without waiting for end of input.
func readScannedLine(std stdio) (string, error) {
	if f, ok := std.in.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprintln(std.err, "Quét mã QR (hoặc dán mã) rồi nhấn Enter:")
		}
	}
	r := bufio.NewReader(io.LimitReader(std.in, maxScannedLine))
	for {
		line, err := r.ReadString('\n')
		if s := strings.TrimSpace(line); s != "" {
			return line, nil
		}
		if err == io.EOF {
			return "", errors.New("đầu vào trống")
		}
		if err != nil {
			return "", err
		}
	}
}

func hasImageExtension(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".jpg", ".jpeg":
		return true
	}
	return false
}

// isImagePath says whether arg names an existing file that is a PNG or
// JPEG, by extension or by its first bytes (a photo saved without one).
func isImagePath(arg string) bool {
	st, err := os.Stat(arg)
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	if hasImageExtension(arg) {
		return true
	}
	f, err := os.Open(arg)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")) || bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF})
}

// maxImagePixels refuses an image that would take gigabytes to decode.
const maxImagePixels = 50_000_000

// readQRImage finds and reads every QR code in a PNG or JPEG file: a photo
// of a half-A4 sheet holds two permits, of a voucher sheet eight.
func readQRImage(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("không mở được ảnh: %w", err)
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return nil, fmt.Errorf("tệp %s không phải ảnh PNG/JPEG đọc được: %v", path, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return nil, fmt.Errorf("ảnh %s quá lớn (%d×%d điểm ảnh)", path, cfg.Width, cfg.Height)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("không giải mã được ảnh %s: %v", path, err)
	}
	texts := photo.ReadAll(img)
	if len(texts) == 0 {
		return nil, fmt.Errorf("không tìm thấy mã QR đọc được trong ảnh %s", path)
	}
	return texts, nil
}

// Labels of the human-readable output, Vietnamese and English.
var verifyLabels = map[string][2]string{
	"result":    {"Kết quả", "Result"},
	"unread":    {"Thông tin đọc được (CHƯA XÁC THỰC — không dùng để nhận dạng)", "Fields read (NOT VERIFIED — do not rely on them)"},
	"kind":      {"Loại", "Kind"},
	"vehicle":   {"Biển số xe", "Vehicle"},
	"household": {"Mã hộ", "Household"},
	"issued":    {"Ngày cấp", "Issued"},
	"signer":    {"Khóa ký", "Signed by"},
	"checked":   {"Kiểm tra lúc", "Checked at"},
	"detail":    {"Chi tiết kỹ thuật", "Detail"},
	"hint":      {"Gợi ý", "Hint"},
	"daily":     {"hằng ngày", "daily"},
	"code":      {"Mã", "Code"},
	"capsLock":  {"mã có chữ thường — kiểm tra phím Caps Lock của máy quét", "the code has lower-case letters — check the scanner's Caps Lock"},
}

// verifyFields are the labels of the code's fields, store/seal's: verify
// words them as the checkpoint screens do.
var verifyFields = map[string]seal.Field{
	"serial": seal.FieldSerial, "name": seal.FieldName, "id": seal.FieldID, "category": seal.FieldCategory,
	"purpose": seal.FieldPurpose, "valid": seal.FieldValidity, "hours": seal.FieldHours, "area": seal.FieldArea,
	"route": seal.FieldRoute, "market": seal.FieldMarket, "unit": seal.FieldIssuer,
}

func label(lang, key string) string {
	if f, ok := verifyFields[key]; ok {
		return f.Label(lang)
	}
	if lang == "en" {
		return verifyLabels[key][1]
	}
	return verifyLabels[key][0]
}

// displayTime is how times are shown at a checkpoint: local, day first.
func displayTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(seal.TimeZone).Format("02/01/2006 15:04")
}

func clockText(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

func unitList(name func(uint32) string, units []uint32) string {
	s := make([]string, len(units))
	for i, u := range units {
		s[i] = name(u)
	}
	return strings.Join(s, ", ")
}

// payloadRead says whether anything of the body could be read.
func payloadRead(p seal.Payload) bool { return p.Kind != 0 || p.Serial != "" || p.Name != "" }

// verified says whether the fields of r are vouched for by a trusted signature.
func verified(r seal.Result) bool { return r.Signer != nil }

func writeVerifyText(w io.Writer, opt verifyOptions, unitName func(uint32) string, text string, r seal.Result) {
	lang := opt.lang
	type row struct{ key, value string }
	var head, fields []row
	add := func(rows *[]row, key, value string) {
		if value != "" {
			*rows = append(*rows, row{key, value})
		}
	}
	mark := "✗"
	if r.Verdict == seal.Valid {
		mark = "✓"
	}
	fmt.Fprintf(w, "%s %s: %s [%s]\n", mark, label(lang, "result"), r.Verdict.Text(lang), r.Verdict)
	add(&head, "checked", displayTime(opt.at))
	if r.Verdict != seal.Valid {
		add(&head, "detail", r.Detail)
	}
	if r.Verdict == seal.Malformed && strings.ToUpper(text) != text {
		add(&head, "hint", label(lang, "capsLock"))
	}

	p := r.Payload
	if payloadRead(p) {
		add(&fields, "kind", seal.KindText(p.Kind, lang))
		add(&fields, "serial", p.Serial)
		add(&fields, "name", p.Name)
		add(&fields, "id", p.IDNumber)
		if p.Category != 0 {
			add(&fields, "category", fmt.Sprintf("%d — %s", p.Category, seal.CategoryText(p.Category, lang)))
		}
		if p.Purpose != 0 {
			add(&fields, "purpose", seal.PurposeText(p.Purpose, lang))
		}
		if !p.ValidFrom.IsZero() || !p.ValidUntil.IsZero() {
			add(&fields, "valid", displayTime(p.ValidFrom)+" – "+displayTime(p.ValidUntil))
		}
		if p.HasHours {
			add(&fields, "hours", clockText(p.HoursFrom)+" – "+clockText(p.HoursTo)+" "+label(lang, "daily"))
		}
		add(&fields, "area", unitList(unitName, p.Area))
		if p.Kind == seal.KindVoucher {
			add(&fields, "market", p.Route)
		} else {
			add(&fields, "route", p.Route)
		}
		add(&fields, "vehicle", p.Vehicle)
		add(&fields, "household", p.Household)
		if p.Unit != 0 {
			add(&fields, "unit", unitName(p.Unit))
		}
		add(&fields, "issued", displayTime(p.IssuedAt))
	}
	if r.Signer != nil {
		add(&fields, "signer", fmt.Sprintf("%s (%s)", r.Signer.Label, hex.EncodeToString(r.Signer.KID[:])))
	}

	// One column width for both blocks; labels are NFC, so runes are columns.
	width := 0
	for _, rw := range append(head, fields...) {
		width = max(width, utf8.RuneCountInString(label(lang, rw.key)))
	}
	printRows := func(rows []row) {
		for _, rw := range rows {
			l := label(lang, rw.key)
			fmt.Fprintf(w, "  %s:%s %s\n", l, strings.Repeat(" ", width-utf8.RuneCountInString(l)), rw.value)
		}
	}
	printRows(head)
	if len(fields) > 0 && !verified(r) {
		// Fields of a code that failed its signature are whatever a forger
		// typed: say so before showing them.
		fmt.Fprintln(w, label(lang, "unread")+":")
	}
	printRows(fields)
}

// verifyJSON is the --json output; field names are stable for scripts.
type verifyJSON struct {
	Verdict    seal.Verdict `json:"verdict"`
	Valid      bool         `json:"valid"`
	Message    string       `json:"message"`
	Detail     string       `json:"detail,omitempty"`
	Verified   bool         `json:"verified"` // fields are vouched for by a trusted signature
	CheckedAt  string       `json:"checked_at"`
	Checkpoint uint32       `json:"checkpoint,omitempty"`
	Payload    *payloadJSON `json:"payload"`
	Signer     *signerJSON  `json:"signer"`
}

type payloadJSON struct {
	Kind        uint8    `json:"kind"`
	KindText    string   `json:"kind_text"`
	Serial      string   `json:"serial,omitempty"`
	Unit        uint32   `json:"unit,omitempty"`
	UnitName    string   `json:"unit_name,omitempty"`
	Category    uint8    `json:"category,omitempty"`
	Name        string   `json:"name,omitempty"`
	IDNumber    string   `json:"id_number,omitempty"`
	ValidFrom   string   `json:"valid_from,omitempty"`
	ValidUntil  string   `json:"valid_until,omitempty"`
	Hours       []string `json:"hours,omitempty"` // ["06:00", "18:00"], local time
	Area        []uint32 `json:"area,omitempty"`
	AreaNames   []string `json:"area_names,omitempty"` // "Xã Tân Hương (28249)" with --db, else the codes
	Route       string   `json:"route,omitempty"`
	Purpose     uint8    `json:"purpose,omitempty"`
	PurposeText string   `json:"purpose_text,omitempty"`
	IssuedAt    string   `json:"issued_at,omitempty"`
	Vehicle     string   `json:"vehicle,omitempty"`
	Household   string   `json:"household,omitempty"`
}

type signerJSON struct {
	KID        string `json:"kid"`
	Unit       uint32 `json:"unit"`
	Categories []int  `json:"categories"`
	Label      string `json:"label,omitempty"`
	NotBefore  string `json:"not_before"`
	NotAfter   string `json:"not_after"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(seal.TimeZone).Format(time.RFC3339)
}

// writeVerifyJSON writes one object for one code, an array of them for a
// photo that held several.
func writeVerifyJSON(w io.Writer, opt verifyOptions, unitName func(uint32) string, results []seal.Result) {
	outs := make([]verifyJSON, len(results))
	for i, r := range results {
		outs[i] = verifyResultJSON(opt, unitName, r)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if len(outs) == 1 {
		_ = enc.Encode(outs[0]) // a broken stdout has nowhere to report to
		return
	}
	_ = enc.Encode(outs)
}

func verifyResultJSON(opt verifyOptions, unitName func(uint32) string, r seal.Result) verifyJSON {
	out := verifyJSON{
		Verdict:    r.Verdict,
		Valid:      r.Verdict == seal.Valid,
		Message:    r.Verdict.Text(opt.lang),
		Detail:     r.Detail,
		Verified:   verified(r),
		CheckedAt:  rfc3339(opt.at),
		Checkpoint: opt.checkpoint,
	}
	if p := r.Payload; payloadRead(p) {
		pj := &payloadJSON{Kind: uint8(p.Kind), KindText: seal.KindText(p.Kind, opt.lang), Serial: p.Serial,
			Unit: p.Unit, Category: p.Category, Name: p.Name, IDNumber: p.IDNumber,
			ValidFrom: rfc3339(p.ValidFrom), ValidUntil: rfc3339(p.ValidUntil), Area: p.Area, Route: p.Route,
			Purpose: uint8(p.Purpose), IssuedAt: rfc3339(p.IssuedAt), Vehicle: p.Vehicle, Household: p.Household}
		if p.Unit != 0 {
			pj.UnitName = unitName(p.Unit)
		}
		for _, a := range p.Area {
			pj.AreaNames = append(pj.AreaNames, unitName(a))
		}
		if p.HasHours {
			pj.Hours = []string{clockText(p.HoursFrom), clockText(p.HoursTo)}
		}
		if p.Purpose != 0 {
			pj.PurposeText = seal.PurposeText(p.Purpose, opt.lang)
		}
		out.Payload = pj
	}
	if k := r.Signer; k != nil {
		sj := &signerJSON{KID: hex.EncodeToString(k.KID[:]), Unit: k.Unit, Label: k.Label,
			NotBefore: rfc3339(k.NotBefore), NotAfter: rfc3339(k.NotAfter), Categories: []int{}}
		for _, c := range k.Categories {
			sj.Categories = append(sj.Categories, int(c))
		}
		out.Signer = sj
	}
	return out
}
