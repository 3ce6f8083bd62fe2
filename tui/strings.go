package tui

import "thonghanh/tui/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"tab.intake":   {Vi: "Tiếp nhận", En: "Intake"},
		"tab.queue":    {Vi: "Hàng chờ", En: "Queue"},
		"tab.permits":  {Vi: "Giấy đã cấp", En: "Permits"},
		"tab.vouchers": {Vi: "Phiếu đi chợ", En: "Vouchers"},
		"tab.check":    {Vi: "Kiểm tra", En: "Check"},
		"tab.sync":     {Vi: "Đồng bộ", En: "Sync"},
		"tab.admin":    {Vi: "Quản trị", En: "Admin"},

		"placeholder.forbidden": {Vi: "Tài khoản %s không dùng được màn hình này.", En: "A %s account cannot use this screen."},

		"frame.toosmall":    {Vi: "Cửa sổ quá nhỏ: cần ít nhất %d×%d, hiện là %d×%d.", En: "Window too small: needs at least %d×%d, now %d×%d."},
		"frame.notloggedin": {Vi: "Chưa đăng nhập", En: "Not logged in"},
		"frame.signer":      {Vi: "đã mở khóa ký", En: "can sign"},
		"frame.online":      {Vi: "Trực tuyến", En: "Online"},
		"frame.offline":     {Vi: "Ngoại tuyến", En: "Offline"},
		"frame.syncing":     {Vi: "Đang đồng bộ %d/%d", En: "Syncing %d/%d"},
		"frame.pending":     {Vi: "%s chờ gửi", En: "%s to send"},
		"frame.syncerror":   {Vi: "lỗi đồng bộ", En: "sync error"},
		"frame.syncbusy":    {Vi: "máy chủ bận, gửi sau", En: "centre busy, later"},
		"frame.lists":       {Vi: "danh sách cũ %s", En: "lists %s old"},
		"frame.nosyncer":    {Vi: "Máy chưa kết nối máy chủ tỉnh: dữ liệu được giữ lại và gửi khi có kết nối.", En: "No central server configured: changes are kept and sent once connected."},
		"frame.syncstarted": {Vi: "Đang đồng bộ với máy chủ tỉnh…", En: "Syncing with the central server…"},
		"frame.loggedout":   {Vi: "Đã đăng xuất.", En: "Logged out."},
		"frame.synced":      {Vi: "Đã đồng bộ xong lúc %s.", En: "Synced at %s."},
		"frame.syncfailed":  {Vi: "Đồng bộ chưa xong: %s", En: "Sync did not finish: %s"},
	})
}
