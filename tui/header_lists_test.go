package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"thonghanh/tui/common"
	"thonghanh/tui/components/header"
	"thonghanh/tui/i18n"
)

// TestHeaderShowsTheListsAge: a desk that has pulled says in its header how
// old its lists are (a checkpoint offline since the morning shows it); a
// desk that never pulled shows nothing of the kind.
func TestHeaderShowsTheListsAge(t *testing.T) {
	now := time.Date(2021, 9, 21, 14, 0, 0, 0, time.UTC)
	st := common.NewStyles(true)
	for _, c := range []struct {
		lang    i18n.Lang
		sync    common.SyncState
		want    string
		without string
	}{
		{i18n.Vi, common.SyncState{Online: true, ListsAt: now.Add(-20 * time.Second)}, "danh sách cũ <1 phút", ""},
		{i18n.Vi, common.SyncState{ListsAt: now.Add(-3*time.Hour - 5*time.Minute)}, "Ngoại tuyến · 0 chờ gửi · danh sách cũ 3 giờ", ""},
		{i18n.En, common.SyncState{Online: true, ListsAt: now.Add(-7 * time.Minute)}, "lists 7 min old", ""},
		{i18n.Vi, common.SyncState{Online: true}, "Trực tuyến", "danh sách"},
	} {
		h := header.Header{Title: "Thông Hành · Kiểm tra", Desk: "Cổng chợ", Now: now, Sync: c.sync}
		got := ansi.Strip(h.View(st, c.lang, 80))
		if !strings.Contains(got, c.want) || (c.without != "" && strings.Contains(got, c.without)) {
			t.Errorf("%+v: header\n%s", c.sync, got)
		}
	}
}
