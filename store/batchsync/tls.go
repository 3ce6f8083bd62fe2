package batchsync

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// GenerateCertificate makes the server's self-signed TLS certificate:
// ECDSA P-256, valid three years, for hosts (names or IP addresses) and
// always localhost and 127.0.0.1. Desks pin its fingerprint, so no
// certificate authority is involved.
func GenerateCertificate(hosts []string, now time.Time) (certPEM, keyPEM []byte, fingerprint string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, "", err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, "", err
	}
	tmpl := x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Thông Hành — máy chủ tỉnh", Organization: []string{"Thông Hành"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(3, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	seen := map[string]bool{}
	for _, h := range append([]string{"localhost", "127.0.0.1"}, hosts...) {
		h = strings.TrimSpace(h)
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, "", fmt.Errorf("tạo chứng chỉ TLS: %w", err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, "", err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
	return certPEM, keyPEM, Fingerprint(der), nil
}

// Fingerprint is the SHA-256 of a certificate's DER bytes, in lower-case hex.
func Fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// NormalizePin accepts a fingerprint as printed by other tools
// (AB:CD:…, spaces, upper case) and returns it as Fingerprint does.
func NormalizePin(pin string) string {
	return strings.ToLower(strings.NewReplacer(":", "", " ", "", "-", "").Replace(strings.TrimSpace(pin)))
}

// FingerprintPEM returns the fingerprint of the first certificate in a PEM file's bytes.
func FingerprintPEM(certPEM []byte) (string, error) {
	b, _ := pem.Decode(certPEM)
	if b == nil || b.Type != "CERTIFICATE" {
		return "", errors.New("không đọc được chứng chỉ PEM")
	}
	return Fingerprint(b.Bytes), nil
}

// pinnedTransport talks TLS to exactly one certificate: the one whose
// fingerprint is pin. With an empty pin (first contact at enrollment) it
// accepts any certificate and records its fingerprint in seen, so the caller
// can pin it from then on.
func pinnedTransport(pin string, seen *pinSeen) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 4
	t.TLSClientConfig = &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The chain is not checked against any authority: the certificate is
		// self-signed, and the pin below is a stricter check than a chain.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("máy chủ không gửi chứng chỉ")
			}
			fp := Fingerprint(cs.PeerCertificates[0].Raw)
			if seen != nil {
				seen.set(fp)
			}
			if pin != "" && fp != pin {
				return fmt.Errorf("chứng chỉ của máy chủ (%s) không phải chứng chỉ đã ghim (%s): từ chối kết nối", fp, pin)
			}
			return nil
		},
	}
	return t
}

type pinSeen struct {
	mu sync.Mutex
	fp string
}

func (p *pinSeen) set(fp string) {
	p.mu.Lock()
	p.fp = fp
	p.mu.Unlock()
}

func (p *pinSeen) get() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fp
}
