package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// UnitKind says what kind of body a unit is; the authority rules switch on it.
type UnitKind string

const (
	KindProvincePC      UnitKind = "province_pc"      // UBND tỉnh
	KindDistrictPC      UnitKind = "district_pc"      // UBND huyện, thị xã, thành phố
	KindCommunePC       UnitKind = "commune_pc"       // UBND xã, phường, thị trấn
	KindDepartment      UnitKind = "department"       // Sở, ban, ngành
	KindAgency          UnitKind = "agency"           // other agencies, mass organisations, central agencies
	KindIndustrialParks UnitKind = "industrial_parks" // Ban Quản lý các khu công nghiệp
	KindCommandCentre   UnitKind = "command_centre"   // Trung tâm/Ban Chỉ huy phòng, chống dịch
)

// UnitKinds lists every kind, in the order screens show them.
var UnitKinds = []UnitKind{KindProvincePC, KindDistrictPC, KindCommunePC, KindDepartment, KindAgency, KindIndustrialParks, KindCommandCentre}

// Unit is an administrative unit (its People's Committee) or a body.
type Unit struct {
	Code     uint32
	Name     string
	Kind     UnitKind
	Type     string // Tỉnh, Huyện, Xã… for administrative units
	Level    int    // 1 province, 2 district, 3 commune
	Parent   uint32 // the administrative unit above; 0 for the province
	Locality uint32 // for bodies: the administrative unit they serve
	// IssuesCat1 marks the departments that may license enterprises' workers
	// (Industry and Trade, Transport, Information and Communications).
	IssuesCat1 bool
}

// LicensesWorkers reports whether u issues category-1 permits to the
// workers of the enterprises it manages: the industrial-parks board, a
// district People's Committee, or a department named for it (BRIEF.md).
func (u Unit) LicensesWorkers() bool {
	return u.Kind == KindIndustrialParks || u.Kind == KindDistrictPC || u.Kind == KindDepartment && u.IssuesCat1
}

// Administrative reports whether u is a territory (province, district, commune).
func (u Unit) Administrative() bool {
	return u.Kind == KindProvincePC || u.Kind == KindDistrictPC || u.Kind == KindCommunePC
}

// CommitteeName is the People's Committee's name for an administrative unit
// ("UBND Xã Tân Mỹ Chánh") and the unit's own name otherwise.
func (u Unit) CommitteeName() string {
	if u.Administrative() {
		return "UBND " + u.Name
	}
	return u.Name
}

// UnitIndex holds every unit in memory: 184 administrative units and a few
// hundred bodies, read on every authority check and area lookup.
type UnitIndex struct {
	byCode map[uint32]*Unit
	all    []*Unit // sorted by level, then code
}

// NewUnitIndex indexes units.
func NewUnitIndex(units []Unit) *UnitIndex {
	ix := &UnitIndex{byCode: make(map[uint32]*Unit, len(units))}
	for i := range units {
		u := units[i]
		ix.byCode[u.Code] = &u
		ix.all = append(ix.all, &u)
	}
	sort.Slice(ix.all, func(i, j int) bool {
		if ix.all[i].Level != ix.all[j].Level {
			return ix.all[i].Level < ix.all[j].Level
		}
		return ix.all[i].Code < ix.all[j].Code
	})
	return ix
}

// Get returns the unit with code.
func (ix *UnitIndex) Get(code uint32) (Unit, bool) {
	u, ok := ix.byCode[code]
	if !ok {
		return Unit{}, false
	}
	return *u, true
}

// Name returns the unit's name, or its code when unknown.
func (ix *UnitIndex) Name(code uint32) string {
	if u, ok := ix.byCode[code]; ok {
		return u.Name
	}
	return fmt.Sprint(code)
}

// All returns every unit, sorted by level then code.
func (ix *UnitIndex) All() []Unit {
	out := make([]Unit, len(ix.all))
	for i, u := range ix.all {
		out[i] = *u
	}
	return out
}

// District returns the district-level unit that code lies in (itself for a
// district, 0 for the province or an unknown code). For bodies it follows
// their locality.
func (ix *UnitIndex) District(code uint32) uint32 {
	for range 4 {
		u, ok := ix.byCode[code]
		if !ok {
			return 0
		}
		if !u.Administrative() {
			code = u.Locality
			continue
		}
		switch u.Level {
		case 2:
			return u.Code
		case 3:
			return u.Parent
		default:
			return 0
		}
	}
	return 0
}

// Within reports whether place (a commune, district or province code) lies
// inside area (itself, or a unit above it). A checkpoint in Xã Tân Mỹ Chánh is
// within Thành phố Mỹ Tho and within Tỉnh Tiền Giang.
func (ix *UnitIndex) Within(place, area uint32) bool {
	for range 4 {
		if place == area {
			return true
		}
		u, ok := ix.byCode[place]
		if !ok || u.Parent == 0 {
			return false
		}
		place = u.Parent
	}
	return false
}

// Search returns administrative units whose folded name contains every word
// of the folded query, communes before districts, at most limit.
func (ix *UnitIndex) Search(query string, limit int) []Unit {
	words := strings.Fields(Fold(query))
	var out []Unit
	for _, u := range ix.all {
		if !u.Administrative() {
			continue
		}
		f := Fold(u.Name)
		ok := true
		for _, w := range words {
			if !strings.Contains(f, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, *u)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Level > out[j].Level })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Units returns the unit index, loading it on first use.
func (db *DB) Units(ctx context.Context) (*UnitIndex, error) {
	db.unitsMu.RLock()
	ix := db.units
	db.unitsMu.RUnlock()
	if ix != nil {
		return ix, nil
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT code, name, kind, type, level,
		COALESCE(parent, 0), COALESCE(locality, 0), issues_cat1 FROM units`)
	if err != nil {
		return nil, fmt.Errorf("đọc danh sách đơn vị: %w", err)
	}
	defer rows.Close()
	var units []Unit
	for rows.Next() {
		var u Unit
		if err := rows.Scan(&u.Code, &u.Name, &u.Kind, &u.Type, &u.Level, &u.Parent, &u.Locality, &u.IssuesCat1); err != nil {
			return nil, err
		}
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ix = NewUnitIndex(units)
	db.unitsMu.Lock()
	db.units = ix
	db.unitsMu.Unlock()
	return ix, nil
}

// PutUnits inserts or updates units (parents first) in one transaction.
func (db *DB) PutUnits(ctx context.Context, units []Unit) error {
	sorted := append([]Unit(nil), units...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Level < sorted[j].Level })
	err := db.Write(ctx, func(tx *Tx) error {
		stmt, err := tx.Prepare(`INSERT INTO units (code, name, folded, kind, type, level, parent, locality, issues_cat1)
			VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, folded = excluded.folded, kind = excluded.kind,
			type = excluded.type, level = excluded.level, parent = excluded.parent, locality = excluded.locality,
			issues_cat1 = excluded.issues_cat1`)
		if err != nil {
			return err
		}
		for _, u := range sorted {
			name, err := CleanText("Tên đơn vị", u.Name, 200)
			if err != nil {
				return err
			}
			if u.Level < 1 || u.Level > 3 {
				return invalid("Cấp", "đơn vị %d có cấp %d, phải là 1, 2 hoặc 3", u.Code, u.Level)
			}
			if _, err := stmt.Exec(u.Code, name, Fold(name), u.Kind, u.Type, u.Level, u.Parent, u.Locality, u.IssuesCat1); err != nil {
				return fmt.Errorf("ghi đơn vị %d %s: %w", u.Code, name, err)
			}
		}
		return nil
	})
	db.unitsMu.Lock()
	db.units = nil
	db.unitsMu.Unlock()
	return err
}
