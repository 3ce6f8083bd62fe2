package intake

import (
	"strings"

	"charm.land/lipgloss/v2"

	"thonghanh/store"
	"thonghanh/store/wire"
	"thonghanh/tui/common"
)

// View draws the step the clerk is at.
func (m *Model) View() string {
	if m.step == stepFind || m.step == stepFindPerson {
		return m.findView()
	}
	s := m.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(m.c.T("intake.title")) + "\n")
	switch m.step {
	case stepID:
		if m.lookupErr != nil {
			b.WriteString(s.Error.Render(m.c.ErrorText(m.lookupErr)))
		} else {
			b.WriteString(s.Dim.Render(m.c.T("intake.id.hint")))
		}
		b.WriteString("\n\n")
		b.WriteString(m.form.View())
	case stepForm:
		b.WriteString(m.personLine() + "\n")
		if m.cancelArmed {
			b.WriteString(common.Truncate(s.Error.Render(m.c.T("intake.cancel.confirm")), m.c.Width))
		}
		b.WriteString("\n")
		b.WriteString(m.form.View())
	case stepReview, stepSending:
		b.WriteString(m.reviewView())
	case stepDone:
		b.WriteString(m.doneView())
	case stepConflict:
		b.WriteString(m.conflictView())
	}
	return b.String()
}

// personLine says who is at the counter: a known person with their last
// application, or a new one.
func (m *Model) personLine() string {
	s := m.c.Styles
	if m.known == nil && m.fromCentre != nil {
		return common.Truncate(s.Info.Render(m.c.Tf("intake.person.centre", m.v.snap().idNumber)), m.c.Width) + "\n" +
			common.Truncate(s.Dim.Render(m.c.T("intake.person.centrehint")), m.c.Width)
	}
	if m.known == nil {
		return s.Info.Render(m.c.Tf("intake.person.new", m.v.snap().idNumber)) + "\n" + s.Dim.Render(m.c.T("intake.person.newhint"))
	}
	p := m.known
	line := s.OK.Render("✓ ") + s.Bold.Render(p.FullName) + s.Dim.Render(" · "+p.IDNumber+" · "+store.FormatDate(p.BirthDate)+" · "+m.c.Units.Name(p.Commune))
	second := m.c.T("intake.person.noprevious")
	if a := m.previous; a != nil {
		second = m.c.Tf("intake.person.previous", a.Number, a.Category, store.FormatDate(a.CreatedAt), strings.ToLower(m.c.StatusName(a.Status)))
	}
	if len(m.papers) > 0 { // what they hold now matters more than the defaults
		second = m.c.Tf("intake.person.papers", m.paperList())
	}
	if !m.editing {
		second += " · " + m.c.T("intake.person.edithint")
	}
	return common.Truncate(line, m.c.Width) + "\n" + common.Truncate(s.Dim.Render(second), m.c.Width)
}

// reviewView shows everything before it is sent.
func (m *Model) reviewView() string {
	s := m.c.Styles
	var lines []string
	add := func(label, value string) {
		if value != "" {
			lines = append(lines, s.Label.Render(common.Cell(m.c.T(label), 20))+common.Truncate(value, max(m.c.Width-20, 10)))
		}
	}
	in, err := m.intake()
	lines = append(lines, s.Dim.Render(m.c.T("intake.review.hint")), "")
	if err == nil {
		p, a := in.Person, in.Application
		sex := map[string]string{store.SexMale: m.c.T("intake.sex.M"), store.SexFemale: m.c.T("intake.sex.F")}[p.Sex]
		add("intake.review.person", p.FullName+" · "+p.IDNumber+" · "+store.FormatDate(p.BirthDate)+" · "+sex)
		add("intake.review.home", homeLine(m.c, p))
		add("intake.phone", p.Phone)
		add("intake.category", m.c.CategoryName(a.Category))
		switch a.Category {
		case store.CatWorker:
			for _, e := range m.enterprises {
				if e.ID == a.EnterpriseID {
					add("intake.enterprise", e.Name)
				}
			}
		case store.CatOfficial:
			add("intake.employer", m.c.Units.Name(a.Employer))
		case store.CatForces:
			add("intake.centre", m.c.Units.Name(a.CommandCentre))
		}
		add("intake.purpose", m.c.PurposeName(a.Purpose))
		add("intake.area", m.places.names(a.Area))
		add("intake.route", a.Route)
		validity := store.FormatDate(a.ValidFrom) + " – " + store.FormatDate(a.ValidUntil)
		if a.HasHours {
			validity += " · " + store.FormatMinutes(a.HoursFrom) + "–" + store.FormatMinutes(a.HoursTo)
		} else {
			validity += " · " + m.c.T("intake.hours.allday")
		}
		add("intake.review.validity", validity)
		add("intake.vehicle", a.Vehicle)
	} else {
		lines = append(lines, s.Error.Render(m.c.ErrorText(err)))
	}
	if len(m.papers) > 0 {
		add("intake.review.papers", m.paperList())
	}
	if dup := m.overlapping(); len(dup) > 0 {
		lines = append(lines, "", s.Warn.Render(common.Truncate("⚠ "+m.c.Tf("intake.review.overlap", m.describe(dup[0])), m.c.Width)),
			s.Warn.Render(common.Truncate("  "+m.c.T("intake.review.overlaphint"), m.c.Width)))
	}
	if len(m.submitErrs) > 0 {
		lines = append(lines, "", s.Error.Render(m.c.T("intake.review.refused")))
		for _, e := range m.submitErrs {
			lines = append(lines, s.Error.Render("  • "+e))
		}
	}
	lines = append(lines, "")
	if m.step == stepSending {
		lines = append(lines, s.Info.Render(m.c.T("intake.sending")))
	} else if m.overlapArmed {
		lines = append(lines, s.Warn.Render(m.c.T("intake.review.keysoverlap")))
	} else {
		lines = append(lines, s.Accent.Render(m.c.T("intake.review.keys")))
	}
	return strings.Join(lines, "\n")
}

// describe names one paper: "giấy 28291-1-2021-000003 loại 4, 22/09–25/09"
// or "hồ sơ HS28291-1-7 loại 4 (chờ duyệt), 22/09–25/09".
func (m *Model) describe(o store.Overlap) string {
	days := o.ValidFrom.In(store.Vietnam).Format("02/01") + "–" + o.ValidUntil.In(store.Vietnam).Format("02/01")
	if o.Serial != "" {
		return m.c.Tf("intake.paper.permit", o.Serial, o.Category, days)
	}
	return m.c.Tf("intake.paper.application", o.Number, o.Category, strings.ToLower(m.c.StatusName(o.Status)), days)
}

func (m *Model) paperList() string {
	parts := make([]string, len(m.papers))
	for i, o := range m.papers {
		parts[i] = m.describe(o)
	}
	return strings.Join(parts, "; ")
}

func (m *Model) doneView() string {
	s := m.c.Styles
	a := m.sent
	body := s.OK.Render("✓ "+m.c.T("intake.done.title")) + "\n\n" +
		m.c.T("intake.done.number") + " " + s.Bold.Render(a.Number) + "\n" +
		m.c.Tf("intake.done.person", m.sentName) + "\n" +
		m.c.T("intake.done.queue") + " " + s.Bold.Render(m.c.UnitName(a.QueueUnit)) + "\n"
	if a.QueueUnit != m.c.Officer.Unit {
		body += s.Warn.Render(m.c.T("intake.done.elsewhere")) + "\n"
	}
	body += "\n" + s.Dim.Render(m.c.T("intake.done.next"))
	w := min(70, m.c.Width-2)
	return "\n" + s.Dialog.Width(w).Render(lipgloss.NewStyle().Width(w-4).Render(body))
}

// homeLine is where a person lives, the hamlet left out when the address
// already names it.
func homeLine(c common.Common, p store.Person) string {
	hamlet := p.Hamlet
	if strings.Contains(p.Address, hamlet) {
		hamlet = ""
	}
	return common.JoinNonEmpty(", ", p.Address, hamlet, c.Units.Name(p.Commune))
}

// conflictView shows the two desks' versions of the person side by side in
// lines, for the clerk to check against the ID card.
func (m *Model) conflictView() string {
	s := m.c.Styles
	cf := m.conflict
	version := func(p *wire.Person) string {
		sex := map[string]string{store.SexMale: m.c.T("intake.sex.M"), store.SexFemale: m.c.T("intake.sex.F")}[p.Sex]
		return s.Bold.Render(p.FullName) + " · " + store.FormatDate(p.BirthDate) + " · " + sex
	}
	lines := []string{
		s.Warn.Render(m.c.Tf("intake.conflict.title", cf.IDNumber)),
		"",
		"  1  " + m.c.Tf("intake.conflict.held", m.c.UnitName(cf.HeldUnit)),
		"     " + version(cf.Held),
		"  2  " + m.c.Tf("intake.conflict.pushed", m.c.UnitName(cf.PushedUnit)),
		"     " + version(cf.Pushed),
		"  3  " + m.c.T("intake.conflict.correct"),
		"",
		s.Dim.Render(m.c.T("intake.conflict.hint")),
	}
	if m.lookupErr != nil {
		lines = append(lines, s.Error.Render(m.c.ErrorText(m.lookupErr)))
	}
	for i, l := range lines {
		lines[i] = common.Truncate(l, m.c.Width)
	}
	return "\n" + strings.Join(lines, "\n") + "\n"
}
