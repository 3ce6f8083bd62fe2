package slots_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"thonghanh/store/slots"
)

// A small commune in Tiền Giang runs the odd/even rule for the first week of
// the QR permits: odd house numbers shop on days 1, 3, 5, 7 of the period,
// even numbers on days 2, 4, 6, two trips a week each.
func ExampleSplit_alternate() {
	households := []slots.Household{
		{Code: "AB-01", Number: 1, Hamlet: "Ấp Bắc"},
		{Code: "AB-02", Number: 2, Hamlet: "Ấp Bắc"},
		{Code: "AB-03", Number: 3, Hamlet: "Ấp Bắc"},
		{Code: "AB-04", Number: 4, Hamlet: "Ấp Bắc"},
		{Code: "TT-07", Number: 7, Hamlet: "Ấp Tân Thuận"},
		{Code: "TT-08", Number: 8, Hamlet: "Ấp Tân Thuận"},
		{Code: "TT-11", Number: 11, Hamlet: "ấp tân  thuận"}, // typed by hand: still Ấp Tân Thuận
	}
	markets := []slots.Market{
		{ID: "CB", Name: "Chợ Ấp Bắc", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 6 * 60, CloseMinute: 9 * 60, Capacity: 1},
		{ID: "TT", Name: "Chợ Tân Thuận", Hamlets: []string{"Ấp Tân Thuận"}, OpenMinute: 7 * 60, CloseMinute: 10*60 + 30, Capacity: 1},
	}
	p := slots.Params{
		Start:        time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC),
		Days:         7,
		TripsPerWeek: 2,
		SlotMinutes:  60, // Chợ Tân Thuận's last half hour is no slot
		Pattern:      slots.Alternate,
	}
	plan, err := slots.Split(households, markets, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range plan.Trips {
		h := households[t.Household]
		parity := "chẵn"
		if t.PeriodDay()%2 == 1 {
			parity = "lẻ"
		}
		fmt.Printf("%s số %2d: ngày %d (%s) %s %s–%s %s\n", h.Code, h.Number, t.PeriodDay(), parity,
			t.Start.Format("02/01"), t.Start.Format("15:04"), t.End.Format("15:04"), markets[t.Market].Name)
	}
	fmt.Println("ra chợ khác:", plan.Fallbacks, "– phút bỏ:", plan.DroppedMinutes)
	// Output:
	// AB-01 số  1: ngày 1 (lẻ) 21/09 06:00–07:00 Chợ Ấp Bắc
	// AB-01 số  1: ngày 5 (lẻ) 25/09 08:00–09:00 Chợ Ấp Bắc
	// AB-02 số  2: ngày 2 (chẵn) 22/09 08:00–09:00 Chợ Ấp Bắc
	// AB-02 số  2: ngày 4 (chẵn) 24/09 06:00–07:00 Chợ Ấp Bắc
	// AB-03 số  3: ngày 3 (lẻ) 23/09 07:00–08:00 Chợ Ấp Bắc
	// AB-03 số  3: ngày 7 (lẻ) 27/09 07:00–08:00 Chợ Ấp Bắc
	// AB-04 số  4: ngày 4 (chẵn) 24/09 07:00–08:00 Chợ Ấp Bắc
	// AB-04 số  4: ngày 6 (chẵn) 26/09 08:00–09:00 Chợ Ấp Bắc
	// TT-07 số  7: ngày 3 (lẻ) 23/09 09:00–10:00 Chợ Tân Thuận
	// TT-07 số  7: ngày 7 (lẻ) 27/09 07:00–08:00 Chợ Tân Thuận
	// TT-08 số  8: ngày 2 (chẵn) 22/09 09:00–10:00 Chợ Tân Thuận
	// TT-08 số  8: ngày 6 (chẵn) 26/09 07:00–08:00 Chợ Tân Thuận
	// TT-11 số 11: ngày 1 (lẻ) 21/09 09:00–10:00 Chợ Tân Thuận
	// TT-11 số 11: ngày 5 (lẻ) 25/09 07:00–08:00 Chợ Tân Thuận
	// ra chợ khác: 0 – phút bỏ: [0 30]
}

// When the markets are too small the clerk learns it before anything is
// printed, with the numbers.
func ExampleShortageError() {
	households := make([]slots.Household, 1000)
	for i := range households {
		households[i] = slots.Household{Code: fmt.Sprintf("H%04d", i), Number: i + 1, Hamlet: "Ấp Bắc"}
	}
	markets := []slots.Market{{ID: "CB", Name: "Chợ Ấp Bắc", Hamlets: []string{"Ấp Bắc"}, OpenMinute: 360, CloseMinute: 840, Capacity: 15}}
	p := slots.Params{Start: time.Date(2021, 9, 21, 0, 0, 0, 0, time.UTC), Days: 7, TripsPerWeek: 2, SlotMinutes: 60}
	_, err := slots.Split(households, markets, p)
	var short *slots.ShortageError
	if errors.As(err, &short) {
		fmt.Println(short.Needed, short.Available)
		fmt.Println(err)
	}

	// Enough for the week, but the 500 even numbers have only three days.
	p.Pattern = slots.Alternate
	markets[0].Capacity = 38
	_, err = slots.Split(households, markets, p)
	if errors.As(err, &short) {
		fmt.Println(short.Day, strings.ReplaceAll(err.Error(), ". ", ".\n"))
	}
	// Output:
	// 2000 840
	// Không đủ chỗ: cần 2000 lượt, chỉ có 840 lượt (1 chợ × 7 ngày × 8 khung giờ × 15 lượt/khung giờ); 1000 hộ × 2 lượt mỗi hộ, thiếu 1160 lượt. Cần thêm chợ, tăng số người mỗi khung giờ hoặc giảm số lượt mỗi tuần.
	// 1 Không đủ chỗ theo lịch chẵn/lẻ: cả đợt cần 2000 lượt, có 2128 lượt (1 chợ × 7 ngày × 8 khung giờ × 38 lượt/khung giờ), nhưng hộ số lẻ chỉ đi ngày lẻ, hộ số chẵn chỉ đi ngày chẵn, mỗi ngày chỉ có 304 chỗ.
	// Ngày thứ 2 (22/09/2021): cần 334 lượt, chỉ có 304 lượt.
	// Ngày thứ 4 (24/09/2021): cần 333 lượt, chỉ có 304 lượt.
	// Ngày thứ 6 (26/09/2021): cần 333 lượt, chỉ có 304 lượt.
	// Có thể chọn cách chia đều, tăng số người mỗi khung giờ hoặc giảm số lượt mỗi tuần.
}
