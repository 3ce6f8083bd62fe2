package print

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWritePreview writes sample files for a human to look at when
// PRINT_PREVIEW_DIR is set.
func TestWritePreview(t *testing.T) {
	dir := os.Getenv("PRINT_PREVIEW_DIR")
	if dir == "" {
		t.Skip("PRINT_PREVIEW_DIR not set")
	}
	ps := []Permit{samplePermit(0), samplePermit(1)}
	long := samplePermit(2)
	long.HolderName = "Nguyễn Thị Hoàng Bảo Ngọc Phương Thảo Uyên Vy Lê Trần Phạm Huỳnh Kim Ánh Dương Xuân Hạnh Phúc Ngô"
	long.Address = "Số 123/45/6, đường Nguyễn Thị Thập nối dài, khu phố Trung Lương, Ấp Ông Hổ, xã Tân Hương, huyện Châu Thành, tỉnh Tiền Giang, gần chợ"
	ps = append(ps, long)
	sealPermits(t, ps)
	for _, c := range []struct {
		name   string
		layout Layout
	}{{"permits-a4.pdf", LayoutA4Half}, {"permits-a5.pdf", LayoutA5}} {
		f, err := os.Create(filepath.Join(dir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		if err := Permits(f, ps, c.layout, nil); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	var vs []Voucher
	for i := range 11 {
		vs = append(vs, sampleVoucher(i))
	}
	vs[3].Representative = long.HolderName
	vs[4].Hamlet = "Khu phố Trung Lương Thượng Nam Bộ Đông"
	sealVouchers(t, vs)
	f, err := os.Create(filepath.Join(dir, "vouchers.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := Vouchers(f, vs, nil); err != nil {
		t.Fatal(err)
	}
}
