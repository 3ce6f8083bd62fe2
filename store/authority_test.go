package store

import (
	"fmt"
	"testing"

	"thonghanh/store/seal"
)

// testUnits is a small province: two districts, three communes, departments,
// the industrial-parks board, an agency and command centres.
func testUnits() *UnitIndex {
	return NewUnitIndex([]Unit{
		{Code: 82, Name: "Tỉnh Tiền Giang", Kind: KindProvincePC, Level: 1},
		{Code: 815, Name: "Thành phố Mỹ Tho", Kind: KindDistrictPC, Level: 2, Parent: 82},
		{Code: 821, Name: "Huyện Châu Thành", Kind: KindDistrictPC, Level: 2, Parent: 82},
		{Code: 28291, Name: "Xã Tân Mỹ Chánh", Kind: KindCommunePC, Level: 3, Parent: 815},
		{Code: 28249, Name: "Phường 5", Kind: KindCommunePC, Level: 3, Parent: 815},
		{Code: 28525, Name: "Xã Tân Hương", Kind: KindCommunePC, Level: 3, Parent: 821},
		{Code: 820101, Name: "Sở Công Thương", Kind: KindDepartment, Level: 1, Parent: 82, Locality: 82, IssuesCat1: true},
		{Code: 820104, Name: "Sở Y tế", Kind: KindDepartment, Level: 1, Parent: 82, Locality: 82},
		{Code: 820201, Name: "Tỉnh đoàn", Kind: KindAgency, Level: 1, Parent: 82, Locality: 82},
		{Code: 820301, Name: "Ban Quản lý các KCN", Kind: KindIndustrialParks, Level: 1, Parent: 82, Locality: 82},
		{Code: 900082, Name: "TTCH tỉnh", Kind: KindCommandCentre, Level: 1, Parent: 82, Locality: 82},
		{Code: 900815, Name: "TTCH Mỹ Tho", Kind: KindCommandCentre, Level: 2, Parent: 815, Locality: 815},
		{Code: 928291, Name: "BCH Tân Mỹ Chánh", Kind: KindCommandCentre, Level: 3, Parent: 28291, Locality: 28291},
	})
}

// TestAuthorityEveryCategoryEveryKind walks BRIEF.md's table: for each
// category, one unit of every kind tries to decide a case inside its
// jurisdiction (when it has one) and one outside.
func TestAuthorityEveryCategoryEveryKind(t *testing.T) {
	ix := testUnits()
	resident := Person{Commune: 28291, Hamlet: "Ấp 1"}
	entIP := &Enterprise{Name: "Giày da Mỹ Phong", ManagingUnit: 820301}
	entDept := &Enterprise{Name: "Thương mại Mỹ Tho", ManagingUnit: 820101}
	entDistrict := &Enterprise{Name: "HTX Mỹ Tho", ManagingUnit: 815}

	type want int
	const (
		no want = iota
		yes
		forward
	)
	tests := []struct {
		name    string
		decider uint32
		c       Case
		want    want
	}{
		// Category 1: the enterprise's managing unit, of an allowed kind.
		{"cat1 IP board, its enterprise", 820301, Case{Category: 1, Enterprise: entIP}, yes},
		{"cat1 IP board, another's enterprise", 820301, Case{Category: 1, Enterprise: entDept}, no},
		{"cat1 Industry and Trade, its enterprise", 820101, Case{Category: 1, Enterprise: entDept}, yes},
		{"cat1 district PC, its enterprise", 815, Case{Category: 1, Enterprise: entDistrict}, yes},
		{"cat1 other district PC", 821, Case{Category: 1, Enterprise: entDistrict}, no},
		{"cat1 Health dept never", 820104, Case{Category: 1, Enterprise: &Enterprise{ManagingUnit: 820104}}, no},
		{"cat1 commune PC never", 28291, Case{Category: 1, Enterprise: &Enterprise{ManagingUnit: 28291}}, no},
		{"cat1 province PC never", 82, Case{Category: 1, Enterprise: &Enterprise{ManagingUnit: 82}}, no},
		{"cat1 agency never", 820201, Case{Category: 1, Enterprise: &Enterprise{ManagingUnit: 820201}}, no},
		{"cat1 command centre never", 900082, Case{Category: 1, Enterprise: &Enterprise{ManagingUnit: 900082}}, no},
		{"cat1 without enterprise", 820301, Case{Category: 1}, no},
		// Category 2: the holder's own employing unit, whatever its kind.
		{"cat2 own department", 820104, Case{Category: 2, Employer: 820104}, yes},
		{"cat2 other department", 820101, Case{Category: 2, Employer: 820104}, no},
		{"cat2 own agency", 820201, Case{Category: 2, Employer: 820201}, yes},
		{"cat2 own commune PC", 28291, Case{Category: 2, Employer: 28291}, yes},
		{"cat2 own district PC", 815, Case{Category: 2, Employer: 815}, yes},
		{"cat2 own province PC", 82, Case{Category: 2, Employer: 82}, yes},
		{"cat2 own IP board", 820301, Case{Category: 2, Employer: 820301}, yes},
		{"cat2 province PC for a department's staff", 82, Case{Category: 2, Employer: 820104}, no},
		{"cat2 command centre", 900082, Case{Category: 2, Employer: 900082}, no},
		// Category 3: the command centre that mobilised the holder.
		{"cat3 province centre", 900082, Case{Category: 3, CommandCentre: 900082}, yes},
		{"cat3 commune centre", 928291, Case{Category: 3, CommandCentre: 928291}, yes},
		{"cat3 another centre", 900815, Case{Category: 3, CommandCentre: 928291}, no},
		{"cat3 commune PC", 28291, Case{Category: 3, CommandCentre: 928291}, no},
		{"cat3 district PC", 815, Case{Category: 3, CommandCentre: 900815}, no},
		{"cat3 department", 820104, Case{Category: 3, CommandCentre: 900082}, no},
		{"cat3 IP board", 820301, Case{Category: 3, CommandCentre: 900082}, no},
		{"cat3 agency", 820201, Case{Category: 3, CommandCentre: 900082}, no},
		{"cat3 province PC", 82, Case{Category: 3, CommandCentre: 900082}, no},
		// Category 4: home commune inside its district, else forward to the district.
		{"cat4 home commune, own commune", 28291, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, yes},
		{"cat4 home commune, within district", 28291, Case{Category: 4, Holder: resident, Area: []uint32{28291, 28249, 815}}, yes},
		{"cat4 home commune, area leaves district", 28291, Case{Category: 4, Holder: resident, Area: []uint32{28291, 28525}}, forward},
		{"cat4 home commune, whole province", 28291, Case{Category: 4, Holder: resident, Area: []uint32{82}}, forward},
		{"cat4 other commune same district", 28249, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		{"cat4 district, area leaves district", 815, Case{Category: 4, Holder: resident, Area: []uint32{28525}, Status: StatusForwarded}, yes},
		{"cat4 district, area inside (commune's call)", 815, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		{"cat4 other district", 821, Case{Category: 4, Holder: resident, Area: []uint32{28525}}, no},
		{"cat4 province PC", 82, Case{Category: 4, Holder: resident, Area: []uint32{28525}}, no},
		{"cat4 department", 820104, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		{"cat4 agency", 820201, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		{"cat4 IP board", 820301, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		{"cat4 command centre", 928291, Case{Category: 4, Holder: resident, Area: []uint32{28291}}, no},
		// Category 5: the commune, for households of its zones.
		{"cat5 home commune, in zone", 28291, Case{Category: 5, Holder: resident, InZone: true}, yes},
		{"cat5 home commune, not in a zone", 28291, Case{Category: 5, Holder: resident}, no},
		{"cat5 other commune", 28249, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 district PC", 815, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 province PC", 82, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 department", 820104, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 agency", 820201, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 IP board", 820301, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"cat5 command centre", 928291, Case{Category: 5, Holder: resident, InZone: true}, no},
		{"category 6 does not exist", 28291, Case{Category: 6, Holder: resident}, no},
	}
	kinds := map[UnitKind]bool{}
	for _, tt := range tests {
		decider, ok := ix.Get(tt.decider)
		if !ok {
			t.Fatalf("%s: no unit %d", tt.name, tt.decider)
		}
		kinds[decider.Kind] = true
		got := ix.decide(decider, tt.c) // the table alone
		var g want
		switch {
		case got.Allowed:
			g = yes
		case got.Forward:
			g = forward
		}
		if g != tt.want {
			t.Errorf("%s: got %+v, want %v", tt.name, got, map[want]string{no: "refused", yes: "allowed", forward: "forward"}[tt.want])
		}
		if !got.Allowed && got.Reason == "" {
			t.Errorf("%s: refused without a reason", tt.name)
		}
		// Nothing stuck: what this unit may not decide goes to the unit
		// that may, or else it may only be rejected.
		routed := ix.Decide(decider, tt.c)
		switch {
		case routed.Allowed != got.Allowed:
			t.Errorf("%s: Decide allows %v, the table %v", tt.name, routed.Allowed, got.Allowed)
		case routed.Allowed:
		case routed.Forward:
			to, _ := ix.Get(routed.ForwardTo)
			if d := ix.decide(to, tt.c); !d.Allowed && !(got.Forward && d.Forward) {
				t.Errorf("%s: forwarded to %d, which may not decide it either (%s)", tt.name, routed.ForwardTo, d.Reason)
			}
		case !routed.RejectOnly || !routed.MayReject():
			t.Errorf("%s: neither forwarded nor rejectable: %+v", tt.name, routed)
		}
	}
	for _, k := range UnitKinds {
		if !kinds[k] {
			t.Errorf("no case for unit kind %s", k)
		}
	}
	if got := ix.Decide(Unit{Code: 28291, Kind: KindCommunePC}, Case{Category: 4, Holder: resident, Area: []uint32{28525}}); got.ForwardTo != 815 {
		t.Errorf("forward goes to %d, want the holder's district 815", got.ForwardTo)
	}
	_ = fmt.Sprint
}

// TestOneWordingForCategoriesAndPurposes: the desk's screens and the paper
// (CategoryName, PurposeName) say exactly what the checkpoint and verify say
// (seal.CategoryText, seal.PurposeText).
func TestOneWordingForCategoriesAndPurposes(t *testing.T) {
	for c := 1; c <= 5; c++ {
		if got, want := CategoryName(c), seal.CategoryText(uint8(c), "vi"); got != want {
			t.Errorf("category %d: desk says %q, checkpoint %q", c, got, want)
		}
	}
	for p := 1; p <= 8; p++ {
		if got, want := PurposeName(p), seal.PurposeText(seal.Purpose(p), "vi"); got != want {
			t.Errorf("purpose %d: desk says %q, checkpoint %q", p, got, want)
		}
	}
}
