package check

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	timers "thonghanh/tui/internal/drive"
)

// vectors is the part of store/seal's testdata/vectors.json a verifier
// needs (testdata/README.md there describes every field).
type vectors struct {
	RootSeed       string      `json:"root_seed"`
	RootPublic     string      `json:"root_public_key"`
	TrustList      string      `json:"trust_list"`
	RevocationList string      `json:"revocation_list"`
	Within         [][2]uint32 `json:"within"`
	Cases          []struct {
		Name    string `json:"name"`
		Text    string `json:"text"`
		Checker struct {
			At          int64    `json:"at"`
			Checkpoint  uint32   `json:"checkpoint"`
			UsedSerials []string `json:"used_serials"`
		} `json:"checker"`
		Expected struct {
			Verdict seal.Verdict `json:"verdict"`
		} `json:"expected"`
	} `json:"cases"`
}

func readVectors(t testing.TB) *vectors {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "store", "seal", "testdata", "vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// vectorDesk is a checkpoint database holding exactly what the vector file
// gives a verifier: its root key, trust list and revocation list, and units
// whose containment is the file's "within" table (so the store's own
// UnitIndex.Within answers as the file says), plus a checker account.
type vectorDesk struct {
	db      *store.DB
	units   *store.UnitIndex
	officer store.Officer
	vf      *vectors
}

func newVectorDesk(t testing.TB) *vectorDesk {
	t.Helper()
	vf := readVectors(t)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "checkpoint.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var units []store.Unit
	known := map[uint32]bool{}
	addUnit := func(u store.Unit) {
		if !known[u.Code] {
			known[u.Code] = true
			units = append(units, u)
		}
	}
	for _, pair := range vf.Within {
		addUnit(store.Unit{Code: pair[1], Name: fmt.Sprintf("Huyện %d", pair[1]), Kind: store.KindDistrictPC, Level: 2})
	}
	for _, pair := range vf.Within {
		addUnit(store.Unit{Code: pair[0], Name: fmt.Sprintf("Xã %d", pair[0]), Kind: store.KindCommunePC, Level: 3, Parent: pair[1]})
	}
	for _, c := range vf.Cases {
		if cp := c.Checker.Checkpoint; cp != 0 {
			addUnit(store.Unit{Code: cp, Name: fmt.Sprintf("Xã %d", cp), Kind: store.KindCommunePC, Level: 3})
		}
	}
	if err := db.PutUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	hash, _ := store.HashPassword(seed.DemoPassword, store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1})
	officer, err := db.CreateOfficer(ctx, "", store.NewOfficer{Username: "kiemtra", FullName: "Nguyễn Văn Kiểm",
		Unit: vf.Within[0][0], Roles: []store.Role{store.RoleChecker}, PasswordHash: hash})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string][]byte{
		store.SettingRootKey:    mustHex(t, vf.RootPublic),
		store.SettingTrustList:  mustHex(t, vf.TrustList),
		store.SettingRevocation: mustHex(t, vf.RevocationList),
	} {
		if err := db.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &vectorDesk{db: db, units: ix, officer: officer, vf: vf}
}

// page builds the Kiểm tra page at the size the desk's frame gives it in an
// 80×24 terminal (two header lines, the tabs, a status and a help line).
func (d *vectorDesk) page(t testing.TB, lang i18n.Lang) *Model {
	t.Helper()
	c := common.Common{Ctx: context.Background(), Lang: lang, Styles: common.NewStyles(true), Keys: common.NewKeyMap(lang),
		Width: 80, Height: 19, DB: d.db, Units: d.units, Officer: d.officer, Tab: common.TabCheck}
	m := newModel(c)
	s, err := d.db.NewScanner(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m.Update(loadedMsg{scanner: s})
	return m
}

// keystrokes is what a keyboard-wedge scanner sends for text and its Enter:
// one key press per character, capitals as shift+letter.
func keystrokes(text string) []tea.Msg {
	msgs := make([]tea.Msg, 0, len(text)+1)
	for _, r := range text {
		k := tea.KeyPressMsg{Code: r, Text: string(r)}
		if unicode.IsUpper(r) {
			k.Code, k.ShiftedCode, k.Mod = unicode.ToLower(r), r, tea.ModShift
		}
		switch r {
		case ' ':
			k.Code = tea.KeySpace
		case '\r':
			k = tea.KeyPressMsg{Code: tea.KeyEnter}
		case '\n':
			k = tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl} // LF in raw mode
		}
		msgs = append(msgs, k)
	}
	return append(msgs, tea.KeyPressMsg{Code: tea.KeyEnter})
}

// drive feeds msgs to update and runs every command they return, as the
// program would: batches are opened, ForPage results delivered, every
// command that does work is waited for, and timers (a tick, a cursor blink)
// are left alone. It returns whether the bell rang.
func drive(t testing.TB, update func(tea.Msg) tea.Cmd, msgs ...tea.Msg) (bell bool) {
	t.Helper()
	var run func(cmd tea.Cmd)
	deliver := func(msg tea.Msg) {
		switch msg := msg.(type) {
		case nil:
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		case tea.RawMsg:
			bell = bell || fmt.Sprint(msg.Msg) == "\a"
		default:
			run(update(msg))
		}
	}
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		if timers.IsTimer(cmd) { // a tick, a cursor blink: not ours to wait for
			return
		}
		deliver(cmd()) // work (a password check, a scan): waited for, however slow

	}
	for _, msg := range msgs {
		deliver(msg)
	}
	return bell
}

// pageUpdate delivers a message to the page as the frame does, opening
// ForPage envelopes addressed to it.
func pageUpdate(m *Model) func(tea.Msg) tea.Cmd {
	return func(msg tea.Msg) tea.Cmd {
		if fp, ok := msg.(common.ForPage); ok {
			msg = fp.Msg
		}
		_, cmd := m.Update(msg)
		return cmd
	}
}

// reset gives a vector case its own world: an empty scan log with the
// case's used vouchers as scans from another entrance, its clock and its
// checkpoint.
func (d *vectorDesk) reset(t testing.TB, at int64, checkpoint uint32, used []string) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.db.SQL().Exec(`DELETE FROM scan_events`); err != nil {
		t.Fatal(err)
	}
	d.db.SetClock(func() time.Time { return time.Unix(at, 0) })
	if err := d.db.SetSetting(ctx, store.SettingCheckpoint, fmt.Appendf(nil, "%d", checkpoint)); err != nil {
		t.Fatal(err)
	}
	var events []store.ScanEvent
	for i, serial := range used {
		events = append(events, store.ScanEvent{ID: fmt.Sprintf("remote-%d", i), At: at - 600, Serial: serial,
			Kind: seal.KindVoucher, Verdict: seal.Valid, Checkpoint: checkpoint, Officer: "x", Desk: "other-entrance"})
	}
	if err := d.db.Write(ctx, func(tx *store.Tx) error { _, err := tx.ApplyRemoteScans(events); return err }); err != nil {
		t.Fatal(err)
	}
}

// screenRepairs are the vectors whose text the screen repairs, as the
// checkpoint must (issue 8): seal is strict and calls them MALFORMED ("callers
// must strip it"); the screen is the caller, and a scanner's line end or its
// Caps Lock must not turn a good permit away.
var screenRepairs = map[string]struct {
	verdict seal.Verdict
	note    string
}{
	"malformed-lowercase":        {seal.Valid, "Caps Lock"},
	"malformed-trailing-newline": {seal.Valid, ""}, // the LF is the scanner's Enter
}

// TestVectorsAsKeystrokes types every seal test vector into the screen the
// way a USB scanner does and checks the banner's verdict, the bell, and that
// the 80-column view names the verdict and its reason.
func TestVectorsAsKeystrokes(t *testing.T) {
	d := newVectorDesk(t)
	seen := map[seal.Verdict]bool{}
	for _, c := range d.vf.Cases {
		t.Run(c.Name, func(t *testing.T) {
			d.reset(t, c.Checker.At, c.Checker.Checkpoint, c.Checker.UsedSerials)
			m := d.page(t, i18n.Vi)
			bell := drive(t, pageUpdate(m), keystrokes(c.Text)...)
			want := c.Expected.Verdict
			if fix, ok := screenRepairs[c.Name]; ok {
				want = fix.verdict
				if !strings.Contains(ansi.Strip(m.View()), fix.note) {
					t.Errorf("repair not said: %q", fix.note)
				}
			}
			if got := m.Verdict(); got != want {
				t.Fatalf("banner %s (%s), want %s", got, m.last.res.Detail, want)
			}
			seen[want] = true
			if bell != (want != seal.Valid) {
				t.Errorf("bell %v for %s", bell, want)
			}
			view := ansi.Strip(m.View())
			for _, s := range []string{spaced(strings.ToUpper(m.c.VerdictName(want))), want.Text("vi")} {
				if !strings.Contains(view, s) {
					t.Errorf("view lacks %q:\n%s", s, view)
				}
			}
			assertFits(t, m.View(), 80, 19)
			if len(m.buf) != 0 {
				t.Errorf("buffer not cleared after Enter: %q", m.buf)
			}
		})
	}
	for _, v := range seal.Verdicts {
		if !seen[v] {
			t.Errorf("no vector reached the screen with %s", v)
		}
	}
}

func assertFits(t testing.TB, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) > h {
		t.Errorf("view is %d lines, page has %d", len(lines), h)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Errorf("line %d is %d wide: %q", i, ansi.StringWidth(l), ansi.Strip(l))
		}
	}
}

// TestValidPermitShowsTheCardFields: what the officer compares with the ID
// card, with area and issuer as unit names.
func TestValidPermitShowsTheCardFields(t *testing.T) {
	d := newVectorDesk(t)
	c := d.vf.Cases[0] // valid-permit
	d.reset(t, c.Checker.At, c.Checker.Checkpoint, nil)
	m := d.page(t, i18n.Vi)
	drive(t, pageUpdate(m), keystrokes(c.Text)...)
	view := ansi.Strip(m.View())
	for _, want := range []string{"H Ợ P   L Ệ", "Giấy hợp lệ", "LÊ NGUYỄN HOÀNG PHƯƠNG VY", "082190001234",
		"Người dân có việc thật sự cần thiết", "Mua lương thực", "Xã 28249, Huyện 815", "Tân Mỹ Chánh → KCN Mỹ Tho",
		"21/09/2021 00:00 – 30/09/2021 23:59", "06:00–18:00", "UBND Xã 28249", "28249-1-2021-000123",
		"Chốt: Xã 28249 (28249)", "Lần quét gần đây"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log("\n" + view)
	}
	// The same in English.
	m = d.page(t, i18n.En)
	drive(t, pageUpdate(m), keystrokes(c.Text)...)
	if view := ansi.Strip(m.View()); !strings.Contains(view, "V A L I D") || !strings.Contains(view, "Resident with an essential reason") {
		t.Errorf("English view:\n%s", view)
	}
}

// TestScannerQuirksOnScreen: a Caps Lock scanner, a paste with its line
// end, a code cut by a stray Enter, and a second scan of one voucher.
func TestScannerQuirksOnScreen(t *testing.T) {
	d := newVectorDesk(t)
	byName := map[string]int{}
	for i, c := range d.vf.Cases {
		byName[c.Name] = i
	}
	permit, voucher := d.vf.Cases[byName["valid-permit"]], d.vf.Cases[byName["valid-voucher"]]

	d.reset(t, permit.Checker.At, permit.Checker.Checkpoint, nil)
	m := d.page(t, i18n.Vi)
	drive(t, pageUpdate(m), keystrokes(strings.ToLower(permit.Text))...)
	if m.Verdict() != seal.Valid || !strings.Contains(ansi.Strip(m.View()), "Caps Lock") {
		t.Errorf("Caps Lock: %s\n%s", m.Verdict(), ansi.Strip(m.View()))
	}
	drive(t, pageUpdate(m), tea.PasteMsg{Content: permit.Text + "\r\n"})
	if m.Verdict() != seal.Valid || len(m.history) != 2 {
		t.Errorf("paste: %s, history %d", m.Verdict(), len(m.history))
	}
	// Half a code, Enter, the rest: the first half is MALFORMED with a
	// reason, and rings.
	half := keystrokes(permit.Text[:100])
	if !drive(t, pageUpdate(m), half...) || m.Verdict() != seal.Malformed ||
		!strings.Contains(ansi.Strip(m.View()), store.ProblemDamaged.Text("vi")) {
		t.Errorf("half a code: %s", m.Verdict())
	}
	// Esc drops what was typed.
	drive(t, pageUpdate(m), keystrokes("TH1:ABC")[:7]...)
	drive(t, pageUpdate(m), tea.KeyPressMsg{Code: tea.KeyEscape})
	if len(m.buf) != 0 {
		t.Errorf("esc left %q", m.buf)
	}

	d.reset(t, voucher.Checker.At, voucher.Checker.Checkpoint, nil)
	m = d.page(t, i18n.Vi)
	if drive(t, pageUpdate(m), keystrokes(voucher.Text)...) || m.Verdict() != seal.Valid {
		t.Fatalf("first scan of the voucher: %s", m.Verdict())
	}
	if !drive(t, pageUpdate(m), keystrokes(voucher.Text)...) || m.Verdict() != seal.AlreadyUsed {
		t.Errorf("second scan of the voucher: %s", m.Verdict())
	}
	if n := m.Counts(); n[seal.Valid] != 1 || n[seal.AlreadyUsed] != 1 {
		t.Errorf("counts %v", n)
	}
}

// TestCheckpointPicker: F2, a folded search, Enter: the setting is stored
// and OUTSIDE_AREA follows it.
func TestCheckpointPicker(t *testing.T) {
	d := newVectorDesk(t)
	c := d.vf.Cases[0]
	d.reset(t, c.Checker.At, 0, nil)
	m := d.page(t, i18n.Vi)
	if !strings.Contains(ansi.Strip(m.View()), "Chưa đặt vị trí chốt") {
		t.Errorf("no warning without a checkpoint:\n%s", ansi.Strip(m.View()))
	}
	msgs := []tea.Msg{tea.KeyPressMsg{Code: tea.KeyF2}}
	for _, r := range "xa 28300" {
		msgs = append(msgs, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	drive(t, pageUpdate(m), msgs...)
	if m.picker == nil || len(m.picker.matches) != 1 || m.picker.matches[0].Code != 28300 {
		t.Fatalf("picker: %+v", m.picker)
	}
	assertFits(t, m.View(), 80, 19)
	drive(t, pageUpdate(m), tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.picker != nil || d.db.Checkpoint(context.Background()) != 28300 || m.checkpoint() != 28300 {
		t.Fatalf("checkpoint %d", d.db.Checkpoint(context.Background()))
	}
	drive(t, pageUpdate(m), keystrokes(c.Text)...)
	if m.Verdict() != seal.OutsideArea {
		t.Errorf("after moving the checkpoint: %s", m.Verdict())
	}
}

// BenchmarkScan measures one scan from the Enter key to the verdict on
// screen: normalise, decode, verify, look the serial up among 100,000
// revoked, write the scan log with its audit entry and outbox ops in one
// transaction, then the page's Update and View. Target: ≤ 5 ms.
func BenchmarkScan(b *testing.B) {
	d := newVectorDesk(b)
	ctx := context.Background()
	root := ed25519.NewKeyFromSeed(mustHex(b, d.vf.RootSeed))
	serials := make([]string, 100_000)
	for i := range serials {
		serials[i] = fmt.Sprintf("28249-1-2021-%06d", 200_000+i)
	}
	list, err := seal.SignRevocationList(root, seal.RevocationList{Sequence: 8, IssuedAt: time.Unix(1632178800, 0), Serials: serials})
	if err != nil {
		b.Fatal(err)
	}
	if err := d.db.SetSetting(ctx, store.SettingRevocation, list); err != nil {
		b.Fatal(err)
	}
	c := d.vf.Cases[0] // valid-permit
	d.reset(b, c.Checker.At, c.Checker.Checkpoint, nil)
	m := d.page(b, i18n.Vi)
	if _, _, _, n := m.scanner.Lists(); n < 100_000 {
		b.Fatalf("%d revoked held", n)
	}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	code := []byte(c.Text)
	b.ReportAllocs()
	for b.Loop() {
		m.buf = append(m.buf[:0], code...) // the keystrokes before Enter
		_, cmd := m.Update(enter)
		msg := cmd().(common.ForPage).Msg
		m.Update(msg)
		if m.Verdict() != seal.Valid {
			b.Fatal(m.Verdict(), m.last.err)
		}
		_ = m.View()
	}
}
