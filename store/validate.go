package store

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Field names used in validation errors; screens map them to their inputs.
const (
	FieldIDNumber  = "Số CCCD/CMND"
	FieldName      = "Họ và tên"
	FieldBirthDate = "Ngày sinh"
	FieldPhone     = "Số điện thoại"
	FieldSex       = "Giới tính"
	FieldCommune   = "Xã/phường"
	FieldAddress   = "Địa chỉ"
	FieldHamlet    = "Ấp/khu phố"
	FieldCategory  = "Loại giấy"
	FieldPurpose   = "Mục đích"
	FieldArea      = "Khu vực đi lại"
	FieldRoute     = "Lộ trình"
	FieldValidity  = "Thời hạn"
	FieldHours     = "Giờ đi lại trong ngày"
	FieldVehicle   = "Biển số xe"
	FieldEmployer  = "Cơ quan công tác"
	FieldEnterpr   = "Doanh nghiệp"
	FieldCommand   = "Ban chỉ huy"
	FieldReason    = "Lý do"
)

// provinceCodes are the 63 province codes that open a CCCD number ("0" + code),
// per Circular 07/2016/TT-BCA.
var provinceCodes = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`001 002 004 006 008 010 011 012 014 015 017 019 020 022
		024 025 026 027 030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052
		054 056 058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087
		089 091 092 093 094 095 096`) {
		provinceCodes[c] = true
	}
}

// ValidateIDNumber checks a CCCD (12 digits: province of birth registration,
// then a digit for century and sex, then the last two digits of the birth
// year) or an old CMND (9 digits). birth and sex may be zero/empty when not
// yet known; what is known must agree with the number.
func ValidateIDNumber(id string, birth time.Time, sex string) (string, error) {
	id = strings.TrimSpace(id)
	for _, r := range id {
		if r < '0' || r > '9' {
			return "", invalid(FieldIDNumber, "chỉ gồm chữ số (CCCD 12 số hoặc CMND 9 số)")
		}
	}
	switch len(id) {
	case 9:
		return id, nil
	case 12:
	default:
		return "", invalid(FieldIDNumber, "phải có 12 số (CCCD) hoặc 9 số (CMND), đang có %d số", len(id))
	}
	if !provinceCodes[id[:3]] {
		return "", invalid(FieldIDNumber, "mã tỉnh %s ở 3 số đầu không có thật", id[:3])
	}
	d := int(id[3] - '0')
	if d > 9 {
		return "", invalid(FieldIDNumber, "số thứ 4 không hợp lệ")
	}
	if !birth.IsZero() {
		century := (birth.Year() - 1900) / 100 // 0 for 1900s, 1 for 2000s
		if century < 0 || d/2 != century {
			return "", invalid(FieldIDNumber, "số thứ 4 (%d) không khớp với thế kỷ của năm sinh %d", d, birth.Year())
		}
		if yy := id[4:6]; yy != strconv.Itoa(birth.Year()%100 + 100)[1:] {
			return "", invalid(FieldIDNumber, "số thứ 5–6 (%s) không khớp với năm sinh %d", yy, birth.Year())
		}
	}
	switch {
	case sex == SexMale && d%2 != 0, sex == SexFemale && d%2 != 1:
		return "", invalid(FieldIDNumber, "số thứ 4 (%d) không khớp với giới tính", d)
	}
	return id, nil
}

// mobilePrefixes are the Vietnamese mobile prefixes in use since the 2018
// renumbering (10-digit numbers).
var mobilePrefixes = map[string]bool{}

func init() {
	for _, p := range strings.Fields(`032 033 034 035 036 037 038 039 052 055 056 058 059
		070 076 077 078 079 081 082 083 084 085 086 087 088 089 090 091 092 093 094 096 097 098 099`) {
		mobilePrefixes[p] = true
	}
}

var phoneSeparators = strings.NewReplacer(" ", "", ".", "", "-", "")

// ValidatePhone accepts 10-digit Vietnamese mobile numbers, with spaces, dots
// or a +84 prefix tolerated; empty is allowed (many walk-ins have no phone).
func ValidatePhone(phone string) (string, error) {
	p := phoneSeparators.Replace(strings.TrimSpace(phone))
	if p == "" {
		return "", nil
	}
	if strings.HasPrefix(p, "+84") {
		p = "0" + p[3:]
	} else if strings.HasPrefix(p, "84") && len(p) == 11 {
		p = "0" + p[2:]
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return "", invalid(FieldPhone, "chỉ gồm chữ số")
		}
	}
	if len(p) != 10 {
		return "", invalid(FieldPhone, "phải có 10 số, đang có %d số", len(p))
	}
	if !mobilePrefixes[p[:3]] {
		return "", invalid(FieldPhone, "đầu số %s không phải số di động Việt Nam", p[:3])
	}
	return p, nil
}

// ValidateName returns the NFC name with spaces collapsed: letters (any
// script Vietnamese uses), spaces and ' - . only, at most 100 characters,
// nothing above U+FFFF.
func ValidateName(name string) (string, error) {
	n, err := CleanText(FieldName, name, 100)
	if err != nil {
		return "", err
	}
	if n == "" {
		return "", invalid(FieldName, "không được để trống")
	}
	for _, r := range n {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == ' ' || r == '\'' || r == '-' || r == '.' {
			continue
		}
		return "", invalid(FieldName, "chỉ gồm chữ cái, dấu cách và ' - . (có ký tự %q)", string(r))
	}
	return n, nil
}

// Sexes as stored.
const (
	SexMale   = "M"
	SexFemale = "F"
)

// ParseDate reads a date typed by a clerk: 21/09/2021, 21-9-2021 or 2021-09-21.
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"02/01/2006", "2/1/2006", "02-01-2006", "2-1-2006", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, Vietnam); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalid(field, "ngày %q không đúng dạng ngày/tháng/năm", s)
}

// ParseHours reads daily hours "06:00-18:00" into minutes after midnight.
func ParseHours(s string) (from, to int, err error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "–", "-")
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return 0, 0, invalid(FieldHours, "ghi dạng 06:00-18:00")
	}
	if from, err = parseClock(a); err == nil {
		to, err = parseClock(b)
	}
	if err != nil {
		return 0, 0, err
	}
	return from, to, validateHours(from, to)
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		if t, err = time.Parse("15h04", strings.TrimSpace(s)); err != nil {
			if t, err = time.Parse("15h", strings.TrimSpace(s)); err != nil {
				return 0, invalid(FieldHours, "giờ %q không đúng dạng 06:00", strings.TrimSpace(s))
			}
		}
	}
	return t.Hour()*60 + t.Minute(), nil
}

func validateHours(from, to int) error {
	if from < 0 || to > 24*60 || from >= to {
		return invalid(FieldHours, "giờ kết thúc phải sau giờ bắt đầu, trong cùng một ngày")
	}
	return nil
}
