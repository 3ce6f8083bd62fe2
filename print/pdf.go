package print

import (
	"fmt"
	"io"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifitalic"
	"github.com/go-fonts/liberation/liberationserifregular"
)

// Font styles, as fpdf names them.
const (
	regular = ""
	bold    = "B"
	italic  = "I"
	family  = "serif"
)

// doc wraps one fpdf document with the few drawing helpers the layouts use.
// Every coordinate is in millimetres from the top left of the page.
type doc struct {
	pdf   *fpdf.Fpdf
	k     float64 // points per millimetre
	pageH float64 // current page height, mm
	buf   []byte  // scratch for raw operators, reused page after page

	lastBody float64 // body font size of the last permit or voucher drawn, for tests
}

// newDoc starts a document of the given orientation ("P" or "L") and size
// ("A4", "A5") with Liberation Serif regular, bold and italic added once, as
// UTF-8 TrueType fonts that fpdf subsets when it writes the file.
func newDoc(orientation, size, title string) *doc {
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orientation, UnitStr: "mm", SizeStr: size})
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetTitle(title, true)
	pdf.SetCreator("Thông Hành", true)
	pdf.SetProducer("Thông Hành (codeberg.org/go-pdf/fpdf)", true)
	pdf.AddUTF8FontFromBytes(family, regular, liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(family, bold, liberationserifbold.TTF)
	pdf.AddUTF8FontFromBytes(family, italic, liberationserifitalic.TTF)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	d := &doc{pdf: pdf, k: pdf.UnitToPointConvert(1)}
	_, d.pageH = pdf.GetPageSize()
	return d
}

func (d *doc) addPage() {
	d.pdf.AddPage()
	_, d.pageH = d.pdf.GetPageSize()
}

// finish renders the whole file in memory and only then writes it to w,
// so that a failure leaves w untouched. (fpdf's Output would write a
// half-built buffer if closing the document failed, hence Close first.)
func (d *doc) finish(w io.Writer) error {
	d.pdf.Close()
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("tạo tệp PDF: %w", err)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("ghi tệp PDF: %w", err)
	}
	return nil
}

func (d *doc) font(style string, size float64) { d.pdf.SetFont(family, style, size) }

// lineH is a comfortable line height in millimetres for a font size in points.
func lineH(size float64) float64 { return size * 0.3528 * 1.22 }

func (d *doc) width(s string) float64 { return d.pdf.GetStringWidth(s) }

// left and center draw one line of text with its baseline at y.
func (d *doc) left(x, y float64, s string) { d.pdf.Text(x, y, s) }
func (d *doc) center(cx, y float64, s string) {
	d.pdf.Text(cx-d.width(s)/2, y, s)
}

// wrap splits s into lines no wider than w in the current font, at spaces
// where it can and inside a word where it must.
func (d *doc) wrap(s string, w float64) []string {
	if s == "" {
		return []string{""}
	}
	lines := d.pdf.SplitText(s, w)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

func (d *doc) line(x1, y1, x2, y2, width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.Line(x1, y1, x2, y2)
}

// cutLine draws a thin grey dashed line for the scissors.
func (d *doc) cutLine(x1, y1, x2, y2 float64) {
	d.pdf.SetDrawColor(140, 140, 140)
	d.pdf.SetDashPattern([]float64{2, 1.5}, 0)
	d.line(x1, y1, x2, y2, 0.2)
	d.pdf.SetDashPattern(nil, 0)
	d.pdf.SetDrawColor(0, 0, 0)
}
