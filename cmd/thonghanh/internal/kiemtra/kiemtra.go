// Package kiemtra is the phone checkpoint page: the HTML, script, manifest
// and service worker an officer's phone loads once from the central server
// at /kiem-tra/, and the WebAssembly engine that verifies QR codes offline
// with store/seal's own code (./offline, built by ./gen from ./wasm).
//
// Its room is serving those files. The page talks to the server only
// through store/batchsync's phone endpoints (/v1/phone/…); cmd mounts this
// handler beside the server's, so the transport and the store know no page.
// It may not import store or the transport.
package kiemtra

//go:generate go run ./gen -out static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Prefix is where the page lives on the server.
const Prefix = "/kiem-tra/"

//go:embed static
var static embed.FS

type file struct {
	body        []byte
	contentType string
	gzipped     bool // body is gzip; sent as is with Content-Encoding
	etag        string
}

// Page serves the checkpoint page's files.
type Page struct {
	files   map[string]*file
	version string
}

var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".wasm":        "application/wasm",
}

// iconName is where the page serves its PNG icon of size pixels.
func iconName(size int) string { return "icon-" + strconv.Itoa(size) + ".png" }

// New reads the embedded files and draws the PNG icons. The service worker gets the hash of them
// all as its cache's name, so a new build replaces the phone's copy at its
// next load online, and an unchanged one is never fetched twice.
func New() (*Page, error) {
	p := &Page{files: map[string]*file{}}
	entries, err := fs.ReadDir(static, "static")
	if err != nil {
		return nil, err
	}
	bodies := map[string][]byte{}
	for _, e := range entries {
		if bodies[e.Name()], err = static.ReadFile("static/" + e.Name()); err != nil {
			return nil, err
		}
	}
	for _, size := range iconSizes {
		if bodies[iconName(size)], err = iconPNG(size); err != nil {
			return nil, err
		}
	}
	names := make([]string, 0, len(bodies))
	for name := range bodies {
		names = append(names, name)
	}
	sort.Strings(names)
	all := sha256.New()
	for _, name := range names {
		body := bodies[name]
		f := &file{body: body}
		if strings.HasSuffix(name, ".gz") {
			name, f.gzipped = strings.TrimSuffix(name, ".gz"), true
		}
		f.contentType = contentTypes[path.Ext(name)]
		if f.contentType == "" {
			continue // the README and anything else not for the browser
		}
		sum := sha256.Sum256(body)
		f.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
		all.Write([]byte(name))
		all.Write(sum[:])
		p.files[name] = f
	}
	p.version = hex.EncodeToString(all.Sum(nil)[:8])
	sw := p.files["sw.js"]
	sw.body = bytes.ReplaceAll(sw.body, []byte("__VERSION__"), []byte(p.version))
	sum := sha256.Sum256(sw.body)
	sw.etag = `"` + hex.EncodeToString(sum[:12]) + `"`
	return p, nil
}

// Version names this build of the page.
func (p *Page) Version() string { return p.version }

// Size is the bytes a first load transfers (gzipped engine included), for
// the README's figure and the test that bounds it.
func (p *Page) Size() (total, engine int) {
	for name, f := range p.files {
		total += len(f.body)
		if name == "engine.wasm" {
			engine = len(f.body)
		}
	}
	return total, engine
}

// ServeHTTP serves Prefix and the files under it.
func (p *Page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "chỉ GET", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		if r.URL.Path+"/" == Prefix {
			http.Redirect(w, r, Prefix, http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
		return
	}
	if name == "" {
		name = "index.html"
	}
	f, ok := p.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", f.etag)
	// Always revalidated: the service worker serves offline, and online a
	// new build must reach the phone at once.
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if name == "index.html" {
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
		h.Set("Permissions-Policy", "camera=(self)")
	}
	if name == "sw.js" {
		h.Set("Service-Worker-Allowed", Prefix)
	}
	if match := r.Header.Get("If-None-Match"); match != "" && match == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if f.gzipped {
		h.Add("Vary", "Accept-Encoding")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
		} else {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err == nil {
				body, err = io.ReadAll(zr)
			}
			if err != nil {
				http.Error(w, "lỗi máy chủ", http.StatusInternalServerError)
				return
			}
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}
