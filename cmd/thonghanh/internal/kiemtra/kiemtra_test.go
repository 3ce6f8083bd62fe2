package kiemtra

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
	"thonghanh/cmd/thonghanh/internal/kiemtra/vectortest"
)

// The committed engine is what `go generate` builds from today's code: a
// rule changed in store/seal without regenerating fails here, in CI.
func TestEngineIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly engine (about a minute)")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./gen", "-out", out)
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./gen: %v\n%s", err, msg)
	}
	for _, name := range []string{"engine.wasm.gz", "wasm_exec.js"} {
		fresh, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		committed, err := os.ReadFile(filepath.Join("static", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fresh, committed) {
			t.Errorf("static/%s is stale (%d bytes, a fresh build has %d): run go generate ./cmd/thonghanh/internal/kiemtra and commit it",
				name, len(committed), len(fresh))
		}
	}
}

// The page's engine, as WebAssembly with the page's own glue, gives every
// vector's verdict, fields and signer, and opens or refuses every list case.
func TestEngineVectorsInNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed")
	}
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := json.Marshal(f.Lists())
	listsPath := filepath.Join(t.TempDir(), "lists.json")
	if err := os.WriteFile(listsPath, lists, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "testdata/vectors.node.js", "static", vectortest.Path(), listsPath).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got struct {
		Info    offline.ListInfo `json:"info"`
		Answers []offline.Answer `json:"answers"`
		Lists   []bool           `json:"lists"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node's answer: %v\n%.500s", err, out)
	}
	if len(got.Answers) != len(f.Cases) || len(got.Lists) != len(f.ListCases) {
		t.Fatalf("%d answers for %d cases, %d for %d list cases", len(got.Answers), len(f.Cases), len(got.Lists), len(f.ListCases))
	}
	for i, c := range f.Cases {
		if msg := vectortest.Check(c, got.Answers[i]); msg != "" {
			t.Error(msg)
		}
	}
	for i, lc := range f.ListCases {
		if got.Lists[i] != lc.Accept {
			t.Errorf("list case %s: opened %v, want %v", lc.Name, got.Lists[i], lc.Accept)
		}
	}
	if got.Info.TrustSequence == 0 || got.Info.Keys == 0 {
		t.Errorf("list info %+v", got.Info)
	}
}

// The page is served with its engine gzipped (and unzipped for a client
// that cannot take gzip), a service worker named for this build, a strict
// content security policy, and a first load under 3 MB.
func TestPageServes(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(p)
	defer ts.Close()
	tr := &http.Transport{DisableCompression: true}
	get := func(path, enc string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	resp, body := get(Prefix, "")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Thông Hành · Kiểm tra") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "'wasm-unsafe-eval'") {
		t.Errorf("index: %d %q", resp.StatusCode, resp.Header.Get("Content-Security-Policy"))
	}
	resp, body = get(Prefix+"engine.wasm", "gzip, br")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Content-Type") != "application/wasm" {
		t.Errorf("engine: %q %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	resp, plain := get(Prefix+"engine.wasm", "identity")
	if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(plain, raw) || !bytes.HasPrefix(raw, []byte("\x00asm")) {
		t.Errorf("engine without gzip: %q, %d bytes", resp.Header.Get("Content-Encoding"), len(plain))
	}
	_, sw := get(Prefix+"sw.js", "")
	if !strings.Contains(string(sw), "thonghanh-kiem-tra-"+p.Version()) || strings.Contains(string(sw), "__VERSION__") {
		t.Error("the service worker's cache is not named for this build")
	}
	resp, _ = get(Prefix+"../../etc/passwd", "")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("outside the page: %d", resp.StatusCode)
	}
	total, engine := p.Size()
	t.Logf("first load %d bytes, engine %d gzipped, %d unzipped", total, engine, len(raw))
	if total > 3<<20 {
		t.Errorf("first load %d bytes, over 3 MB", total)
	}
}

// The manifest lists PNG icons of 192 and 512 pixels (Android's Chrome
// installs a page only with those), each served as a PNG of its stated
// size, and the service worker keeps every icon for offline use.
func TestManifestIcons(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(p)
	defer ts.Close()
	get := func(name string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(ts.URL + Prefix + name)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, body
	}
	_, body := get("manifest.webmanifest")
	var m struct {
		Icons []struct{ Src, Sizes, Type, Purpose string }
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	_, sw := get("sw.js")
	pngs := map[string]bool{}
	for _, ic := range m.Icons {
		if !strings.Contains(string(sw), `"`+ic.Src+`"`) {
			t.Errorf("the service worker does not keep %s", ic.Src)
		}
		resp, body := get(ic.Src)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ic.Type {
			t.Errorf("%s: %d %q, manifest says %q", ic.Src, resp.StatusCode, resp.Header.Get("Content-Type"), ic.Type)
			continue
		}
		if ic.Type != "image/png" {
			continue
		}
		img, err := png.Decode(bytes.NewReader(body))
		if err != nil {
			t.Errorf("%s: %v", ic.Src, err)
			continue
		}
		b := img.Bounds()
		if got := fmt.Sprintf("%dx%d", b.Dx(), b.Dy()); got != ic.Sizes {
			t.Errorf("%s is %s, manifest says %s", ic.Src, got, ic.Sizes)
		}
		// The tick is drawn: white in the middle, green at the corner.
		if r, g, _, _ := img.At(b.Dx()*40/96, b.Dy()*64/96).RGBA(); r>>8 < 0xf0 || g>>8 < 0xf0 {
			t.Errorf("%s: no tick at its middle", ic.Src)
		}
		if r, g, _, _ := img.At(0, 0).RGBA(); r>>8 != 0x14 || g>>8 != 0x53 {
			t.Errorf("%s: corner is not the page's green", ic.Src)
		}
		pngs[ic.Sizes] = true
	}
	for _, size := range []string{"192x192", "512x512"} {
		if !pngs[size] {
			t.Errorf("the manifest lists no %s PNG icon", size)
		}
	}
}
