package check

import (
	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// NewAt builds the page like New and, when checkpoint is non-zero, stores
// it as the desk's checkpoint once the scanner is ready (under the name of
// the officer logged in, who is accountable for it); market, when not
// empty, likewise becomes the market whose entrance this is.
func NewAt(checkpoint uint32, market string) common.NewPage {
	return func(c common.Common) common.Page {
		m := newModel(c)
		m.setCheckpoint, m.setMarket = checkpoint, market
		return m
	}
}

// Refusal says why o may not use the checkpoint program ("" when they may):
// the store would refuse their scans.
func Refusal(lang i18n.Lang, o store.Officer) string {
	if store.MayScan(o) != nil {
		return lang.Tf("check.app.forbidden", o.Username)
	}
	return ""
}

// Summary is one line about a session's scans, for the terminal after the
// program ends: "12 lượt quét: 10 hợp lệ, 2 không hợp lệ".
func Summary(lang i18n.Lang, counts map[seal.Verdict]int) string {
	total, valid := 0, counts[seal.Valid]
	for _, n := range counts {
		total += n
	}
	return lang.Tf("check.summary", total, valid, total-valid)
}
