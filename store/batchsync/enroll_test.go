package batchsync

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// tryEnroll posts one enrollment with code and pw, as a code holder would.
func tryEnroll(e *env, code, pw string) error {
	pub, _, _ := seal.GenerateKey()
	var resp enrollResponse
	hc := &http.Client{Transport: pinnedTransport(e.pin, nil)}
	return exchange(context.Background(), hc, 30*time.Second, http.MethodPost, e.url+PathEnroll, "",
		store.EnrollRequest{Code: code, PublicKey: pub, Approver: "duyet.28291", Password: pw}, &resp)
}

// POST /v1/enroll is public: a code holder gets five tries at the approver's
// password, then the code is burned, for good (the count is in the central
// database) and even for guesses sent all at once.
func TestEnrollCodeBurnsAfterFiveWrongPasswords(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	code, _, err := e.central.CreateEnrollCode(ctx, unitA, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for i := range central.MaxEnrollAttempts {
		err := tryEnroll(e, code, "doan-mat-khau")
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != http.StatusForbidden {
			t.Fatalf("wrong password %d: %v, want 403", i+1, err)
		}
		if last := i == central.MaxEnrollAttempts-1; last != strings.Contains(he.Message, "đã bị hủy") {
			t.Fatalf("wrong password %d says %q", i+1, he.Message)
		}
	}
	// The server restarts: the code stays burned, even for the right password.
	e.stop()
	e.openCentral()
	e.start()
	err = tryEnroll(e, code, password)
	if he, ok := err.(*HTTPError); !ok || !strings.Contains(he.Message, "mã đăng ký đã bị hủy sau 5 lần nhập sai mật khẩu") {
		t.Fatalf("the right password after five wrong ones: %v, want the code burned", err)
	}
	if n := count(t, e.central.DB, `SELECT COUNT(*) FROM desks`); n != 0 {
		t.Fatalf("%d desks enrolled with a burned code", n)
	}

	// Twenty guesses at once still get five password checks between them.
	code, _, err = e.central.CreateEnrollCode(ctx, unitA, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := tryEnroll(e, code, "doan-mat-khau"); err == nil {
				t.Error("a wrong password enrolled")
			}
		})
	}
	wg.Wait()
	if err := tryEnroll(e, code, password); err == nil || !strings.Contains(err.Error(), "đã bị hủy") {
		t.Fatalf("after twenty wrong guesses at once: %v, want the code burned", err)
	}
	if n := count(t, e.central.DB, `SELECT MAX(attempts) FROM enroll_codes`); n != central.MaxEnrollAttempts {
		t.Fatalf("%d passwords were checked against one code, want %d", n, central.MaxEnrollAttempts)
	}

	// Four slips of the approver's fingers leave the code good.
	code, _, err = e.central.CreateEnrollCode(ctx, unitA, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for range central.MaxEnrollAttempts - 1 {
		if err := tryEnroll(e, code, "doan-mat-khau"); err == nil || !strings.Contains(err.Error(), "lần thử") {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if err := tryEnroll(e, code, password); err != nil {
		t.Fatalf("the right password on the last try: %v", err)
	}
}
