package batchsync

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"thonghanh/store"
	"thonghanh/store/central"
)

// demoServers are the in-process demo servers, by URL, so EnrollDemoDesk
// can reach the central database behind one.
var demoServers struct {
	sync.Mutex
	byURL map[string]demoServer
}

type demoServer struct {
	dir  string
	root ed25519.PrivateKey
	pin  string
}

// StartDemoServer runs a central server in this process on 127.0.0.1 (a
// free port), over dir (made on first use with root, the demo's fixed root
// key, kept in clear: never for real permits). The caller hands the key in,
// so the sync transport does not depend on the demo's data; pages are
// served beside the protocol as ServeOptions.Pages. It returns the
// server's URL and certificate pin, and stop, which shuts it down and waits.
func StartDemoServer(ctx context.Context, dir string, root ed25519.PrivateKey, pages map[string]http.Handler) (url, pin string, stop func(), err error) {
	if _, err := os.Stat(filepath.Join(dir, FileDB)); errors.Is(err, os.ErrNotExist) {
		if _, err := InitServerDir(ctx, InitOptions{Dir: dir, Insecure: true, RootKey: root}); err != nil {
			return "", "", nil, err
		}
	}
	if pin, err = CertFingerprint(dir); err != nil {
		return "", "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", "", nil, fmt.Errorf("mở cổng cho máy chủ thử: %w", err)
	}
	url = "https://" + ln.Addr().String()
	sctx, cancel := context.WithCancel(ctx)
	ready := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- Serve(sctx, ServeOptions{Dir: dir, Listener: ln, Logger: slog.New(slog.DiscardHandler),
			Ready: func(string) { close(ready) }, Pages: pages})
	}()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		return "", "", nil, err
	}
	demoServers.Lock()
	if demoServers.byURL == nil {
		demoServers.byURL = map[string]demoServer{}
	}
	demoServers.byURL[url] = demoServer{dir: dir, root: root, pin: pin}
	demoServers.Unlock()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
			demoServers.Lock()
			delete(demoServers.byURL, url)
			demoServers.Unlock()
		})
	}
	return url, pin, stop, nil
}

// EnrollDemoDesk joins a desk seeded for the demo to the demo server at url
// (from StartDemoServer): the server adopts the desk's record and key, its
// officers and enterprises, and the desk gets the URL, pin and a token. A
// desk already joined is left as it is.
func EnrollDemoDesk(ctx context.Context, url string, desk *store.DB) error {
	demoServers.Lock()
	srv, ok := demoServers.byURL[url]
	demoServers.Unlock()
	if !ok {
		return fmt.Errorf("không có máy chủ thử nào ở %s trong tiến trình này", url)
	}
	if _, ok, _ := desk.Setting(ctx, store.SettingSyncToken); ok {
		return nil
	}
	d, err := desk.Desk(ctx)
	if err != nil {
		return err
	}
	officers, err := (&central.DB{DB: desk}).OfficerRecords(ctx, 0)
	if err != nil {
		return err
	}
	enterprises, err := desk.Enterprises(ctx)
	if err != nil {
		return err
	}
	centre, err := OpenCentral(ctx, srv.dir)
	if err != nil {
		return err
	}
	defer centre.Close()
	token, err := centre.AdoptDesk(ctx, srv.root, d, officers, enterprises)
	if err != nil {
		return fmt.Errorf("máy chủ thử nhận máy %s: %w", d.Label, err)
	}
	return desk.Write(ctx, func(tx *store.Tx) error {
		for k, v := range map[string]string{store.SettingSyncURL: url, store.SettingSyncPin: srv.pin, store.SettingSyncToken: token} {
			if err := tx.SetSetting(k, []byte(v)); err != nil {
				return err
			}
		}
		return nil
	})
}
