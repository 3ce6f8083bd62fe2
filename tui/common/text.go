package common

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/tui/i18n"
)

// Cell cuts s to w columns (with …) and pads it to exactly w, for table
// columns. Vietnamese letters in NFC are one column each; width is measured
// by grapheme, so a decomposed name still lines up.
func Cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// CellRight is Cell aligned right, for numbers.
func CellRight(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw >= w {
		return Cell(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

// Truncate cuts s to w columns with …, leaving it shorter if it fits.
func Truncate(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// UpperFirst capitalises the first letter of a store message ("sai mật
// khẩu" → "Sai mật khẩu") for a line of its own.
func UpperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// ErrorText is the clerk's line for an error in lang: a store error's
// message (translated for English), or the error's text.
func ErrorText(err error, lang i18n.Lang) string {
	if err == nil {
		return ""
	}
	// The operating system speaks English ("open …: no such file or
	// directory"); a file the clerk named is said in the desk's language.
	var pe *fs.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return lang.Tf("error.nofile", pe.Path)
		case errors.Is(err, fs.ErrPermission):
			return lang.Tf("error.noaccess", pe.Path)
		}
		return lang.Tf("error.file", pe.Path)
	}
	return UpperFirst(store.ErrorText(err, lang.English()))
}

func init() {
	i18n.Register(map[string]i18n.Text{
		"error.nofile":   {Vi: "Không có tệp %s: xem lại tên và thư mục.", En: "There is no file %s: check its name and folder."},
		"error.noaccess": {Vi: "Không được phép mở tệp %s.", En: "Not allowed to open %s."},
		"error.file":     {Vi: "Không đọc được tệp %s.", En: "Cannot read %s."},
	})
}

// FitLines cuts or pads s to exactly h lines no wider than w, so what is
// drawn below it (a footer, the help) stays at the bottom whatever a page
// draws above.
func FitLines(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "…")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// JoinNonEmpty joins the parts that are not blank with sep: an address
// without a hamlet reads "12 Lê Lợi, Xã Tân Mỹ Chánh", not "12 Lê Lợi, , …".
func JoinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
