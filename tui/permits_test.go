package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// approveFirst logs the approver in, approves the first n rows of the queue
// and opens the permits tab.
func approveFirst(t *testing.T, d *drive.Driver, m *Model, n int) {
	t.Helper()
	logIn(t, d, m, "duyet")
	for range n {
		d.Send(drive.Key("space"))
	}
	d.Send(drive.Key("a"), drive.Key("y"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã duyệt") }, 10*time.Second)
	d.Send(drive.Key("3"))
	waitLoaded(t, d, m)
}

func TestPermitQR(t *testing.T) {
	m, d, _ := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 1)
	d.Send(drive.Key("q"))
	s := strings.Join(strings.Fields(screen(m)), " ")
	re := regexp.MustCompile(`cần ít nhất (\d+) cột × (\d+) dòng \(hiện 80 × 24\)`)
	if !re.MatchString(s) {
		t.Fatalf("a QR that does not fit must say how large the window must be:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(tea.WindowSizeMsg{Width: 100, Height: 45})
	s = screen(m)
	if !strings.Contains(s, "█") || strings.Contains(s, "quá nhỏ") {
		t.Fatalf("the QR should show at 100×45:\n%s", s)
	}
	checkFrame(t, m, 100, 45)
	d.Send(drive.Key("esc"))
	if strings.Contains(screen(m), "█") || !strings.Contains(screen(m), "Giấy đã cấp") {
		t.Error("esc goes back to the list")
	}
}

func TestRevokeWithReason(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 2)
	serial := m.pages[2].(interface{ CursorSerial() string }).CursorSerial()
	d.Send(drive.Key("x"), drive.Key("enter"))
	if !strings.Contains(screen(m), "Phải ghi lý do thu hồi") {
		t.Fatalf("a revocation needs a reason:\n%s", screen(m))
	}
	d.Send(drive.Type("Người được cấp báo mất giấy")...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã thu hồi 1 giấy") }, 5*time.Second)
	p, err := db.Permit(context.Background(), serial)
	if err != nil || p.RevokedAt.IsZero() || p.RevokeReason != "Người được cấp báo mất giấy" {
		t.Fatalf("permit %s after revoking: %+v (%v)", serial, p, err)
	}
	if revoked, _ := db.IsRevoked(context.Background(), serial); !revoked {
		t.Error("the serial is not on the revocation list")
	}
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "✗ Thu hồi lúc 21/09/2021 08:00") }, 5*time.Second)
}

func TestClerkCannotRevoke(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 1)
	d.Send(drive.Key("ctrl+l"))
	logIn(t, d, m, "canbo")
	d.Send(drive.Key("alt+3")) // the clerk lands in the ID input: digits are typed
	waitLoaded(t, d, m)
	d.Send(drive.Key("x"))
	if !strings.Contains(screen(m), "Chỉ người duyệt mới được thu hồi giấy") {
		t.Errorf("a clerk should be told:\n%s", screen(m))
	}
	ps, _ := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if !ps[0].RevokedAt.IsZero() {
		t.Error("a clerk revoked a permit")
	}
}

func TestPrintMarked(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 3)
	d.Send(drive.Key("ctrl+a"), drive.Key("p"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Đã in 3 giấy") }, 30*time.Second)
	path := m.pages[2].(interface{ LastPrint() string }).LastPrint()
	if !strings.Contains(screen(m), filepath.Base(path)) {
		t.Errorf("the file's name should be on screen:\n%s", screen(m))
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
		t.Fatalf("printed file %s: %v", path, err)
	}
	ps, _ := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	for _, p := range ps {
		if p.Printed != 1 {
			t.Errorf("permit %s printed %d times", p.Serial, p.Printed)
		}
	}
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), " 1×") }, 5*time.Second)
}

func TestSearchPermits(t *testing.T) {
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	approveFirst(t, d, m, 3)
	// Search by one holder's whole name, typed without diacritics.
	ps, _ := db.Permits(context.Background(), store.PermitFilter{Unit: 28291})
	if len(ps) != 3 {
		t.Fatalf("%d permits after approving 3", len(ps))
	}
	holder := ps[0].HolderName
	want := 0
	for _, p := range ps {
		if p.HolderName == holder {
			want++
		}
	}
	d.Send(drive.Key("/"))
	d.Send(drive.Type(store.Fold(holder))...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), fmt.Sprintf("%d giấy", want)) }, 5*time.Second)
	if !strings.Contains(screen(m), holder) {
		t.Errorf("search by folded name %q:\n%s", store.Fold(holder), screen(m))
	}
}
