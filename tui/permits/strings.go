package permits

import "thonghanh/tui/i18n"

func init() {
	i18n.Register(map[string]i18n.Text{
		"permits.title":              {Vi: "Giấy đã cấp · %s", En: "Issued permits · %s"},
		"permits.loading":            {Vi: "Đang tải…", En: "Loading…"},
		"permits.counts":             {Vi: "%s giấy · ", En: "%s permits · "},
		"permits.marked":             {Vi: "đánh dấu %s", En: "%s marked"},
		"permits.search.hint":        {Vi: "/ tìm theo tên, số CCCD hoặc số giấy", En: "/ search by name, ID number or serial"},
		"permits.search.placeholder": {Vi: "tên, số CCCD hoặc số giấy", En: "name, ID number or serial"},
		"permits.col.serial":         {Vi: "Số giấy", En: "Serial"},
		"permits.col.name":           {Vi: "Họ và tên", En: "Holder"},
		"permits.col.id":             {Vi: "CCCD/CMND", En: "ID number"},
		"permits.col.cat":            {Vi: "Loại", En: "Cat."},
		"permits.col.validity":       {Vi: "Thời hạn", En: "Valid"},
		"permits.col.printed":        {Vi: " In", En: "Pr."},
		"permits.cat":                {Vi: "L%d", En: "C%d"},
		"permits.status.valid":       {Vi: "Còn hạn", En: "Valid"},
		"permits.status.expired":     {Vi: "Hết hạn", En: "Expired"},
		"permits.status.revoked":     {Vi: "Đã thu hồi", En: "Revoked"},
		"permits.empty":              {Vi: "Đơn vị chưa cấp giấy nào.", En: "This unit has issued no permit yet."},
		"permits.nomatch":            {Vi: "Không có giấy nào khớp.", En: "No permit matches."},
		"permits.issuedon":           {Vi: "cấp lúc %s", En: "issued %s"},
		"permits.printed":            {Vi: "đã in %d lần", En: "printed %d×"},
		"permits.revokedon":          {Vi: "Thu hồi lúc %s: %s", En: "Revoked %s: %s"},

		"permits.qr.back":     {Vi: "esc: quay lại", En: "esc: back"},
		"permits.qr.toosmall": {Vi: "Cửa sổ quá nhỏ để hiện mã QR: cần ít nhất %d cột × %d dòng (hiện %d × %d). Phóng to cửa sổ hoặc giảm cỡ chữ: mã sẽ hiện ngay khi đủ chỗ.", En: "The window is too small for the QR code: it needs at least %d columns × %d rows (now %d × %d). Enlarge the window or use a smaller font: the code shows as soon as it fits."},

		"permits.revoke.title":    {Vi: "Thu hồi giấy đi đường", En: "Revoke permits"},
		"permits.revoke.one":      {Vi: "Thu hồi giấy số %s. Mọi chốt kiểm soát sẽ từ chối giấy này.", En: "Revoke permit %s. Every checkpoint will refuse it."},
		"permits.revoke.many":     {Vi: "Thu hồi %s giấy. Mọi chốt kiểm soát sẽ từ chối các giấy này.", En: "Revoke %s permits. Every checkpoint will refuse them."},
		"permits.revoke.approver": {Vi: "Chỉ người duyệt mới được thu hồi giấy.", En: "Only an approving officer may revoke permits."},
		"permits.revoke.none":     {Vi: "Không có giấy nào còn hiệu lực để thu hồi.", En: "No permit left to revoke."},
		"permits.revoke.done":     {Vi: "Đã thu hồi %s giấy", En: "Revoked %s permits"},
		"permits.reason.label":    {Vi: "Lý do thu hồi:", En: "Reason:"},
		"permits.reason.required": {Vi: "Phải ghi lý do thu hồi.", En: "A reason is required."},
		"permits.reason.keys":     {Vi: "enter: thu hồi · esc: hủy", En: "enter: revoke · esc: cancel"},

		"permits.print.busy":        {Vi: "Đang in, chờ xong tệp này.", En: "Printing; wait for this file."},
		"permits.print.none":        {Vi: "Không có giấy nào để in (giấy đã thu hồi không in).", En: "Nothing to print (revoked permits are not printed)."},
		"permits.print.skiprevoked": {Vi: "Bỏ qua %s giấy đã thu hồi.", En: "%s revoked permits left out."},
		"permits.print.progress":    {Vi: "%s/%s giấy", En: "%s/%s permits"},
		"permits.print.done":        {Vi: "Đã in %s giấy: %s", En: "Printed %s permits: %s"},
		"permits.print.failed":      {Vi: "Không in được", En: "Printing failed"},

		"permits.detail.title":    {Vi: "Giấy đi đường số %s", En: "Travel permit %s"},
		"permits.detail.holder":   {Vi: "Người được cấp", En: "Holder"},
		"permits.detail.category": {Vi: "Loại", En: "Category"},
		"permits.detail.cat":      {Vi: "%d · %s", En: "%d · %s"},
		"permits.detail.validity": {Vi: "Thời hạn", En: "Valid"},
		"permits.detail.issued":   {Vi: "Cấp lúc", En: "Issued"},
		"permits.detail.status":   {Vi: "Tình trạng", En: "Status"},
		"permits.detail.revoked":  {Vi: "Thu hồi", En: "Revoked"},
		"permits.detail.printed":  {Vi: "Số lần in", En: "Times printed"},
		"permits.detail.qrlen":    {Vi: "Mã QR", En: "QR text"},
		"permits.detail.chars":    {Vi: "%s ký tự", En: "%s characters"},

		"permits.key.back":        {Vi: "bỏ đánh dấu", En: "unmark"},
		"permits.key.search":      {Vi: "tìm", En: "search"},
		"permits.key.applysearch": {Vi: "tìm", En: "search"},
		"permits.key.reload":      {Vi: "tải lại", En: "reload"},
		"permits.key.qr":          {Vi: "mã QR", En: "QR"},
		"permits.key.revoke":      {Vi: "thu hồi", En: "revoke"},
		"permits.key.print":       {Vi: "in", En: "print"},
	})
}
