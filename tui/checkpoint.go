package tui

import (
	"context"

	"thonghanh/store"
	"thonghanh/store/seal"
	"thonghanh/tui/check"
	"thonghanh/tui/common"
	"thonghanh/tui/i18n"
)

// CheckpointOptions are what `thonghanh check` hands the checkpoint program.
type CheckpointOptions struct {
	Ctx  context.Context
	DB   *store.DB
	Lang i18n.Lang
	// Checkpoint, when non-zero, is stored as this desk's checkpoint once an
	// officer has logged in (the change is audited under their name).
	Checkpoint uint32
	// Market, when not empty, is stored likewise as the market (its ID)
	// whose entrance this is: a voucher for another market is refused.
	Market string
	// Syncer links the checkpoint to the central server; nil = offline.
	Syncer common.Syncer
	// DemoPassword is shown with the demo accounts on a demo desk's login
	// screen; empty = no accounts listed.
	DemoPassword string
}

// Checkpoint is the Kiểm tra screen alone, for a checkpoint PC that does
// nothing else: the desk's frame with one tab. Only officers who may scan
// get past the login (the store would refuse anyone else's scans).
type Checkpoint struct{ *Model }

// NewCheckpoint opens the checkpoint program on a desk database: it must
// hold a desk (seeded or enrolled), whose label the header shows and whose
// login is used.
func NewCheckpoint(opt CheckpointOptions) (*Checkpoint, error) {
	lang := opt.Lang
	if lang == "" {
		lang = i18n.Vi
	}
	m, err := New(Options{
		Ctx: opt.Ctx, DB: opt.DB, Lang: lang,
		Tabs:         []common.Tab{common.TabCheck},
		Title:        lang.T("check.app.title"),
		Pages:        map[common.Tab]common.NewPage{common.TabCheck: check.NewAt(opt.Checkpoint, opt.Market)},
		Admit:        func(o store.Officer) string { return check.Refusal(lang, o) },
		Syncer:       opt.Syncer,
		DemoPassword: opt.DemoPassword,
	})
	if err != nil {
		return nil, err
	}
	return &Checkpoint{m}, nil
}

// Scanning reports that an officer is logged in and the scanner is open.
func (c *Checkpoint) Scanning() bool { return c.loggedIn && c.pages[common.TabCheck] != nil }

// Counts are the verdicts since the officer logged in, for the summary
// printed on exit.
func (c *Checkpoint) Counts() map[seal.Verdict]int {
	if p, ok := c.pages[common.TabCheck].(*check.Model); ok && c.loggedIn {
		return p.Counts()
	}
	return nil
}
