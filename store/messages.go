package store

import "fmt"

// The store speaks Vietnamese: its messages are made in the clerks'
// language, and that is what the log, the server and the outbox keep. A
// desk run with --lang en shows them in English through the tables below,
// keyed by the Vietnamese format; each English format carries the same
// verbs in the same order. A test parses the store's sources and fails on a
// format or field without its English text. Arguments stay as given (unit
// and people's names are names).

// message is a text made from a Vietnamese format and its arguments.
type message struct {
	format string
	args   []any
}

// text is the message in Vietnamese, or in English when there is a text.
func (m message) text(english bool) string {
	format := m.format
	if en, ok := englishFormats[format]; english && ok {
		format = en
	}
	if len(m.args) == 0 {
		return format
	}
	return fmt.Sprintf(format, m.args...)
}

func englishField(field string) string {
	if en, ok := englishFields[field]; ok {
		return en
	}
	return field
}

var englishFields = map[string]string{
	FieldIDNumber: "ID number", FieldName: "Full name", FieldBirthDate: "Date of birth", FieldPhone: "Phone",
	FieldSex: "Sex", FieldCommune: "Commune", FieldAddress: "Address", FieldHamlet: "Hamlet",
	FieldCategory: "Permit type", FieldPurpose: "Purpose", FieldArea: "Area", FieldRoute: "Route",
	FieldValidity: "Validity", FieldHours: "Daily hours", FieldVehicle: "Vehicle plate", FieldEmployer: "Employer",
	FieldEnterpr: "Enterprise", FieldCommand: "Command centre", FieldReason: "Reason",
	"Mức nguy cơ": "Risk level", "Mã số thuế": "Tax code", "Chợ": "Market", "Tên chợ": "Market name",
	"Mật khẩu": "Password", "Lượt quét": "Scan", "Tên máy": "Device name", "Đơn vị": "Unit", "Số hồ sơ": "Application number",
	"Hộ": "Household", "Quyết định": "Decision", "Khóa gốc": "Root key", "Ngày bắt đầu": "Start date",
	"Khóa máy": "Desk key", "Giấy": "Permit", "Thời gian": "Time", "Tên đăng nhập": "Username",
	"Vị trí chốt": "Checkpoint", "Kế hoạch": "Plan", "Nội dung": "Content", "Thu hồi": "Revocation",
	"Đơn vị quản lý": "Managing unit", "Vai trò": "Role", "Tài khoản": "Account", "Chức vụ": "Position", "Tên vùng": "Zone name", "Giờ mở cửa": "Opening hours",
	"Sức chứa": "Capacity", "Nguồn": "Source", "Nhật ký": "Audit log", "Cấp": "Level", "Hồ sơ": "Application", "Xung đột": "Conflict", "Mã hộ": "Household code", "Tên đơn vị": "Unit name", "Số phiếu": "Voucher number",
}

var englishFormats = map[string]string{
	// The phone checkpoint page (store/central/phone.go).
	"tên điện thoại dài quá %d ký tự": "the phone's name is over %d characters",
	"tài khoản %s không phải tài khoản kiểm tra: đăng nhập bằng tài khoản kiểm tra của đơn vị": "%s is not a checker account: log in with the unit's checker account",
	"tài khoản %s phải đổi mật khẩu trên máy bàn trước khi dùng điện thoại":                    "%s must change the password at a desk before using a phone",
	"điện thoại không dùng từ %s (quá %d ngày): đăng nhập lại":                                 "this phone has not been used since %s (over %d days): log in again",
	"không có điện thoại %s":                                  "no phone %s",
	"điện thoại %s đã bị thu hồi từ trước":                    "phone %s was already revoked",
	"quá %d lượt quét trong một lần gửi":                      "over %d scans in one upload",
	"lượt quét %d thiếu mã hoặc thời điểm không hợp lệ":       "scan %d has no ID or a bad time",
	"lượt quét %d không hợp lệ":                               "scan %d is not valid",
	"số định danh phải gồm 9 hoặc 12 chữ số":                  "an ID number has 9 or 12 digits",
	"máy đã tra cứu quá %d lần trong 24 giờ":                  "this desk has looked up more than %d people in 24 hours",
	"tài khoản %s không được giải quyết xung đột":             "account %s may not resolve conflicts",
	"không có xung đột %s":                                    "no conflict %s",
	"xung đột %s đã được giải quyết":                          "conflict %s is already resolved",
	"mã xung đột %q không khớp op (%q)":                       "conflict ID %q does not match the op (%q)",
	"máy chủ không có xung đột %s":                            "the server has no conflict %s",
	"xung đột %s không liên quan đến đơn vị của máy này":      "conflict %s does not concern this desk's unit",
	"tài khoản %s không được giải quyết xung đột của máy này": "account %s may not resolve this desk's conflicts",
	// Input.
	"%q không dùng cho giấy loại %d": "%q is not a purpose of type %d permits",
	"%q đã có người dùng":            "%q is taken",
	"%s":                             "%s",
	"%s %s: %v":                      "%s %s: %v",
	"%s ghi hai lần":                 "%s is listed twice",
	"chỉ gồm chữ cái, dấu cách và ' - . (có ký tự %q)": "letters, spaces and ' - . only (found %q)",
	"chỉ gồm chữ số":                                                   "digits only",
	"chỉ gồm chữ số (CCCD 12 số hoặc CMND 9 số)":                       "digits only (12 for a CCCD, 9 for a CMND)",
	"chọn Nam hoặc Nữ":                                                 "choose male or female",
	"chọn ban chỉ huy đã huy động":                                     "choose the command centre that mobilised this person",
	"chọn cơ quan công tác":                                            "choose the employing unit",
	"chọn doanh nghiệp nơi làm việc":                                   "choose the enterprise",
	"chọn một trong: nguy cơ, nguy cơ cao, nguy cơ rất cao, phong tỏa": "choose one of: at risk, high risk, very high risk, lockdown",
	"chọn ít nhất một xã hoặc huyện được đi lại":                       "choose at least one commune or district",
	"chứa ký tự không in được trên giấy (%q)":                          "has a character a permit cannot print (%q)",
	"chứa ký tự điều khiển":                                            "has a control character",
	"chứa ký tự định dạng ẩn (U+%04X)":                                 "has an invisible format character (U+%04X)",
	"cần ít nhất một vai trò":                                          "needs at least one role",
	"dài quá %d ký tự":                                                 "longer than %d characters",
	"ghi dạng 06:00-18:00":                                             "write it as 06:00-18:00",
	"ghi ngày bắt đầu và ngày kết thúc":                                "enter a start and an end date",
	"giấy loại %d chỉ được cấp tối đa %d ngày":                         "type %d permits last %d days at most",
	"giờ %q không đúng dạng 06:00":                                     "time %q is not like 06:00",
	"giờ hoặc sức chứa không hợp lệ":                                   "invalid hours or capacity",
	"giờ kết thúc phải sau giờ bắt đầu, trong cùng một ngày":           "the end time must come after the start, on the same day",
	"giờ đóng cửa phải sau giờ mở cửa":                                 "closing time must come after opening time",
	"khóa công khai phải dài 32 byte":                                  "a public key is 32 bytes long",
	"không được trống hoặc chứa dấu cách":                              "must not be empty or contain spaces",
	"không được để trống":                                              "must not be empty",
	"loại giấy phải từ 1 đến 5":                                        "the permit type is 1 to 5",
	"mã %d không phải ban chỉ huy phòng, chống dịch":                   "%d is not an epidemic command centre",
	"mã %d không phải tỉnh, huyện hay xã có thật":                      "%d is not a real province, district or commune",
	"mã %d không phải xã, phường, thị trấn":                            "%d is not a commune, ward or town",
	"mã %d không phải xã, phường, thị trấn có thật":                    "%d is not a real commune, ward or town",
	"mã tỉnh %s ở 3 số đầu không có thật":                              "province code %s in the first 3 digits does not exist",
	"ngày %q không đúng dạng ngày/tháng/năm":                           "date %q is not day/month/year",
	"ngày bắt đầu %s đã qua":                                           "the start date %s is past",
	"ngày kết thúc phải sau ngày bắt đầu":                              "the end date must come after the start date",
	"nhiều nhất 20 đơn vị":                                             "20 units at most",
	"năm sinh %d không hợp lý":                                         "birth year %d is not plausible",
	"phải có 10 số (hoặc 10 số, gạch ngang, 3 số)":                     "must have 10 digits (or 10 digits, a dash, 3 digits)",
	"phải có 10 số, đang có %d số":                                     "must have 10 digits, has %d",
	"phải có 12 số (CCCD) hoặc 9 số (CMND), đang có %d số":             "must have 12 digits (CCCD) or 9 (CMND), has %d",
	"phải có ít nhất 4 ký tự":                                          "must have at least 4 characters",
	"phải ghi lý do thu hồi":                                           "a revocation needs a reason",
	"phải ghi lý do từ chối":                                           "a rejection needs a reason",
	"phải là Ban Quản lý các KCN, Sở Công Thương, Sở Giao thông vận tải, Sở Thông tin và Truyền thông hoặc UBND huyện": "must be the Industrial Parks Board, the Department of Industry and Trade, of Transport, of Information and Communications, or a district People's Committee",
	"phải là tiếp nhận trực tiếp hoặc trực tuyến":                                                                      "must be walk-in or online",
	"phải từ 1 đến 5":                                                            "must be 1 to 5",
	"số hộ mỗi khung giờ phải lớn hơn 0":                                         "households per slot must be more than 0",
	"số thứ 4 (%d) không khớp với giới tính":                                     "the 4th digit (%d) does not match the sex",
	"số thứ 4 (%d) không khớp với thế kỷ của năm sinh %d":                        "the 4th digit (%d) does not match the century of birth year %d",
	"số thứ 4 không hợp lệ":                                                      "the 4th digit is not valid",
	"số thứ 5–6 (%s) không khớp với năm sinh %d":                                 "digits 5–6 (%s) do not match birth year %d",
	"số %s không thuộc dãy số của máy này (%s…)":                                 "%s is not in this desk's series (%s…)",
	"thiếu hoặc không hợp lệ":                                                    "missing or not valid",
	"tên doanh nghiệp không được để trống":                                       "the enterprise name must not be empty",
	"mã doanh nghiệp %q không khớp op (%q)":                                      "enterprise ID %q does not match its op (%q)",
	"mã doanh nghiệp %s đã có trên máy chủ":                                      "enterprise ID %s is already on the server",
	"mã vùng %q không khớp op (%q)":                                              "zone ID %q does not match its op (%q)",
	"mã chợ %q không khớp op (%q)":                                               "market ID %q does not match its op (%q)",
	"số phiếu %q không khớp op (%q)":                                             "voucher %q does not match its op (%q)",
	"phiếu %s không thuộc dãy số của máy này":                                    "voucher %s is not of this desk's series",
	"máy chủ không nhận loại bản ghi %q":                                         "the server takes no record of kind %q",
	"ngày bắt đầu %s quá xa: giấy loại %d chỉ xin trước được tối đa %d ngày":     "the start %s is too far ahead: type %d permits may be requested at most %d days ahead",
	"hồ sơ %s lập ngày %s, quá %d ngày sau giờ của máy chủ: đồng hồ của máy sai": "application %s is dated %s, more than %d days after the server's clock: the desk's clock is wrong",
	"tên doanh nghiệp không hợp lệ":                                              "the enterprise name is not valid",
	"từ chối phải có lý do hợp lệ":                                               "a rejection needs a valid reason",
	"vùng phải thuộc một xã, phường, thị trấn":                                   "a zone belongs to a commune, ward or town",
	"đơn vị %d có cấp %d, phải là 1, 2 hoặc 3":                                   "unit %d has level %d; it must be 1, 2 or 3",
	"đơn vị hoặc doanh nghiệp ghi trong hồ sơ không có trong danh sách":          "a unit or enterprise named in the application is not on the list",
	"đầu số %s không phải số di động Việt Nam":                                   "%s is not a Vietnamese mobile prefix",
	"doanh nghiệp không có trong danh sách":                                      "the enterprise is not on the list",
	"không có doanh nghiệp này trong danh sách":                                  "this enterprise is not on the list",
	"duyệt mà không kèm giấy":                                                    "an approval without its permit",

	// Records.
	"chưa có người mang số %s":                          "nobody has ID number %s yet",
	"không có cán bộ %s":                                "no officer %s",
	"không có doanh nghiệp %s":                          "no enterprise %s",
	"không có giấy hay phiếu số %s":                     "no permit or voucher %s",
	"không có giấy số %s":                               "no permit %s",
	"không có huyện mã %d":                              "no district %d",
	"không có hồ sơ %s":                                 "no application %s",
	"không có kết quả %q":                               "no outcome %q",
	"không có máy %s":                                   "no desk %s",
	"không có mức %q":                                   "no level %q",
	"không có người %s":                                 "no person %s",
	"không có phiếu đi chợ số %s":                       "no market voucher %s",
	"không có tài khoản %s":                             "no account %s",
	"không có vai trò %q":                               "no role %q",
	"không có chức vụ %q (chọn truong hoặc pho)":        "no position %q (choose truong or pho)",
	"không có vùng %s":                                  "no zone %s",
	"không có xã, phường, thị trấn hay huyện nào mã %d": "no commune, ward, town or district %d",
	"không có đơn vị %d":                                "no unit %d",
	"không có đơn vị mã %d":                             "no unit with code %d",
	"không ghi được hồ sơ %s: %v":                       "could not record application %s: %v",
	"không ghi được người %s: %v":                       "could not record person %s: %v",
	"mã QR của giấy %s hỏng: %s":                        "the QR code of permit %s is damaged: %s",
	"mã hồ sơ %q không khớp op (%q)":                    "application %q does not match its op (%q)",
	"số giấy %q không khớp op (%q)":                     "permit %q does not match its op (%q)",
	"mục %d của máy đã có với nội dung khác (nhật ký bị rẽ nhánh)": "entry %d of this desk exists with other content (the log forked)",
	"mục %d: mã băm không khớp nội dung":                           "entry %d: the hash does not match the content",
	"mục %d: số thứ tự phải từ 1":                                  "entry %d: the sequence number starts at 1",
	"lượt quét từ máy chủ thiếu mã hoặc thời điểm":                 "a scan from the server lacks its code or time",
	"máy chủ gửi khóa gốc không hợp lệ":                            "the server sent an invalid root key",
	"cơ sở dữ liệu %s đã là của máy chủ trung tâm":                 "database %s already belongs to a central server",
	"cơ sở dữ liệu này đã là máy %s (%s): dùng một tệp mới":        "this database is already desk %s (%s): use a new file",
	"mã đăng ký chỉ dùng được từ vài phút đến 30 ngày":             "an enrollment code lasts from a few minutes to 30 days",
	"máy %s không có mã truy cập nào còn hiệu lực":                 "desk %s has no valid access token",

	// Enrollment codes and device tokens.
	"sai tên đăng nhập hoặc mật khẩu của người duyệt (còn %d lần thử, sau đó mã đăng ký bị hủy)":             "wrong approver username or password (%d tries left, then the enrollment code is cancelled)",
	"mã đăng ký đã bị hủy sau %d lần nhập sai mật khẩu người duyệt; xin quản trị tỉnh mã mới":                "the enrollment code was cancelled after %d wrong approver passwords; ask the province for a new one",
	"mã truy cập của máy đã hết hạn vì không dùng từ %s (quá %d ngày): liên hệ quản trị tỉnh để đăng ký lại": "the desk's access token expired, unused since %s (over %d days): ask the province to enroll it again",
	"máy không còn giữ mã truy cập này": "this desk no longer holds that access token",

	// Market entrances.
	"phiếu từ máy chủ thiếu số phiếu":      "a voucher from the server lacks its number",
	"phiếu dành cho %s; đây là lối vào %s": "a voucher for %s; this is the entrance of %s",
	"máy này không có chợ %q":              "this desk has no market %q",
	"có %d chợ tên %q: ghi mã chợ":         "%d markets are named %q: give the market's ID",

	// Rights and authority.
	"%s không phải người duyệt đang hoạt động của đơn vị được đăng ký":             "%s is not an active approver of the unit being enrolled",
	"cán bộ %q không có trong danh sách tài khoản của tỉnh":                        "officer %q is not in the province's accounts",
	"chỉ cán bộ của xã mới được nhập danh sách hộ của xã":                          "only the commune's officers may import its households",
	"chỉ người duyệt mới giữ khóa ký của máy":                                      "only approvers hold the desk's signing key",
	"chỉ người duyệt mới được phát phiếu đi chợ (tài khoản %s không có quyền này)": "only approvers issue market vouchers (account %s may not)",
	"chỉ người duyệt mới được quyết định hồ sơ (tài khoản %s không có quyền này)":  "only approvers decide applications (account %s may not)",
	"chỉ quản trị viên hoặc người duyệt của xã mới được sửa vùng và chợ":           "only the commune's administrators and approvers may change zones and markets",
	"cần đăng nhập bằng tài khoản quản trị viên của đơn vị":                        "log in with an administrator account of the unit",
	"chỉ quản trị viên của đơn vị mới được quản lý tài khoản cán bộ":               "only the unit's administrators may manage officer accounts",
	"tài khoản này không thuộc đơn vị của bạn":                                     "this account is not of your unit",
	"không tự bỏ vai trò quản trị của mình: nhờ một quản trị viên khác":            "you cannot take away your own administrator role: ask another administrator",
	"đây là quản trị viên cuối cùng của đơn vị":                                    "this is the unit's last administrator",
	"không tự vô hiệu hóa tài khoản của mình":                                      "you cannot deactivate your own account",
	"không có chợ %s":                                                   "no market %s",
	"mã tài khoản %q không khớp op (%q)":                                "account ID %q does not match the op (%q)",
	"máy chỉ quản lý được tài khoản của đơn vị mình":                    "a desk manages only its own unit's accounts",
	"chỉ xã %d được khoanh vùng của mình":                               "only commune %d may draw its own zones",
	"danh sách tin cậy không chứng nhận khóa của máy này cho đơn vị %d": "the trust list does not certify this desk's key for unit %d",
	"doanh nghiệp %s do %s quản lý; máy không đổi được đơn vị quản lý":  "enterprise %s is managed by %s; a desk cannot change that",
	"giấy %s do đơn vị khác cấp":                                        "permit %s was issued by another unit",
	"hồ sơ %s nằm trong hàng chờ của %s, không phải của đơn vị bạn":     "application %s is in the queue of %s, not yours",
	"hồ sơ %s thuộc thẩm quyền đơn vị bạn, không cần chuyển":            "application %s is yours to decide; there is nothing to forward",
	"hồ sơ %s đã %s": "application %s is already %s",
	"hồ sơ %s: nơi cư trú của người này (%s) nằm ngoài khu vực đi lại":                                           "application %s: this person's home (%s) is outside the area",
	"hồ sơ %s: người này đã có giấy loại %d số %s còn hiệu lực %s–%s; cấp thêm phải ghi lý do":                   "application %s: this person already holds type %d permit %s, valid %s–%s; a second one needs a reason",
	"hồ sơ %s: cùng lượt duyệt đã cấp cho người này giấy loại %d (hồ sơ %s) %s–%s; cấp thêm phải ghi lý do":      "application %s: this approval already issues this person a type %d permit (application %s) %s–%s; a second one needs a reason",
	"khóa ký của máy chưa được mở: đăng nhập bằng tài khoản người duyệt":                                         "the desk's signing key is locked: log in as an approver",
	"khóa ký không phải khóa đã chứng nhận cho máy này":                                                          "the signing key is not the one certified for this desk",
	"khóa này đã được chứng nhận cho một máy khác":                                                               "this key is already certified for another desk",
	"máy chưa có danh sách khóa ký tin cậy của tỉnh: chưa kiểm tra được mã nào (đồng bộ với máy chủ tỉnh trước)": "this desk has no trust list from the province yet: no code can be checked (sync with the province's server first)",
	"máy chưa có khóa gốc của tỉnh (chưa đăng ký với máy chủ)":                                                   "this desk has no root key of the province (not enrolled)",
	"máy chỉ khoanh vùng được trong xã của mình":                                                                 "a desk draws zones in its own commune only",
	"máy của %s không được đăng ký doanh nghiệp do %s quản lý":                                                   "a desk of %s may not register enterprises managed by %s",
	"máy này chưa giao khóa ký cho %s":                                                                           "this desk has not given a signing key to %s",
	"máy này chưa được đăng ký làm bàn làm việc của đơn vị nào":                                                  "this desk is not enrolled for any unit",
	"máy này của %s, không ký thay đơn vị khác":                                                                  "this desk belongs to %s and signs for no other unit",
	"số %s do đơn vị khác cấp, bạn không thu hồi được":                                                           "%s was issued by another unit; you cannot revoke it",
	"số %s đã bị thu hồi từ trước":                                                                               "%s is already revoked",
	"tài khoản %s không được in giấy và phiếu":                                                                   "account %s may not print permits or vouchers",
	"tài khoản %s không có quyền duyệt":                                                                          "account %s may not approve",
	"tài khoản %s không có quyền kiểm tra giấy tại chốt":                                                         "account %s may not check permits at a checkpoint",
	"tài khoản %s không có quyền ký":                                                                             "account %s may not sign",
	"tài khoản %s phải đổi mật khẩu trước khi ký":                                                                "account %s must change its password before signing",
	"tài khoản %s không có trên máy này":                                                                         "account %s is not on this desk",
	"tài khoản %s không được nhập danh sách hộ":                                                                  "account %s may not import households",
	"tài khoản %s không được tiếp nhận hồ sơ":                                                                    "account %s may not receive applications",
	"hồ sơ tiếp nhận trực tiếp phải do một cán bộ đã đăng nhập nhập vào":                                         "a walk-in application must be entered by a logged-in officer",
	"tài khoản %s thuộc đơn vị khác máy này":                                                                     "account %s belongs to another unit than this desk",
	"tài khoản %s đã bị vô hiệu hóa":                                                                             "account %s is disabled",
	"vùng này không thuộc xã của bạn":                                                                            "this zone is not in your commune",
	"vùng này không thuộc xã của máy":                                                                            "this zone is not in the desk's commune",

	// Market vouchers.
	"%d hộ đã có phiếu đi chợ trong đợt %s–%s (%s%s): thu hồi phiếu cũ hoặc chọn đợt khác":          "%d households already have vouchers for %s–%s (%s%s): revoke them or choose other dates",
	"%s khung %s: %d hộ, quá sức chứa %d hộ mỗi khung (tính cả phiếu đã phát trước): xem trước lại": "%s, slot %s: %d households, over the capacity of %d a slot (counting vouchers issued before): preview again",
	"chưa chọn ngày bắt đầu của đợt":                                                                  "no start date chosen",
	"chưa có kế hoạch chia lượt để phát phiếu":                                                        "no slot plan to issue from",
	"danh sách hộ, vùng hoặc chợ đã thay đổi sau khi xem trước: hãy xem trước lại rồi mới phát phiếu": "households, zones or markets changed after the preview: preview again before issuing",
	"kế hoạch chia lượt không khớp danh sách hộ và chợ: hãy xem trước lại":                            "the slot plan does not match the households and markets: preview again",
	"ngày %s đã qua: đợt phát phiếu phải bắt đầu từ hôm nay trở đi":                                   "%s is past: vouchers start today or later",
	"vùng %s chưa có chợ nào: quản trị viên thêm chợ trước (thonghanh market add)":                    "zone %s has no market: an administrator adds one first (thonghanh market add)",
	"vùng %s chưa có hộ nào trong danh sách: nhập danh sách hộ của xã trước":                          "zone %s has no households: import the commune's households first",
	"đợt bắt đầu %s đã qua: xem trước lại với ngày mới":                                               "the start %s is past: preview again with a new date",

	// Authority (Authority.ReasonText).
	"đơn loại 1 chưa ghi doanh nghiệp":                              "a type 1 application without its enterprise",
	"%s không cấp giấy cho người lao động doanh nghiệp":             "%s does not issue permits to enterprise workers",
	"doanh nghiệp %s do %s quản lý, không thuộc %s":                 "enterprise %s is managed by %s, not %s",
	"đơn loại 2 chưa ghi cơ quan công tác":                          "a type 2 application without its employing unit",
	"ban chỉ huy không cấp giấy loại 2":                             "command centres do not issue type 2 permits",
	"người này công tác tại %s: chỉ thủ trưởng cơ quan đó được cấp": "this person works at %s: only its head may issue",
	"giấy loại 3 do ban chỉ huy phòng, chống dịch cấp":              "type 3 permits are issued by epidemic command centres",
	"người này do %s huy động, không phải %s":                       "this person was mobilised by %s, not %s",
	"người này cư trú tại %s: chỉ UBND xã đó được xét":              "this person lives in %s: only that commune decides",
	"người này cư trú tại %s, không thuộc %s":                       "this person lives in %s, outside %s",
	"khu vực đi lại trong huyện: thuộc thẩm quyền UBND %s":          "travel within the district: for the People's Committee of %s",
	"giấy loại 4 do UBND xã nơi cư trú xét cấp":                     "type 4 permits are decided by the commune of residence",
	"phiếu đi chợ do UBND xã nơi cư trú (%s) cấp":                   "market vouchers are issued by the commune of residence (%s)",
	"nơi ở của người này không thuộc vùng nguy cơ nào của xã":       "this person's home is in none of the commune's risk zones",
	"không có loại giấy %d":                                         "no permit type %d",
	"khu vực đi lại ra ngoài %s: xã chuyển lên UBND %s quyết định":  "travel beyond %s: the commune forwards it to the People's Committee of %s",

	// Messages made whole (no format).
	"sai tên đăng nhập hoặc mật khẩu":                                "wrong username or password",
	"tài khoản tạm khóa do nhập sai mật khẩu %d lần, thử lại sau %s": "account locked after %d wrong passwords; try again after %s",
	"sai mật khẩu %d lần: tài khoản bị khóa đến %s":                  "%d wrong passwords: the account is locked until %s",
	"sai tên đăng nhập hoặc mật khẩu (còn %d lần thử)":               "wrong username or password (%d tries left)",
	"tài khoản đã bị vô hiệu hóa":                                    "this account is disabled",
	"không mở được khóa ký bằng mật khẩu này":                        "this password does not unlock the signing key",

	// Passwords and logins.
	"phải có ít nhất %d ký tự":                                              "must have at least %d characters",
	"không được giống tên đăng nhập":                                        "must not be the username",
	"quá phổ biến, người dò mật khẩu thử ngay đầu tiên: chọn mật khẩu khác": "is too common, one a guesser tries first: choose another",
	"là một ngày tháng (như ngày sinh), dễ đoán: chọn mật khẩu khác":        "is a date (such as a birthday), easy to guess: choose another",
	"chỉ lặp lại một ký tự: chọn mật khẩu khác":                             "repeats one character: choose another",
	"mật khẩu mới phải khác mật khẩu cũ":                                    "the new password must differ from the old one",
	"cần đăng nhập bằng tài khoản quản trị viên của xã":                     "log in as the commune's admin",
	"cần đăng nhập để nhập danh sách hộ":                                    "log in to import households",
}
