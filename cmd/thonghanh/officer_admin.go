package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"thonghanh/store"
)

// The unit admin's accounts at the desk, as the Quản trị tab keeps them:
// officer add, edit and deactivate log the admin in and call the store's
// AddOfficer, UpdateOfficer and DeactivateOfficer, which decide who may
// (an active admin of the same unit; nobody closes their own account or
// takes the unit's last admin away), check the values, audit, and queue
// the account for the centre. A refused change writes no account.

// envNewPassword is where a script gives a new account's temporary
// password, as --new-password-file does.
const envNewPassword = "THONGHANH_NEW_PASSWORD"

func init() {
	register(&command{name: "officer", summary: "tài khoản cán bộ của đơn vị trên máy này (officer list, add, edit, deactivate)", run: runOfficer})
}

func runOfficer(ctx context.Context, args []string, io stdio) int {
	return subcommand(ctx, "officer", "officer list|add|edit|deactivate [THAM SỐ]", args, io, map[string]string{
		"list":       "liệt kê tài khoản cán bộ của đơn vị: tên đăng nhập, họ tên, vai trò, còn hoạt động",
		"add":        "mở tài khoản cho một cán bộ của đơn vị, với mật khẩu tạm (đổi ở lần đăng nhập đầu); cần tài khoản quản trị",
		"edit":       "sửa họ tên, vai trò hoặc chức vụ của một tài khoản; cần tài khoản quản trị",
		"deactivate": "vô hiệu hóa một tài khoản: không đăng nhập được nữa, việc đã làm vẫn giữ tên; cần tài khoản quản trị",
	}, map[string]func(context.Context, []string, stdio) int{"list": officerList, "add": officerAdd, "edit": officerEdit, "deactivate": officerDeactivate})
}

// roleWords are the roles as an admin may type them: the codes, and
// Vietnamese words without accents.
var roleWords = map[string]store.Role{
	"clerk": store.RoleClerk, "tiep-nhan": store.RoleClerk, "tiepnhan": store.RoleClerk,
	"approver": store.RoleApprover, "duyet": store.RoleApprover, "nguoi-duyet": store.RoleApprover,
	"admin": store.RoleAdmin, "quan-tri": store.RoleAdmin, "quantri": store.RoleAdmin,
	"checker": store.RoleChecker, "kiem-tra": store.RoleChecker, "kiemtra": store.RoleChecker,
}

// parseRoles reads --roles: codes or words, separated by commas.
func parseRoles(s string) ([]store.Role, error) {
	var rs []store.Role
	for _, w := range splitList(s) {
		r, ok := roleWords[strings.ReplaceAll(store.Fold(w), " ", "-")]
		if !ok {
			return nil, fmt.Errorf("không có vai trò %q: chọn clerk (tiếp nhận), approver (duyệt), admin (quản trị) hoặc checker (kiểm tra)", w)
		}
		if !slices.Contains(rs, r) {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("cần ít nhất một vai trò trong --roles")
	}
	return rs, nil
}

// roleText is an account's roles in Vietnamese.
func roleText(rs []store.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = store.RoleName(r)
	}
	return strings.Join(names, ", ")
}

// positionText is an approver's position as the signature block says it.
func positionText(o store.Officer) string {
	if !o.Has(store.RoleApprover) {
		return ""
	}
	if o.Position == store.PositionDeputy {
		return "cấp phó"
	}
	return "người đứng đầu"
}

// sharedInput makes successive prompts read successive lines of a
// standard input that is not a terminal (a script pipes the admin's
// password, then the new account's): readSecret's bufio.NewReader then
// returns this reader, not a new one that would swallow the second line.
func sharedInput(io stdio) stdio {
	if f, ok := io.in.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return io
	}
	if _, ok := io.in.(*bufio.Reader); !ok {
		io.in = bufio.NewReader(io.in)
	}
	return io
}

// unitOfficer finds the account username of the admin's unit.
func unitOfficer(ctx context.Context, db *store.DB, admin store.Officer, username string) (store.Officer, error) {
	list, err := db.OfficersOfUnit(ctx, admin.Unit)
	if err != nil {
		return store.Officer{}, err
	}
	username = strings.ToLower(strings.TrimSpace(username))
	for _, o := range list {
		if o.Username == username {
			return o, nil
		}
	}
	return store.Officer{}, fmt.Errorf("đơn vị không có tài khoản %q (thonghanh officer list)", username)
}

func officerList(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "officer list", "officer list [--db TỆP]", "Liệt kê tài khoản cán bộ của đơn vị của máy, kể cả tài khoản đã vô hiệu hóa.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "officer list", err)
	}
	defer db.Close()
	desk, err := db.Desk(ctx)
	if err != nil {
		return fail(io, "officer list", err)
	}
	list, err := db.OfficersOfUnit(ctx, desk.Unit)
	if err != nil {
		return fail(io, "officer list", err)
	}
	tw := tabwriter.NewWriter(io.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TÊN ĐĂNG NHẬP\tHỌ TÊN\tVAI TRÒ\tCHỨC VỤ\tHOẠT ĐỘNG")
	for _, o := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Username, o.FullName, roleText(o.Roles), positionText(o), map[bool]string{true: "có", false: "KHÔNG"}[o.Active])
	}
	tw.Flush()
	return exitOK
}

func officerAdd(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "officer add", `officer add [--db TỆP] --officer TÊN [--password-file TỆP] --username TÊN_MỚI --name "HỌ TÊN" --roles VAI_TRÒ [--position truong|pho] [--new-password-file TỆP]`,
		"Mở tài khoản cho một cán bộ của đơn vị. Vai trò: clerk (tiếp nhận), approver (duyệt, ký), admin (quản trị), checker (kiểm tra).\n"+
			"Mật khẩu tạm lấy từ --new-password-file, biến "+envNewPassword+" hoặc được hỏi: ít nhất 10 ký tự cho người duyệt và quản trị,\n"+
			"8 cho người khác, không phải mật khẩu phổ biến hay ngày tháng; cán bộ đổi nó ở lần đăng nhập đầu.\n"+
			"Các máy khác của đơn vị nhận tài khoản ở lần đồng bộ tới.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên của đơn vị")
	username := fs.String("username", "", "`TÊN` đăng nhập của tài khoản mới (không dấu cách)")
	name := fs.String("name", "", "họ và tên của cán bộ")
	roles := fs.String("roles", "", "`VAI_TRÒ`, cách nhau bằng dấu phẩy: clerk, approver, admin, checker")
	position := fs.String("position", "truong", "`CHỨC_VỤ` của người duyệt, cho khối chữ ký trên giấy: truong (TM. … CHỦ TỊCH) hoặc pho (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)")
	newPassFile := fs.String("new-password-file", "", "`TỆP` chứa mật khẩu tạm của tài khoản mới (dòng đầu)")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if strings.TrimSpace(*username) == "" || strings.TrimSpace(*name) == "" || *roles == "" {
		fmt.Fprintln(io.err, "officer add: cần --username, --name và --roles")
		return exitUsage
	}
	rs, err := parseRoles(*roles)
	if err != nil {
		fmt.Fprintln(io.err, "officer add:", err)
		return exitUsage
	}
	pos, err := store.ParsePosition(*position)
	if err != nil {
		fmt.Fprintln(io.err, "officer add:", err)
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "officer add", err)
	}
	defer db.Close()
	io = sharedInput(io)
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "officer add", err)
	}
	pass, err := readSecret(io, *newPassFile, envNewPassword, "Mật khẩu tạm của "+*username+": ")
	if err != nil {
		return fail(io, "officer add", fmt.Errorf("%w (dùng --new-password-file TỆP hay biến %s)", err, envNewPassword))
	}
	o, err := db.AddOfficer(ctx, admin, store.NewOfficer{Username: *username, FullName: *name, Unit: admin.Unit, Roles: rs, Position: pos, Password: pass})
	if err != nil {
		return fail(io, "officer add", err)
	}
	fmt.Fprintf(io.out, "Đã mở tài khoản %s (%s), vai trò: %s. Mật khẩu tạm phải đổi ở lần đăng nhập đầu.\n", o.Username, o.FullName, roleText(o.Roles))
	return exitOK
}

func officerEdit(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "officer edit", `officer edit [--db TỆP] --officer TÊN [--password-file TỆP] [--name "HỌ TÊN"] [--roles VAI_TRÒ] [--position truong|pho] TÊN_ĐĂNG_NHẬP`,
		"Sửa họ tên, vai trò hoặc chức vụ của một tài khoản của đơn vị; tham số không ghi thì giữ như cũ.\n"+
			"Không ai tự bỏ vai trò quản trị của mình, và đơn vị luôn còn một quản trị viên.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên của đơn vị")
	name := fs.String("name", "", "họ và tên mới")
	roles := fs.String("roles", "", "`VAI_TRÒ` mới (thay cả danh sách), cách nhau bằng dấu phẩy: clerk, approver, admin, checker")
	position := fs.String("position", "", "`CHỨC_VỤ` mới của người duyệt: truong hoặc pho")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	set := flagsSet(fs)
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "officer edit: cần đúng một TÊN_ĐĂNG_NHẬP")
		return exitUsage
	}
	if !set["name"] && !set["roles"] && !set["position"] {
		fmt.Fprintln(io.err, "officer edit: không có gì để sửa: ghi --name, --roles hoặc --position")
		return exitUsage
	}
	var rs []store.Role
	var pos store.Position
	var err error
	if set["roles"] {
		if rs, err = parseRoles(*roles); err != nil {
			fmt.Fprintln(io.err, "officer edit:", err)
			return exitUsage
		}
	}
	if set["position"] {
		if pos, err = store.ParsePosition(*position); err != nil {
			fmt.Fprintln(io.err, "officer edit:", err)
			return exitUsage
		}
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "officer edit", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "officer edit", err)
	}
	o, err := unitOfficer(ctx, db, admin, fs.Arg(0))
	if err != nil {
		return fail(io, "officer edit", err)
	}
	c := store.OfficerChange{FullName: o.FullName, Roles: o.Roles, Position: o.Position}
	if set["name"] {
		c.FullName = *name
	}
	if set["roles"] {
		c.Roles = rs
	}
	if set["position"] {
		c.Position = pos
	}
	o, err = db.UpdateOfficer(ctx, admin, o.ID, c)
	if err != nil {
		return fail(io, "officer edit", err)
	}
	line := fmt.Sprintf("Đã sửa tài khoản %s (%s), vai trò: %s", o.Username, o.FullName, roleText(o.Roles))
	if p := positionText(o); p != "" {
		line += ", chức vụ: " + p
	}
	fmt.Fprintln(io.out, line+".")
	return exitOK
}

func officerDeactivate(ctx context.Context, args []string, io stdio) int {
	fs := newFlags(io, "officer deactivate", `officer deactivate [--db TỆP] --officer TÊN [--password-file TỆP] TÊN_ĐĂNG_NHẬP`,
		"Vô hiệu hóa một tài khoản của đơn vị: không đăng nhập được nữa, ở máy này và (sau lần đồng bộ tới) ở các máy khác;\n"+
			"những gì tài khoản đã làm vẫn ghi tên nó. Không ai tự vô hiệu hóa mình, và đơn vị luôn còn một quản trị viên.")
	dbPath := fs.String("db", defaultDeskDB(), "cơ sở dữ liệu của máy")
	of := addOfficerFlags(fs, "quản trị viên của đơn vị")
	if ok, code := parseFlags(fs, io, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "officer deactivate: cần đúng một TÊN_ĐĂNG_NHẬP")
		return exitUsage
	}
	db, err := openStore(ctx, *dbPath)
	if err != nil {
		return fail(io, "officer deactivate", err)
	}
	defer db.Close()
	admin, _, err := of.login(ctx, db, io)
	if err != nil {
		return fail(io, "officer deactivate", err)
	}
	o, err := unitOfficer(ctx, db, admin, fs.Arg(0))
	if err != nil {
		return fail(io, "officer deactivate", err)
	}
	if err := db.DeactivateOfficer(ctx, admin, o.ID); err != nil {
		return fail(io, "officer deactivate", err)
	}
	fmt.Fprintf(io.out, "Đã vô hiệu hóa tài khoản %s (%s).\n", o.Username, o.FullName)
	return exitOK
}
