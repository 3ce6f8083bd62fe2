package batchsync

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"thonghanh/store/seed"
)

// The phones' listener presents its own certificate (a CA-issued one in
// production) and serves the pages and the phone API only; the desks'
// listener keeps the pinned certificate and serves everything.
func TestPhoneListenerServesPagesOnly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	if _, err := InitServerDir(ctx, InitOptions{Dir: dir, Insecure: true, RootKey: seed.DemoRootKey()}); err != nil {
		t.Fatal(err)
	}
	certPEM, keyPEM, phonePin, err := GenerateCertificate([]string{"127.0.0.1"}, sept21)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "phone.crt"), filepath.Join(dir, "phone.key")
	os.WriteFile(certFile, certPEM, 0o600)
	os.WriteFile(keyFile, keyPEM, 0o600)
	deskPin, _ := CertFingerprint(dir)
	desks, _ := net.Listen("tcp", "127.0.0.1:0")
	phones, _ := net.Listen("tcp", "127.0.0.1:0")
	ready := make(chan struct{})
	done := make(chan error, 1)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "trang") })
	go func() {
		done <- Serve(ctx, ServeOptions{Dir: dir, Listener: desks, PhoneListener: phones, PhoneCertFile: certFile, PhoneKeyFile: keyFile,
			Pages: map[string]http.Handler{"/kiem-tra/": page}, Ready: func(string) { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	get := func(ln net.Listener, path string) (int, string) {
		t.Helper()
		resp, err := client.Get("https://" + ln.Addr().String() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, Fingerprint(resp.TLS.PeerCertificates[0].Raw)
	}
	for _, c := range []struct {
		ln     net.Listener
		path   string
		status int
		pin    string
	}{
		{phones, "/kiem-tra/", 200, phonePin},
		{phones, PathPhoneLists, 401, phonePin},
		{phones, PathConfig, 404, phonePin},
		{phones, PathTrust, 404, phonePin},
		{desks, "/kiem-tra/", 200, deskPin},
		{desks, PathTrust, 200, deskPin},
	} {
		if status, pin := get(c.ln, c.path); status != c.status || pin != c.pin {
			t.Errorf("%s on %s: %d under %s, want %d under %s", c.path, c.ln.Addr(), status, pin, c.status, c.pin)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
