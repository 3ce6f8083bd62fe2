package paper

import (
	"context"
	"fmt"
	"os"
	"strings"

	"thonghanh/print"
	"thonghanh/store"
)

// Vouchers loads the vouchers with these serials, in the order given, as
// print values. A revoked or already used voucher is refused rather than
// printed: a fresh paper copy of it would only be turned away at the market.
func Vouchers(ctx context.Context, db *store.DB, serials []string) ([]print.Voucher, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := db.Vouchers(ctx, store.VoucherFilter{Serials: serials})
	if err != nil {
		return nil, err
	}
	if len(vs) != len(uniqueSerials(serials)) {
		found := map[string]bool{}
		for _, v := range vs {
			found[v.Serial] = true
		}
		for _, s := range serials {
			if s = strings.TrimSpace(s); !found[s] {
				return nil, fmt.Errorf("không có phiếu đi chợ số %s", s)
			}
		}
	}
	out := make([]print.Voucher, 0, len(vs))
	for _, v := range vs {
		switch {
		case v.Revoked:
			return nil, fmt.Errorf("phiếu %s đã bị thu hồi, không in", v.Serial)
		case !v.UsedAt.IsZero():
			return nil, fmt.Errorf("phiếu %s đã dùng lúc %s, không in lại", v.Serial, store.FormatDateTime(v.UsedAt))
		}
		out = append(out, print.Voucher{
			Serial: v.Serial, Household: v.HouseholdCode, Representative: v.Representative, IDNumber: v.IDNumber,
			Hamlet: v.Hamlet, Market: v.MarketName, Issuer: IssuerOf(units, v.Unit).Short,
			SlotStart: v.SlotStart, SlotEnd: v.SlotEnd, QR: v.QR,
		})
	}
	return out, nil
}

func dedupe(serials []string) []string {
	out := make([]string, 0, len(serials))
	seen := map[string]bool{}
	for _, s := range serials {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func uniqueSerials(serials []string) map[string]bool {
	u := make(map[string]bool, len(serials))
	for _, s := range serials {
		u[strings.TrimSpace(s)] = true
	}
	return u
}

// PrintVouchers writes the vouchers, 8 per A4 sheet in hamlet and household
// order, to a PDF at dest, records the print in the audit log, and returns
// the file's path.
func PrintVouchers(ctx context.Context, db *store.DB, officer store.Officer, serials []string, dest Dest,
	progress print.Progress) (string, error) {
	serials = dedupe(serials) // a serial listed twice is still one paper and one audit entry
	if len(serials) == 0 {
		return "", fmt.Errorf("chưa chọn phiếu nào để in")
	}
	if err := db.CheckPrint(ctx, officer, serials); err != nil { // before any paper is made
		return "", err
	}
	vouchers, err := Vouchers(ctx, db, serials)
	if err != nil {
		return "", err
	}
	return write(ctx, db, officer, serials, dest, "phieu-di-cho", func(f *os.File) error {
		return print.Vouchers(f, vouchers, progress)
	})
}
