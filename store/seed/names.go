package seed

import (
	"fmt"
	"math/rand/v2"
	"time"

	"thonghanh/store"
)

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đoàn", "Lâm"}
	maleMiddle  = []string{"Văn", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Đức", "Hoàng"}
	femMiddle   = []string{"Thị", "Ngọc", "Thanh", "Kim", "Thu", "Mỹ", "Bích", "Hồng"}
	maleGiven   = []string{"An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hiếu", "Hùng", "Khánh", "Long", "Minh", "Nam", "Phúc", "Quân", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Lộc", "Thịnh", "Nghĩa"}
	femGiven    = []string{"An", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Phương", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Diễm", "Loan", "Tuyết", "Xuân"}
)

// names draws Vietnamese people deterministically from r.
type names struct{ r *rand.Rand }

type drawnPerson struct {
	name  string
	sex   string
	birth time.Time
	id    string
}

func (g names) pick(list []string) string { return list[g.r.IntN(len(list))] }

// person draws a name, sex, birth date and a CCCD consistent with them
// (registered in Tiền Giang, 082).
func (g names) person(female bool) drawnPerson {
	p := drawnPerson{sex: store.SexMale}
	if female {
		p.sex = store.SexFemale
		p.name = g.pick(familyNames) + " " + g.pick(femMiddle) + " " + g.pick(femGiven)
	} else {
		p.name = g.pick(familyNames) + " " + g.pick(maleMiddle) + " " + g.pick(maleGiven)
	}
	year := 1950 + g.r.IntN(55)
	p.birth = time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, store.Vietnam)
	century := (year - 1900) / 100 * 2
	if female {
		century++
	}
	p.id = fmt.Sprintf("082%d%02d%06d", century, year%100, g.r.IntN(1_000_000))
	return p
}

var phonePrefixes = []string{"090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "083", "084", "085", "088"}

func (g names) phone() string {
	if g.r.IntN(5) == 0 {
		return "" // many walk-ins have no phone
	}
	return fmt.Sprintf("%s%07d", g.pick(phonePrefixes), g.r.IntN(10_000_000))
}
