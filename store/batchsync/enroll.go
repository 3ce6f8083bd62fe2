package batchsync

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// EnrollOptions shape a desk's enrollment.
type EnrollOptions struct {
	URL  string
	Code string
	// Pin is the server certificate's fingerprint as `server init` printed
	// it, required: without it whoever answers first at URL (a hostile
	// network) would be pinned as the province.
	Pin      string
	Approver string // username of the approver who will hold the desk key
	Password string
	Hostname string
	// KeyParams are the argon2id costs of wrapping the desk key; nil = defaults.
	KeyParams     *seal.KeyParams
	WrapTransport func(http.RoundTripper) http.RoundTripper
	Timeout       time.Duration

	// InsecureSkipFingerprint, for a lab only, enrolls without Pin: the
	// certificate presented now is trusted and pinned (trust on first use),
	// and the caller must show it to be compared.
	InsecureSkipFingerprint bool
}

// ErrNoFingerprint: an enrollment without the server certificate's
// fingerprint is refused.
var ErrNoFingerprint = errors.New("cần vân tay chứng chỉ máy chủ (--fingerprint, do `thonghanh server init` in ra): không có nó thì máy có thể đăng ký nhầm với một máy chủ giả mạo")

// CheckFingerprint refuses an enrollment's fingerprint that is missing
// (unless skip, for a lab) or is not a SHA-256 in hex.
func CheckFingerprint(pin string, skip bool) error {
	p := NormalizePin(pin)
	if p == "" {
		if skip {
			return nil
		}
		return ErrNoFingerprint
	}
	if _, err := hex.DecodeString(p); err != nil || len(p) != 64 {
		return fmt.Errorf("vân tay chứng chỉ %q không đúng dạng: cần 64 chữ số hệ 16 như server init đã in", pin)
	}
	return nil
}

// EnrollResult is what the desk now is.
type EnrollResult struct {
	Desk  store.Desk
	Pin   string
	TOFU  bool // the pin was taken from the first connection, not given
	Units int
}

// Enroll joins db (a fresh desk database) to the server at opt.URL with a
// one-time code. The desk makes its own signing key: the private key never
// leaves this machine, not even to the server, and is written only wrapped
// under the approver's password; the server certifies the public key for
// the code's unit. The server's certificate is pinned from now on.
func Enroll(ctx context.Context, db *store.DB, opt EnrollOptions) (EnrollResult, error) {
	var res EnrollResult
	if d, err := db.Desk(ctx); err == nil {
		return res, fmt.Errorf("cơ sở dữ liệu này đã là %s: dùng một tệp mới để đăng ký", d.Label)
	}
	if opt.Code == "" || opt.Approver == "" || opt.Password == "" {
		return res, errors.New("cần mã đăng ký, tên người duyệt và mật khẩu")
	}
	if err := CheckFingerprint(opt.Pin, opt.InsecureSkipFingerprint); err != nil {
		return res, err
	}
	pin := NormalizePin(opt.Pin)
	if opt.Timeout <= 0 {
		opt.Timeout = time.Minute
	}
	pub, priv, err := seal.GenerateKey()
	if err != nil {
		return res, err
	}
	seen := &pinSeen{}
	var rt http.RoundTripper = pinnedTransport(pin, seen)
	if opt.WrapTransport != nil {
		rt = opt.WrapTransport(rt)
	}
	hc := &http.Client{Transport: rt}
	base := strings.TrimRight(opt.URL, "/")
	var resp enrollResponse
	err = exchange(ctx, hc, opt.Timeout, http.MethodPost, base+PathEnroll, "",
		store.EnrollRequest{Code: opt.Code, PublicKey: pub, Approver: opt.Approver, Password: opt.Password, Hostname: opt.Hostname}, &resp)
	if err != nil {
		return res, fmt.Errorf("đăng ký với máy chủ %s: %w", base, err)
	}
	if pin == "" {
		pin, res.TOFU = seen.get(), true
	}
	err = db.SaveEnrollment(ctx, resp.EnrollResponse, priv, opt.Approver, opt.Password, opt.KeyParams, map[string][]byte{
		store.SettingSyncURL: []byte(base), store.SettingSyncPin: []byte(pin), store.SettingSyncCursor: []byte("0")})
	if err != nil {
		return res, fmt.Errorf("máy chủ đã cấp máy %s nhưng không lưu được vào máy này (xin quản trị thu hồi máy đó và cấp mã mới): %w",
			resp.Desk.ID, err)
	}
	res.Desk, res.Pin = resp.Desk, pin
	if units, err := db.Units(ctx); err == nil {
		res.Units = len(units.All())
	}
	return res, nil
}
