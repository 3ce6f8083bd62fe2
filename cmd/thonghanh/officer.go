package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"thonghanh/store"
)

// envPassword is where a script gives an officer's password, as
// --password-file does.
const envPassword = "THONGHANH_PASSWORD"

// officerFlags are --officer and --password-file, which every command that
// acts as an officer takes: the officer is logged in like at the desk, so
// the audit log names only someone who proved it.
type officerFlags struct {
	name, passwordFile *string
}

func addOfficerFlags(fs *flag.FlagSet, who string) officerFlags {
	return officerFlags{
		name: fs.String("officer", "", "tên đăng nhập của "+who+" (bắt buộc; phải đăng nhập bằng mật khẩu)"),
		passwordFile: fs.String("password-file", "", "`TỆP` chứa mật khẩu của cán bộ (dòng đầu); không có thì lấy biến "+
			envPassword+", không có nữa thì hỏi (gõ không hiện chữ)"),
	}
}

// login authenticates the officer named by --officer with the store's own
// Login, so the rules are the desk's: five wrong passwords lock the account
// for five minutes, and every attempt, failed or not, is an audit entry. A
// blank name, a wrong or missing password, an account of another unit or
// one whose password must first be changed is refused before anything is
// written. The password is returned for a signer to unlock.
func (f officerFlags) login(ctx context.Context, db *store.DB, io stdio) (store.Officer, string, error) {
	name := strings.TrimSpace(*f.name)
	if name == "" {
		return store.Officer{}, "", errors.New("cần --officer TÊN: lệnh này làm thay một cán bộ và phải đăng nhập")
	}
	desk, err := db.Desk(ctx)
	if err != nil {
		return store.Officer{}, "", err
	}
	// A password that cannot be read was never typed: no attempt was made,
	// so it neither reaches Login nor counts toward the account's lockout
	// (a scheduled task without its password must not lock the officer out).
	password, readErr := readSecret(io, *f.passwordFile, envPassword, "Mật khẩu của "+name+": ")
	if readErr != nil {
		return store.Officer{}, "", fmt.Errorf("%w (gõ mật khẩu, hoặc dùng --password-file TỆP hay biến %s)", readErr, envPassword)
	}
	officer, err := db.Login(ctx, name, password)
	if err != nil {
		return store.Officer{}, "", err
	}
	if officer.Unit != desk.Unit {
		// These commands act on this desk's records only.
		return store.Officer{}, "", fmt.Errorf("không có cán bộ %q ở đơn vị của máy này", officer.Username)
	}
	if officer.MustChangePassword {
		return store.Officer{}, "", fmt.Errorf("mật khẩu của %s không còn đạt yêu cầu (ít nhất %d ký tự, %d với người duyệt và quản trị, "+
			"không phải mật khẩu phổ biến hay ngày tháng): đăng nhập ở màn hình làm việc (lệnh thonghanh) để đổi, rồi chạy lại lệnh này",
			officer.Username, store.MinPasswordLength, store.MinSignerPasswordLength)
	}
	return officer, password, nil
}
