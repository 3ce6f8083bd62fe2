package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/store/seed"
	"thonghanh/tui/common"
	"thonghanh/tui/internal/drive"
	"thonghanh/tui/internal/testdesk"
	"thonghanh/tui/login"
	"thonghanh/tui/queue"
)

// syntheticQueue makes n queue rows without the store: names, ID numbers,
// every category and authority verdict, as the table sees them.
func syntheticQueue(n int) []store.QueueItem {
	family := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ"}
	middle := []string{"Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Quốc", "Kim"}
	given := []string{"An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Việt", "Xuân", "Yến"}
	from := time.Date(2021, 9, 22, 0, 0, 0, 0, store.Vietnam)
	items := make([]store.QueueItem, n)
	for i := range items {
		name := family[i%len(family)] + " " + middle[(i/7)%len(middle)] + " " + given[(i/3)%len(given)]
		cat := 1 + i%5
		auth := store.Authority{Allowed: true}
		switch {
		case i%11 == 0:
			auth = store.Authority{Reason: "người này cư trú tại Xã Đạo Thạnh: chỉ UBND xã đó được xét"}
		case cat == store.CatResident && i%4 == 0:
			auth = store.Authority{Forward: true, ForwardTo: 815, Reason: "khu vực đi lại ra ngoài Thành phố Mỹ Tho: xã chuyển lên UBND Thành phố Mỹ Tho quyết định"}
		}
		items[i] = store.QueueItem{
			ID: fmt.Sprintf("01J%023d", i), Number: fmt.Sprintf("HS28291-1-%d", i+1), Name: name, Folded: store.Fold(name),
			IDNumber: fmt.Sprintf("0820%02d%06d", 50+i%50, i%1000000), Category: cat, Purpose: store.PurposesFor(cat)[0],
			Source: []string{store.SourceWalkIn, store.SourceOnline}[i%2], Status: store.StatusPending,
			ValidFrom: from, ValidUntil: from.AddDate(0, 0, 1+i%6), Area: []uint32{28291}, CreatedAt: from, Version: 1,
			Authority: auth,
		}
	}
	return items
}

// queueDesk is the whole desk at 80×24, logged in as the approver, with the
// queue page holding items.
func queueDesk(tb testing.TB, items []store.QueueItem) *Model {
	tb.Helper()
	db, _ := testdesk.Open(tb)
	m, err := New(Options{DB: db})
	if err != nil {
		tb.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	o, err := db.Login(context.Background(), "duyet", seed.DemoPassword)
	if err != nil {
		tb.Fatal(err)
	}
	m.startSession(login.DoneMsg{Officer: o})
	c := m.base
	c.Tab = common.TabQueue
	c.Width, c.Height = m.pageSize()
	m.pages[common.TabQueue] = queue.NewWithItems(c, items)
	m.active = common.TabQueue
	m.layout()
	return m
}

// BenchmarkQueueKeypress is one down-arrow in the approval queue: the root's
// Update and the whole 80×24 View. The table draws only the visible rows,
// so 100,000 pending applications cost what 1,000 do; the budget is 5 ms a
// key (go test -run '^$' -bench QueueKeypress ./tui). It is a benchmark,
// not a test: a busy machine says nothing about the code's speed.
func BenchmarkQueueKeypress(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			m := queueDesk(b, syntheticQueue(n))
			down := drive.Key("down")
			b.ReportAllocs()
			for b.Loop() {
				m.Update(down)
				_ = m.View()
			}
		})
	}
}
