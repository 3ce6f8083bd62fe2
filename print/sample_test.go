package print

import (
	"fmt"
	"time"
)

// Deterministic Vietnamese test data.

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middleNames = []string{"Văn", "Thị", "Hữu", "Ngọc", "Thanh", "Minh", "Đức", "Quốc", "Thị Kim", "Hoàng", "Xuân", "Bảo"}
	givenNames  = []string{"Ánh", "Bình", "Cường", "Dũng", "Đạt", "Hằng", "Hưởng", "Khải", "Lộc", "Mỹ", "Nghĩa", "Oanh", "Phượng", "Quyết", "Sương", "Thuỷ", "Tường", "Uyên", "Việt", "Yến", "Ước", "Ngữ", "Nhẫn", "Tuấn", "Hiếu", "Thắm"}
	hamlets     = []string{"Ấp Tân Phú", "Ấp Bắc", "Ấp Đông", "Ấp Ông Hổ", "Ấp Cầu Xây", "Ấp Mỹ Lợi", "Ấp 2", "Ấp 10", "Ấp Nam", "Ấp Bình Thạnh"}
	communes    = []string{"Xã Tân Hương", "Xã Tân Lý Đông", "Xã Thân Cửu Nghĩa", "Xã Long An", "Thị trấn Tân Hiệp", "Phường 5", "Xã Đạo Thạnh", "Xã Tân Mỹ Chánh"}
)

func sampleName(i int) string {
	return familyNames[i%len(familyNames)] + " " + middleNames[(i/3)%len(middleNames)] + " " + givenNames[(i*7/5)%len(givenNames)]
}

func samplePermit(i int) Permit {
	issued := time.Date(2021, 9, 21, 8, 30, 0, 0, ICT).Add(time.Duration(i) * time.Minute)
	from := time.Date(2021, 9, 21, 7, 0, 0, 0, ICT)
	p := Permit{
		Serial:       fmt.Sprintf("28249-1-2021-%06d", 123+i),
		IssuerParent: "UBND HUYỆN CHÂU THÀNH",
		Issuer:       "UBND XÃ TÂN HƯƠNG",
		Place:        "Tân Hương",
		IssuedAt:     issued,
		HolderName:   sampleName(i),
		IDNumber:     fmt.Sprintf("0820%08d", 1234567+i*7919),
		BirthDate:    time.Date(1960+i%45, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, ICT),
		Address:      fmt.Sprintf("Số %d, %s, xã Tân Hương, huyện Châu Thành, tỉnh Tiền Giang", 10+i, hamlets[i%len(hamlets)]),
		Category:     "Loại 4 — Người dân có lý do thật sự cần thiết",
		Purpose:      "Mua lương thực, thực phẩm, hàng hóa thiết yếu",
		Area:         []string{"Xã Tân Hương", communes[1+i%(len(communes)-1)]},
		Route:        "Tân Hương → Chợ Tân Hiệp (Quốc lộ 1)",
		ValidFrom:    from,
		ValidUntil:   time.Date(2021, 10, 5, 18, 0, 0, 0, ICT),
		DailyHours:   "06:00–18:00",
		Vehicle:      "Xe máy 63B1-123.45",
		SignerFor:    "TM. ỦY BAN NHÂN DÂN",
		SignerTitle:  "CHỦ TỊCH",
		SignerName:   "Trương Văn Hải",
		QR:           fmt.Sprintf("TH1:%0310d", i),
	}
	return p
}

func sampleVoucher(i int) Voucher {
	day := time.Date(2021, 9, 22+i%3, 0, 0, 0, 0, ICT)
	start := day.Add(6*time.Hour + time.Duration(i%8)*90*time.Minute)
	return Voucher{
		Serial:         fmt.Sprintf("28249-1-2021-P%06d", 500+i),
		Household:      fmt.Sprintf("HGĐ-%d", 1+(i*37)%60),
		Representative: sampleName(i + 11),
		IDNumber:       fmt.Sprintf("0821%08d", 7654321+i*104729),
		Hamlet:         hamlets[(i*3)%len(hamlets)],
		Market:         "Chợ Tân Hương",
		Issuer:         "UBND XÃ TÂN HƯƠNG",
		SlotStart:      start,
		SlotEnd:        start.Add(90 * time.Minute),
		QR:             fmt.Sprintf("TH1:%0250d", i),
	}
}
