package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"thonghanh/store"
	"thonghanh/store/slots"
)

func init() {
	register(&command{name: "zone", summary: "vùng nguy cơ của xã (zone add, list, edit, lift)", run: runZone})
	register(&command{name: "market", summary: "chợ, điểm bán hàng của một vùng (market add, list, edit, close)", run: runMarket})
	register(&command{name: "vouchers", summary: "chia lượt và phát phiếu đi chợ cho một vùng (plan, issue, list)", run: runVouchers})
}

func runZone(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "zone", "zone add|list|edit|lift [THAM SỐ]", args, io, map[string]string{
		"add":  "khoanh một vùng nguy cơ (cả xã, hoặc một số ấp); cần tài khoản quản trị của xã",
		"list": "liệt kê các vùng của xã, số hộ và các chợ của từng vùng",
		"edit": "sửa tên, mức nguy cơ hoặc các ấp của một vùng; cần tài khoản quản trị của xã",
		"lift": "gỡ một vùng khi hết nguy cơ (các chợ của vùng đóng theo); cần tài khoản quản trị của xã",
	}, map[string]func(context.Context, []string, stdio) int{"add": zoneAdd, "list": zoneList, "edit": zoneEdit, "lift": zoneLift})
}

func runMarket(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "market", "market add|list|edit|close [THAM SỐ]", args, io, map[string]string{
		"add":   "thêm một chợ hoặc điểm bán hàng cho một vùng; cần tài khoản quản trị của xã",
		"list":  "liệt kê các chợ đang mở của từng vùng, với số thứ tự và mã",
		"edit":  "sửa tên, giờ mở cửa, số hộ mỗi khung giờ hoặc các ấp của một chợ; cần tài khoản quản trị của xã",
		"close": "đóng một chợ; cần tài khoản quản trị của xã",
	}, map[string]func(context.Context, []string, stdio) int{"add": marketAdd, "list": marketList, "edit": marketEdit, "close": marketClose})
}

func runVouchers(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "vouchers", "vouchers plan|issue|list [THAM SỐ]", args, io, map[string]string{
		"plan":  "xem trước cách chia lượt đi chợ của một vùng: sức chứa từng chợ, số phiếu; không ghi gì",
		"issue": "chia lượt và phát phiếu đi chợ có mã QR (người duyệt, nhập mật khẩu để mở khóa ký)",
		"list":  "liệt kê phiếu đã phát",
	}, map[string]func(context.Context, []string, stdio) int{"plan": vouchersPlan, "issue": vouchersIssue, "list": vouchersList})
}

// resolveZone finds a zone of commune by its number in `zone list`, its
// ID, or its name (diacritics and case ignored; a unique prefix will do).
func resolveZone(ctx context.Context, db *store.DB, commune uint32, s string) (store.Zone, error) {
	zones, err := db.Zones(ctx, commune)
	if err != nil {
		return store.Zone{}, err
	}
	if len(zones) == 0 {
		return store.Zone{}, fmt.Errorf("xã chưa khoanh vùng nào (thonghanh zone add)")
	}
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= len(zones) {
		return zones[n-1], nil
	}
	var prefix []store.Zone
	for _, z := range zones {
		switch {
		case z.ID == s, store.Fold(z.Name) == store.Fold(s):
			return z, nil
		case strings.HasPrefix(store.Fold(z.Name), store.Fold(s)):
			prefix = append(prefix, z)
		}
	}
	if len(prefix) == 1 {
		return prefix[0], nil
	}
	names := make([]string, len(zones))
	for i, z := range zones {
		names[i] = fmt.Sprintf("%d. %s", i+1, z.Name)
	}
	return store.Zone{}, fmt.Errorf("không tìm thấy vùng %q; các vùng của xã: %s", s, strings.Join(names, "; "))
}

// parseRisk reads a risk level by its code or its Vietnamese name.
func parseRisk(s string) (string, error) {
	switch strings.NewReplacer("_", " ", "-", " ").Replace(store.Fold(s)) {
	case "at risk", "nguy co", "vung nguy co":
		return store.RiskAtRisk, nil
	case "", "high risk", "high", "nguy co cao", "vung nguy co cao":
		return store.RiskHigh, nil
	case "very high risk", "very high", "nguy co rat cao", "vung nguy co rat cao":
		return store.RiskVeryHigh, nil
	case "lockdown", "phong toa", "vung phong toa":
		return store.RiskLockdown, nil
	}
	return "", fmt.Errorf("mức nguy cơ %q không có: chọn nguy-co, nguy-co-cao, nguy-co-rat-cao hoặc phong-toa", s)
}

func zoneAdd(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "zone add", `zone add [--db TỆP] --officer TÊN [--password-file TỆP] --name "TÊN VÙNG" [--risk MỨC] [--hamlets "Ấp 1,Ấp 2"]`,
		"Khoanh một vùng nguy cơ của xã. Không ghi --hamlets: cả xã. Người dân trong vùng được chia lượt đi chợ (loại 5).")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	name := fs.String("name", "", "tên vùng")
	riskName := fs.String("risk", "nguy-co-cao", "mức nguy cơ: nguy-co, nguy-co-cao, nguy-co-rat-cao, phong-toa")
	hamlets := fs.String("hamlets", "", "các ấp, khu phố trong vùng, cách nhau bằng dấu phẩy")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *name == "" {
		fmt.Fprintln(io.err, "zone add: cần --name")
		return exitUsage
	}
	risk, err := parseRisk(*riskName)
	if err != nil {
		fmt.Fprintln(io.err, "zone add:", err)
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "zone add", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "zone add", err)
	}
	z, err := db.CreateZone(ctx, admin, store.Zone{Commune: admin.Unit, Name: *name, Risk: risk, Hamlets: splitList(*hamlets)})
	if err != nil {
		return fail(io, "zone add", err)
	}
	fmt.Fprintf(io.out, "Đã khoanh %s (%s): %s. Mã vùng %s\n", z.Name, store.RiskName(z.Risk), hamletText(z.Hamlets), z.ID)
	return exitOK
}

func hamletText(hs []string) string {
	if len(hs) == 0 {
		return "toàn xã"
	}
	return strings.Join(hs, ", ")
}

func zoneList(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "zone list", "zone list [--db TỆP] [--commune MÃ]", "Liệt kê các vùng nguy cơ của xã, số hộ trong danh sách và các chợ.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	commune := fs.Uint("commune", 0, "mã xã; mặc định: xã của máy")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "zone list", err)
	}
	defer db.Close()
	code := uint32(*commune)
	if code == 0 {
		desk, err := db.Desk(ctx)
		if err != nil {
			return fail(io, "zone list", err)
		}
		code = desk.Unit
	}
	zones, err := db.Zones(ctx, code)
	if err != nil {
		return fail(io, "zone list", err)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return fail(io, "zone list", err)
	}
	if len(zones) == 0 {
		fmt.Fprintf(io.out, "%s chưa khoanh vùng nào.\n", units.Name(code))
		return exitOK
	}
	for i, z := range zones {
		hh, err := db.Households(ctx, store.HouseholdFilter{Commune: code, Hamlets: z.Hamlets})
		if err != nil {
			return fail(io, "zone list", err)
		}
		fmt.Fprintf(io.out, "%d. %s — %s — %s — %d hộ — mã %s\n", i+1, z.Name, store.RiskName(z.Risk), hamletText(z.Hamlets), len(hh), z.ID)
		markets, err := db.Markets(ctx, z.ID)
		if err != nil {
			return fail(io, "zone list", err)
		}
		if len(markets) == 0 {
			fmt.Fprintln(io.out, "   (chưa có chợ: thonghanh market add)")
		}
		for _, m := range markets {
			fmt.Fprintf(io.out, "   %s, %s–%s, %d hộ mỗi khung giờ, ấp: %s\n", m.Name, store.FormatMinutes(m.OpenMinute),
				store.FormatMinutes(m.CloseMinute), m.Capacity, hamletText(m.Hamlets))
		}
	}
	return exitOK
}

func marketAdd(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "market add", `market add [--db TỆP] --officer TÊN [--password-file TỆP] --zone VÙNG --name "TÊN CHỢ" --hours 06:00-10:00 --capacity SỐ [--hamlets "Ấp 1"]`,
		"Thêm một chợ hoặc điểm bán hàng cho vùng: giờ mở cửa, số hộ mỗi khung giờ và các ấp đi chợ này.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	zone := fs.String("zone", "", "vùng: số thứ tự trong zone list, mã hoặc tên")
	name := fs.String("name", "", "tên chợ")
	hours := fs.String("hours", "", "giờ mở cửa, ví dụ 06:00-10:00")
	capacity := fs.Int("capacity", 0, "số hộ mỗi khung giờ")
	hamlets := fs.String("hamlets", "", "các ấp đi chợ này, cách nhau bằng dấu phẩy")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *zone == "" || *name == "" || *hours == "" || *capacity == 0 {
		fmt.Fprintln(io.err, "market add: cần --zone, --name, --hours và --capacity")
		return exitUsage
	}
	open, closing, err := store.ParseHours(*hours)
	if err != nil {
		fmt.Fprintln(io.err, "market add:", err)
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "market add", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "market add", err)
	}
	z, err := resolveZone(ctx, db, admin.Unit, *zone)
	if err != nil {
		return fail(io, "market add", err)
	}
	m, err := db.CreateMarket(ctx, admin, store.Market{ZoneID: z.ID, Name: *name, Hamlets: splitList(*hamlets),
		OpenMinute: open, CloseMinute: closing, Capacity: *capacity})
	if err != nil {
		return fail(io, "market add", err)
	}
	fmt.Fprintf(io.out, "Đã thêm %s vào %s: %s–%s, %d hộ mỗi khung giờ, ấp: %s\n", m.Name, z.Name,
		store.FormatMinutes(m.OpenMinute), store.FormatMinutes(m.CloseMinute), m.Capacity, hamletText(m.Hamlets))
	return exitOK
}

// planFlags are the split's parameters, shared by plan and issue.
type planFlags struct {
	db, zone, start, pattern *string
	days, trips, slot        *int
}

func addPlanFlags(fs *flag.FlagSet) planFlags {
	return planFlags{
		db:      fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy"),
		zone:    fs.String("zone", "", "vùng: số thứ tự trong zone list, mã hoặc tên (bắt buộc)"),
		start:   fs.String("start", "", "ngày đầu đợt, dạng 2021-09-22 hoặc 22/09/2021 (mặc định: ngày mai)"),
		pattern: fs.String("pattern", "chan-le", "cách chia ngày: chan-le (hộ số lẻ đi ngày lẻ, số chẵn ngày chẵn) hoặc chia-deu"),
		days:    fs.Int("days", 7, "số ngày của đợt"),
		trips:   fs.Int("trips", 2, "số lượt đi chợ mỗi tuần của một hộ (1–7)"),
		slot:    fs.Int("slot", 60, "độ dài một khung giờ, phút"),
	}
}

func parsePattern(s string) (slots.Pattern, error) {
	switch strings.NewReplacer("-", "", "_", "", "/", "", " ", "").Replace(store.Fold(s)) {
	case "chanle", "alternate", "oddeven":
		return slots.Alternate, nil
	case "chiadeu", "deu", "spread":
		return slots.Spread, nil
	}
	return 0, fmt.Errorf("cách chia %q không có: chọn chan-le hoặc chia-deu", s)
}

// params reads the flags; the default start is tomorrow by the store's clock.
func (f planFlags) params(db *store.DB) (slots.Params, error) {
	p := slots.Params{Days: *f.days, TripsPerWeek: *f.trips, SlotMinutes: *f.slot}
	var err error
	if p.Pattern, err = parsePattern(*f.pattern); err != nil {
		return p, err
	}
	if *f.start == "" {
		p.Start = store.StartOfDay(db.Now()).AddDate(0, 0, 1)
		return p, nil
	}
	p.Start, err = store.ParseDate("--start", *f.start)
	return p, err
}

// previewPlan makes the plan for the flags and prints its summary; on a
// shortage it prints the numbers and returns the error.
func previewPlan(ctx context.Context, db *store.DB, f planFlags, w io.Writer) (*store.VoucherPlan, error) {
	desk, err := db.Desk(ctx)
	if err != nil {
		return nil, err
	}
	z, err := resolveZone(ctx, db, desk.Unit, *f.zone)
	if err != nil {
		return nil, err
	}
	params, err := f.params(db)
	if err != nil {
		return nil, err
	}
	plan, err := db.PlanVouchers(ctx, z.ID, params)
	if err != nil {
		return nil, err
	}
	writePlan(w, plan)
	return plan, nil
}

func decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 2, 64), ".", ",", 1)
}

func writePlan(w io.Writer, p *store.VoucherPlan) {
	pl := p.Plan
	last := pl.Start.AddDate(0, 0, pl.Days-1)
	fmt.Fprintf(w, "%s: %d hộ, %s–%s (%d ngày), %d lượt mỗi hộ, khung %d phút, chia %s\n", p.Zone.Name, len(p.Households),
		store.FormatDate(pl.Start), store.FormatDate(last), pl.Days, pl.TripsPerHousehold, pl.SlotMinutes, pl.Pattern)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Chợ\tKhung/ngày\tHộ/khung\tĐã xếp\tSức chứa cả đợt\tĐông nhất\t")
	for _, r := range p.Capacity() {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d/%d\t\n", r.Name, r.SlotsPerDay, r.PerSlot, r.Assigned, r.Period, r.Peak, r.PerSlot)
	}
	tw.Flush()
	fair := pl.Fairness()
	fmt.Fprintf(w, "Ra chợ khác: %d lượt. Công bằng sớm/muộn: độ lệch %s, luôn sớm %d hộ, luôn muộn %d hộ.\n",
		pl.Fallbacks, decimal(fair.StdDev), fair.AlwaysEarly, fair.AlwaysLate)
	if pl.NoHomeMarket > 0 {
		fmt.Fprintf(w, "%d hộ ở ấp không có chợ riêng: xếp vào chợ còn chỗ.\n", pl.NoHomeMarket)
	}
	fmt.Fprintf(w, "Tổng: %d phiếu.\n", p.Count())
	if p.AlreadyIssued > 0 {
		fmt.Fprintf(w, "Chú ý: %d hộ đã có phiếu trong đợt này; không phát thêm được.\n", p.AlreadyIssued)
	}
}

func planFailure(io stdio, what string, err error) int {
	var short *slots.ShortageError
	if errors.As(err, &short) {
		fmt.Fprintf(io.err, "%s: %v\n", what, short)
		return exitFail
	}
	return fail(io, what, err)
}

func vouchersPlan(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "vouchers plan", "vouchers plan [--db TỆP] --zone VÙNG [--start NGÀY] [--days 7] [--trips 2] [--slot 60] [--pattern chan-le|chia-deu]",
		"Xem trước cách chia lượt đi chợ cho các hộ trong vùng: mỗi chợ bao nhiêu khung giờ, đã xếp bao nhiêu lượt,\n"+
			"khung đông nhất. Không ghi gì. Khi chợ không đủ chỗ, lệnh báo cần bao nhiêu lượt và có bao nhiêu, thoát 1.")
	f := addPlanFlags(fs)
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *f.zone == "" {
		fmt.Fprintln(io.err, "vouchers plan: cần --zone")
		return exitUsage
	}
	db, err := openStore(ctx, *f.db)
	if err != nil {
		return fail(io, "vouchers plan", err)
	}
	defer db.Close()
	if _, err := previewPlan(ctx, db, f, io.out); err != nil {
		return planFailure(io, "vouchers plan", err)
	}
	return exitOK
}

func vouchersIssue(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "vouchers issue", "vouchers issue [--db TỆP] --officer TÊN --zone VÙNG [--start NGÀY] [--days 7] [--trips 2] [--slot 60] [--pattern chan-le|chia-deu] [--password-file TỆP]",
		"Chia lượt như `vouchers plan` rồi phát phiếu đi chợ có mã QR cho mọi hộ trong vùng, trong một lần ghi.\n"+
			"Chỉ người duyệt của xã được phát: mật khẩu (gõ vào, từ --password-file hoặc biến THONGHANH_PASSWORD)\n"+
			"mở khóa ký của máy. In phiếu sau đó bằng `thonghanh print vouchers --zone VÙNG`.")
	f := addPlanFlags(fs)
	of := addOfficerFlags(fs, "người duyệt")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *f.zone == "" {
		fmt.Fprintln(io.err, "vouchers issue: cần --zone")
		return exitUsage
	}
	db, err := openStore(ctx, *f.db)
	if err != nil {
		return fail(io, "vouchers issue", err)
	}
	defer db.Close()
	officer, password, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "vouchers issue", err)
	}
	if !officer.Has(store.RoleApprover) {
		// The store refuses too; saying it here spares a clerk the key-unlock error.
		return fail(io, "vouchers issue", fmt.Errorf("chỉ người duyệt mới được phát phiếu đi chợ (tài khoản %s không có quyền này)", officer.Username))
	}
	signer, err := db.UnlockSigner(ctx, officer, password)
	if err != nil {
		return fail(io, "vouchers issue", err)
	}
	plan, err := previewPlan(ctx, db, f, io.out)
	if err != nil {
		return planFailure(io, "vouchers issue", err)
	}
	serials, err := db.IssueVouchers(ctx, officer, signer, plan)
	if err != nil {
		return fail(io, "vouchers issue", err)
	}
	fmt.Fprintf(io.out, "Đã phát %d phiếu đi chợ cho %d hộ: %s … %s\n", len(serials), len(plan.Households), serials[0], serials[len(serials)-1])
	return exitOK
}

func vouchersList(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "vouchers list", "vouchers list [--db TỆP] [--zone VÙNG] [--slot-date NGÀY] [--limit SỐ]",
		"Liệt kê phiếu đi chợ đã phát của xã: số phiếu, hộ, chợ, khung giờ, đã dùng hay chưa, số lần in.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	zone := fs.String("zone", "", "vùng: số thứ tự, mã hoặc tên")
	slotDate := fs.String("slot-date", "", "ngày đi chợ")
	limit := fs.Int("limit", 0, "nhiều nhất bao nhiêu phiếu (0: tất cả)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "vouchers list", err)
	}
	defer db.Close()
	desk, err := db.Desk(ctx)
	if err != nil {
		return fail(io, "vouchers list", err)
	}
	filter := store.VoucherFilter{Commune: desk.Unit, Limit: *limit}
	if *zone != "" {
		z, err := resolveZone(ctx, db, desk.Unit, *zone)
		if err != nil {
			return fail(io, "vouchers list", err)
		}
		filter.ZoneID = z.ID
	}
	if *slotDate != "" {
		if filter.SlotFrom, filter.SlotUntil, err = dayRange(*slotDate); err != nil {
			return fail(io, "vouchers list", err)
		}
	}
	vs, err := db.Vouchers(ctx, filter)
	if err != nil {
		return fail(io, "vouchers list", err)
	}
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Số phiếu\tMã hộ\tNgười đi chợ\tChợ\tKhung giờ\tTình trạng\tĐã in")
	for _, v := range vs {
		state := "chưa dùng"
		switch {
		case v.Revoked:
			state = "đã thu hồi"
		case !v.UsedAt.IsZero():
			state = "đã dùng " + store.FormatDateTime(v.UsedAt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s–%s\t%s\t%d\n", v.Serial, v.HouseholdCode, v.Representative, v.MarketName,
			store.FormatDateTime(v.SlotStart), store.InVietnam(v.SlotEnd).Format("15:04"), state, v.Printed)
	}
	tw.Flush()
	fmt.Fprintf(io.out, "%d phiếu.\n", len(vs))
	return exitOK
}
