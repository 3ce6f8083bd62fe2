package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"
)

// flagError says a flag package error in Vietnamese.
func flagError(err error) string {
	msg := err.Error()
	for _, m := range []struct{ en, vi string }{
		{"flag provided but not defined: ", "không có tham số "},
		{"flag needs an argument: ", "tham số cần một giá trị: "},
		{"bad flag syntax: ", "tham số viết sai: "},
	} {
		if rest, ok := strings.CutPrefix(msg, m.en); ok {
			return m.vi + rest
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if v, f, ok := strings.Cut(rest, " for flag "); ok {
			f, why, _ := strings.Cut(f, ": ")
			if strings.Contains(why, "parse error") || strings.Contains(why, "invalid syntax") {
				why = "không đọc được"
			}
			return fmt.Sprintf("giá trị %s của %s không dùng được (%s)", v, f, why)
		}
	}
	return msg
}

// newFlags makes a flag set whose --help prints Vietnamese usage to io.out and
// whose errors go to io.err; parse returns (done, exit status).
func newFlags(io stdio, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Cách dùng: thonghanh %s\n\n", synopsis)
		if description != "" {
			fmt.Fprintln(out, description)
			fmt.Fprintln(out)
		}
		fmt.Fprintln(out, "Tham số:")
		printFlags(out, fs)
		if ex := examples[name]; len(ex) > 0 {
			fmt.Fprintln(out)
			fmt.Fprintln(out, "Ví dụ:")
			for _, e := range ex {
				fmt.Fprintln(out, "  "+e)
			}
		}
	}
	return fs
}

// examples are each command's --help examples, in one place so that a
// command without one shows in review (TestEveryCommandHasAnExample).
var examples = map[string][]string{
	"audit verify":            {"thonghanh audit verify --db ~/.config/thonghanh/desk.db"},
	"server audit verify":     {"thonghanh server audit verify --dir /srv/thonghanh"},
	"backup":                  {"thonghanh backup ~/sao-luu/desk-2021-09-21.db"},
	"check":                   {"thonghanh check --checkpoint 28291", "thonghanh check --db ~/chot/desk.db --lang en"},
	"demo":                    {"thonghanh demo", "thonghanh demo --unit 28294 --dir ~/demo-may-2"},
	"desk":                    {"thonghanh", "thonghanh --db ~/ban-1/desk.db --lang en"},
	"enroll":                  {"thonghanh enroll https://tinh.example:8443 K7Q4-9XZD --approver duyet --fingerprint SHA256:…"},
	"import households":       {"thonghanh import households --officer canbo ~/Tải\\ về/ho-gia-dinh.xlsx"},
	"init":                    {"thonghanh init ~/ban-1", "thonghanh init --demo ~/thu"},
	"print permits":           {"thonghanh print permits --officer canbo --date 22/09/2021", "thonghanh print permits --officer canbo --serials 28291-1-2021-000001 --out giay.pdf"},
	"print vouchers":          {"thonghanh print vouchers --officer canbo --zone \"Vùng nguy cơ cao\" --slot-date 22/09/2021"},
	"server init":             {"thonghanh server init --dir /srv/thonghanh --host tinh.example --passphrase-file /root/khoa.txt"},
	"server run":              {"thonghanh server run --dir /srv/thonghanh --addr :8443 --passphrase-file /root/khoa.txt"},
	"server units":            {"thonghanh server units --dir /srv/thonghanh --search \"tan my chanh\""},
	"server officers add":     {"thonghanh server officers add --dir /srv/thonghanh --unit 28291 --username canbo2 --name \"Lê Thị Hoa\" --roles clerk"},
	"server officers list":    {"thonghanh server officers list --dir /srv/thonghanh --unit 28291"},
	"server officers disable": {"thonghanh server officers disable --dir /srv/thonghanh canbo2"},
	"server desks list":       {"thonghanh server desks list --dir /srv/thonghanh"},
	"server desks revoke":     {"thonghanh server desks revoke --dir /srv/thonghanh MÃ_MÁY"},
	"server enroll-code":      {"thonghanh server enroll-code --dir /srv/thonghanh --unit 28291 --ttl 48h"},
	"server tokens revoke":    {"thonghanh server tokens revoke --dir /srv/thonghanh MÃ_MÁY"},
	"server report":           {"thonghanh server report --dir /srv/thonghanh --unit 28291 --from 01/09/2021 --to 30/09/2021 --csv bao-cao.csv"},
	"server report province":  {"thonghanh server report province --dir /srv/thonghanh --from 01/09/2021 --to 30/09/2021 --out bao-cao-tinh.pdf --csv bao-cao-tinh.csv --signer \"Nguyễn Văn Vĩnh\""},
	"server report abuse":     {"thonghanh server report abuse --dir /srv/thonghanh --from 20/09/2021 --out lam-dung.csv"},
	"verify":                  {"thonghanh verify anh-giay.png", "thonghanh verify --checkpoint 28291 -   (dán mã rồi Enter)"},
	"zone add":                {"thonghanh zone add --officer quantri --name \"Vùng nguy cơ cao\" --hamlets \"Ấp 1,Ấp 2\""},
	"zone list":               {"thonghanh zone list"},
	"zone edit":               {"thonghanh zone edit --officer quantri --zone \"Vùng nguy cơ cao\" --risk nguy-co --hamlets \"Ấp 1\""},
	"zone lift":               {"thonghanh zone lift --officer quantri --zone \"Vùng nguy cơ cao\""},
	"officer list":            {"thonghanh officer list"},
	"officer add":             {"thonghanh officer add --officer quantri --username canbo2 --name \"Lê Thị Hoa\" --roles clerk --new-password-file tam.txt"},
	"officer edit":            {"thonghanh officer edit --officer quantri --roles clerk,checker canbo2"},
	"officer deactivate":      {"thonghanh officer deactivate --officer quantri canbo2"},
	"market list":             {"thonghanh market list", "thonghanh market list --zone \"Vùng nguy cơ cao\""},
	"market edit":             {"thonghanh market edit --officer quantri --market \"Chợ xã\" --hours 05:30-09:30 --capacity 50"},
	"market close":            {"thonghanh market close --officer quantri --zone \"Vùng nguy cơ cao\" --market \"Chợ xã\""},
	"sync":                    {"thonghanh sync", "thonghanh sync --quiet --db D:\\ThongHanh\\desk.db   (tác vụ hẹn giờ mỗi 15 phút)"},
	"market add":              {"thonghanh market add --officer quantri --zone \"Vùng nguy cơ cao\" --name \"Chợ xã\" --hours 06:00-10:00 --capacity 40"},
	"vouchers plan":           {"thonghanh vouchers plan --zone \"Vùng nguy cơ cao\" --start 22/09/2021 --days 7"},
	"vouchers issue":          {"thonghanh vouchers issue --officer duyet --zone \"Vùng nguy cơ cao\" --start 22/09/2021"},
	"vouchers list":           {"thonghanh vouchers list --zone \"Vùng nguy cơ cao\" --slot-date 22/09/2021"},
}

// printFlags lists fs's flags in Vietnamese: the flag package's own
// listing speaks Go ("-db string", `(default "…")`, 24h0m0s), which a
// commune's clerk does not read.
func printFlags(out io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
			line += " " + valueName(name, f)
		}
		fmt.Fprintln(out, line)
		if def := defaultText(f); def != "" {
			usage += " (mặc định: " + def + ")"
		}
		fmt.Fprintln(out, "        "+strings.ReplaceAll(usage, "\n", "\n        "))
	})
}

// valueName is what a flag takes: the name the usage gives in backquotes,
// or a Vietnamese word for its kind.
func valueName(name string, f *flag.Flag) string {
	switch {
	case name != "string" && name != "value" && name != "":
	case f.Name == "db" || strings.HasSuffix(f.Name, "file") || f.Name == "out":
		return "TỆP"
	case f.Name == "dir" || strings.HasSuffix(f.Name, "-dir"):
		return "THƯ_MỤC"
	}
	switch name {
	case "string", "value", "":
		return "GIÁ_TRỊ"
	case "int", "uint", "int64", "uint64", "float":
		return "SỐ"
	case "duration":
		return "THỜI_GIAN"
	}
	return name
}

// defaultText is a flag's default as a person writes it ("" when there is
// none worth saying).
func defaultText(f *flag.Flag) string {
	if g, ok := f.Value.(flag.Getter); ok {
		if d, ok := g.Get().(time.Duration); ok {
			if d == 0 {
				return ""
			}
			return durationText(d)
		}
	}
	switch f.DefValue {
	case "", "0", "false", "[]":
		return ""
	}
	return f.DefValue
}

// durationText says d in hours, minutes and seconds: 24h0m0s is "24 giờ".
func durationText(d time.Duration) string {
	var parts []string
	if h := int(d / time.Hour); h > 0 {
		parts = append(parts, fmt.Sprintf("%d giờ", h))
	}
	if m := int(d % time.Hour / time.Minute); m > 0 {
		parts = append(parts, fmt.Sprintf("%d phút", m))
	}
	if s := int(d % time.Minute / time.Second); s > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d giây", s))
	}
	return strings.Join(parts, " ")
}

// parseFlags parses args; ok is false when the command should stop with code.
// The flag package prints usage itself on -h and on errors; that output is
// held back so --help goes once to stdout (an answer, exit 0) and a bad flag
// once to stderr (exit 2).
//
// Flags may come after the positional arguments too (`thonghanh backup
// copy.db --db desk.db`, as people write them and as the README does): the
// flag package stops at the first positional, so they are taken out one by
// one and parsing goes on; after "--" everything is positional. fs.Args()
// are then the positionals, in order.
func parseFlags(fs *flag.FlagSet, io stdio, args []string) (ok bool, code int) {
	var held bytes.Buffer
	fs.SetOutput(&held)
	defer fs.SetOutput(io.err)
	var pos []string
	for rest := args; ; {
		err := fs.Parse(rest)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fs.SetOutput(io.out)
			fs.Usage()
			return false, exitOK
		case err != nil:
			fmt.Fprintf(io.err, "thonghanh %s: %s\nXem: thonghanh %s --help\n", fs.Name(), flagError(err), fs.Name())
			return false, exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		if used := len(rest) - fs.NArg(); used > 0 && rest[used-1] == "--" {
			pos = append(pos, fs.Args()...)
			break
		}
		pos, rest = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return false, exitUsage
	}
	return true, exitOK
}
