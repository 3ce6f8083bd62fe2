package batchsync

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"thonghanh/store"
	"thonghanh/store/central"
	"thonghanh/store/seal"
)

// Files of a server directory (`thonghanh server init --dir D`).
const (
	FileDB           = "central.db"
	FileRootKey      = "root.key"          // root private key, encrypted with the passphrase
	FileRootInsecure = "root-insecure.key" // root private key in clear (demos only)
	FileRootPub      = "root.pub"          // root public key, 64 hex characters (thonghanh verify --root)
	FileCert         = "tls.crt"
	FileCertKey      = "tls.key"
)

// EnvPassphrase holds the root key's passphrase when no file is given.
const EnvPassphrase = "THONGHANH_ROOT_PASSPHRASE"

// InitOptions shape a new server directory.
type InitOptions struct {
	Dir        string
	Hosts      []string // names and addresses desks will use, for the certificate
	Passphrase string   // encrypts the root key; required unless Insecure
	Insecure   bool     // keep the root key in clear (demos only)
	RootKey    ed25519.PrivateKey
	KeyParams  *seal.KeyParams // argon2id costs of the passphrase; nil = seal's defaults
}

// InitResult is what `server init` prints.
type InitResult struct {
	Fingerprint   string
	RootPublicKey ed25519.PublicKey
}

// InitServerDir creates a server directory: the province root key (stored
// encrypted, or in clear with Insecure), its public key file, a self-signed
// TLS certificate, and the central database seeded with the province's
// units and a first signed trust list and revocation list.
func InitServerDir(ctx context.Context, opt InitOptions) (InitResult, error) {
	var res InitResult
	if opt.Dir == "" {
		return res, errors.New("thiếu thư mục máy chủ (--dir)")
	}
	if _, err := os.Stat(filepath.Join(opt.Dir, FileDB)); err == nil {
		return res, fmt.Errorf("thư mục %s đã có máy chủ (%s): không khởi tạo đè", opt.Dir, FileDB)
	}
	if !opt.Insecure && len(opt.Passphrase) < 8 {
		return res, errors.New("cần mật khẩu bảo vệ khóa gốc (ít nhất 8 ký tự) qua --passphrase-file hoặc biến " + EnvPassphrase)
	}
	if err := os.MkdirAll(opt.Dir, 0o700); err != nil {
		return res, fmt.Errorf("tạo thư mục %s: %w", opt.Dir, err)
	}
	root := opt.RootKey
	if root == nil {
		var err error
		if _, root, err = seal.GenerateKey(); err != nil {
			return res, err
		}
	}
	if opt.Insecure {
		if err := writeFile(opt.Dir, FileRootInsecure, []byte(hex.EncodeToString(root.Seed())+"\n"), 0o600); err != nil {
			return res, err
		}
	} else {
		params := seal.DefaultKeyParams
		if opt.KeyParams != nil {
			params = *opt.KeyParams
		}
		blob, err := seal.EncryptPrivateKeyWith(root, opt.Passphrase, params)
		if err != nil {
			return res, fmt.Errorf("mã hóa khóa gốc: %w", err)
		}
		if err := writeFile(opt.Dir, FileRootKey, blob, 0o600); err != nil {
			return res, err
		}
	}
	res.RootPublicKey = root.Public().(ed25519.PublicKey)
	if err := writeFile(opt.Dir, FileRootPub, []byte(seal.RootPublicKeyHex(res.RootPublicKey)), 0o644); err != nil {
		return res, err
	}
	certPEM, keyPEM, fp, err := GenerateCertificate(opt.Hosts, time.Now())
	if err != nil {
		return res, err
	}
	if err := writeFile(opt.Dir, FileCert, certPEM, 0o644); err != nil {
		return res, err
	}
	if err := writeFile(opt.Dir, FileCertKey, keyPEM, 0o600); err != nil {
		return res, err
	}
	res.Fingerprint = fp
	db, err := central.Open(ctx, filepath.Join(opt.Dir, FileDB))
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := db.InitCentral(ctx, root); err != nil {
		return res, fmt.Errorf("khởi tạo cơ sở dữ liệu trung tâm: %w", err)
	}
	return res, nil
}

func writeFile(dir, name string, data []byte, perm os.FileMode) error {
	if err := os.WriteFile(filepath.Join(dir, name), data, perm); err != nil {
		return fmt.Errorf("ghi %s: %w", name, err)
	}
	return nil
}

// LoadRootKey opens the root key of a server directory. insecure is true
// when it was kept in clear.
func LoadRootKey(dir, passphrase string) (root ed25519.PrivateKey, insecure bool, err error) {
	blob, err := os.ReadFile(filepath.Join(dir, FileRootKey))
	if errors.Is(err, os.ErrNotExist) {
		text, err2 := os.ReadFile(filepath.Join(dir, FileRootInsecure))
		if err2 != nil {
			return nil, false, fmt.Errorf("không có khóa gốc trong %s (chạy thonghanh server init trước): %w", dir, err2)
		}
		seed, err := hex.DecodeString(strings.TrimSpace(string(text)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, true, fmt.Errorf("tệp %s hỏng", FileRootInsecure)
		}
		return ed25519.NewKeyFromSeed(seed), true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("đọc khóa gốc: %w", err)
	}
	if passphrase == "" {
		return nil, false, errors.New("khóa gốc được mã hóa: cần mật khẩu qua --passphrase-file hoặc biến " + EnvPassphrase)
	}
	root, err = seal.DecryptPrivateKey(blob, passphrase)
	if err != nil {
		return nil, false, fmt.Errorf("mở khóa gốc: %w", err)
	}
	return root, false, nil
}

// OpenCentral opens the central database of a server directory.
func OpenCentral(ctx context.Context, dir string) (*central.DB, error) {
	file := filepath.Join(dir, FileDB)
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("không có máy chủ trong %s (chạy thonghanh server init trước): %w", dir, err)
	}
	db, err := central.Open(ctx, file)
	if err != nil {
		return nil, err
	}
	if !db.IsCentral(ctx) {
		db.Close()
		return nil, fmt.Errorf("%s không phải cơ sở dữ liệu của máy chủ tỉnh", file)
	}
	return db, nil
}

// CertFingerprint is the fingerprint desks pin for a server directory.
func CertFingerprint(dir string) (string, error) {
	pemBytes, err := os.ReadFile(filepath.Join(dir, FileCert))
	if err != nil {
		return "", err
	}
	return FingerprintPEM(pemBytes)
}

// ServeOptions shape Serve.
type ServeOptions struct {
	Dir        string
	Addr       string       // e.g. ":8443"; ignored when Listener is set
	Listener   net.Listener // optional: an already bound listener (tests, demo)
	Passphrase string
	Logger     *slog.Logger
	Limits     Limits
	BusyAfter  time.Duration // ServerOptions.BusyAfter
	// ShutdownTimeout bounds the graceful shutdown once ctx is done.
	ShutdownTimeout time.Duration
	// Ready, when set, is called with the bound address once serving.
	Ready func(addr string)
	// Pages are served beside the protocol, each under its path prefix
	// ("/kiem-tra/"): cmd hands in the phone checkpoint page, so this
	// package carries it without knowing it.
	Pages map[string]http.Handler
	// PhoneAddr, when set, is a second HTTPS listener for phones, with a
	// certificate a phone's browser accepts (a CA-issued one for the
	// province's host, PhoneCertFile and PhoneKeyFile): it serves the Pages
	// and the phone API only, while desks keep pinning the server's own
	// certificate on Addr.
	PhoneAddr                   string
	PhoneListener               net.Listener // optional: an already bound listener for PhoneAddr (tests)
	PhoneCertFile, PhoneKeyFile string

	opHook func(store.PushOp)
}

// Serve runs the central server over HTTPS until ctx is done, then shuts
// down gracefully: no new connections, requests in progress finish (each
// op commits or not as a whole), within ShutdownTimeout.
func Serve(ctx context.Context, opt ServeOptions) error {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	root, insecure, err := LoadRootKey(opt.Dir, opt.Passphrase)
	if err != nil {
		return err
	}
	if insecure {
		log.Warn("root key kept in clear: demo only, never for real permits", slog.String("file", filepath.Join(opt.Dir, FileRootInsecure)))
	}
	cert, err := tls.LoadX509KeyPair(filepath.Join(opt.Dir, FileCert), filepath.Join(opt.Dir, FileCertKey))
	if err != nil {
		return fmt.Errorf("đọc chứng chỉ TLS: %w", err)
	}
	db, err := OpenCentral(ctx, opt.Dir)
	if err != nil {
		return err
	}
	defer db.Close()
	ln := opt.Listener
	if ln == nil {
		if ln, err = net.Listen("tcp", opt.Addr); err != nil {
			return fmt.Errorf("mở cổng %s: %w", opt.Addr, err)
		}
	}
	var handler http.Handler = NewServer(db, root, ServerOptions{Logger: log, Limits: opt.Limits, BusyAfter: opt.BusyAfter, opHook: opt.opHook})
	if len(opt.Pages) > 0 {
		mux := http.NewServeMux()
		for prefix, page := range opt.Pages {
			mux.Handle(prefix, page)
		}
		mux.Handle("/", handler)
		handler = mux
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}},
	}
	done := make(chan error, 2)
	go func() { done <- srv.Serve(tls.NewListener(ln, srv.TLSConfig)) }()
	var phoneSrv *http.Server
	if opt.PhoneAddr != "" || opt.PhoneListener != nil {
		phoneSrv, err = servePhones(opt, handler, srv, done)
		if err != nil {
			srv.Close()
			<-done
			return err
		}
		log.Info("serving phones", slog.String("addr", opt.PhoneAddr))
	}
	fp, _ := CertFingerprint(opt.Dir)
	log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("fingerprint", fp))
	if opt.Ready != nil {
		opt.Ready(ln.Addr().String())
	}
	select {
	case err := <-done:
		srv.Close()
		if phoneSrv != nil {
			phoneSrv.Close()
		}
		return fmt.Errorf("máy chủ dừng: %w", err)
	case <-ctx.Done():
	}
	timeout := opt.ShutdownTimeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	log.Info("shutting down", slog.Duration("timeout", timeout))
	if phoneSrv != nil {
		if err := phoneSrv.Shutdown(sctx); err != nil {
			phoneSrv.Close()
		}
		<-done
	}
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("dừng máy chủ: %w", err)
	}
	<-done
	return nil
}

// servePhones starts the phones' listener: the pages and /v1/phone/ only,
// under the CA-issued certificate.
func servePhones(opt ServeOptions, handler http.Handler, main *http.Server, done chan<- error) (*http.Server, error) {
	if opt.PhoneCertFile == "" || opt.PhoneKeyFile == "" {
		return nil, errors.New("cổng cho điện thoại cần chứng chỉ do CA cấp: --tls-cert và --tls-key")
	}
	cert, err := tls.LoadX509KeyPair(opt.PhoneCertFile, opt.PhoneKeyFile)
	if err != nil {
		return nil, fmt.Errorf("đọc chứng chỉ cho điện thoại: %w", err)
	}
	ln := opt.PhoneListener
	if ln == nil {
		if ln, err = net.Listen("tcp", opt.PhoneAddr); err != nil {
			return nil, fmt.Errorf("mở cổng %s: %w", opt.PhoneAddr, err)
		}
	}
	phoneOnly := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok := strings.HasPrefix(r.URL.Path, "/v1/phone/")
		for prefix := range opt.Pages {
			ok = ok || strings.HasPrefix(r.URL.Path+"/", prefix)
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		handler.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: phoneOnly, ReadHeaderTimeout: main.ReadHeaderTimeout, ReadTimeout: main.ReadTimeout,
		WriteTimeout: main.WriteTimeout, IdleTimeout: main.IdleTimeout, ErrorLog: main.ErrorLog,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}}
	go func() { done <- srv.Serve(tls.NewListener(ln, srv.TLSConfig)) }()
	return srv, nil
}
