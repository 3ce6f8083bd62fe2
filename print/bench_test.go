package print

import (
	"testing"
)

// countingWriter counts what a PDF would weigh on disk.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

func samplePermits(tb testing.TB, n int) []Permit {
	ps := make([]Permit, n)
	for i := range ps {
		ps[i] = samplePermit(i)
	}
	sealPermits(tb, ps)
	return ps
}

// BenchmarkPermits1000 prints 1,000 permits (500 A4 sheets) with and
// without their QR: the difference is what the vector QR costs.
func BenchmarkPermits1000(b *testing.B) {
	ps := samplePermits(b, 1000)
	for _, c := range []struct {
		name  string
		print func(w *countingWriter) error
	}{
		{"with_qr", func(w *countingWriter) error { return Permits(w, ps, LayoutA4Half, nil) }},
		{"without_qr", func(w *countingWriter) error { return PermitsWithoutQR(w, ps, LayoutA4Half, nil) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var size int64
			for b.Loop() {
				var w countingWriter
				if err := c.print(&w); err != nil {
					b.Fatal(err)
				}
				size = w.n
			}
			b.ReportMetric(float64(size), "B/pdf")
		})
	}
}
