package seal

import "fmt"

// Text is a short sentence for the officer at the checkpoint: Vietnamese by
// default ("vi", or any other value), English for "en".
func (v Verdict) Text(lang string) string {
	t, ok := verdictText[v]
	if !ok {
		return string(v)
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// Title is the verdict in two or three words, for the banner of every
// checkpoint screen (the desk's Kiểm tra tab and the phone page alike):
// Vietnamese by default, English for "en".
func (v Verdict) Title(lang string) string {
	t, ok := verdictTitle[v]
	if !ok {
		return string(v)
	}
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

var verdictTitle = map[Verdict][2]string{
	Valid:            {"Hợp lệ", "Valid"},
	Malformed:        {"Mã không đọc được", "Unreadable"},
	UnknownSigner:    {"Không rõ nơi cấp", "Unknown issuer"},
	BadSignature:     {"Giấy giả hoặc bị sửa", "Forged or altered"},
	SignerNotAllowed: {"Sai thẩm quyền cấp", "Issuer not allowed"},
	NotYetValid:      {"Chưa có hiệu lực", "Not yet valid"},
	Expired:          {"Hết hạn", "Expired"},
	OutsideHours:     {"Ngoài giờ", "Outside hours"},
	OutsideArea:      {"Ngoài khu vực", "Outside area"},
	Revoked:          {"Đã thu hồi", "Revoked"},
	AlreadyUsed:      {"Phiếu đã dùng", "Already used"},
	WrongMarket:      {"Sai chợ", "Wrong market"},
}

// verdictText and verdictTitle are the one wording of verdicts: verify,
// the checkpoint screens (desk and phone) and the desk all read them here.
var verdictText = map[Verdict][2]string{
	Valid:            {"Giấy hợp lệ", "Valid"},
	Malformed:        {"Mã không đọc được — không phải mã Thông Hành hoặc mã bị hỏng", "Unreadable — not a Thông Hành code, or damaged"},
	UnknownSigner:    {"Không rõ nơi cấp — khóa ký không có trong danh sách tin cậy", "Unknown issuer — signing key not in the trust list"},
	BadSignature:     {"Chữ ký không đúng — giấy giả hoặc đã bị sửa", "Bad signature — forged or altered"},
	SignerNotAllowed: {"Nơi cấp không có thẩm quyền cấp loại giấy này", "Issuer not authorised to issue this"},
	NotYetValid:      {"Giấy chưa đến thời gian có hiệu lực", "Not valid yet"},
	Expired:          {"Giấy đã hết hạn", "Expired"},
	OutsideHours:     {"Ngoài khung giờ được phép đi lại", "Outside the permitted hours"},
	OutsideArea:      {"Chốt này nằm ngoài khu vực được phép đi lại", "This checkpoint is outside the permitted area"},
	Revoked:          {"Giấy đã bị thu hồi", "Revoked"},
	AlreadyUsed:      {"Phiếu đã được sử dụng", "Voucher already used"},
	WrongMarket:      {"Phiếu dành cho chợ khác", "Voucher for another market"},
}

// PurposeText names a purpose code in "vi" (default) or "en".
func PurposeText(p Purpose, lang string) string {
	if p < 1 || p > maxPurpose {
		if lang == "en" {
			return fmt.Sprintf("purpose %d", uint8(p))
		}
		return fmt.Sprintf("mục đích %d", uint8(p))
	}
	t := purposeText[p]
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

// purposeText and categoryText are the one wording of purposes and
// categories: the desk's screens, the paper, verify and the checkpoint all
// read them here (store.PurposeName and store.CategoryName too).
var purposeText = [...][2]string{
	PurposeWork:       {"Đi làm", "Work"},
	PurposeEssentials: {"Mua lương thực, thực phẩm, hàng thiết yếu", "Food and essential goods"},
	PurposeProduction: {"Sản xuất, vận chuyển nông sản, thủy sản", "Farm or aquatic production and transport"},
	PurposeMedical:    {"Khám, chữa bệnh", "Medical care"},
	PurposeEmergency:  {"Hỏa hoạn, cấp cứu", "Fire or emergency"},
	PurposeFuneral:    {"Tang lễ", "Funeral"},
	PurposeEpidemic:   {"Làm nhiệm vụ phòng, chống dịch", "Epidemic duty"},
	PurposeMarket:     {"Đi chợ theo phiếu", "Market trip"},
}

// CategoryText names a holder category 1–5 (BRIEF.md) in "vi" (default) or "en".
func CategoryText(c uint8, lang string) string {
	if c < 1 || int(c) >= len(categoryText) {
		if lang == "en" {
			return fmt.Sprintf("category %d", c)
		}
		return fmt.Sprintf("đối tượng %d", c)
	}
	t := categoryText[c]
	if lang == "en" {
		return t[1]
	}
	return t[0]
}

var categoryText = [...][2]string{
	1: {"Người lao động của doanh nghiệp", "Enterprise worker"},
	2: {"Cán bộ, công chức, viên chức, người lao động đi làm", "Official or public employee"},
	3: {"Lực lượng tham gia phòng, chống dịch", "Epidemic-prevention force"},
	4: {"Người dân có lý do thật sự cần thiết", "Resident with an essential reason"},
	5: {"Người dân vùng nguy cơ, nguy cơ cao", "Resident of an at-risk zone"},
}

// KindText names a permit or voucher in "vi" (default) or "en".
func KindText(k Kind, lang string) string {
	switch {
	case k == KindPermit && lang == "en":
		return "Travel permit"
	case k == KindPermit:
		return "Giấy đi đường"
	case k == KindVoucher && lang == "en":
		return "Market-trip voucher"
	case k == KindVoucher:
		return "Phiếu đi chợ"
	}
	return k.String()
}

// Field is one line of a permit or voucher as a checkpoint shows it: the
// desk's Kiểm tra tab, the phone page and verify label them all here.
type Field uint8

// The fields of a code, in the order the checkpoint screens show them.
const (
	FieldName Field = iota + 1
	FieldID
	FieldCategory
	FieldPurpose
	FieldArea
	FieldRoute
	FieldMarket
	FieldValidity
	FieldHours
	FieldIssuer
	FieldSerial
)

// Fields lists every field, in order.
var Fields = []Field{FieldName, FieldID, FieldCategory, FieldPurpose, FieldArea, FieldRoute, FieldMarket,
	FieldValidity, FieldHours, FieldIssuer, FieldSerial}

// Label is the field's label in "vi" (default) or "en".
func (f Field) Label(lang string) string {
	if f < 1 || int(f) >= len(fieldText) {
		return fmt.Sprintf("field %d", uint8(f))
	}
	if lang == "en" {
		return fieldText[f][1]
	}
	return fieldText[f][0]
}

// fieldText is the one wording of the fields' labels, short enough for the
// phone's narrow page and the desk's label column.
var fieldText = [...][2]string{
	FieldName:     {"Họ tên", "Name"},
	FieldID:       {"CCCD/CMND", "ID no."},
	FieldCategory: {"Đối tượng", "Category"},
	FieldPurpose:  {"Mục đích", "Purpose"},
	FieldArea:     {"Khu vực", "Area"},
	FieldRoute:    {"Lộ trình", "Route"},
	FieldMarket:   {"Chợ", "Market"},
	FieldValidity: {"Hiệu lực", "Valid"},
	FieldHours:    {"Giờ", "Hours"},
	FieldIssuer:   {"Nơi cấp", "Issuer"},
	FieldSerial:   {"Số giấy", "Serial"},
}
