package store

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password rules: a desk file holds every officer's hash and the desk key
// wrapped under the approvers' passwords, so a copied file can be guessed
// at offline. Length and a list of the passwords guessers try first are
// what keep that slow; the approvers' and admins' passwords guard signing
// and accounts, so they are longer.
const (
	MinPasswordLength       = 8
	MinSignerPasswordLength = 10 // approvers and admins
)

//go:embed passwords/common.txt
var commonPasswordsText string

// commonPasswords is the embedded list, lower-cased, read on first use.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			set[line] = true
		}
	}
	return set
})

// CheckPasswordPolicy says whether password may be set for an account with
// these roles (username, when known, must not be the password). The error
// is EInvalid on the field "Mật khẩu".
func CheckPasswordPolicy(username, password string, roles []Role) error {
	min := MinPasswordLength
	for _, r := range roles {
		if r == RoleApprover || r == RoleAdmin {
			min = MinSignerPasswordLength
		}
	}
	if utf8.RuneCountInString(password) < min {
		return invalid("Mật khẩu", "phải có ít nhất %d ký tự", min)
	}
	folded := strings.ToLower(strings.TrimSpace(password))
	user := strings.ToLower(strings.TrimSpace(username))
	if user != "" && (folded == user || strings.Contains(folded, user) && len(folded)-len(user) < 4) {
		return invalid("Mật khẩu", "không được giống tên đăng nhập")
	}
	if commonPasswords()[folded] || commonPasswords()[strings.TrimRight(folded, "!@#.*")] {
		return invalid("Mật khẩu", "quá phổ biến, người dò mật khẩu thử ngay đầu tiên: chọn mật khẩu khác")
	}
	if looksLikeDate(folded) {
		return invalid("Mật khẩu", "là một ngày tháng (như ngày sinh), dễ đoán: chọn mật khẩu khác")
	}
	if oneCharacter(folded) {
		return invalid("Mật khẩu", "chỉ lặp lại một ký tự: chọn mật khẩu khác")
	}
	return nil
}

// oneCharacter: "aaaaaaaaaa", "..........".
func oneCharacter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.Trim(s, string(r)) == ""
}

// looksLikeDate recognises the ways a date (a birthday, most often) is
// typed: 01011990, 1011990, 010190, 19900101, 1/1/1990, 01-01-1990,
// 1.1.90, 1990-01-01, and a trailing "@" or "!" after any of them. The
// forms are generated here rather than listed: a century of days in a
// dozen layouts is half a million lines.
func looksLikeDate(s string) bool {
	s = strings.TrimRight(s, "!@#.*")
	var parts []string
	if strings.ContainsAny(s, "/-. ") {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
		if len(parts) != 3 {
			return false
		}
		for _, p := range parts {
			if !allDigits(p) {
				return false
			}
		}
		d, m, y := parts[0], parts[1], parts[2]
		if len(d) == 4 { // year first
			return validDate(parts[2], parts[1], parts[0])
		}
		return validDate(d, m, y) || validDate(m, d, y)
	}
	if !allDigits(s) || len(s) < 6 || len(s) > 8 {
		return false
	}
	// Without separators: every split of day, month and year that the
	// length allows, day first (Vietnamese), month first, or year first.
	for _, dl := range []int{1, 2} {
		for _, ml := range []int{1, 2} {
			yl := len(s) - dl - ml
			if yl != 2 && yl != 4 {
				continue
			}
			if validDate(s[:dl], s[dl:dl+ml], s[dl+ml:]) || validDate(s[ml:ml+dl], s[:ml], s[dl+ml:]) ||
				validDate(s[len(s)-dl:], s[yl:yl+ml], s[:yl]) {
				return true
			}
		}
	}
	return false
}

func validDate(day, month, year string) bool {
	d, err1 := strconv.Atoi(day)
	m, err2 := strconv.Atoi(month)
	y, err3 := strconv.Atoi(year)
	if err1 != nil || err2 != nil || err3 != nil || len(year) != 2 && len(year) != 4 || len(day) > 2 || len(month) > 2 {
		return false
	}
	if len(year) == 4 && (y < 1900 || y > 2099) {
		return false
	}
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
