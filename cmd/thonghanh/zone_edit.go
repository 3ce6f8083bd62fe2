package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"thonghanh/store"
)

// The commune admin's changes to zones and markets, as the Quản trị tab
// makes them: each logs its officer in and calls the store's own change
// (UpdateZone, DeactivateZone, UpdateMarket, DeactivateMarket), which
// decides who may, checks the values and audits; a refused change writes
// nothing of the zone or market.

// flagsSet are the names of the flags given on the command line: an edit
// changes those and keeps the rest.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

func zoneEdit(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "zone edit", `zone edit [--db TỆP] --officer TÊN [--password-file TỆP] --zone VÙNG [--name "TÊN MỚI"] [--risk MỨC] [--hamlets "Ấp 1,Ấp 2"]`,
		"Sửa tên, mức nguy cơ hoặc các ấp của một vùng; tham số không ghi thì giữ như cũ. --hamlets \"\": cả xã.\n"+
			"Phiếu đi chợ đã phát vẫn giữ nguyên.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	zone := fs.String("zone", "", "vùng: số thứ tự trong zone list, mã hoặc tên (bắt buộc)")
	name := fs.String("name", "", "tên mới của vùng")
	riskName := fs.String("risk", "", "mức nguy cơ mới: nguy-co, nguy-co-cao, nguy-co-rat-cao, phong-toa")
	hamlets := fs.String("hamlets", "", "các ấp, khu phố trong vùng, cách nhau bằng dấu phẩy; \"\" là cả xã")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	set := flagsSet(fs)
	if *zone == "" {
		fmt.Fprintln(io.err, "zone edit: cần --zone")
		return exitUsage
	}
	if !set["name"] && !set["risk"] && !set["hamlets"] {
		fmt.Fprintln(io.err, "zone edit: không có gì để sửa: ghi --name, --risk hoặc --hamlets")
		return exitUsage
	}
	var risk string
	if set["risk"] {
		var err error
		if risk, err = parseRisk(*riskName); err != nil {
			fmt.Fprintln(io.err, "zone edit:", err)
			return exitUsage
		}
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "zone edit", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "zone edit", err)
	}
	z, err := resolveZone(ctx, db, admin.Unit, *zone)
	if err != nil {
		return fail(io, "zone edit", err)
	}
	if set["name"] {
		z.Name = *name
	}
	if set["risk"] {
		z.Risk = risk
	}
	if set["hamlets"] {
		z.Hamlets = splitList(*hamlets)
	}
	z, err = db.UpdateZone(ctx, admin, z)
	if err != nil {
		return fail(io, "zone edit", err)
	}
	fmt.Fprintf(io.out, "Đã sửa vùng %s (%s): %s. Mã vùng %s\n", z.Name, store.RiskName(z.Risk), hamletText(z.Hamlets), z.ID)
	return exitOK
}

func zoneLift(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "zone lift", `zone lift [--db TỆP] --officer TÊN [--password-file TỆP] --zone VÙNG`,
		"Gỡ một vùng khi hết nguy cơ: không chia lượt đi chợ cho vùng nữa, các chợ của vùng đóng theo.\n"+
			"Phiếu đi chợ đã phát vẫn còn hiệu lực đến hết khung giờ của nó.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	zone := fs.String("zone", "", "vùng: số thứ tự trong zone list, mã hoặc tên (bắt buộc)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *zone == "" {
		fmt.Fprintln(io.err, "zone lift: cần --zone")
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "zone lift", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "zone lift", err)
	}
	z, err := resolveZone(ctx, db, admin.Unit, *zone)
	if err != nil {
		return fail(io, "zone lift", err)
	}
	markets, err := db.Markets(ctx, z.ID)
	if err != nil {
		return fail(io, "zone lift", err)
	}
	if err := db.DeactivateZone(ctx, admin, z.ID); err != nil {
		return fail(io, "zone lift", err)
	}
	fmt.Fprintf(io.out, "Đã gỡ vùng %s; %d chợ của vùng đóng theo. Phiếu đã phát vẫn còn hiệu lực.\n", z.Name, len(markets))
	return exitOK
}

// resolveMarket finds an active market of commune: with zone, among that
// zone's by its number in `market list --zone`, its ID or its name
// (diacritics and case ignored; a unique prefix will do); without, by ID
// or name among every zone's.
func resolveMarket(ctx context.Context, db *store.DB, commune uint32, zone, s string) (store.Market, store.Zone, error) {
	var zones []store.Zone
	if zone != "" {
		z, err := resolveZone(ctx, db, commune, zone)
		if err != nil {
			return store.Market{}, store.Zone{}, err
		}
		zones = []store.Zone{z}
	} else {
		var err error
		if zones, err = db.Zones(ctx, commune); err != nil {
			return store.Market{}, store.Zone{}, err
		}
	}
	type found struct {
		m store.Market
		z store.Zone
	}
	var all, exact, prefix []found
	s = strings.TrimSpace(s)
	for _, z := range zones {
		ms, err := db.Markets(ctx, z.ID)
		if err != nil {
			return store.Market{}, store.Zone{}, err
		}
		for _, m := range ms {
			f := found{m, z}
			all = append(all, f)
			switch {
			case m.ID == s, store.Fold(m.Name) == store.Fold(s):
				exact = append(exact, f)
			case strings.HasPrefix(store.Fold(m.Name), store.Fold(s)):
				prefix = append(prefix, f)
			}
		}
	}
	if n, err := strconv.Atoi(s); err == nil && zone != "" && n >= 1 && n <= len(all) {
		return all[n-1].m, all[n-1].z, nil
	}
	if len(exact) == 1 {
		return exact[0].m, exact[0].z, nil
	}
	if len(exact) == 0 && len(prefix) == 1 {
		return prefix[0].m, prefix[0].z, nil
	}
	if len(all) == 0 {
		return store.Market{}, store.Zone{}, fmt.Errorf("chưa có chợ nào (thonghanh market add)")
	}
	names := make([]string, len(all))
	for i, f := range all {
		names[i] = fmt.Sprintf("%s (%s)", f.m.Name, f.z.Name)
		if zone != "" {
			names[i] = fmt.Sprintf("%d. %s", i+1, f.m.Name)
		}
	}
	if len(exact) > 1 || len(prefix) > 1 {
		return store.Market{}, store.Zone{}, fmt.Errorf("có nhiều chợ tên %q: ghi thêm --zone hoặc dùng mã chợ (thonghanh market list); các chợ: %s",
			s, strings.Join(names, "; "))
	}
	return store.Market{}, store.Zone{}, fmt.Errorf("không tìm thấy chợ %q; các chợ: %s", s, strings.Join(names, "; "))
}

func marketEdit(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "market edit", `market edit [--db TỆP] --officer TÊN [--password-file TỆP] [--zone VÙNG] --market CHỢ [--name "TÊN MỚI"] [--hours 06:00-10:00] [--capacity SỐ] [--hamlets "Ấp 1"]`,
		"Sửa tên, giờ mở cửa, số hộ mỗi khung giờ hoặc các ấp của một chợ; tham số không ghi thì giữ như cũ.\n"+
			"Phiếu đã phát giữ giờ cũ; lần chia lượt sau theo giờ mới.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	zone := fs.String("zone", "", "vùng của chợ: số thứ tự trong zone list, mã hoặc tên")
	market := fs.String("market", "", "chợ: số thứ tự trong market list --zone, mã hoặc tên (bắt buộc)")
	name := fs.String("name", "", "tên mới của chợ")
	hours := fs.String("hours", "", "giờ mở cửa mới, ví dụ 06:00-10:00")
	capacity := fs.Int("capacity", 0, "số hộ mỗi khung giờ")
	hamlets := fs.String("hamlets", "", "các ấp đi chợ này, cách nhau bằng dấu phẩy")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	set := flagsSet(fs)
	if *market == "" {
		fmt.Fprintln(io.err, "market edit: cần --market")
		return exitUsage
	}
	if !set["name"] && !set["hours"] && !set["capacity"] && !set["hamlets"] {
		fmt.Fprintln(io.err, "market edit: không có gì để sửa: ghi --name, --hours, --capacity hoặc --hamlets")
		return exitUsage
	}
	var open, closing int
	if set["hours"] {
		var err error
		if open, closing, err = store.ParseHours(*hours); err != nil {
			fmt.Fprintln(io.err, "market edit:", err)
			return exitUsage
		}
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "market edit", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "market edit", err)
	}
	m, z, err := resolveMarket(ctx, db, admin.Unit, *zone, *market)
	if err != nil {
		return fail(io, "market edit", err)
	}
	if set["name"] {
		m.Name = *name
	}
	if set["hours"] {
		m.OpenMinute, m.CloseMinute = open, closing
	}
	if set["capacity"] {
		m.Capacity = *capacity
	}
	if set["hamlets"] {
		m.Hamlets = splitList(*hamlets)
	}
	m, err = db.UpdateMarket(ctx, admin, m)
	if err != nil {
		return fail(io, "market edit", err)
	}
	fmt.Fprintf(io.out, "Đã sửa %s của %s: %s–%s, %d hộ mỗi khung giờ, ấp: %s\n", m.Name, z.Name,
		store.FormatMinutes(m.OpenMinute), store.FormatMinutes(m.CloseMinute), m.Capacity, hamletText(m.Hamlets))
	return exitOK
}

func marketClose(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "market close", `market close [--db TỆP] --officer TÊN [--password-file TỆP] [--zone VÙNG] --market CHỢ`,
		"Đóng một chợ: không chia lượt vào chợ này nữa. Phiếu đã phát cho chợ vẫn còn hiệu lực.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên xã")
	zone := fs.String("zone", "", "vùng của chợ: số thứ tự trong zone list, mã hoặc tên")
	market := fs.String("market", "", "chợ: số thứ tự trong market list --zone, mã hoặc tên (bắt buộc)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if *market == "" {
		fmt.Fprintln(io.err, "market close: cần --market")
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "market close", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "market close", err)
	}
	m, z, err := resolveMarket(ctx, db, admin.Unit, *zone, *market)
	if err != nil {
		return fail(io, "market close", err)
	}
	if err := db.DeactivateMarket(ctx, admin, m.ID); err != nil {
		return fail(io, "market close", err)
	}
	fmt.Fprintf(io.out, "Đã đóng %s của %s. Phiếu đã phát cho chợ vẫn còn hiệu lực.\n", m.Name, z.Name)
	return exitOK
}

func marketList(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "market list", "market list [--db TỆP] [--commune MÃ] [--zone VÙNG]",
		"Liệt kê các chợ đang mở của từng vùng: số thứ tự (cho --market), giờ, số hộ mỗi khung giờ, các ấp và mã chợ.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	commune := fs.Uint("commune", 0, "mã xã; mặc định: xã của máy")
	zone := fs.String("zone", "", "chỉ một vùng: số thứ tự trong zone list, mã hoặc tên")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "market list", err)
	}
	defer db.Close()
	code := uint32(*commune)
	if code == 0 {
		desk, err := db.Desk(ctx)
		if err != nil {
			return fail(io, "market list", err)
		}
		code = desk.Unit
	}
	var zones []store.Zone
	if *zone != "" {
		z, err := resolveZone(ctx, db, code, *zone)
		if err != nil {
			return fail(io, "market list", err)
		}
		zones = []store.Zone{z}
	} else if zones, err = db.Zones(ctx, code); err != nil {
		return fail(io, "market list", err)
	}
	if len(zones) == 0 {
		units, err := db.Units(ctx)
		if err != nil {
			return fail(io, "market list", err)
		}
		fmt.Fprintf(io.out, "%s chưa khoanh vùng nào.\n", units.Name(code))
		return exitOK
	}
	for _, z := range zones {
		fmt.Fprintf(io.out, "%s — %s\n", z.Name, store.RiskName(z.Risk))
		markets, err := db.Markets(ctx, z.ID)
		if err != nil {
			return fail(io, "market list", err)
		}
		if len(markets) == 0 {
			fmt.Fprintln(io.out, "   (chưa có chợ: thonghanh market add)")
		}
		for i, m := range markets {
			fmt.Fprintf(io.out, "   %d. %s, %s–%s, %d hộ mỗi khung giờ, ấp: %s — mã %s\n", i+1, m.Name, store.FormatMinutes(m.OpenMinute),
				store.FormatMinutes(m.CloseMinute), m.Capacity, hamletText(m.Hamlets), m.ID)
		}
	}
	return exitOK
}
