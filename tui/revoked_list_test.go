package tui

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
)

// TestProvinceRevokedPermitShown: a permit revoked only through the
// province's signed revocation list (pulled at a sync; its own row never
// marked) reads "Đã thu hồi" in the person's view of Tìm người and as
// revoked on Giấy đã cấp, never "Còn hạn", at 80×24.
func TestProvinceRevokedPermitShown(t *testing.T) {
	ctx := context.Background()
	m, d, db := newDesk(t, i18n.Vi, 80, 24)
	_, seeded := testdesk.Open(t) // every copy of the demo desk has the same root key
	_, states := seedDuc(t, db)
	var listed string
	for serial, state := range states {
		if state == "Còn hạn" {
			listed = serial
		}
	}
	raw, err := seal.SignRevocationList(seeded.RootKey, seal.RevocationList{Sequence: 1000, IssuedAt: testdesk.Sept21, Serials: []string{listed}})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(store.SignedList{Raw: raw})
	if err := db.ApplyChanges(ctx, []store.Change{{Seq: 1, Entity: store.ChangeRevocationList, ID: "revocations", Payload: payload}}, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.IsRevoked(ctx, listed); !ok {
		t.Fatalf("test premise: %s is on the desk's revocation list", listed)
	}

	logIn(t, d, m, "canbo")
	d.Send(drive.Key("ctrl+f"))
	d.Send(drive.Type("nguyen van duc")...)
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), ducID) }, 10*time.Second)
	if !findRow(d, m, ducID) {
		t.Fatalf("the cursor never reached %s:\n%s", ducID, screen(m))
	}
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "Giấy đi đường (4)") }, 10*time.Second)
	if line := lineWith(screen(m), listed); !strings.Contains(line, "Đã thu hồi") {
		t.Errorf("permit %s, on the province's revocation list, should read Đã thu hồi: %q\n%s", listed, line, screen(m))
	}
	checkFrame(t, m, 80, 24)

	d.Send(drive.Key("esc"), drive.Key("esc"), drive.Key("esc")) // the list, the ID number, an empty form
	d.Send(drive.Key("alt+3"))
	waitLoaded(t, d, m)
	d.Send(drive.Key("/"))
	d.Send(drive.Type(listed)...)
	d.Send(drive.Key("enter"))
	d.Until(func(tea.Model) bool { return strings.Contains(screen(m), "1 giấy") }, 5*time.Second)
	s := screen(m)
	if line := lineWith(s, listed+" "+"Nguyễn Văn Đức"); !strings.Contains(line, "✗") {
		t.Errorf("the row of %s should be marked revoked (✗): %q", listed, line)
	}
	if !strings.Contains(s, "✗ Thu hồi lúc 21/09/2021 08:00: danh sách thu hồi của tỉnh") || strings.Contains(s, "Còn hạn") {
		t.Errorf("the line under the list should say the permit was revoked by the province's list:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
	d.Send(drive.Key("enter")) // the permit's full view
	if s := screen(m); !strings.Contains(s, "Đã thu hồi") || strings.Contains(s, "Còn hạn") {
		t.Errorf("the permit's full view should say Đã thu hồi:\n%s", s)
	}
	checkFrame(t, m, 80, 24)
}
