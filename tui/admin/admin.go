// Package admin is the desk's Quản trị tab, for the unit's administrators
// and approvers: the commune's risk zones (Khu vực), their markets (Chợ)
// and the unit's officer accounts (Cán bộ) — listed, added (n), edited
// (e or enter), deactivated (d, after a confirmation) and brought back (r,
// after a confirmation). What is deactivated stays listed, dimmed, so that
// it can be brought back.
//
// Its room is the screen: every change is a store call (CreateZone,
// UpdateZone, DeactivateZone, ReactivateZone, the same for markets,
// AddOfficer, UpdateOfficer, DeactivateOfficer, ReactivateOfficer), which
// decides who may do it, checks the values and writes the record, its
// audit entry and its outbox op in one transaction. Fields are checked as typed with the store's own
// normalisers; the page repeats no rule and writes no SQL.
package admin

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
	"thonghanh/tui/components/table"
)

// view is one of the tab's three lists.
type view int

const (
	viewZones view = iota
	viewMarkets
	viewOfficers
	numViews
)

var viewTitles = [numViews]string{"admin.view.zones", "admin.view.markets", "admin.view.officers"}

type zoneRow struct {
	zone    store.Zone
	markets int // open ones
}

type marketRow struct {
	market store.Market
	zone   string
}

type keyMap struct {
	list                  common.ListKeys
	Views                 key.Binding
	Add, Edit, Deactivate key.Binding
	Reactivate            key.Binding
	Reload                key.Binding
	Confirm, Cancel       key.Binding
	PageKeys, EndKeys     key.Binding
	form                  formKeys
	viewLeft, viewRight   key.Binding
}

// Page is the Quản trị tab.
type Page struct {
	c    common.Common
	keys keyMap

	view     view
	zones    table.Table[zoneRow]
	markets  table.Table[marketRow]
	officers table.Table[store.Officer]
	loaded   bool
	loadErr  string

	form *form
	// confirm is the question asked before a deactivation or a return, and
	// what it does.
	confirm   string
	confirmDo func() tea.Cmd
}

// New builds the page for the logged-in officer.
func New(c common.Common) common.Page {
	k := c.Keys
	if k == nil {
		k = common.NewKeyMap(c.Lang)
	}
	p := &Page{c: c,
		zones:    table.New(func(r *zoneRow) string { return r.zone.ID }),
		markets:  table.New(func(r *marketRow) string { return r.market.ID }),
		officers: table.New(func(o *store.Officer) string { return o.ID }),
	}
	p.keys = keyMap{
		list:       k.ListKeys(),
		Views:      key.NewBinding(key.WithKeys("left", "right", "tab"), key.WithHelp("←/→", c.T("admin.key.views"))),
		Add:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", c.T("admin.key.add"))),
		Edit:       key.NewBinding(key.WithKeys("e", "enter"), key.WithHelp("e/enter", c.T("admin.key.edit"))),
		Deactivate: key.NewBinding(key.WithKeys("d"), key.WithHelp("d", c.T("admin.key.deactivate"))),
		Reactivate: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", c.T("admin.key.reactivate"))),
		Reload:     key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", c.T("admin.key.reload"))),
		Confirm:    k.Confirm,
		Cancel:     k.Cancel,
		PageKeys:   k.PageKeys,
		EndKeys:    k.EndKeys,
		form:       newFormKeys(c),
		viewLeft:   key.NewBinding(key.WithKeys("left")),
		viewRight:  key.NewBinding(key.WithKeys("right", "tab")),
	}
	return p
}

// loadedMsg is the three lists as the store holds them.
type loadedMsg struct {
	zones    []zoneRow
	markets  []marketRow
	officers []store.Officer
	err      error
}

// doneMsg is the answer to a change: err, or the line to show.
type doneMsg struct {
	err  error
	text string
}

func (p *Page) load() tea.Cmd {
	c := p.c
	return c.Run(func() tea.Msg {
		var msg loadedMsg
		// Lifted zones and closed markets too: they are brought back here.
		zones, err := c.DB.AllZones(c.Ctx, c.Officer.Unit)
		if err != nil {
			return loadedMsg{err: err}
		}
		for _, z := range zones {
			ms, err := c.DB.AllMarkets(c.Ctx, z.ID)
			if err != nil {
				return loadedMsg{err: err}
			}
			open := 0
			for _, m := range ms {
				if m.Active {
					open++
				}
				msg.markets = append(msg.markets, marketRow{market: m, zone: z.Name})
			}
			msg.zones = append(msg.zones, zoneRow{zone: z, markets: open})
		}
		if msg.officers, err = c.DB.OfficersOfUnit(c.Ctx, c.Officer.Unit); err != nil {
			return loadedMsg{err: err}
		}
		return msg
	})
}

// Init loads the lists.
func (p *Page) Init() tea.Cmd { return p.load() }

// Activate reloads: another desk's changes may have arrived by sync.
func (p *Page) Activate() tea.Cmd {
	if p.form != nil {
		return nil
	}
	return p.load()
}

// SetSize sets the page's area.
func (p *Page) SetSize(w, h int) {
	p.c.Width, p.c.Height = w, h
	rows := p.listRows()
	p.zones.SetHeight(rows)
	p.markets.SetHeight(rows)
	p.officers.SetHeight(rows)
}

// listRows is how many rows of a list fit: the page less its heading, the
// column line and the line under the list.
func (p *Page) listRows() int { return max(p.c.Height-4, 1) }

// Typing is true while a form is open: its keys are the form's.
func (p *Page) Typing() bool { return p.form != nil }

// Update handles the page's messages.
func (p *Page) Update(msg tea.Msg) (common.Page, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		p.loaded = true
		p.loadErr = ""
		if msg.err != nil {
			p.loadErr = p.c.ErrorText(msg.err)
			return p, nil
		}
		p.zones.SetRows(msg.zones, nil)
		p.markets.SetRows(msg.markets, nil)
		p.officers.SetRows(msg.officers, nil)
		return p, nil
	case doneMsg:
		if msg.err != nil {
			if p.form != nil {
				return p, p.form.refused(p.c, msg.err)
			}
			return p, common.Status(common.StatusError, p.c.ErrorText(msg.err))
		}
		p.form = nil
		p.c.SyncSoon()
		return p, tea.Batch(common.Status(common.StatusOK, msg.text), p.load())
	case tea.PasteMsg:
		if p.form != nil {
			_, cmd := p.form.update(p.keys.form, msg)
			return p, cmd
		}
	case tea.KeyPressMsg:
		return p, p.key(msg)
	}
	return p, nil
}

func (p *Page) key(msg tea.KeyPressMsg) tea.Cmd {
	k := p.keys
	if p.form != nil {
		done, cmd := p.form.update(k.form, msg)
		if done {
			p.form = nil
		}
		return cmd
	}
	if p.confirmDo != nil {
		switch {
		case key.Matches(msg, k.Confirm):
			do := p.confirmDo
			p.confirm, p.confirmDo = "", nil
			return do()
		case key.Matches(msg, k.Cancel):
			p.confirm, p.confirmDo = "", nil
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.viewLeft):
		p.view = (p.view + numViews - 1) % numViews
		return nil
	case key.Matches(msg, k.viewRight):
		p.view = (p.view + 1) % numViews
		return nil
	case key.Matches(msg, k.Reload):
		return p.load()
	case key.Matches(msg, k.Add):
		return p.openAdd()
	case key.Matches(msg, k.Edit):
		return p.openEdit()
	case key.Matches(msg, k.Deactivate):
		return p.askDeactivate()
	case key.Matches(msg, k.Reactivate):
		return p.askReactivate()
	}
	switch p.view {
	case viewZones:
		p.zones.HandleKey(k.list, msg)
	case viewMarkets:
		p.markets.HandleKey(k.list, msg)
	case viewOfficers:
		p.officers.HandleKey(k.list, msg)
	}
	return nil
}

// run does a store change in the background; ok is the line shown after.
func (p *Page) run(change func() (string, error)) tea.Cmd {
	return p.c.Run(func() tea.Msg {
		text, err := change()
		return doneMsg{err: err, text: text}
	})
}

// storeMsg is err's message when the store gave it about field, else "".
func (p *Page) storeMsg(err error, field string) string {
	var se *store.Error
	if err == nil || !errors.As(err, &se) || se.Field != field {
		return ""
	}
	return common.UpperFirst(se.MessageText(p.c.English()))
}

// splitHamlets reads a comma-separated list of hamlets.
func splitHamlets(s string) []string {
	var out []string
	for _, h := range strings.Split(s, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

var risks = []string{store.RiskAtRisk, store.RiskHigh, store.RiskVeryHigh, store.RiskLockdown}

// rolePresets are the role sets an account is given: a head signs and
// also takes applications, as the demo's duyet does.
var rolePresets = []struct {
	key   string
	roles []store.Role
}{
	{"admin.role.clerk", []store.Role{store.RoleClerk}},
	{"admin.role.approver", []store.Role{store.RoleApprover, store.RoleClerk}},
	{"admin.role.admin", []store.Role{store.RoleAdmin, store.RoleClerk}},
	{"admin.role.checker", []store.Role{store.RoleChecker}},
}

func sameRoles(a, b []store.Role) bool {
	if len(a) != len(b) {
		return false
	}
	for _, r := range a {
		if !slices.Contains(b, r) {
			return false
		}
	}
	return true
}

// roleChoices are the presets, and an account's own set when it is none of
// them (so an edit never changes roles unasked).
func (p *Page) roleChoices(current []store.Role) ([]choice, int) {
	var cs []choice
	pick := 0
	found := current == nil
	for i, r := range rolePresets {
		cs = append(cs, choice{label: p.c.T(r.key), value: r.roles})
		if current != nil && sameRoles(current, r.roles) {
			pick, found = i, true
		}
	}
	if !found {
		names := make([]string, len(current))
		for i, r := range current {
			names[i] = store.RoleName(r)
		}
		cs = append(cs, choice{label: strings.Join(names, " + "), value: current})
		pick = len(cs) - 1
	}
	return cs, pick
}

func (p *Page) positionChoices(current store.Position) ([]choice, int) {
	cs := []choice{{p.c.T("admin.officer.head"), store.PositionHead}, {p.c.T("admin.officer.deputy"), store.PositionDeputy}}
	if current == store.PositionDeputy {
		return cs, 1
	}
	return cs, 0
}

func (p *Page) fieldWidth() int { return max(min(p.c.Width-28, 48), 12) }

func (p *Page) openAdd() tea.Cmd {
	switch p.view {
	case viewZones:
		p.form = p.zoneForm(nil)
	case viewMarkets:
		if len(p.zones.Rows()) == 0 {
			return common.Status(common.StatusWarn, p.c.T("admin.nozone"))
		}
		p.form = p.marketForm(nil)
	case viewOfficers:
		if !store.MayManageOfficers(p.c.Officer) {
			return common.Status(common.StatusWarn, p.c.T("admin.nooffadmin"))
		}
		p.form = p.officerForm(nil)
	}
	return p.form.focusOn(0)
}

func (p *Page) openEdit() tea.Cmd {
	switch p.view {
	case viewZones:
		if r, ok := p.zones.Cursor(); ok {
			if !r.zone.Active {
				return common.Status(common.StatusWarn, p.c.T("admin.zone.liftededit"))
			}
			p.form = p.zoneForm(&r.zone)
		}
	case viewMarkets:
		if r, ok := p.markets.Cursor(); ok {
			if !r.market.Active {
				return common.Status(common.StatusWarn, p.c.T("admin.market.closededit"))
			}
			p.form = p.marketForm(&r.market)
		}
	case viewOfficers:
		o, ok := p.officers.Cursor()
		if !ok {
			return nil
		}
		if !store.MayManageOfficers(p.c.Officer) {
			return common.Status(common.StatusWarn, p.c.T("admin.nooffadmin"))
		}
		p.form = p.officerForm(o)
	}
	if p.form == nil {
		return nil
	}
	return p.form.focusOn(0)
}

func (p *Page) askDeactivate() tea.Cmd {
	c := p.c
	switch p.view {
	case viewZones:
		r, ok := p.zones.Cursor()
		if !ok {
			return nil
		}
		z := r.zone
		if !z.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.zone.already", z.Name))
		}
		p.confirm = c.Tf("admin.zone.ask", z.Name)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.zone.gone", z.Name), c.DB.DeactivateZone(c.Ctx, c.Officer, z.ID)
			})
		}
	case viewMarkets:
		r, ok := p.markets.Cursor()
		if !ok {
			return nil
		}
		m := r.market
		if !m.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.market.already", m.Name))
		}
		p.confirm = c.Tf("admin.market.ask", m.Name)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.market.gone", m.Name), c.DB.DeactivateMarket(c.Ctx, c.Officer, m.ID)
			})
		}
	case viewOfficers:
		o, ok := p.officers.Cursor()
		if !ok {
			return nil
		}
		if !store.MayManageOfficers(c.Officer) {
			return common.Status(common.StatusWarn, c.T("admin.nooffadmin"))
		}
		if !o.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.officer.already", o.Username))
		}
		id, user := o.ID, o.Username
		p.confirm = c.Tf("admin.officer.ask", o.Username, o.FullName)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.officer.gone", user), c.DB.DeactivateOfficer(c.Ctx, c.Officer, id)
			})
		}
	}
	return nil
}

// askReactivate asks before bringing back the lifted zone, closed market
// or closed account under the cursor; a row in force says so instead.
func (p *Page) askReactivate() tea.Cmd {
	c := p.c
	switch p.view {
	case viewZones:
		r, ok := p.zones.Cursor()
		if !ok {
			return nil
		}
		z := r.zone
		if z.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.zone.inforce", z.Name))
		}
		p.confirm = c.Tf("admin.zone.askback", z.Name)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.zone.back", z.Name), c.DB.ReactivateZone(c.Ctx, c.Officer, z.ID)
			})
		}
	case viewMarkets:
		r, ok := p.markets.Cursor()
		if !ok {
			return nil
		}
		m := r.market
		if m.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.market.open", m.Name))
		}
		p.confirm = c.Tf("admin.market.askback", m.Name)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.market.back", m.Name), c.DB.ReactivateMarket(c.Ctx, c.Officer, m.ID)
			})
		}
	case viewOfficers:
		o, ok := p.officers.Cursor()
		if !ok {
			return nil
		}
		if !store.MayManageOfficers(c.Officer) {
			return common.Status(common.StatusWarn, c.T("admin.nooffadmin"))
		}
		if o.Active {
			return common.Status(common.StatusInfo, c.Tf("admin.officer.active", o.Username))
		}
		id, user := o.ID, o.Username
		p.confirm = c.Tf("admin.officer.askback", o.Username, o.FullName)
		p.confirmDo = func() tea.Cmd {
			return p.run(func() (string, error) {
				return c.Tf("admin.officer.back", user), c.DB.ReactivateOfficer(c.Ctx, c.Officer, id)
			})
		}
	}
	return nil
}

// cursorInactive reports whether the row under the cursor is deactivated:
// the footer then offers r, not d.
func (p *Page) cursorInactive() bool {
	switch p.view {
	case viewZones:
		r, ok := p.zones.Cursor()
		return ok && !r.zone.Active
	case viewMarkets:
		r, ok := p.markets.Cursor()
		return ok && !r.market.Active
	}
	o, ok := p.officers.Cursor()
	return ok && !o.Active
}

// zoneForm adds a zone (z nil) or edits z.
func (p *Page) zoneForm(z *store.Zone) *form {
	c := p.c
	w := p.fieldWidth()
	var cur store.Zone
	title := c.T("admin.zone.add")
	if z != nil {
		cur, title = *z, c.Tf("admin.zone.edit", z.Name)
	}
	risk := slices.Index(risks, cur.Risk)
	if risk < 0 {
		risk = 1 // high risk, as the CLI's default
	}
	var rc []choice
	for _, r := range risks {
		rc = append(rc, choice{label: store.RiskName(r), value: r})
	}
	name := newTextField(c.T("admin.zone.name"), "Tên vùng", cur.Name, w, false)
	hamlets := newTextField(c.T("admin.zone.hamlets"), store.FieldHamlet, strings.Join(cur.Hamlets, ", "), w, false)
	hamlets.input.Placeholder = c.T("admin.zone.hint")
	candidate := func(f *form) store.Zone {
		return store.Zone{ID: cur.ID, Commune: c.Officer.Unit, Name: name.value(), Risk: f.fields[1].chosen().(string),
			Hamlets: splitHamlets(hamlets.value())}
	}
	name.check = func(f *form) string {
		_, err := store.NormalizeZone(store.Zone{Commune: c.Officer.Unit, Name: name.value(), Risk: store.RiskHigh}, c.Units)
		return p.storeMsg(err, "Tên vùng")
	}
	hamlets.check = func(f *form) string {
		_, err := store.NormalizeZone(store.Zone{Commune: c.Officer.Unit, Name: "Vùng", Risk: store.RiskHigh, Hamlets: splitHamlets(hamlets.value())}, c.Units)
		return p.storeMsg(err, store.FieldHamlet)
	}
	return &form{title: title, fields: []*field{name, newChoiceField(c.T("admin.zone.risk"), "Mức nguy cơ", rc, risk), hamlets},
		submit: func(f *form) tea.Cmd {
			z := candidate(f)
			return p.run(func() (string, error) {
				if z.ID == "" {
					got, err := c.DB.CreateZone(c.Ctx, c.Officer, z)
					return c.Tf("admin.zone.added", got.Name), err
				}
				got, err := c.DB.UpdateZone(c.Ctx, c.Officer, z)
				return c.Tf("admin.zone.saved", got.Name), err
			})
		}}
}

// marketForm adds a market (m nil) or edits m; an edit keeps its zone.
func (p *Page) marketForm(m *store.Market) *form {
	c := p.c
	w := p.fieldWidth()
	cur := store.Market{OpenMinute: 6 * 60, CloseMinute: 10 * 60}
	title := c.T("admin.market.add")
	hours, capacity := "", ""
	if m != nil {
		cur, title = *m, c.Tf("admin.market.edit", m.Name)
		hours = store.FormatMinutes(m.OpenMinute) + "-" + store.FormatMinutes(m.CloseMinute)
		capacity = strconv.Itoa(m.Capacity)
	}
	var fields []*field
	var zone *field
	if m == nil {
		var zc []choice
		pick := 0
		for i, r := range p.zones.Rows() {
			zc = append(zc, choice{label: r.zone.Name, value: r.zone.ID})
			if cr, ok := p.zones.Cursor(); ok && cr.zone.ID == r.zone.ID {
				pick = i
			}
		}
		zone = newChoiceField(c.T("admin.market.zone"), "", zc, pick)
		fields = append(fields, zone)
	}
	name := newTextField(c.T("admin.market.name"), "Tên chợ", cur.Name, w, false)
	hoursF := newTextField(c.T("admin.market.hours"), "Giờ mở cửa", hours, w, false)
	hoursF.input.Placeholder = "06:00-10:00"
	capF := newTextField(c.T("admin.market.capacity"), "Sức chứa", capacity, w, false)
	capF.input.Placeholder = "20"
	hamlets := newTextField(c.T("admin.market.hamlets"), store.FieldHamlet, strings.Join(cur.Hamlets, ", "), w, false)
	hamlets.input.Placeholder = c.T("admin.zone.hint")
	// Each check fills the other values with ones that pass, so only the
	// field's own fault is said under it.
	ok := store.Market{Name: "Chợ", OpenMinute: 0, CloseMinute: 1, Capacity: 1}
	name.check = func(*form) string {
		t := ok
		t.Name = name.value()
		_, err := store.NormalizeMarket(t)
		return p.storeMsg(err, "Tên chợ")
	}
	hoursF.check = func(*form) string {
		open, closing, err := store.ParseHours(hoursF.value())
		if err != nil {
			return p.anyMsg(err)
		}
		t := ok
		t.OpenMinute, t.CloseMinute = open, closing
		_, err = store.NormalizeMarket(t)
		return p.storeMsg(err, "Giờ mở cửa")
	}
	capF.check = func(*form) string {
		n, err := strconv.Atoi(strings.TrimSpace(capF.value()))
		if err != nil {
			return c.T("admin.market.notnum")
		}
		t := ok
		t.Capacity = n
		_, err = store.NormalizeMarket(t)
		return p.storeMsg(err, "Sức chứa")
	}
	hamlets.check = func(*form) string {
		t := ok
		t.Hamlets = splitHamlets(hamlets.value())
		_, err := store.NormalizeMarket(t)
		return p.storeMsg(err, store.FieldHamlet)
	}
	fields = append(fields, name, hoursF, capF, hamlets)
	return &form{title: title, fields: fields, submit: func(f *form) tea.Cmd {
		open, closing, _ := store.ParseHours(hoursF.value())
		n, _ := strconv.Atoi(strings.TrimSpace(capF.value()))
		mk := store.Market{ID: cur.ID, ZoneID: cur.ZoneID, Name: name.value(), Hamlets: splitHamlets(hamlets.value()),
			OpenMinute: open, CloseMinute: closing, Capacity: n}
		if zone != nil {
			mk.ZoneID = zone.chosen().(string)
		}
		return p.run(func() (string, error) {
			if mk.ID == "" {
				got, err := c.DB.CreateMarket(c.Ctx, c.Officer, mk)
				return c.Tf("admin.market.added", got.Name), err
			}
			got, err := c.DB.UpdateMarket(c.Ctx, c.Officer, mk)
			return c.Tf("admin.market.saved", got.Name), err
		})
	}}
}

// anyMsg is err's message without its field's name (the field is where
// it is shown), whatever field the store named.
func (p *Page) anyMsg(err error) string {
	var se *store.Error
	if errors.As(err, &se) {
		return common.UpperFirst(se.MessageText(p.c.English()))
	}
	return p.c.ErrorText(err)
}

// officerForm adds an account (o nil) or edits o's name, roles and position.
func (p *Page) officerForm(o *store.Officer) *form {
	c := p.c
	w := p.fieldWidth()
	var fields []*field
	var user, pass, again *field
	var cur store.Officer
	title := c.T("admin.officer.add")
	if o != nil {
		cur, title = *o, c.Tf("admin.officer.edit", o.Username)
	} else {
		user = newTextField(c.T("admin.officer.username"), "Tên đăng nhập", "", w, false)
		user.check = func(*form) string {
			_, err := store.NormalizeUsername(user.value())
			return p.storeMsg(err, "Tên đăng nhập")
		}
		fields = append(fields, user)
	}
	name := newTextField(c.T("admin.officer.name"), store.FieldName, cur.FullName, w, false)
	name.check = func(*form) string {
		_, err := store.ValidateName(name.value())
		return p.storeMsg(err, store.FieldName)
	}
	rc, rpick := p.roleChoices(cur.Roles)
	roles := newChoiceField(c.T("admin.officer.roles"), "Vai trò", rc, rpick)
	pc, ppick := p.positionChoices(cur.Position)
	position := newChoiceField(c.T("admin.officer.position"), "Chức vụ", pc, ppick)
	fields = append(fields, name, roles, position)
	if o == nil {
		pass = newTextField(c.T("admin.officer.password"), "Mật khẩu", "", w, true)
		pass.check = func(*form) string {
			err := store.CheckPasswordPolicy(user.value(), pass.value(), roles.chosen().([]store.Role))
			return p.storeMsg(err, "Mật khẩu")
		}
		again = newTextField(c.T("admin.officer.again"), "", "", w, true)
		again.check = func(*form) string {
			if again.value() != pass.value() {
				return c.T("admin.officer.mismatch")
			}
			return ""
		}
		fields = append(fields, pass, again)
	}
	return &form{title: title, fields: fields, submit: func(f *form) tea.Cmd {
		rs := roles.chosen().([]store.Role)
		pos := position.chosen().(store.Position)
		if o == nil {
			n := store.NewOfficer{Username: user.value(), FullName: name.value(), Unit: c.Officer.Unit, Roles: rs,
				Position: pos, Password: pass.value()}
			return p.run(func() (string, error) {
				got, err := c.DB.AddOfficer(c.Ctx, c.Officer, n)
				return c.Tf("admin.officer.added", got.Username), err
			})
		}
		id := cur.ID
		ch := store.OfficerChange{FullName: name.value(), Roles: rs, Position: pos}
		return p.run(func() (string, error) {
			got, err := c.DB.UpdateOfficer(c.Ctx, c.Officer, id, ch)
			return c.Tf("admin.officer.saved", got.Username), err
		})
	}}
}

// ShortHelp is the footer's keys for what is on screen.
func (p *Page) ShortHelp() []key.Binding {
	k := p.keys
	switch {
	case p.form != nil:
		// What to do in this field first: the footer cuts from the end.
		keys := []key.Binding{k.form.Submit, k.form.Clear, k.form.Cancel, k.form.Next}
		if fl := p.form.fields[p.form.focus]; !fl.text {
			keys[1] = k.form.Pick
		}
		return keys
	case p.confirmDo != nil:
		return []key.Binding{k.Confirm, k.Cancel}
	}
	if p.cursorInactive() {
		return []key.Binding{k.Reactivate, k.Add, k.Edit, k.Views}
	}
	return []key.Binding{k.Add, k.Edit, k.Deactivate, k.Views}
}

// FullHelp is every key of the page, for ?.
func (p *Page) FullHelp() [][]key.Binding {
	k := p.keys
	if p.form != nil {
		return [][]key.Binding{{k.form.Submit, k.form.Next, k.form.Prev}, {k.form.Pick, k.form.Clear, k.form.Cancel}}
	}
	return [][]key.Binding{
		{k.list.Up, k.list.Down, k.PageKeys, k.EndKeys},
		{k.Add, k.Edit, k.Deactivate, k.Reactivate, k.Views, k.Reload},
	}
}

// count is the current list's row count, for the heading.
func (p *Page) count() int {
	switch p.view {
	case viewZones:
		return p.zones.Len()
	case viewMarkets:
		return p.markets.Len()
	}
	return p.officers.Len()
}
