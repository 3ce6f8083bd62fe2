package login

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

func TestMain(m *testing.M) {
	// A changed password is hashed and the desk key wrapped again at the
	// production costs; tests keep them cheap.
	store.DefaultPasswordParams = testdesk.CheapPasswords
	seal.DefaultKeyParams = seal.CheapKeyParams
	os.Exit(testdesk.Main(m))
}

// page lets the driver run the login screen alone, at 80×24.
type page struct {
	m    *Model
	done *DoneMsg
}

func (p *page) Init() tea.Cmd { return p.m.Init() }

func (p *page) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := msg.(DoneMsg); ok {
		p.done = &d
		return p, nil
	}
	_, cmd := p.m.Update(msg)
	return p, cmd
}

func (p *page) View() tea.View { return tea.NewView(p.m.View()) }

func screen(d *drive.Driver) string { return ansi.Strip(d.View()) }

// TestWeakPasswordMustBeChangedFirst: an approver whose password is "1111"
// logs in, is asked for a new one twice before anything else (a mismatch,
// then a password the rules refuse, are told on the screen), and with a
// good one reaches the desk with the signing key unlocked; the old password
// no longer logs in and the new one does, without the change step.
func TestWeakPasswordMustBeChangedFirst(t *testing.T) {
	ctx := context.Background()
	db, _ := testdesk.Open(t)
	desk, err := db.Desk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	approver, err := db.Login(ctx, "duyet", seed.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	weak, _ := store.HashPassword("1111", testdesk.CheapPasswords)
	// What an older desk holds: a weak hash, the key wrapped under it.
	priv := seed.DemoDeskKey(desk.Unit)
	blob, err := seal.EncryptPrivateKeyWith(priv, "1111", seal.CheapKeyParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE officers SET password_hash = ? WHERE id = ?`, weak, approver.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`UPDATE desk_key_wraps SET wrapped = ? WHERE officer_id = ?`, blob, approver.ID); err != nil {
		t.Fatal(err)
	}

	c := common.Common{Ctx: ctx, Lang: i18n.Vi, Styles: common.NewStyles(true), DB: db, Desk: desk, Width: 80, Height: 24}
	p := &page{m: New(c, desk)}
	d := drive.New(t, p)
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.Send(drive.Type("duyet")...)
	d.Send(drive.Key("tab"))
	d.Send(drive.Type("1111")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return p.m.change != nil && !p.m.Busy() }, 10*time.Second)
	if p.done != nil {
		t.Fatal("logged in without changing the weak password")
	}
	s := screen(d)
	for _, want := range []string{"Đổi mật khẩu", "ít nhất 10 ký tự", "Mật khẩu mới", "Nhập lại"} {
		if !strings.Contains(s, want) {
			t.Fatalf("change step lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "\n") + 1; n > 24 {
		t.Fatalf("change step is %d lines, the terminal 24", n)
	}

	// The two entries differ.
	d.Send(drive.Type("mot-mat-khau-dai")...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("mat-khau-khac-han")...)
	d.Send(drive.Key("enter"))
	if s := screen(d); !strings.Contains(s, "không khớp") || p.done != nil {
		t.Fatalf("mismatch not told:\n%s", s)
	}
	// A common password, refused by the store with its reason.
	d.Send(drive.Type("matkhau123")...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Type("matkhau123")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return !p.m.Busy() }, 10*time.Second)
	if s := screen(d); !strings.Contains(s, "phổ biến") || p.done != nil {
		t.Fatalf("common password not refused:\n%s", s)
	}
	// A good one.
	const fresh = "lua-chin-ruong-tren"
	d.Send(drive.Type(fresh)...)
	d.Send(drive.Key("enter"))
	d.Send(drive.Type(fresh)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return p.done != nil }, 10*time.Second)
	if p.done.Officer.ID != approver.ID || p.done.Signer == nil || p.done.Warning != "" {
		t.Fatalf("after the change: %+v", *p.done)
	}
	if _, err := db.Login(ctx, "duyet", "1111"); store.ErrorCode(err) != store.EAuth {
		t.Fatalf("old password still logs in: %v", err)
	}
	o, err := db.Login(ctx, "duyet", fresh)
	if err != nil || o.MustChangePassword {
		t.Fatalf("new password: %+v %v", o, err)
	}
	if _, err := db.UnlockSigner(ctx, o, fresh); err != nil {
		t.Fatalf("desk key not wrapped under the new password: %v", err)
	}
}
