// Package paper turns the store's records into the plain values package
// print lays out, and writes the PDF where the desk keeps its prints. It is
// the one place that knows both rooms: the desk's screens and the `print`
// command use it, so a permit looks the same whichever way it was printed.
//
// It reads the store and calls print; it draws no screen and holds no rule of
// its own beyond wording (signer titles, place names, address lines).
package paper

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"thonghanh/print"
	"thonghanh/store"
)

// SettingPrintDir is the store setting holding the folder prints are written to.
const SettingPrintDir = "print.dir"

// PrintDir is the folder prints go to: the desk's setting, or
// ~/ThongHanh/ban-in by default.
func PrintDir(ctx context.Context, db *store.DB) string {
	if v, ok, _ := db.Setting(ctx, SettingPrintDir); ok && len(v) > 0 {
		return string(v)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return filepath.Join(home, "ThongHanh", "ban-in")
}

// Issuer is how a unit heads its documents and signs them.
type Issuer struct {
	Parent, Name, Place string
	Short               string // the body's name abbreviated, for a voucher's narrow cell
	SignerFor, Title    string
	Symbol              string // ký hiệu after the number: "GĐĐ-UBND"
}

// SettingSymbolPrefix + a unit code is the store setting holding that
// unit's ký hiệu for the "Số:" line (e.g. "GĐĐ-UBND"); without it the unit
// kind's default applies.
const SettingSymbolPrefix = "paper.symbol."

// IssuerOf words the header and signer block of a unit's documents in the
// style of Decree 30/2020 (administrative documents), signed by the head.
func IssuerOf(units *store.UnitIndex, code uint32) Issuer {
	return IssuerFor(units, code, store.PositionHead)
}

// IssuerFor is IssuerOf signed by an approver in position: the head signs
// "TM." the body (or alone, for an agency's head), a deputy "KT." the head
// (Decree 30/2020, Phụ lục I). The issuing body is written in full; its
// parent body may be abbreviated.
func IssuerFor(units *store.UnitIndex, code uint32, position store.Position) Issuer {
	u, _ := units.Get(code)
	is := Issuer{Name: strings.ToUpper(fullBodyName(u)), Short: strings.ToUpper(u.CommitteeName()), Place: placeName(units, code)}
	parent := u.Parent
	if !u.Administrative() {
		parent = u.Locality // a department heads under the province, a command centre under its locality
	}
	if p, ok := units.Get(parent); ok && parent != code {
		is.Parent = strings.ToUpper(p.CommitteeName())
	}
	var body, head string // "TM. <body>" for the head; the head's title
	switch u.Kind {
	case store.KindProvincePC, store.KindDistrictPC, store.KindCommunePC:
		body, head, is.Symbol = "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "GĐĐ-UBND"
	case store.KindDepartment:
		head, is.Symbol = "GIÁM ĐỐC", "GĐĐ"
	case store.KindIndustrialParks:
		head, is.Symbol = "TRƯỞNG BAN", "GĐĐ-BQL"
	case store.KindCommandCentre:
		if u.Level == 3 {
			body, head = "BAN CHỈ HUY", "TRƯỞNG BAN"
		} else {
			body, head = "TRUNG TÂM CHỈ HUY", "GIÁM ĐỐC"
		}
		is.Symbol = "GĐĐ-BCĐ"
	default:
		head, is.Symbol = "THỦ TRƯỞNG CƠ QUAN", "GĐĐ"
	}
	if position == store.PositionDeputy {
		is.SignerFor, is.Title = "KT. "+head, "PHÓ "+head
	} else {
		is.Title = head
		if body != "" {
			is.SignerFor = "TM. " + body
		}
	}
	return is
}

// fullBodyName is the issuing body's name in full ("Ủy ban nhân dân xã Tân
// Mỹ Chánh"): Decree 30 abbreviates only the parent body.
func fullBodyName(u store.Unit) string {
	name := u.CommitteeName()
	if rest, ok := strings.CutPrefix(name, "UBND "); ok {
		return "Ủy ban nhân dân " + rest
	}
	return name
}

// placeName is the place line of a document: the locality without its type
// ("Tân Mỹ Chánh", "Mỹ Tho"), numbered wards kept whole ("Phường 5").
func placeName(units *store.UnitIndex, code uint32) string {
	u, _ := units.Get(code)
	for !u.Administrative() && u.Locality != 0 {
		u, _ = units.Get(u.Locality)
	}
	name := strings.TrimSpace(strings.TrimPrefix(u.Name, u.Type))
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		// "Phường 5" reads as a place only with its type; write the district.
		if p, ok := units.Get(u.Parent); ok {
			return strings.TrimSpace(strings.TrimPrefix(p.Name, p.Type))
		}
		return u.Name
	}
	return name
}

// addressLine joins a person's address with hamlet, commune and district.
func addressLine(units *store.UnitIndex, p store.Person) string {
	parts := []string{}
	if p.Address != "" {
		parts = append(parts, p.Address)
	}
	if p.Hamlet != "" && !strings.Contains(p.Address, p.Hamlet) {
		parts = append(parts, p.Hamlet)
	}
	parts = append(parts, units.Name(p.Commune))
	if d := units.District(p.Commune); d != 0 {
		parts = append(parts, units.Name(d))
	}
	return strings.Join(parts, ", ")
}

// Permits loads the permits with these serials, in the order given, as
// print values.
func Permits(ctx context.Context, db *store.DB, serials []string) ([]print.Permit, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	officers := map[string]store.Officer{}
	out := make([]print.Permit, 0, len(serials))
	for _, s := range serials {
		pm, err := db.Permit(ctx, s)
		if err != nil {
			return nil, err
		}
		if !pm.RevokedAt.IsZero() {
			return nil, fmt.Errorf("giấy %s đã bị thu hồi, không in", s)
		}
		a, err := db.Application(ctx, pm.ApplicationID)
		if err != nil {
			return nil, err
		}
		p, err := db.Person(ctx, a.PersonID)
		if err != nil {
			return nil, err
		}
		signer, ok := officers[pm.ApprovedBy]
		if !ok {
			if o, err := db.Officer(ctx, pm.ApprovedBy); err == nil {
				signer = o
			}
			officers[pm.ApprovedBy] = signer
		}
		is := IssuerFor(units, pm.Unit, signer.Position)
		if v, ok, _ := db.Setting(ctx, fmt.Sprint(SettingSymbolPrefix, pm.Unit)); ok {
			is.Symbol = strings.TrimSpace(string(v))
		}
		workplace := ""
		if a.Category == store.CatOfficial && a.Employer != 0 {
			workplace = units.Name(a.Employer)
		}
		area := make([]string, len(a.Area))
		for i, c := range a.Area {
			area[i] = units.Name(c)
		}
		purpose := store.PurposeName(a.Purpose)
		if a.PurposeNote != "" {
			purpose += ": " + a.PurposeNote
		}
		v := print.Permit{
			Serial: pm.Serial, Symbol: is.Symbol, Workplace: workplace, IssuerParent: is.Parent, Issuer: is.Name, Place: is.Place, IssuedAt: pm.IssuedAt,
			HolderName: p.FullName, IDNumber: p.IDNumber, BirthDate: p.BirthDate, Address: addressLine(units, p),
			Category: fmt.Sprintf("Loại %d — %s", a.Category, store.CategoryName(a.Category)), Purpose: purpose,
			Area: area, Route: a.Route, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil, Vehicle: a.Vehicle,
			SignerFor: is.SignerFor, SignerTitle: is.Title, SignerName: signer.FullName, QR: pm.QR,
		}
		if a.HasHours {
			v.DailyHours = store.FormatMinutes(a.HoursFrom) + "–" + store.FormatMinutes(a.HoursTo)
		}
		out = append(out, v)
	}
	return out, nil
}

// Dest is where a print goes: File when set (an existing file is never
// overwritten), else a new file named by kind and time in Dir, the desk's
// print folder (PrintDir) when Dir is empty too.
type Dest struct {
	Dir, File string
}

// PrintPermits writes the permits to a PDF at dest, records the print in the
// audit log, and returns the file's path.
func PrintPermits(ctx context.Context, db *store.DB, officer store.Officer, serials []string, dest Dest,
	layout print.Layout, progress print.Progress) (string, error) {
	serials = dedupe(serials) // a serial listed twice is still one paper and one audit entry
	if len(serials) == 0 {
		return "", fmt.Errorf("chưa chọn giấy nào để in")
	}
	if err := db.CheckPrint(ctx, officer, serials); err != nil { // before any paper is made
		return "", err
	}
	permits, err := Permits(ctx, db, serials)
	if err != nil {
		return "", err
	}
	return write(ctx, db, officer, serials, dest, "giay-di-duong", func(f *os.File) error {
		return print.Permits(f, permits, layout, progress)
	})
}

// write creates the PDF at dest, fills it, and on success records the
// print; on failure the partial file is removed.
func write(ctx context.Context, db *store.DB, officer store.Officer, serials []string, dest Dest, prefix string, fill func(*os.File) error) (string, error) {
	f, err := create(ctx, db, dest, fmt.Sprintf("%s-%s-%d", prefix, store.InVietnam(db.Now()).Format("20060102-150405"), len(serials)))
	if err != nil {
		return "", err
	}
	path := f.Name()
	if err := fill(f); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", err
	}
	if err := db.MarkPrinted(ctx, officer, serials, path); err != nil {
		return path, fmt.Errorf("đã in %s nhưng không ghi được nhật ký: %w", path, err)
	}
	return path, nil
}

// create opens a new PDF at dest: dest.File, or name.pdf in the folder
// (name-2.pdf, name-3.pdf… when taken). It never replaces a file.
func create(ctx context.Context, db *store.DB, dest Dest, name string) (*os.File, error) {
	if dest.File != "" {
		if err := os.MkdirAll(filepath.Dir(dest.File), 0o750); err != nil {
			return nil, fmt.Errorf("tạo thư mục %s: %w", filepath.Dir(dest.File), err)
		}
		f, err := os.OpenFile(dest.File, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if os.IsExist(err) {
			return nil, fmt.Errorf("%s đã có, không ghi đè", dest.File)
		}
		return f, err
	}
	dir := dest.Dir
	if dir == "" {
		dir = PrintDir(ctx, db)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("tạo thư mục in %s: %w", dir, err)
	}
	for i := 1; ; i++ {
		path := filepath.Join(dir, name+".pdf")
		if i > 1 {
			path = filepath.Join(dir, fmt.Sprintf("%s-%d.pdf", name, i))
		}
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("tạo tệp %s: %w", path, err)
		}
		return f, nil
	}
}
