package store

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// tiengiangCSV is the GSO list of Tiền Giang's 184 administrative units as
// they stood in 2021 (the year of the permits), embedded so a new desk or
// server needs no file.
//
//go:embed data/tiengiang-units-2021.csv
var tiengiangCSV []byte

// ProvinceCode is Tiền Giang's GSO code.
const ProvinceCode = 82

// ParseUnitsCSV reads administrative units in the GSO list's columns
// (code,name,type,level,parent). Every bad line is reported, with its number.
func ParseUnitsCSV(r io.Reader) ([]Unit, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("đọc tiêu đề danh sách đơn vị: %w", err)
	}
	want := []string{"code", "name", "type", "level", "parent"}
	if len(header) != len(want) || strings.Join(header, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("danh sách đơn vị phải có các cột %s, đang có %s", strings.Join(want, ","), strings.Join(header, ","))
	}
	var units []Unit
	var errs []error
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("dòng %d: %w", line, err))
			continue
		}
		if len(rec) != 5 {
			errs = append(errs, fmt.Errorf("dòng %d: cần 5 cột, có %d", line, len(rec)))
			continue
		}
		code, err1 := strconv.ParseUint(rec[0], 10, 32)
		level, err2 := strconv.Atoi(rec[3])
		var parent uint64
		var err3 error
		if rec[4] != "" {
			parent, err3 = strconv.ParseUint(rec[4], 10, 32)
		}
		if err := errors.Join(err1, err2, err3); err != nil || level < 1 || level > 3 || strings.TrimSpace(rec[1]) == "" {
			errs = append(errs, fmt.Errorf("dòng %d: mã, tên, cấp hoặc mã cấp trên không hợp lệ", line))
			continue
		}
		kind := map[int]UnitKind{1: KindProvincePC, 2: KindDistrictPC, 3: KindCommunePC}[level]
		units = append(units, Unit{Code: uint32(code), Name: NFC(rec[1]), Type: rec[2], Level: level, Parent: uint32(parent), Kind: kind})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return units, nil
}

// Department and agency codes are not GSO codes: six digits starting 82
// (the province) so they never clash with the 2-, 3- and 5-digit GSO codes.
// Command centres are 900000 + the code of the unit they serve.
const commandCentreBase = 900000

// CommandCentreFor is the code of the command centre serving an
// administrative unit.
func CommandCentreFor(admin uint32) uint32 { return commandCentreBase + admin }

// provinceBodies are the province's departments, agencies and boards that
// issue permits.
var provinceBodies = []Unit{
	{Code: 820101, Name: "Sở Công Thương", Kind: KindDepartment, IssuesCat1: true},
	{Code: 820102, Name: "Sở Giao thông vận tải", Kind: KindDepartment, IssuesCat1: true},
	{Code: 820103, Name: "Sở Thông tin và Truyền thông", Kind: KindDepartment, IssuesCat1: true},
	{Code: 820104, Name: "Sở Y tế", Kind: KindDepartment},
	{Code: 820105, Name: "Sở Giáo dục và Đào tạo", Kind: KindDepartment},
	{Code: 820106, Name: "Sở Nội vụ", Kind: KindDepartment},
	{Code: 820107, Name: "Sở Tài chính", Kind: KindDepartment},
	{Code: 820201, Name: "Tỉnh đoàn Tiền Giang", Kind: KindAgency},
	{Code: 820202, Name: "Hội Liên hiệp Phụ nữ tỉnh Tiền Giang", Kind: KindAgency},
	{Code: 820203, Name: "Kho bạc Nhà nước Tiền Giang", Kind: KindAgency},
	{Code: 820204, Name: "Bảo hiểm xã hội tỉnh Tiền Giang", Kind: KindAgency},
	{Code: 820205, Name: "Cục Thuế tỉnh Tiền Giang", Kind: KindAgency},
	{Code: 820301, Name: "Ban Quản lý các khu công nghiệp tỉnh Tiền Giang", Kind: KindIndustrialParks},
}

// ProvinceUnits returns every unit of the province: the 184 administrative
// units, the departments and agencies, the industrial-parks board, and one
// command centre for the province, each district and each commune.
func ProvinceUnits() ([]Unit, error) {
	admin, err := ParseUnitsCSV(bytes.NewReader(tiengiangCSV))
	if err != nil {
		return nil, fmt.Errorf("danh sách đơn vị nhúng sẵn: %w", err)
	}
	units := append([]Unit(nil), admin...)
	for _, b := range provinceBodies {
		b.Level, b.Parent, b.Locality = 1, ProvinceCode, ProvinceCode
		units = append(units, b)
	}
	for _, a := range admin {
		name := "Trung tâm Chỉ huy phòng, chống dịch COVID-19 " + a.Name
		if a.Level == 3 {
			name = "Ban Chỉ huy phòng, chống dịch COVID-19 " + a.Name
		}
		units = append(units, Unit{Code: CommandCentreFor(a.Code), Name: name, Kind: KindCommandCentre,
			Level: a.Level, Parent: a.Code, Locality: a.Code})
	}
	return units, nil
}

// SeedProvince writes every unit of the province into db.
func (db *DB) SeedProvince(ctx context.Context) error {
	units, err := ProvinceUnits()
	if err != nil {
		return err
	}
	return db.PutUnits(ctx, units)
}

// CategoriesFor lists the categories a unit may issue (what its desk keys
// are certified for).
func CategoriesFor(u Unit) []uint8 {
	switch u.Kind {
	case KindCommunePC:
		return []uint8{CatOfficial, CatResident, CatZone}
	case KindDistrictPC:
		return []uint8{CatWorker, CatOfficial, CatResident}
	case KindIndustrialParks:
		return []uint8{CatWorker, CatOfficial}
	case KindDepartment:
		if u.IssuesCat1 {
			return []uint8{CatWorker, CatOfficial}
		}
		return []uint8{CatOfficial}
	case KindCommandCentre:
		return []uint8{CatForces}
	default:
		return []uint8{CatOfficial}
	}
}
