package syncpage

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/wire"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

type fakeSyncer struct{ state common.SyncState }

func (f *fakeSyncer) SyncState() common.SyncState { return f.state }
func (f *fakeSyncer) SyncNow()                    {}

func newPage(t *testing.T, syncer common.Syncer) (*Page, *store.DB) {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "desk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lang := i18n.Vi
	c := common.Common{Ctx: context.Background(), Lang: lang, Styles: common.NewStyles(true), Keys: common.NewKeyMap(lang),
		Width: 80, Height: 19, DB: db, Syncer: syncer, Tab: common.TabSync}
	return New(c).(*Page), db
}

// run executes cmd and feeds its message back, unwrapping ForPage.
func run(t *testing.T, p *Page, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		return
	}
	msg := cmd()
	if fp, ok := msg.(common.ForPage); ok {
		msg = fp.Msg
	}
	p.Update(msg)
}

func TestSyncPageShowsStateAndRefusals(t *testing.T) {
	last := time.Date(2021, 9, 21, 9, 30, 0, 0, store.Vietnam)
	syncer := &fakeSyncer{state: common.SyncState{Online: true, Pending: 12, LastSuccess: last, Running: true, Done: 3, Total: 12}}
	p, db := newPage(t, syncer)
	db.SQL().Exec(`INSERT INTO outbox (op_id, entity, entity_id, op, payload, payload_hash, state, last_error, created_at, updated_at)
		VALUES ('01', 'decision', 'APP1', 'decide', x'7b7d', x'00', 'rejected', 'đơn vị không có thẩm quyền', 0, 0)`)
	run(t, p, p.Init())
	view := ansi.Strip(p.View())
	for _, want := range []string{"Đồng bộ với máy chủ tỉnh", "trực tuyến", "đang đồng bộ", "12 thay đổi", "21/09/2021 09:30",
		"3/12", "Thay đổi máy chủ không nhận", "đơn vị không có thẩm quyền"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	for i, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d columns wide", i, w)
		}
	}
}

func TestSyncPageOfflineDeskCountsTheOutbox(t *testing.T) {
	p, db := newPage(t, nil)
	for _, id := range []string{"01", "02"} {
		db.SQL().Exec(`INSERT INTO outbox (op_id, entity, entity_id, op, payload, payload_hash, created_at, updated_at)
			VALUES (?, 'application', 'A', 'create', x'7b7d', x'00', 0, 0)`, id)
	}
	run(t, p, p.Init())
	view := ansi.Strip(p.View())
	for _, want := range []string{"ngoại tuyến", "2 thay đổi", "chưa đăng ký", "chưa lần nào"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	// A tick from an older activation does not start a second refresh loop.
	p.Activate()
	if _, cmd := p.Update(tickMsg{gen: p.gen - 1}); cmd != nil {
		t.Error("a stale tick kept refreshing")
	}
}

// The page refreshes itself only while shown: once another tab takes the
// screen, its pending tick starts no more reads.
func TestSyncPageStopsRefreshingWhenHidden(t *testing.T) {
	p, _ := newPage(t, nil)
	p.Activate()
	shown := tickMsg{p.gen}
	if _, cmd := p.Update(shown); cmd == nil {
		t.Fatal("a tick while shown should reload and tick again")
	}
	p.Deactivate()
	if _, cmd := p.Update(shown); cmd != nil {
		t.Error("a tick after the page was left still reloads")
	}
}

// Issue 15: the page said "xung đột 0" while the centre held two desks'
// versions of a person. A conflict pulled from the centre is counted and
// listed, with both names and both units.
func TestSyncPageListsOpenConflicts(t *testing.T) {
	p, db := newPage(t, nil)
	held := wire.Person{IDNumber: "082190012345", FullName: "Trần Thị Mai"}
	pushed := wire.Person{IDNumber: "082190012345", FullName: "Trần Thị Mai Anh"}
	cf := store.Conflict{ID: "CF1", Kind: "person", IDNumber: "082190012345", HeldDesk: "D1", HeldUnit: 28291, PushedDesk: "D2",
		PushedUnit: 815, Held: &held, Pushed: &pushed, Status: "open"}
	payload, _ := json.Marshal(cf)
	if err := db.ApplyChanges(context.Background(), []store.Change{{Seq: 1, Entity: store.ChangeConflict, ID: "CF1", Payload: payload}}, 1, "", nil); err != nil {
		t.Fatal(err)
	}
	run(t, p, p.Init())
	view := ansi.Strip(p.View())
	for _, want := range []string{"1 (xem danh sách dưới)", "Xung đột giữa các máy (1 đang mở)", "“Trần Thị Mai” (đơn vị 28291)", "đơn vị 815 gửi “Trần Thị Mai Anh”"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	_, list, _ := strings.Cut(view, "Xung đột giữa")
	for i, line := range strings.Split(list, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d columns wide", i, w)
		}
	}
}

// TestSyncPageShowsReceivedAndConflicts: the tab says what came from the
// centre as well as what went, and the conflicts still open.
func TestSyncPageShowsReceivedAndConflicts(t *testing.T) {
	p, db := newPage(t, &fakeSyncer{state: common.SyncState{Online: true}})
	ctx := context.Background()
	// Two changes of a kind this desk does not know: skipped, yet received.
	if err := db.ApplyChanges(ctx, []store.Change{{Seq: 1, Entity: "later", ID: "x1"}, {Seq: 2, Entity: "later", ID: "x2"}}, 2, "", nil); err != nil {
		t.Fatal(err)
	}
	db.SQL().Exec(`INSERT INTO outbox (op_id, entity, entity_id, op, payload, payload_hash, state, last_error, created_at, updated_at)
		VALUES ('01', 'decision', 'APP1', 'decide', x'7b7d', x'00', 'conflict', 'hồ sơ đã được duyệt ở máy khác', 0, 0)`)
	run(t, p, p.Init())
	_, cmd := p.Update(tea.KeyPressMsg{Code: 'r', Text: "r"})
	run(t, p, cmd)
	view := ansi.Strip(p.View())
	for _, want := range []string{"Đã nhận", "2 thay đổi từ máy chủ", "Xung đột chưa xong", "1 (xem danh sách dưới)",
		"hồ sơ đã được duyệt ở máy khác"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	for i, line := range strings.Split(view, "\n") {
		if w := ansi.StringWidth(line); w > 80 {
			t.Errorf("line %d is %d columns wide", i, w)
		}
	}
}
