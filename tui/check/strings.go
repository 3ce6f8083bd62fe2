package check

import (
	"thonghanh/store/seal"
	"thonghanh/tui/i18n"
)

// The Kiểm tra screen's texts, registered under "check." (i18n's rule: each
// screen keeps its own keys beside it, so no two engineers edit one table).
func init() {
	i18n.Register(map[string]i18n.Text{
		"check.key.submit":     {Vi: "kiểm tra", En: "check"},
		"check.key.clear":      {Vi: "xóa mã", En: "clear"},
		"check.key.checkpoint": {Vi: "đổi vị trí chốt", En: "set checkpoint"},
		"check.key.reload":     {Vi: "tải lại danh sách", En: "reload lists"},
		"check.key.pickmove":   {Vi: "chọn đơn vị", En: "move"},
		"check.key.pickchoose": {Vi: "lưu vị trí chốt", En: "save checkpoint"},

		"check.loading":           {Vi: "Đang nạp danh sách tin cậy và thu hồi…", En: "Loading the trust and revocation lists…"},
		"check.notrust":           {Vi: "Máy chưa có danh sách tin cậy", En: "No trust list on this desk"},
		"check.notrust.title":     {Vi: "Chưa kiểm tra được", En: "Cannot check"},
		"check.nocheckpoint":      {Vi: "Chưa đặt vị trí chốt (F2): chưa kiểm tra được khu vực", En: "Checkpoint not set (F2): areas are not checked"},
		"check.checkpoint":        {Vi: "Chốt", En: "Checkpoint"},
		"check.revoked":           {Vi: "%s mã bị thu hồi", En: "%s revoked"},
		"check.noright":           {Vi: "Tài khoản này không có quyền kiểm tra", En: "This account may not scan"},
		"check.busy":              {Vi: "Đang kiểm tra…", En: "Checking…"},
		"check.receiving":         {Vi: "Đang nhận mã: %d ký tự", En: "Receiving: %d characters"},
		"check.ready":             {Vi: "Sẵn sàng", En: "Ready"},
		"check.ready.hint":        {Vi: "Quét mã QR trên giấy đi đường hoặc phiếu đi chợ", En: "Scan the QR code of a travel permit or market-trip voucher"},
		"check.error":             {Vi: "Lỗi, chưa ghi nhận", En: "Error, not recorded"},
		"check.unverified":        {Vi: "Thông tin dưới đây CHƯA được xác thực: không dùng để đối chiếu", En: "The fields below are NOT verified: do not rely on them"},
		"check.reload.started":    {Vi: "Đang tải lại danh sách tin cậy và thu hồi…", En: "Reloading the trust and revocation lists…"},
		"check.reload.failed":     {Vi: "Không tải lại được danh sách", En: "Could not reload the lists"},
		"check.checkpoint.set":    {Vi: "Đã đặt vị trí chốt: %s", En: "Checkpoint set: %s"},
		"check.stale":             {Vi: "Lối vào khác có thể đã dùng phiếu này: %s", En: "Another entrance may have used this voucher: %s"},
		"check.stale.since":       {Vi: "chưa đồng bộ từ %s", En: "not synced since %s"},
		"check.stale.never":       {Vi: "máy chưa đồng bộ lần nào", En: "this desk has never synced"},
		"check.market":            {Vi: "Chợ", En: "Market"},
		"check.market.set":        {Vi: "Đã đặt lối vào chợ: %s", En: "Market entrance set: %s"},
		"check.market.failed":     {Vi: "Không đặt được chợ của lối vào", En: "Could not set the entrance's market"},
		"check.market.unknown":    {Vi: "không rõ: máy này không giữ phiếu này", En: "unknown: this desk does not hold this voucher"},
		"check.checkpoint.failed": {Vi: "Không đặt được vị trí chốt", En: "Could not set the checkpoint"},

		"check.household": {Vi: "hộ", En: "household"},
		"check.vehicle":   {Vi: "xe", En: "vehicle"},
		"check.allday":    {Vi: "cả ngày", En: "all day"},
		"check.history":   {Vi: "Lần quét gần đây", En: "Recent scans"},

		"check.picker.title":       {Vi: "Chọn vị trí chốt kiểm soát", En: "Choose the checkpoint's location"},
		"check.picker.hint":        {Vi: "Gõ tên xã, phường, thị trấn hoặc huyện (không cần dấu); ↑↓ để chọn, Enter để lưu", En: "Type a commune, ward, town or district name (diacritics optional); ↑↓ to move, Enter to save"},
		"check.picker.placeholder": {Vi: "ví dụ: tan my chanh", En: "e.g. tan my chanh"},
		"check.picker.none":        {Vi: "Không tìm thấy đơn vị nào", En: "No unit found"},

		"check.app.title":     {Vi: "Thông Hành · Kiểm tra", En: "Thông Hành · Check"},
		"check.summary":       {Vi: "%d lượt quét: %d hợp lệ, %d không hợp lệ", En: "%d scans: %d valid, %d not valid"},
		"check.app.forbidden": {Vi: "Tài khoản %s không có quyền kiểm tra tại chốt: đăng nhập bằng tài khoản kiểm tra", En: "Account %s may not scan at a checkpoint: log in with a checker account"},
	})
}

// The verdicts' titles come from store/seal's one table, which the phone
// checkpoint page shows too: the two never word a verdict differently.
func init() {
	titles := make(map[string]i18n.Text, len(seal.Verdicts))
	for _, v := range seal.Verdicts {
		titles["check.verdict."+string(v)] = i18n.Text{Vi: v.Title("vi"), En: v.Title("en")}
	}
	i18n.Register(titles)
}

// The fields' labels too: the phone page and verify read the same table.
func init() {
	keys := map[seal.Field]string{seal.FieldName: "name", seal.FieldID: "id", seal.FieldCategory: "category",
		seal.FieldPurpose: "purpose", seal.FieldArea: "area", seal.FieldRoute: "route", seal.FieldMarket: "market",
		seal.FieldValidity: "validity", seal.FieldHours: "hours", seal.FieldIssuer: "issuer", seal.FieldSerial: "serial"}
	labels := make(map[string]i18n.Text, len(keys))
	for f, k := range keys {
		labels["check.field."+k] = i18n.Text{Vi: f.Label("vi"), En: f.Label("en")}
	}
	i18n.Register(labels)
}
