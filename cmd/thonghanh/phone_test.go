package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
	"thonghanh/cmd/thonghanh/internal/kiemtra/vectortest"
	"thonghanh/print"
	"thonghanh/print/phonesim"
	"thonghanh/store"
	"thonghanh/store/batchsync"
	"thonghanh/store/central"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
)

// browserPatience bounds each wait for the browser: only there to end a
// test whose answer never comes, never waited out when all goes well.
const browserPatience = 3 * time.Minute

var pollFor = chromedp.WithPollingTimeout(browserPatience)

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (.ci/run installs it)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// phoneProvince is a central server (batchsync.Serve, as `server run`
// does) with the phone page over HTTPS on
// loopback, a checker of the commune, a desk key certified for it and
// permits sealed by that key: good, revoked (on a root-signed list) and
// tampered (one base45 digit of the signature changed), and a voucher.
type phoneProvince struct {
	url, password, dir              string
	central                         *central.DB
	stop                            func()
	good, revoked, tampered, ticket string
	expired                         string
	usedElsewhere                   string // a voucher another entrance lets in during the test
}

func newPhoneProvince(t *testing.T) *phoneProvince {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "central")
	if _, err := batchsync.InitServerDir(ctx, batchsync.InitOptions{Dir: dir, Insecure: true, RootKey: seed.DemoRootKey()}); err != nil {
		t.Fatal(err)
	}
	p := &phoneProvince{password: "kiem-tra-chot-1", dir: dir}
	p.serve(t, "127.0.0.1:0")
	var err error
	if p.central, err = batchsync.OpenCentral(ctx, dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.central.Close() })
	const unit = seed.DefaultUnit
	if _, err := p.central.CreateOfficer(ctx, "", store.NewOfficer{Username: "kiemtra.chot", FullName: "Lê Văn Kiểm", Unit: unit,
		Roles: []store.Role{store.RoleChecker}, Password: p.password}); err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := seal.GenerateKey()
	if _, err := p.central.AdoptDesk(ctx, seed.DemoRootKey(), store.Desk{ID: store.NewID(time.Now()), Unit: unit, Number: 9,
		Label: "máy thử", PublicKey: pub}, nil, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Truncate(time.Second)
	sealed := func(pl seal.Payload) string {
		text, err := seal.NewSigner(priv).Seal(pl)
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	permit := func(serial string) string {
		return sealed(seal.Payload{Kind: seal.KindPermit, Serial: serial, Unit: unit, Category: 4,
			Name: "Nguyễn Thị Hoa", IDNumber: "082190000123", ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(24 * time.Hour),
			Area: []uint32{unit}, Route: "Tân Mỹ Chánh → Chợ Mỹ Tho", Purpose: seal.PurposeMedical, IssuedAt: now})
	}
	p.good, p.revoked = permit("28249-9-2021-000001"), permit("28249-9-2021-000002")
	p.expired = sealed(seal.Payload{Kind: seal.KindPermit, Serial: "28249-9-2021-000003", Unit: unit, Category: 4,
		Name: "Trần Văn Bình", IDNumber: "082190000126", ValidFrom: now.Add(-72 * time.Hour), ValidUntil: now.Add(-48 * time.Hour),
		Area: []uint32{unit}, Purpose: seal.PurposeMedical, IssuedAt: now})
	p.ticket = sealed(seal.Payload{Kind: seal.KindVoucher, Serial: "28249-9-2021-V000001", Unit: unit, Category: 5, IDNumber: "082190000124",
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour), Area: []uint32{unit}, IssuedAt: now, Household: "HO-0001"})
	p.usedElsewhere = sealed(seal.Payload{Kind: seal.KindVoucher, Serial: "28249-9-2021-V000002", Unit: unit, Category: 5, IDNumber: "082190000125",
		ValidFrom: now.Add(-time.Hour), ValidUntil: now.Add(time.Hour), Area: []uint32{unit}, IssuedAt: now, Household: "HO-0002"})
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
	at := len(p.good) - 10
	i := max(strings.IndexByte(alphabet, p.good[at])-1, 0)
	if alphabet[i] == p.good[at] {
		i = 1
	}
	p.tampered = p.good[:at] + alphabet[i:i+1] + p.good[at+1:]
	rev, err := seal.SignRevocationList(seed.DemoRootKey(), seal.RevocationList{Sequence: 50, IssuedAt: now, Serials: []string{"28249-9-2021-000002"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.central.SetSetting(ctx, store.SettingRevocation, rev); err != nil {
		t.Fatal(err)
	}
	return p
}

// serve runs the central server with the phone page on addr until stop;
// serving again on the same address is the server coming back.
func (p *phoneProvince) serve(t *testing.T, addr string) {
	t.Helper()
	pages, err := phonePages()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	p.url = "https://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan struct{}), make(chan error, 1)
	go func() {
		done <- batchsync.Serve(ctx, batchsync.ServeOptions{Dir: p.dir, Listener: ln, Pages: pages, Ready: func(string) { close(ready) }})
	}()
	select {
	case <-ready:
	case err := <-done:
		cancel()
		t.Fatal(err)
	}
	var once sync.Once
	p.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(p.stop)
}

// browser starts a headless Chromium with extra flags; its context lives
// until the test ends.
func browser(t *testing.T, flags ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium(t)), chromedp.NoSandbox,
		chromedp.Flag("ignore-certificate-errors", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), append(opts, flags...)...)
	t.Cleanup(cancelA)
	bctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(cancelB)
	if err := chromedp.Do(bctx); err != nil { // starts the browser on a context without a timeout
		t.Fatal(err)
	}
	return bctx
}

// login opens the page at 360×640, logs the checker in and keeps the
// proposed checkpoint (the checker's commune); the camera starts then.
func (p *phoneProvince) login(t *testing.T, bctx context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(bctx, browserPatience)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 640, chromedp.EmulateMobile, chromedp.EmulatePortrait),
		chromedp.Navigate(p.url+"/kiem-tra/"),
		chromedp.WaitVisible(chromedp.CSS("#login")),
		chromedp.SendKeys(chromedp.CSS("#username"), "kiemtra.chot"),
		chromedp.SendKeys(chromedp.CSS("#password"), p.password),
		chromedp.SendKeys(chromedp.CSS("#label"), "Chốt thử"),
		chromedp.Click(chromedp.CSS("#login-button")),
		chromedp.WaitVisible(chromedp.CSS("#place")),
		chromedp.Click(chromedp.CSS("#place-save")),
		chromedp.WaitVisible(chromedp.CSS("#check")))
	if err != nil {
		t.Fatalf("login: %v", err)
	}
}

// banner waits for a verdict on the banner and reads it with the fields.
func banner(t *testing.T, bctx context.Context) (verdict, title, fields string) {
	t.Helper()
	verdict, err := chromedp.Run(bctx, chromedp.Poll[string](`document.getElementById("banner").dataset.verdict`, pollFor))
	if err == nil {
		title, err = chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#banner-title")))
	}
	if err == nil {
		fields, err = chromedp.Run(bctx, chromedp.Text(chromedp.CSS("#fields")))
	}
	if err != nil {
		msg, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("fatal").textContent`))
		t.Fatalf("banner: %v (page: %q)", err, msg)
	}
	return verdict, title, fields
}

// fits checks that the page, with the verdict on it, is no wider than the
// phone's 360 px: no scrolling sideways to read the banner or a field.
func fits(t *testing.T, bctx context.Context, what string) {
	t.Helper()
	width, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`Math.max(document.documentElement.scrollWidth,
		...["banner", "fields"].map((id) => document.getElementById(id).getBoundingClientRect().right))`))
	if err != nil || width > 360 {
		t.Errorf("%s: the page is %.0f px wide at 360 (%v)", what, width, err)
	}
}

// typed types a code into the manual field and reads the banner.
func typed(t *testing.T, bctx context.Context, text string) (verdict, title, fields string) {
	t.Helper()
	err := chromedp.Do(bctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`delete document.getElementById("banner").dataset.verdict`)(ctx, tg)
			return err
		}),
		chromedp.SetValue(chromedp.CSS("#manual"), text),
		chromedp.Click(chromedp.CSS("#manual-check")))
	if err != nil {
		t.Fatalf("manual entry: %v", err)
	}
	return banner(t, bctx)
}

// The phone page in a real headless Chromium at 360×640, from the central
// server over HTTPS on loopback: a checker logs in once and chooses the
// checkpoint; a tampered code is refused online and its scan reaches the
// centre; then the server is stopped, the page reloaded from the service
// worker, and codes typed into the manual field get the desk's verdicts: a
// real sealed permit VALID with the holder's fields, a revoked one REVOKED,
// a voucher VALID once and ALREADY_USED the second time, one let in at
// another entrance before the last refresh ALREADY_USED, an expired one
// EXPIRED, and a URL, another QR's text and an oversized code MALFORMED, in
// the desk's words, with no field shown; every verdict, with the holder's
// fields, fits the 360 px width; when the server is back, the nine scans
// made offline reach the centre, the refused codes with no serial. The
// browser has no camera: the page says so.
func TestPhonePageOfflineInChromium(t *testing.T) {
	p := newPhoneProvince(t)
	bctx := browser(t, chromedp.Flag("use-fake-ui-for-media-stream", true))
	p.login(t, bctx)
	if msg, err := chromedp.Run(bctx, chromedp.Poll[string](`document.getElementById("camera-msg").textContent`, pollFor)); err != nil || !strings.Contains(msg, "Máy không có camera") {
		t.Errorf("no camera: %q, %v", msg, err)
	}
	swCtx, cancel := context.WithTimeout(bctx, browserPatience)
	defer cancel()
	if _, err := chromedp.Run(swCtx, chromedp.Evaluate[bool](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("service worker: %v", err)
	}
	if v, _, _ := typed(t, bctx, p.tampered); v != string(seal.BadSignature) {
		t.Errorf("tampered permit online: %s, want BAD_SIGNATURE", v)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[string](`document.getElementById("sync-state").textContent.includes("Đã gửi") && document.getElementById("sync-state").textContent`, pollFor)); err != nil {
		t.Fatalf("scan upload: %v", err)
	}
	var n int
	if err := p.central.SQL().QueryRow(`SELECT COUNT(*) FROM scan_events WHERE desk_id LIKE 'phone:%' AND verdict = ?`, seal.BadSignature).Scan(&n); err != nil || n != 1 {
		t.Errorf("the centre holds %d phone scans (%v), want the one refused", n, err)
	}

	// Another entrance's phone lets a voucher in; this phone learns it at
	// its next refresh.
	if _, err := p.central.CreateOfficer(context.Background(), "", store.NewOfficer{Username: "kiemtra.cong2", FullName: "Trần Văn Cổng",
		Unit: seed.DefaultUnit, Roles: []store.Role{store.RoleChecker}, Password: p.password}); err != nil {
		t.Fatal(err)
	}
	other, _, err := p.central.PhoneLogin(context.Background(), "kiemtra.cong2", p.password, "Cổng chợ số 2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.central.RecordPhoneScans(context.Background(), other, []store.ScanEvent{{ID: store.NewID(time.Now()), At: time.Now().Unix(),
		Serial: "28249-9-2021-V000002", Kind: seal.KindVoucher, Verdict: seal.Valid, Checkpoint: seed.DefaultUnit}}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Steps(chromedp.Click(chromedp.CSS("#refresh")), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](`document.getElementById("sync-state").textContent.includes("Đã cập nhật")`, pollFor)(ctx, tg)
		return err
	}))); err != nil {
		t.Fatalf("refresh: %v", err)
	}

	p.stop() // no server from here on
	err = chromedp.Do(bctx,
		// The old page's flag must not pass for the new page's.
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`delete document.body.dataset.ready`)(ctx, tg)
			return err
		}),
		chromedp.Reload(),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Poll[bool](`document.body.dataset.ready === "1"`, pollFor)(ctx, tg)
			return err
		}),
		chromedp.WaitVisible(chromedp.CSS("#check")))
	var width int
	if err == nil {
		width, err = chromedp.Run(bctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	}
	if err != nil {
		t.Fatalf("offline reload: %v", err)
	}
	if width > 360 {
		t.Errorf("the page is %d px wide at 360", width)
	}
	v, title, fields := typed(t, bctx, p.good)
	if v != string(seal.Valid) || !strings.Contains(title, seal.Valid.Title("vi")) {
		t.Errorf("good permit offline: %s %q", v, title)
	}
	fits(t, bctx, "a valid permit")
	for _, want := range []string{"NGUYỄN THỊ HOA", "082190000123", seal.CategoryText(4, "vi"), "Tân Mỹ Chánh → Chợ Mỹ Tho"} {
		if !strings.Contains(fields, want) {
			t.Errorf("fields lack %q:\n%s", want, fields)
		}
	}
	if v, title, _ := typed(t, bctx, p.revoked); v != string(seal.Revoked) || !strings.Contains(title, seal.Revoked.Title("vi")) {
		t.Errorf("revoked permit offline: %s %q", v, title)
	}
	for i, want := range []seal.Verdict{seal.Valid, seal.AlreadyUsed} {
		if v, title, _ := typed(t, bctx, p.ticket); v != string(want) || !strings.Contains(title, want.Title("vi")) {
			t.Errorf("voucher, scan %d: %s %q, want %s", i+1, v, title, want)
		}
	}
	if v, _, _ := typed(t, bctx, p.usedElsewhere); v != string(seal.AlreadyUsed) {
		t.Errorf("a voucher let in at another entrance: %s, want ALREADY_USED", v)
	}
	if v, title, _ := typed(t, bctx, p.expired); v != string(seal.Expired) || !strings.Contains(title, seal.Expired.Title("vi")) {
		t.Errorf("expired permit offline: %s %q", v, title)
	}
	fits(t, bctx, "an expired permit")
	for what, text := range map[string]string{
		"a URL code":        "https://example.com/giay",
		"another QR's text": "WIFI:S:Quán cà phê;T:WPA;P:12345678;;",
		"an oversized code": "TH1:" + strings.Repeat("0", 20*seal.MaxTextLength),
	} {
		v, title, fields := typed(t, bctx, text)
		reason, _ := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#banner-reason")))
		if v != string(seal.Malformed) || !strings.Contains(title, seal.Malformed.Title("vi")) || reason != seal.Malformed.Text("vi") || strings.TrimSpace(fields) != "" {
			t.Errorf("%s: %s %q %q, fields %q", what, v, title, reason, fields)
		}
		fits(t, bctx, what)
	}

	// The server is back: the scans made offline reach the centre, once.
	p.serve(t, strings.TrimPrefix(p.url, "https://"))
	if _, err := chromedp.Run(bctx, chromedp.Steps(chromedp.Click(chromedp.CSS("#refresh")), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](`document.getElementById("sync-state").textContent.includes("Đã gửi 9 lượt quét")`, pollFor)(ctx, tg)
		return err
	}))); err != nil {
		state, _ := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#sync-state")))
		t.Fatalf("offline scans upload: %v (%q)", err, state)
	}
	var offline int
	if err := p.central.SQL().QueryRow(`SELECT COUNT(*) FROM scan_events WHERE desk_id = (SELECT desk_id FROM scan_events WHERE verdict = ? AND desk_id LIKE 'phone:%')`,
		seal.BadSignature).Scan(&offline); err != nil || offline != 10 {
		t.Errorf("the centre holds %d scans of this phone (%v), want 1 online and 9 offline", offline, err)
	}
	var serials int
	if err := p.central.SQL().QueryRow(`SELECT COUNT(*) FROM scan_events WHERE verdict = ? AND serial != ''`, seal.Malformed).Scan(&serials); err != nil || serials != 0 {
		t.Errorf("%d unreadable codes kept with a serial (%v)", serials, err)
	}
}

// The page says how old its lists are and warns past the configured limit;
// a phone the administrator revoked is told so at its next refresh, in
// Vietnamese, and is back at the login with nothing left to check with.
func TestPhonePageRevokedPhoneInChromium(t *testing.T) {
	p := newPhoneProvince(t)
	bctx := browser(t)
	p.login(t, bctx)
	// Lists fetched 25 hours ago: the page warns, past the default 24 h;
	// with the limit raised to 48 h it does not.
	warn, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => {
		localStorage.setItem("thonghanh.kiemtra.fetched_at", JSON.stringify(Date.now() - 25 * 3600e3));
		showAge();
		const w = document.getElementById("lists-warn");
		return w.hidden ? "" : w.textContent;
	})()`))
	if err != nil || !strings.Contains(warn, "cũ hơn 24 giờ") {
		t.Errorf("lists 25 h old: warning %q, %v", warn, err)
	}
	age, _ := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#lists-age")))
	if !strings.Contains(age, "25 giờ trước") {
		t.Errorf("lists age line: %q", age)
	}
	hidden, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`(() => {
		const f = document.getElementById("max-age");
		f.value = "48";
		f.dispatchEvent(new Event("change"));
		return document.getElementById("lists-warn").hidden;
	})()`))
	if err != nil || !hidden {
		t.Errorf("limit 48 h: warning still shown (%v)", err)
	}

	phones, err := p.central.Phones(context.Background())
	if err != nil || len(phones) != 1 {
		t.Fatalf("phones %v, %v", phones, err)
	}
	if err := p.central.RevokePhone(context.Background(), phones[0].ID); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(bctx, chromedp.Click(chromedp.CSS("#refresh")), chromedp.WaitVisible(chromedp.CSS("#login-error")))
	var text string
	if err == nil {
		text, err = chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#login-error")))
	}
	if err != nil || !strings.Contains(text, "thu hồi") {
		t.Errorf("revoked phone: %q, %v", text, err)
	}
	if left, _ := chromedp.Run(bctx, chromedp.Evaluate[bool](`localStorage.getItem("thonghanh.kiemtra.lists") === null && localStorage.getItem("thonghanh.kiemtra.token") === null`)); !left {
		t.Error("a revoked phone kept its token or lists")
	}
}

// cameraProbe is put into the page before its own script: it records every
// camera frame the video element shows (its capture time, and its number
// in the loop, read from the strip of squares writeCameraLoop draws under
// the code) and every vibration and tone the page asks for; it takes
// VideoFrame away when the test says so. The page's
// own mark says when each verdict was on the screen.
const cameraProbe = `(() => {
	if (sessionStorage.getItem("probe.canvas")) delete window.VideoFrame;
	const st = window.__probe = { frames: [], signals: [], detected: 0, asked: null };
	if (sessionStorage.getItem("probe.detector")) {
		// A phone's BarcodeDetector, which desktop Chromium lacks: it
		// reads the video as a phone's would hand the page its codes,
		// through the engine's decoder (the only one here), so what is
		// tested is the page's use of the API: chosen where it exists,
		// asked for QR codes, its rawValue verified.
		window.BarcodeDetector = class {
			static async getSupportedFormats() { return ["qr_code", "ean_13"]; }
			constructor(o) { st.asked = o; this.c = document.createElement("canvas"); }
			async detect(v) {
				st.detected++;
				const w = v.videoWidth, h = v.videoHeight;
				if (this.c.width !== w || this.c.height !== h) { this.c.width = w; this.c.height = h; }
				const x = this.c.getContext("2d", { willReadFrequently: true });
				x.drawImage(v, 0, 0, w, h);
				const text = thonghanh.decode(x.getImageData(0, 0, w, h).data, w, h);
				return text ? [{ rawValue: text, format: "qr_code" }] : [];
			}
		};
	}
	Navigator.prototype.vibrate = function (p) { st.signals.push({ kind: "vibrate", pattern: [].concat(p), at: performance.now() }); return true; };
	const start = OscillatorNode.prototype.start;
	OscillatorNode.prototype.start = function (when) {
		st.signals.push({ kind: "tone", type: this.type, freq: this.frequency.value, at: performance.now() });
		return start.call(this, when);
	};
	document.addEventListener("DOMContentLoaded", () => {
		const v = document.getElementById("video");
		const c = document.createElement("canvas");
		c.width = STRIPW;
		c.height = 1;
		const x = c.getContext("2d", { willReadFrequently: true });
		const onFrame = (now, md) => {
			x.drawImage(v, 0, STRIPY, STRIPW, 1, 0, 0, STRIPW, 1);
			const px = x.getImageData(0, 0, STRIPW, 1).data;
			let n = 0;
			for (let b = 0; b < BITS; b++) if (px[(SQUARE * b + SQUARE / 2) * 4] < 130) n |= 1 << b;
			st.frames.push({ at: md.captureTime || md.presentationTime, n });
			v.requestVideoFrameCallback(onFrame);
		};
		v.requestVideoFrameCallback(onFrame);
	});
})()`

// The camera: Chromium's fake camera plays, in a loop, a phone's view of
// printed permits (rendered from the PDF and degraded as a photocopied
// print seen by a phone, printedPermits), each after a view of the sheet's
// text: the good permit, the revoked one, the tampered one. The page
// decodes them with no button pressed (desktop Chromium has no
// BarcodeDetector, so this is the engine's own decoder) and shows VALID,
// REVOKED and BAD_SIGNATURE, each with a sound and a vibration, a valid
// paper's unlike the others'. With the CPU throttled 4× (a phone slower
// than this machine), it logs how long after the first frame that held a
// code its verdict was on the screen, and how long a code typed into the
// field takes: the README's figures. Then the same codes through a canvas
// (no VideoFrame), and through a BarcodeDetector put into the page (a
// phone's), which the page must prefer.
func TestPhonePageCameraInChromium(t *testing.T) {
	if raceEnabled {
		// Its work is the browser's, which -race does not see, and its
		// paper is rendered by pixel loops -race slows twentyfold:
		// .ci/run runs it without -race, once.
		t.Skip("run without -race (.ci/run does)")
	}
	p := newPhoneProvince(t)
	video := filepath.Join(t.TempDir(), "camera.y4m")
	const blank, held = 6, 8 // frames of each, at 10 a second
	pics := printedPermits(t, p.good, p.revoked, p.tampered)
	paper := pics[3]
	shots := []cameraShot{{paper, blank}, {pics[0], held}, {paper, blank}, {pics[1], held}, {paper, blank}, {pics[2], held}}
	writeCameraLoop(t, video, shots)
	bctx := browser(t, chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video))
	probe := strings.NewReplacer("STRIPW", fmt.Sprint(stripBits*stripSquare), "STRIPY", fmt.Sprint(stripY+stripSquare/2),
		"BITS", fmt.Sprint(stripBits), "SQUARE", fmt.Sprint(stripSquare)).Replace(cameraProbe)
	if err := chromedp.Do(bctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, emulation.SetCPUThrottlingRate, emulation.SetCPUThrottlingRateParams{Rate: 4})
		return err
	})); err != nil {
		t.Fatal(err)
	}
	p.login(t, bctx)

	// Which shot each frame of the loop is, and how far into it.
	type place struct{ shot, into int }
	var loop []place
	shotStart := map[int]int{}
	for i, sh := range shots {
		shotStart[i] = len(loop)
		for j := range sh.frames {
			loop = append(loop, place{i, j})
		}
	}
	verdictShot := map[string]int{string(seal.Valid): 1, string(seal.Revoked): 3, string(seal.BadSignature): 5}
	type mark struct {
		At     float64            `json:"at"`
		Verdit string             `json:"verdict"`
		How    string             `json:"how"`
		Took   map[string]float64 `json:"took"`   // the page's own timing of each step
		Signal float64            `json:"signal"` // its sound and vibration, after the mark
	}
	type seenT struct {
		Decoder string `json:"decoder"`
		Marks   []mark `json:"marks"`
		Frames  []struct {
			At float64 `json:"at"`
			N  int     `json:"n"`
		} `json:"frames"`
		Signals []struct {
			Kind    string  `json:"kind"`
			Pattern []int   `json:"pattern"`
			Type    string  `json:"type"`
			Freq    float64 `json:"freq"`
			At      float64 `json:"at"`
		} `json:"signals"`
	}
	// scan waits for the page's scans of the loop (frames, "VideoFrame" or
	// "canvas", says how it reads them), stops the camera, and checks each
	// verdict is its shot's; it returns what the probe saw and, for each
	// scan, how long after the first frame of the code's showing the
	// verdict was on the screen.
	scan := func(scans int, frames string) (seen seenT, camera []float64) {
		if _, err := chromedp.Run(bctx, chromedp.Poll[bool](fmt.Sprintf(`document.body.dataset.frames === %q && performance.getEntriesByName("thonghanh-verdict").length >= %d`, frames, scans), pollFor)); err != nil {
			msg, _ := chromedp.Run(bctx, chromedp.TextContent(chromedp.CSS("#camera-msg")))
			t.Fatalf("camera scans through %s: %v (camera: %q)", frames, err, msg)
		}
		out, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { scanning = false; return JSON.stringify({
			decoder: document.body.dataset.decoder + " via " + document.body.dataset.frames,
			marks: performance.getEntriesByName("thonghanh-verdict").map((m, i) => ({ at: m.startTime, verdict: m.detail.verdict, how: m.detail.how,
				took: m.detail.took, signal: performance.getEntriesByName("thonghanh-signal")[i].duration })),
			frames: __probe.frames, signals: __probe.signals }); })()`))
		if err == nil {
			err = json.Unmarshal([]byte(out), &seen)
		}
		if err != nil {
			t.Fatal(err)
		}
		verdicts := map[string]int{}
		first := "not matched to a frame"
		for i, m := range seen.Marks {
			verdicts[m.Verdit]++
			// When the first frame of this showing of the code was taken,
			// counted from the frame seen nearest to it in the loop (the
			// page may have been too busy to show that very frame), at 10
			// frames a second.
			shown, dist := 0.0, len(loop)
			for _, f := range seen.Frames {
				if math.Abs(f.At-m.At) > 2000 {
					continue
				}
				d := (shotStart[verdictShot[m.Verdit]] - f.N + len(loop)) % len(loop) // frames from f on to the shot
				if d > len(loop)/2 {
					d -= len(loop)
				}
				if abs(d) < dist {
					shown, dist = f.At+float64(d)*100, abs(d)
				}
			}
			if shown > 0 && shown <= m.At {
				camera = append(camera, m.At-shown)
				if i == 0 {
					first = fmt.Sprintf("%.0f ms", m.At-shown)
				}
			}
		}
		if _, ok := verdictShot[seen.Marks[0].Verdit]; !ok || len(verdicts) > 3 || (scans >= 3*3 && len(verdicts) != 3) {
			t.Errorf("camera verdicts through %s %v, want VALID, REVOKED and BAD_SIGNATURE", frames, verdicts)
		}
		for v := range verdicts {
			if _, ok := verdictShot[v]; !ok {
				t.Errorf("camera verdict %s through %s, want VALID, REVOKED and BAD_SIGNATURE only", v, frames)
			}
		}
		if len(camera) < scans {
			t.Errorf("%d of %d camera verdicts through %s follow a frame seen to hold a code", len(camera), len(seen.Marks), frames)
		}
		t.Logf("CPU throttled 4×, decoder %s: camera, first frame holding the code to verdict shown, %d scans: median %.0f ms, max %.0f ms %s",
			seen.Decoder, len(camera), median(camera), slices.Max(append(camera, 0)), msList(camera))
		// The first scan after the page loaded is the one cold code
		// would slow down: its own figure, and the page's timing of each
		// of its steps (wait: the frame before the page took it).
		f := seen.Marks[0]
		var steps []string
		for _, k := range []string{"wait", "grab", "decode", "verify", "render"} {
			steps = append(steps, fmt.Sprintf("%s %.0f", k, f.Took[k]))
		}
		t.Logf("CPU throttled 4×, decoder %s: the first scan after the page loaded: %s (%s ms; then sound %.0f ms)",
			seen.Decoder, first, strings.Join(steps, ", "), f.Signal)
		return seen, camera
	}
	seen, _ := scan(9, "VideoFrame") // three rounds of the loop

	sound := map[bool]map[string]bool{true: {}, false: {}}
	for _, m := range seen.Marks {
		// The signals the page asked for with this verdict: the tones
		// and the vibration that follow its mark.
		var got []string
		for _, s := range seen.Signals {
			if s.At < m.At {
				continue
			}
			if s.Kind == "tone" {
				got = append(got, fmt.Sprintf("%s %.0f Hz", s.Type, s.Freq))
				continue
			}
			got = append(got, fmt.Sprint("vibrate ", s.Pattern))
			break
		}
		if len(got) < 2 || !strings.HasPrefix(got[len(got)-1], "vibrate") {
			t.Errorf("%s: signals %q, want a tone and a vibration", m.Verdit, got)
		}
		sound[m.Verdit == string(seal.Valid)][strings.Join(got, ", ")] = true
	}
	if len(sound[true]) != 1 || len(sound[false]) != 1 {
		t.Errorf("signals: valid %v, others %v: want one for each", sound[true], sound[false])
	}
	for s := range sound[true] {
		if sound[false][s] {
			t.Errorf("a valid paper and a refused one sound and vibrate alike: %s", s)
		}
	}

	// The field: a code typed in, from the button to the verdict shown.
	var typedMs []float64
	for i := range 6 {
		code := []string{p.good, p.tampered}[i%2]
		ms, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`(() => {
			document.getElementById("manual").value = `+strconvQuote(code)+`;
			const t0 = performance.now();
			document.getElementById("manual-check").click();
			return performance.getEntriesByName("thonghanh-verdict").at(-1).startTime - t0;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		typedMs = append(typedMs, ms)
	}
	t.Logf("CPU throttled 4×: code typed in, button to verdict shown, %d checks: median %.0f ms, max %.0f ms %s",
		len(typedMs), median(typedMs), slices.Max(typedMs), msList(typedMs))

	// A browser with no VideoFrame (Safari before 16.4): the page reads
	// the camera through a canvas, with the same verdicts.
	if _, err := chromedp.Run(bctx, chromedp.Steps(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`sessionStorage.setItem("probe.canvas", "1")`)(ctx, tg)
			return err
		}),
		chromedp.Reload())); err != nil {
		t.Fatal(err)
	}
	scan(3, "canvas")

	// A phone with BarcodeDetector (Android's Chrome): the page takes its
	// codes from it, asked for QR codes only, and gives the same verdicts.
	if _, err := chromedp.Run(bctx, chromedp.Steps(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Evaluate[chromedp.Void](`sessionStorage.removeItem("probe.canvas"); sessionStorage.setItem("probe.detector", "1")`)(ctx, tg)
			return err
		}),
		chromedp.Reload())); err != nil {
		t.Fatal(err)
	}
	seen, _ = scan(3, "canvas")
	asked, err := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify({ asked: __probe.asked, detected: __probe.detected })`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(seen.Decoder, "BarcodeDetector") || !strings.Contains(asked, `"asked":{"formats":["qr_code"]}`) || strings.Contains(asked, `"detected":0`) {
		t.Errorf("with a BarcodeDetector the page read through %q (%s), want BarcodeDetector asked for qr_code", seen.Decoder, asked)
	}
}

func abs(x int) int { return max(x, -x) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

func msList(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func strconvQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// cameraShot is frames frames of one 640×480 camera picture.
type cameraShot struct {
	img    *image.Gray
	frames int
}

// printedPermits prints each text's permit on an A5 page (print.Permits),
// renders it at 200 dpi (pdftoppm), and makes of it what a phone camera
// sees of a photocopied print (print/phonesim at the print field test's
// "phone 150 dpi": toner spread, 3° tilt, lost contrast, noise, JPEG): a
// 640×480 picture with the code off centre. The last picture is of the
// first permit's text, away from its code: the sheet before the officer
// aims at the code.
func printedPermits(t *testing.T, texts ...string) []*image.Gray {
	t.Helper()
	needPhotoTools(t)
	dir := t.TempDir()
	phone := phonesim.Params{PrintBlurMM: 0.07, DPI: 150, AngleDeg: 3, CameraBlurPx: 0.7, Black: 0.30, White: 0.80, Noise: 0.03, JPEGQuality: 75}
	const w, h = 640, 480
	crop := func(g *image.Gray, x, y int) *image.Gray {
		b := g.Bounds()
		x, y = min(max(x, 0), b.Dx()-w), min(max(y, 0), b.Dy()-h)
		out := image.NewGray(image.Rect(0, 0, w, h))
		for r := range h {
			copy(out.Pix[r*w:(r+1)*w], g.Pix[(y+r)*g.Stride+x:][:w])
		}
		return out
	}
	var out []*image.Gray
	var paper *image.Gray
	for i, text := range texts {
		var pdf bytes.Buffer
		if err := print.Permits(&pdf, []print.Permit{{Serial: fmt.Sprintf("28249-9-2021-%06d", i+1), Issuer: "UBND XÃ TÂN MỸ CHÁNH",
			Place: "Tân Mỹ Chánh", IssuedAt: time.Now(), HolderName: "Nguyễn Thị Hoa", IDNumber: "082190000123",
			Address: "Ấp Bắc, xã Tân Mỹ Chánh", Category: "Loại 4", Purpose: "Khám chữa bệnh", Area: []string{"Xã Tân Mỹ Chánh"},
			Route: "Tân Mỹ Chánh → Chợ Mỹ Tho", ValidFrom: time.Now(), ValidUntil: time.Now().Add(24 * time.Hour),
			SignerTitle: "CHỦ TỊCH", SignerName: "Trương Văn Hải", QR: text}}, print.LayoutA5, nil); err != nil {
			t.Fatal(err)
		}
		pdfPath, prefix := filepath.Join(dir, fmt.Sprintf("permit-%d.pdf", i)), filepath.Join(dir, fmt.Sprintf("permit-%d", i))
		if err := os.WriteFile(pdfPath, pdf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command("pdftoppm", "-gray", "-r", "200", "-singlefile", pdfPath, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
		page, err := phonesim.ReadPGM(prefix + ".pgm")
		if err != nil {
			t.Fatal(err)
		}
		// The photo's code must read back, from the whole photo (to find
		// it) and from the camera's picture: a photo that does not is one
		// the officer takes again.
		printed := phonesim.Print(page, 200, phone.PrintBlurMM)
		var pic, photo *image.Gray
		var cy float64
		for seed := range 8 {
			if _, photo, err = phonesim.Capture(printed, 200, phone, uint64(i*8+seed)); err != nil {
				t.Fatal(err)
			}
			src := gozxing.NewLuminanceSourceFromImage(photo)
			bmp, _ := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
			res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
			if err != nil || res.GetText() != text {
				continue
			}
			var cx float64 // the middle of the code's finders
			cy = 0
			for _, pt := range res.GetResultPoints() {
				cx, cy = cx+pt.GetX()/float64(len(res.GetResultPoints())), cy+pt.GetY()/float64(len(res.GetResultPoints()))
			}
			c := crop(photo, int(cx)-w/2+60, int(cy)-h/2+30)
			if got, err := (&offline.Decoder{}).DecodeLuma(c.Pix, w, h, w); err == nil && got == text {
				pic = c
				break
			}
		}
		if pic == nil {
			t.Fatalf("permit %d: no photo of eight reads back", i)
		}
		out = append(out, pic)
		if paper == nil {
			y := 0
			if cy < float64(photo.Bounds().Dy())/2 {
				y = photo.Bounds().Dy() - h
			}
			paper = crop(photo, 0, y)
			if _, err := (&offline.Decoder{}).DecodeLuma(paper.Pix, w, h, w); err != offline.ErrNoCode {
				t.Fatalf("the permit's text holds a code: %v", err)
			}
		}
	}
	return append(out, paper)
}

// The strip under the code: the frame's number in the loop, in binary, a
// dark square for each 1 (least significant first).
const stripBits, stripSquare, stripY = 6, 16, 448

// writeCameraLoop writes a Y4M video, 640×480 at 10 frames a second, of
// the shots, with each frame's number in the strip.
func writeCameraLoop(t *testing.T, path string, shots []cameraShot) {
	t.Helper()
	const w, h = 640, 480
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	fmt.Fprintf(bw, "YUV4MPEG2 W%d H%d F10:1 Ip A1:1 C420jpeg\n", w, h)
	chroma := make([]byte, w*h/2)
	for i := range chroma {
		chroma[i] = 128
	}
	n := 0
	for _, shot := range shots {
		luma := slices.Clone(shot.img.Pix)
		for range shot.frames {
			for b := range stripBits {
				v := byte(205)
				if n>>b&1 == 1 {
					v = 40
				}
				for y := stripY; y < stripY+stripSquare; y++ {
					row := luma[y*w+b*stripSquare:][:stripSquare]
					for i := range row {
						row[i] = v
					}
				}
			}
			n++
			bw.WriteString("FRAME\n")
			bw.Write(luma)
			bw.Write(chroma)
		}
	}
	if n > 1<<stripBits {
		t.Fatalf("%d frames, more than the strip counts", n)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// Every QR test vector, run inside Chromium by the page's own engine (as
// loaded by the page, from the server), gives the vectors' verdict, fields
// and signer, with the engine's warm-up (a whole scan of a permit, with
// lists of its own) run after the vectors' lists were opened.
func TestPhonePageVectorsInChromium(t *testing.T) {
	p := newPhoneProvince(t)
	bctx := browser(t)
	f, err := vectortest.Load()
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := json.Marshal(f.Lists())
	cases, _ := json.Marshal(f.Cases)
	script := `(() => {
		const lists = ` + string(lists) + `, cases = ` + string(cases) + `;
		const opened = JSON.parse(thonghanh.open(JSON.stringify(lists)));
		if (!opened.ok) return JSON.stringify({error: opened.error});
		const warmed = thonghanh.warm(); // with lists of its own: these must be back after
		return JSON.stringify({warmed, answers: cases.map((c) => JSON.parse(thonghanh.verify(c.text, c.checker.checkpoint, c.checker.at * 1000, JSON.stringify(c.checker.used_serials))))});
	})()`
	err = chromedp.Do(bctx, chromedp.Navigate(p.url+"/kiem-tra/"), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Poll[bool](`document.body.dataset.ready === "1"`, pollFor)(ctx, tg)
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(bctx, chromedp.Evaluate[string](script))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Warmed  bool             `json:"warmed"`
		Answers []offline.Answer `json:"answers"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Answers) != len(f.Cases) {
		t.Fatalf("%d answers for %d cases (%v): %.300s", len(got.Answers), len(f.Cases), err, out)
	}
	if !got.Warmed {
		t.Error("the engine's warm-up did not read and verify its permit")
	}
	for i, c := range f.Cases {
		if msg := vectortest.Check(c, got.Answers[i]); msg != "" {
			t.Error(msg)
		}
	}
}

// A camera the officer refused: the page says how to allow it, and that
// the field still works.
func TestPhonePageCameraRefusedInChromium(t *testing.T) {
	p := newPhoneProvince(t)
	bctx := browser(t, chromedp.Flag("use-fake-device-for-media-stream", true), chromedp.Flag("deny-permission-prompts", true))
	p.login(t, bctx)
	msg, err := chromedp.Run(bctx, chromedp.Poll[string](`document.getElementById("camera-msg").textContent`, pollFor))
	if err != nil || !strings.Contains(msg, "Chưa được phép dùng camera") {
		t.Errorf("camera refused: %q, %v", msg, err)
	}
	if v, _, _ := typed(t, bctx, p.good); v != string(seal.Valid) {
		t.Errorf("manual entry with the camera refused: %s", v)
	}
}
