package queue

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
	"thonghanh/tui/i18n"
	"thonghanh/tui/internal/drive"
)

// items is a small queue: names with and without diacritics, every
// category, both sources, and rows this unit may not decide.
func items(n int) []store.QueueItem {
	names := []string{"Nguyễn Văn Đức", "Trần Thị Lan", "Nguyễn Thị Vân", "Lê Văn Nam", "Đặng Ngọc Ánh", "Phạm Văn Đông"}
	from := time.Date(2021, 9, 22, 0, 0, 0, 0, store.Vietnam)
	out := make([]store.QueueItem, n)
	for i := range out {
		name := names[i%len(names)]
		cat := 1 + i%5
		auth := store.Authority{Allowed: true}
		switch {
		case i%7 == 3:
			auth = store.Authority{Reason: "người này cư trú tại Xã Đạo Thạnh: chỉ UBND xã đó được xét"}
		case cat == store.CatResident && i%2 == 1:
			auth = store.Authority{Forward: true, ForwardTo: 815, Reason: "khu vực đi lại ra ngoài Thành phố Mỹ Tho"}
		}
		out[i] = store.QueueItem{ID: fmt.Sprintf("id%05d", i), Number: fmt.Sprintf("HS28291-1-%d", i+1), Name: name,
			Folded: store.Fold(name), IDNumber: fmt.Sprintf("08209%07d", i), Category: cat, Purpose: store.PurposesFor(cat)[0],
			Source: []string{store.SourceWalkIn, store.SourceOnline}[i%2], Status: store.StatusPending,
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, 3), Authority: auth}
	}
	return out
}

func newPage(t *testing.T, n int) *Model {
	t.Helper()
	_, priv, _ := ed25519.GenerateKey(nil)
	c := common.Common{Lang: i18n.Vi, Styles: common.NewStyles(true), Keys: common.NewKeyMap(i18n.Vi),
		Width: 80, Height: 19, Officer: store.Officer{Unit: 28291, Roles: []store.Role{store.RoleApprover}},
		Signer: seal.NewSigner(priv), Tab: common.TabQueue}
	return NewWithItems(c, items(n))
}

func press(m *Model, keys ...string) tea.Cmd {
	var cmds []tea.Cmd
	for _, k := range keys {
		_, cmd := m.Update(drive.Key(k))
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

func typeText(m *Model, s string) {
	for _, k := range drive.Type(s) {
		m.Update(k)
	}
}

func visibleNames(m *Model) []string {
	var out []string
	for _, i := range m.tbl.Indices() {
		out = append(out, m.tbl.Rows()[i].Name)
	}
	return out
}

func TestFilterByFoldedNameAndIDPrefix(t *testing.T) {
	m := newPage(t, 60)
	press(m, "/")
	if !m.Typing() {
		t.Fatal("the filter input should take the keys")
	}
	typeText(m, "nguyen v")
	press(m, "enter")
	for _, n := range visibleNames(m) {
		if n != "Nguyễn Văn Đức" && n != "Nguyễn Thị Vân" {
			t.Fatalf("'nguyen v' kept %q", n)
		}
	}
	if len(m.tbl.Indices()) != 20 {
		t.Errorf("'nguyen v' kept %d rows, want 20", len(m.tbl.Indices()))
	}
	press(m, "/")
	typeText(m, "d")
	press(m, "enter") // "nguyen vd": no name has a word starting with vd
	if len(m.tbl.Indices()) != 0 || !strings.Contains(ansi.Strip(m.View()), "Không có hồ sơ nào khớp bộ lọc") {
		t.Errorf("narrowed filter: %d rows", len(m.tbl.Indices()))
	}
	press(m, "/", "esc")
	if len(m.tbl.Indices()) != 60 || m.Filter.Applied != "" {
		t.Errorf("esc should clear the filter: %d rows, query %q", len(m.tbl.Indices()), m.Filter.Applied)
	}
	press(m, "/")
	typeText(m, "082090000001")
	press(m, "enter")
	if len(m.tbl.Indices()) != 1 {
		t.Errorf("a whole ID number kept %d rows", len(m.tbl.Indices()))
	}
	for _, i := range m.tbl.Indices() {
		if !strings.HasPrefix(m.tbl.Rows()[i].IDNumber, "082090000001") {
			t.Fatalf("ID prefix kept %s", m.tbl.Rows()[i].IDNumber)
		}
	}
}

// TestNarrowingEqualsFullScan: typing on narrows the current rows; the
// result must be what a fresh scan gives.
func TestNarrowingEqualsFullScan(t *testing.T) {
	for _, q := range []string{"n", "ng", "nguy", "nguyen", "nguyen t", "nguyen thi v", "đ", "dang ngoc", "08209000000"} {
		m := newPage(t, 200)
		press(m, "/")
		for _, k := range drive.Type(q) {
			m.Update(k)
			m.refilter(true) // as the debounce would, after every key
		}
		narrowed := append([]int(nil), m.tbl.Indices()...)
		full := newPage(t, 200)
		full.Filter.Input.SetValue(q)
		full.applyFilter(true, "")
		if fmt.Sprint(narrowed) != fmt.Sprint(full.tbl.Indices()) {
			t.Errorf("%q: narrowing kept %d rows, a full scan %d", q, len(narrowed), len(full.tbl.Indices()))
		}
	}
}

func TestCategoryAndSourceFilters(t *testing.T) {
	m := newPage(t, 50)
	press(m, "c")
	for _, i := range m.tbl.Indices() {
		if m.tbl.Rows()[i].Category != 1 {
			t.Fatal("c should keep category 1 only")
		}
	}
	press(m, "c", "c", "c") // category 4
	press(m, "n")           // walk-ins
	for _, i := range m.tbl.Indices() {
		if it := m.tbl.Rows()[i]; it.Category != 4 || it.Source != store.SourceWalkIn {
			t.Fatalf("category 4 walk-ins kept %+v", it)
		}
	}
	s := ansi.Strip(m.View())
	if !strings.Contains(s, "Loại [c]: L4") || !strings.Contains(s, "Nguồn [n]: quầy") {
		t.Errorf("the filter bar should show the filters:\n%s", s)
	}
	press(m, "c", "c", "n", "n") // category 5, then all; online, then all
	if len(m.tbl.Indices()) != 50 {
		t.Errorf("cycling back should show everything, got %d", len(m.tbl.Indices()))
	}
}

func TestMarks(t *testing.T) {
	m := newPage(t, 40)
	press(m, "space", "space")
	if len(m.tbl.Marks) != 2 || m.tbl.Win.Cursor != 2 {
		t.Fatalf("space marks and moves down: %d marks, cursor %d", len(m.tbl.Marks), m.tbl.Win.Cursor)
	}
	press(m, "shift+down", "shift+down", "shift+down")
	if len(m.tbl.Marks) != 6 || m.tbl.Win.Cursor != 5 {
		t.Fatalf("shift+down marks a range: %d marks, cursor %d", len(m.tbl.Marks), m.tbl.Win.Cursor)
	}
	press(m, "esc")
	if len(m.tbl.Marks) != 0 {
		t.Fatal("esc clears the marks")
	}
	press(m, "c", "c") // category 2: 8 rows
	press(m, "ctrl+a")
	if len(m.tbl.Marks) != 8 {
		t.Fatalf("ctrl+a marks every filtered row: %d", len(m.tbl.Marks))
	}
	press(m, "c", "c", "c", "c") // back to everything; marks stay
	if len(m.tbl.Marks) != 8 || m.hiddenMarks() != 0 {
		t.Fatalf("marks survive the filter: %d", len(m.tbl.Marks))
	}
	press(m, "c", "c") // category 2 again
	press(m, "ctrl+a")
	if len(m.tbl.Marks) != 0 {
		t.Fatalf("ctrl+a on an all-marked view unmarks: %d", len(m.tbl.Marks))
	}
}

func TestApproveConfirmation(t *testing.T) {
	m := newPage(t, 30)
	press(m, "ctrl+a", "a")
	if m.Mode != modeConfirmApprove {
		t.Fatal("a should ask for confirmation")
	}
	var want [6]int
	allowed, refused := 0, 0
	for _, it := range m.tbl.Rows() {
		if it.Authority.Allowed {
			want[it.Category]++
			allowed++
		} else {
			refused++
		}
	}
	s := ansi.Strip(m.View())
	if !strings.Contains(s, fmt.Sprintf("Duyệt %d hồ sơ (loại 1 × %d, loại 2 × %d", allowed, want[1], want[2])) {
		t.Errorf("confirmation should say how many and which categories:\n%s", s)
	}
	if !strings.Contains(s, fmt.Sprintf("Bỏ qua %d hồ sơ không thuộc thẩm quyền", refused)) {
		t.Errorf("confirmation should say what is left out:\n%s", s)
	}
	if len(m.targets) != allowed {
		t.Errorf("%d targets, want %d", len(m.targets), allowed)
	}
	press(m, "n")
	if m.Mode != table.ModeList || m.bulk != nil {
		t.Error("n cancels")
	}
}

func TestRefusedRowCannotBeApproved(t *testing.T) {
	m := newPage(t, 30)
	press(m, "down", "down", "down") // row 3: not this unit's
	it, _ := m.cursorItem()
	if it.Authority.Allowed {
		t.Fatal("fixture: row 3 should be refused")
	}
	s := ansi.Strip(m.View())
	if !strings.Contains(s, "⊘ Không thuộc thẩm quyền: người này cư trú tại Xã Đạo Thạnh") {
		t.Errorf("the reason should show under the table:\n%s", s)
	}
	cmd := press(m, "a")
	if m.Mode != table.ModeList {
		t.Fatal("a refused row must not reach the confirmation")
	}
	if msg := runCmd(cmd); msg == nil || !strings.Contains(msg.(common.StatusMsg).Text, "Không có hồ sơ nào đơn vị được duyệt") {
		t.Errorf("status: %#v", msg)
	}
}

func TestRejectNeedsReason(t *testing.T) {
	m := newPage(t, 10)
	press(m, "r")
	if m.Mode != table.ModeReason || !m.Typing() {
		t.Fatal("r asks for a reason and takes the keys")
	}
	press(m, "enter")
	if m.Mode != table.ModeReason || !strings.Contains(ansi.Strip(m.View()), "Phải ghi lý do từ chối") {
		t.Fatalf("an empty reason is refused:\n%s", ansi.Strip(m.View()))
	}
	press(m, "esc")
	if m.Mode != table.ModeList || m.Typing() {
		t.Error("esc cancels")
	}
}

func TestForwardOnlyForwardable(t *testing.T) {
	m := newPage(t, 30)
	press(m, "f") // row 0: category 1
	if m.Mode == modeConfirmForward {
		t.Fatal("a category-1 row cannot be forwarded")
	}
	press(m, "ctrl+a", "f")
	if m.Mode != modeConfirmForward {
		t.Fatal("forwardable rows among the marked: confirm")
	}
	for _, id := range m.targets {
		if it, _ := m.find(id); !it.Authority.Forward {
			t.Errorf("%s is not forwardable", id)
		}
	}
	if s := ansi.Strip(m.View()); !strings.Contains(s, "Chuyển 2 hồ sơ đến") {
		t.Errorf("the confirmation names the district:\n%s", s)
	}
}

// TestOnlyVisibleRowsRendered: the table draws as many rows as fit,
// whatever the queue's length, and scrolls with the cursor.
func TestOnlyVisibleRowsRendered(t *testing.T) {
	m := newPage(t, 100_000)
	lines := strings.Split(m.View(), "\n")
	if len(lines) != 19 {
		t.Fatalf("the page drew %d lines, want 19", len(lines))
	}
	press(m, "end")
	if s := ansi.Strip(m.View()); !strings.Contains(s, "08209"+fmt.Sprintf("%07d", 99_999)) {
		t.Errorf("end should show the last row")
	}
	if m.tbl.Win.Offset != 100_000-m.tbl.Win.Height {
		t.Errorf("offset %d", m.tbl.Win.Offset)
	}
}

func runCmd(cmd tea.Cmd) tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if c == nil {
				continue
			}
			if m := c(); m != nil {
				return m
			}
		}
		return nil
	}
	return msg
}
