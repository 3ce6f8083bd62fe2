package tui

import (
	"thonghanh/store"
	"thonghanh/tui/admin"
	"thonghanh/tui/check"
	"thonghanh/tui/common"
	"thonghanh/tui/intake"
	"thonghanh/tui/permits"
	"thonghanh/tui/queue"
	"thonghanh/tui/syncpage"
	"thonghanh/tui/vouchers"
)

// tabSpec is one tab of the desk: its title key, the roles that may open it
// and the page constructor. A hidden tab is left out of the bar, and its
// keys do nothing, for an officer who may not open it (a clerk has no use
// for a dimmed Quản trị).
type tabSpec struct {
	title  string
	roles  []store.Role
	page   common.NewPage
	hidden bool
}

// tabSpecs is the registry of the seven tabs, in number-key order. A page written
// in its own package plugs in here with its New (as tui/vouchers and
// tui/check do; tui/syncpage replaces its placeholder the same way), or is
// passed in Options.Pages by the command.
var tabSpecs = [common.NumTabs]tabSpec{
	common.TabIntake: {title: "tab.intake", page: intake.New,
		roles: []store.Role{store.RoleClerk, store.RoleApprover, store.RoleAdmin}},
	common.TabQueue: {title: "tab.queue", page: queue.New,
		roles: []store.Role{store.RoleApprover}},
	common.TabPermits: {title: "tab.permits", page: permits.New,
		roles: []store.Role{store.RoleClerk, store.RoleApprover, store.RoleAdmin}},
	common.TabVouchers: {title: "tab.vouchers", page: vouchers.New,
		roles: []store.Role{store.RoleClerk, store.RoleApprover, store.RoleAdmin}},
	common.TabCheck: {title: "tab.check", page: check.New,
		roles: []store.Role{store.RoleChecker, store.RoleApprover, store.RoleAdmin, store.RoleClerk}},
	common.TabSync: {title: "tab.sync", page: syncpage.New,
		roles: []store.Role{store.RoleChecker, store.RoleApprover, store.RoleAdmin, store.RoleClerk}},
	common.TabAdmin: {title: "tab.admin", page: admin.New, hidden: true,
		roles: []store.Role{store.RoleAdmin, store.RoleApprover}},
}

// allowed reports whether o holds one of the tab's roles.
func (t tabSpec) allowed(o store.Officer) bool {
	for _, r := range t.roles {
		if o.Has(r) {
			return true
		}
	}
	return false
}

// startTab is where an officer lands after logging in: the work of their
// strongest role.
func startTab(o store.Officer) common.Tab {
	switch {
	case o.Has(store.RoleApprover):
		return common.TabQueue
	case o.Has(store.RoleClerk), o.Has(store.RoleAdmin):
		return common.TabIntake
	case o.Has(store.RoleChecker):
		return common.TabCheck
	}
	return common.TabSync
}
