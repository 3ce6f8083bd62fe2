package intake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/huh/v2"

	"thonghanh/store"
	"thonghanh/tui/common"
)

// values are the form's inputs as typed. huh fields write them through
// guarded accessors, and huh evaluates the dynamic descriptions and
// placeholders in the background, so every read outside Update takes a
// snapshot under mu.
type values struct {
	mu *sync.Mutex

	idNumber string

	name, birth, sex, phone  string
	commune, hamlet, address string

	category      int
	enterprise    string
	employer      string // typed name of the agency
	commandCentre string // typed name of the command centre
	purpose       [6]int // the purpose chosen for each category
	area          string
	route         string
	from, until   string // empty = the default shown as placeholder
	hours         string // empty = the category's default; "cả ngày" = no hours
	vehicle       string
}

func newValues() *values { return &values{mu: &sync.Mutex{}} }

// snap copies the values under the lock.
func (v *values) snap() values {
	v.mu.Lock()
	defer v.mu.Unlock()
	return *v
}

// guarded is a huh accessor that writes and reads one value under the lock.
type guarded[T any] struct {
	mu *sync.Mutex
	p  *T
}

func (g guarded[T]) Get() T {
	g.mu.Lock()
	defer g.mu.Unlock()
	return *g.p
}

func (g guarded[T]) Set(x T) {
	g.mu.Lock()
	*g.p = x
	g.mu.Unlock()
}

func guard[T any](v *values, p *T) guarded[T] { return guarded[T]{mu: v.mu, p: p} }

// defaultDays is how long a new permit runs unless the clerk says otherwise,
// capped by the store's maximum for the category (Model.maxDays).
var defaultDays = map[int]int{store.CatWorker: 14, store.CatOfficial: 14, store.CatForces: 14, store.CatResident: 7, store.CatZone: 7}

// defaultHours are the daily hours a category's permit carries by default;
// forces on duty have none.
var defaultHours = map[int]string{store.CatWorker: "06:00-18:00", store.CatOfficial: "06:00-18:00", store.CatResident: "06:00-18:00", store.CatZone: "06:00-11:00"}

// allDay are the words that mean "no daily hours".
var allDay = []string{"ca ngay", "all day", "all", "-"}

// prefill fills the values for a known person from their record and their
// latest application, or the desk's defaults for a new one.
func (v *values) prefill(c common.Common, pl places, p *store.Person, prev *store.Application, ents []store.Enterprise) {
	v.mu.Lock()
	defer v.mu.Unlock()
	desk, _ := c.Units.Get(c.Officer.Unit)
	employer, centre := desk.Code, store.CommandCentreFor(store.ProvinceCode)
	v.category = store.CatResident
	switch desk.Kind {
	case store.KindDepartment, store.KindAgency:
		v.category = store.CatOfficial
	case store.KindCommandCentre:
		v.category, centre = store.CatForces, desk.Code
	case store.KindIndustrialParks:
		v.category = store.CatWorker
	}
	if desk.Kind == store.KindCommunePC {
		v.commune = desk.Name
		centre = store.CommandCentreFor(desk.Code)
	}
	if p != nil {
		v.name, v.birth, v.sex, v.phone = p.FullName, store.FormatDate(p.BirthDate), p.Sex, p.Phone
		v.commune, v.hamlet, v.address = c.Units.Name(p.Commune), p.Hamlet, p.Address
		if p.Employer != 0 {
			employer = p.Employer
		}
		if p.CommandCentre != 0 {
			centre = p.CommandCentre
		}
		v.enterprise = p.EnterpriseID
	}
	if prev != nil {
		v.category = prev.Category
		if prev.Category >= 1 && prev.Category <= 5 {
			v.purpose[prev.Category] = prev.Purpose
		}
		v.area, v.route, v.vehicle = pl.names(prev.Area), prev.Route, prev.Vehicle
		if prev.HasHours {
			v.hours = store.FormatMinutes(prev.HoursFrom) + "-" + store.FormatMinutes(prev.HoursTo)
		} else {
			v.hours = allDay[0]
		}
		if prev.EnterpriseID != "" {
			v.enterprise = prev.EnterpriseID
		}
		if prev.Employer != 0 {
			employer = prev.Employer
		}
		if prev.CommandCentre != 0 {
			centre = prev.CommandCentre
		}
	}
	if v.enterprise == "" && len(ents) > 0 {
		v.enterprise = ents[0].ID
	}
	v.employer, v.commandCentre = pl.bodyName(employer), pl.bodyName(centre)
	for c := 1; c <= 5; c++ {
		if !slices.Contains(store.PurposesFor(c), v.purpose[c]) {
			v.purpose[c] = store.PurposesFor(c)[0]
		}
	}
}

// charmTheme is huh's Charm theme, built once per background: huh asks for
// its theme on every option of every render, and building it is not free.
func charmTheme(isDark bool) *huh.Styles {
	themeMu.Lock()
	defer themeMu.Unlock()
	if themes[isDark] == nil {
		themes[isDark] = huh.ThemeCharm(isDark)
	}
	return themes[isDark]
}

var (
	themeMu sync.Mutex
	themes  = map[bool]*huh.Styles{}
)

// keymap is huh's keymap with help in the desk's language.
func (m *Model) keymap() *huh.KeyMap {
	k := huh.NewDefaultKeyMap()
	t := m.c.T
	k.Quit.SetEnabled(false) // ctrl+c is the frame's
	k.Input.Next.SetHelp("enter", t("intake.key.nextfield"))
	k.Input.Prev.SetHelp("shift+tab", t("intake.key.prevfield"))
	k.Input.Submit.SetHelp("enter", t("intake.key.done"))
	k.Input.AcceptSuggestion.SetHelp("ctrl+e", t("intake.key.complete"))
	k.Select.Next.SetHelp("enter", t("intake.key.choose"))
	k.Select.Prev.SetHelp("shift+tab", t("intake.key.prevfield"))
	k.Select.Submit.SetHelp("enter", t("intake.key.done"))
	k.Select.Filter.SetHelp("/", t("intake.key.filter"))
	k.Select.Up.SetHelp("↑", t("key.up"))
	k.Select.Down.SetHelp("↓", t("key.down"))
	k.Select.Left.SetHelp("←", t("intake.key.left"))
	k.Select.Right.SetHelp("→", t("intake.key.right"))
	return k
}

func (m *Model) newForm(groups ...*huh.Group) *huh.Form {
	// The desk's styles know the background; a form built after the
	// terminal answered never saw huh's own BackgroundColorMsg.
	styles := m.c.Styles
	theme := huh.ThemeFunc(func(bool) *huh.Styles { return charmTheme(styles == nil || styles.IsDark) })
	return huh.NewForm(groups...).
		WithTheme(theme).
		WithKeyMap(m.keymap()).
		WithShowHelp(false).
		WithShowErrors(true)
}

// idForm asks for the ID number only; Enter looks the person up.
func (m *Model) idForm() *huh.Form {
	in := huh.NewInput().
		Title(m.c.T("intake.id.title")).
		Description(m.c.T("intake.id.desc")).
		CharLimit(12).
		Accessor(guard(m.v, &m.v.idNumber)).
		Validate(func(s string) error {
			_, err := store.ValidateIDNumber(s, time.Time{}, "")
			return m.message(err)
		})
	return m.newForm(huh.NewGroup(in))
}

// message strips the field name from a store error (the field's title is
// right above it) and speaks the desk's language.
func (m *Model) message(err error) error {
	if err == nil {
		return nil
	}
	var e *store.Error
	if asStoreError(err, &e) {
		return fmt.Errorf("%s", common.UpperFirst(e.MessageText(m.c.English())))
	}
	return err
}

// detailsForm is everything after the ID number. A known person's own
// details are left out (ctrl+e brings them); the groups of the other
// categories hide themselves.
func (m *Model) detailsForm() *huh.Form {
	v, t := m.v, m.c.T
	// What the background functions may read of the model, fixed now.
	known, editing := m.known, m.editing
	is := func(cat int) func() bool { return func() bool { return v.category != cat } }

	person1 := huh.NewGroup(
		huh.NewInput().Title(t("intake.name")).Accessor(guard(v, &v.name)).
			Validate(func(s string) error { _, err := store.ValidateName(s); return m.message(err) }),
		huh.NewInput().Title(t("intake.birth")).Placeholder(t("intake.date.placeholder")).Accessor(guard(v, &v.birth)).
			Validate(func(s string) error {
				d, err := store.ParseDate(store.FieldBirthDate, s)
				if err != nil {
					return m.message(err)
				}
				_, err = store.ValidateIDNumber(v.idNumber, d, "")
				return m.message(err)
			}),
		huh.NewSelect[string]().Title(t("intake.sex")).Inline(true).Accessor(guard(v, &v.sex)).
			Options(huh.NewOption(t("intake.sex.M"), store.SexMale), huh.NewOption(t("intake.sex.F"), store.SexFemale)).
			Validate(func(s string) error {
				birth, _ := store.ParseDate(store.FieldBirthDate, v.birth)
				_, err := store.ValidateIDNumber(v.idNumber, birth, s)
				return m.message(err)
			}),
		huh.NewInput().Title(t("intake.phone")).Description(t("intake.phone.desc")).Accessor(guard(v, &v.phone)).
			Validate(func(s string) error { _, err := store.ValidatePhone(s); return m.message(err) }),
	)

	person2 := huh.NewGroup(
		huh.NewInput().Title(t("intake.commune")).Accessor(guard(v, &v.commune)).
			DescriptionFunc(func() string { return m.suggestions(v.snap().commune, true) }, &v.commune).
			Validate(func(s string) error {
				_, err := m.places.one(strings.TrimSpace(s), true)
				return m.placeError(err)
			}),
		huh.NewInput().Title(t("intake.hamlet")).Accessor(guard(v, &v.hamlet)).
			Validate(func(s string) error { _, err := store.CleanText(store.FieldHamlet, s, 100); return m.message(err) }),
		huh.NewInput().Title(t("intake.address")).Accessor(guard(v, &v.address)).
			Validate(func(s string) error { _, err := store.CleanText(store.FieldAddress, s, 200); return m.message(err) }),
	)

	category := huh.NewGroup(
		huh.NewSelect[int]().Title(t("intake.category")).Accessor(guard(v, &v.category)).Options(m.categoryOptions()...),
	)

	enterprise := huh.NewGroup(
		huh.NewSelect[string]().Title(t("intake.enterprise")).Accessor(guard(v, &v.enterprise)).
			Options(m.enterpriseOptions()...).Height(8),
	).WithHideFunc(is(store.CatWorker))
	employer := huh.NewGroup(
		huh.NewInput().Title(t("intake.employer")).Accessor(guard(v, &v.employer)).
			DescriptionFunc(func() string { return m.bodySuggestions(v.snap().employer, isEmployer) }, &v.employer).
			Validate(func(s string) error { _, err := m.places.pick(s, isEmployer); return m.placeError(err) }),
	).WithHideFunc(is(store.CatOfficial))
	centre := huh.NewGroup(
		huh.NewInput().Title(t("intake.centre")).Accessor(guard(v, &v.commandCentre)).
			DescriptionFunc(func() string { return m.bodySuggestions(v.snap().commandCentre, isCommandCentre) }, &v.commandCentre).
			Validate(func(s string) error { _, err := m.places.pick(s, isCommandCentre); return m.placeError(err) }),
	).WithHideFunc(is(store.CatForces))

	// One purpose group per category, with its options fixed: options
	// loaded through huh's OptionsFunc arrive by command, and an Enter
	// typed before them is swallowed by an empty list.
	var purposes []*huh.Group
	for c := 1; c <= 5; c++ {
		if len(store.PurposesFor(c)) <= 1 {
			continue // one purpose: nothing to ask
		}
		var opts []huh.Option[int]
		for _, p := range store.PurposesFor(c) {
			opts = append(opts, huh.NewOption(m.c.PurposeName(p), p))
		}
		purposes = append(purposes, huh.NewGroup(
			huh.NewSelect[int]().Title(t("intake.purpose")).Accessor(guard(v, &v.purpose[c])).Options(opts...),
		).WithHideFunc(is(c)))
	}

	trip := huh.NewGroup(
		huh.NewInput().Title(t("intake.area")).Accessor(guard(v, &v.area)).
			PlaceholderFunc(func() string { return m.defaultAreaText(v.snap(), known, editing) }, []any{&v.category, &v.commune, &v.enterprise}).
			DescriptionFunc(func() string { return m.suggestions(v.snap().area, false) }, &v.area).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return nil
				}
				us, err := m.places.list(s)
				if err != nil {
					return m.placeError(err)
				}
				if len(us) > 20 {
					return fmt.Errorf("%s", t("intake.area.toomany"))
				}
				return nil
			}),
		huh.NewInput().Title(t("intake.route")).Placeholder(t("intake.route.placeholder")).Accessor(guard(v, &v.route)).
			Validate(func(s string) error { _, err := store.CleanText(store.FieldRoute, s, 120); return m.message(err) }),
	)

	when := huh.NewGroup(
		huh.NewInput().Title(t("intake.from")).Accessor(guard(v, &v.from)).
			Placeholder(store.FormatDate(m.defaultFrom())).
			Validate(func(s string) error {
				if strings.TrimSpace(s) == "" {
					return nil
				}
				d, err := store.ParseDate(store.FieldValidity, s)
				if err != nil {
					return m.message(err)
				}
				return m.startError(v.snap().category, d)
			}),
		huh.NewInput().Title(t("intake.until")).Accessor(guard(v, &v.until)).
			PlaceholderFunc(func() string {
				s := v.snap()
				from, _ := m.fromDate(s)
				return store.FormatDate(m.defaultUntil(s, from))
			}, []any{&v.category, &v.from}).
			Validate(func(s string) error { _, err := m.untilDate(v.snap(), s); return err }),
		huh.NewInput().Title(t("intake.hours")).Accessor(guard(v, &v.hours)).
			PlaceholderFunc(func() string { return m.hoursPlaceholder(v.snap().category) }, &v.category).
			Validate(func(s string) error { _, _, _, err := m.parseHours(v.snap().category, s); return err }),
		huh.NewInput().Title(t("intake.vehicle")).Placeholder(t("intake.vehicle.placeholder")).Accessor(guard(v, &v.vehicle)).
			Validate(func(s string) error { _, err := store.CleanText(store.FieldVehicle, s, 20); return m.message(err) }),
	)
	// A known person's own details are left out rather than hidden: huh
	// skips a hidden first group through a command, and keys typed before
	// it lands would fill the hidden fields.
	var groups []*huh.Group
	if known == nil || editing {
		groups = append(groups, person1, person2)
	}
	groups = append(groups, category, enterprise, employer, centre)
	groups = append(groups, purposes...)
	return m.newForm(append(groups, trip, when)...)
}

func (m *Model) categoryOptions() []huh.Option[int] {
	var opts []huh.Option[int]
	for c := 1; c <= 5; c++ {
		opts = append(opts, huh.NewOption(fmt.Sprintf("%d · %s", c, m.c.CategoryName(c)), c))
	}
	return opts
}

func (m *Model) enterpriseOptions() []huh.Option[string] {
	var opts []huh.Option[string]
	for _, e := range m.enterprises {
		opts = append(opts, huh.NewOption(e.Name, e.ID))
	}
	if len(opts) == 0 {
		opts = append(opts, huh.NewOption(m.c.T("intake.noenterprise"), ""))
	}
	return opts
}

func isEmployer(u store.Unit) bool {
	return u.Kind != store.KindCommandCentre
}

func isCommandCentre(u store.Unit) bool { return u.Kind == store.KindCommandCentre }

// bodySuggestions is the live hint under an agency or command-centre input.
func (m *Model) bodySuggestions(text string, keep func(store.Unit) bool) string {
	if strings.TrimSpace(text) == "" {
		return m.c.T("intake.body.hint")
	}
	found := m.places.find(text, keep, 3)
	if len(found) == 0 {
		return m.c.T("intake.body.nomatch")
	}
	names := make([]string, len(found))
	for i, u := range found {
		names[i] = u.Name
	}
	return m.c.T("intake.place.matches") + strings.Join(names, " · ")
}

// suggestions is the live hint under a place input: what the last name
// typed matches.
func (m *Model) suggestions(text string, communeOnly bool) string {
	found := m.places.suggest(text, communeOnly, 3)
	if len(found) == 0 {
		if strings.TrimSpace(text) == "" {
			if communeOnly {
				return m.c.T("intake.commune.hint")
			}
			return m.c.T("intake.area.hint")
		}
		return m.c.T("intake.place.nomatch")
	}
	labels := make([]string, len(found))
	for i, u := range found {
		labels[i] = m.places.label(u)
	}
	return m.c.T("intake.place.matches") + strings.Join(labels, " · ")
}

func (m *Model) placeError(err error) error {
	if err == nil {
		return nil
	}
	re, ok := err.(*resolveError)
	if !ok {
		return err
	}
	if len(re.candidates) == 0 {
		return fmt.Errorf("%s", m.c.Tf("intake.place.unknown", re.piece))
	}
	var labels []string
	for _, u := range re.candidates[:min(3, len(re.candidates))] {
		labels = append(labels, m.places.label(u))
	}
	return fmt.Errorf("%s", m.c.Tf("intake.place.ambiguous", re.piece, strings.Join(labels, "; ")))
}

// defaultArea is where a permit of the category lets the holder go when the
// clerk leaves the area empty: the home commune for residents, home and
// workplace for workers, the district for officials, the province for forces.
func (m *Model) defaultArea(v values, known *store.Person, editing bool) []uint32 {
	home := uint32(0)
	if known != nil && !editing {
		home = known.Commune
	} else if u, err := m.places.one(strings.TrimSpace(v.commune), true); err == nil {
		home = u.Code
	}
	units := m.c.Units
	switch v.category {
	case store.CatWorker:
		for _, e := range m.enterprises {
			if e.ID == v.enterprise {
				if home == 0 || units.Within(home, e.District) {
					return []uint32{e.District}
				}
				return []uint32{home, e.District}
			}
		}
	case store.CatOfficial:
		if d := units.District(home); d != 0 {
			return []uint32{d}
		}
	case store.CatForces:
		return []uint32{store.ProvinceCode}
	}
	if home != 0 {
		return []uint32{home}
	}
	return nil
}

func (m *Model) defaultAreaText(v values, known *store.Person, editing bool) string {
	area := m.defaultArea(v, known, editing)
	if len(area) == 0 {
		return m.c.T("intake.area.placeholder")
	}
	return m.places.names(area)
}

// defaultFrom is today, or tomorrow once the working day is over.
func (m *Model) defaultFrom() time.Time {
	now := store.InVietnam(m.c.Now())
	if now.Hour() >= 17 {
		return m.today().AddDate(0, 0, 1)
	}
	return m.today()
}

func (m *Model) fromDate(v values) (time.Time, error) {
	if strings.TrimSpace(v.from) == "" {
		return m.defaultFrom(), nil
	}
	d, err := store.ParseDate(store.FieldValidity, v.from)
	return d, m.message(err)
}

// startError says at the field what the store would refuse at the review:
// a first day already gone, or further ahead than one permit's length.
func (m *Model) startError(category int, from time.Time) error {
	today := m.today()
	switch max := m.maxDays[category]; {
	case from.Before(today):
		return fmt.Errorf("%s", m.c.Tf("intake.from.past", store.FormatDate(from)))
	case max > 0 && from.After(today.AddDate(0, 0, max)):
		return fmt.Errorf("%s", m.c.Tf("intake.from.toofar", store.FormatDate(from), category, max))
	}
	return nil
}

// defaultUntil is the last day of a default-length permit starting on from.
func (m *Model) defaultUntil(v values, from time.Time) time.Time {
	days := min(defaultDays[v.category], m.maxDays[v.category])
	return from.AddDate(0, 0, max(days-1, 0))
}

// untilDate reads the last day, within the store's cap for the category.
func (m *Model) untilDate(v values, s string) (time.Time, error) {
	from, err := m.fromDate(v)
	if err != nil {
		return time.Time{}, err
	}
	if strings.TrimSpace(s) == "" {
		return m.defaultUntil(v, from), nil
	}
	d, err := store.ParseDate(store.FieldValidity, s)
	if err != nil {
		return d, m.message(err)
	}
	if d.Before(from) {
		return d, fmt.Errorf("%s", m.c.T("intake.until.before"))
	}
	if max := m.maxDays[v.category]; d.Sub(from) >= time.Duration(max)*24*time.Hour {
		return d, fmt.Errorf("%s", m.c.Tf("intake.until.toolong", v.category, max))
	}
	return d, nil
}

func (m *Model) hoursPlaceholder(category int) string {
	if h, ok := defaultHours[category]; ok {
		return h
	}
	return m.c.T("intake.hours.allday")
}

// parseHours reads the daily hours: empty is the category's default, "cả
// ngày" is none.
func (m *Model) parseHours(category int, s string) (has bool, from, to int, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		def, ok := defaultHours[category]
		if !ok {
			return false, 0, 0, nil
		}
		s = def
	}
	if slices.Contains(allDay, store.Fold(s)) {
		return false, 0, 0, nil
	}
	from, to, err = store.ParseHours(s)
	return err == nil, from, to, m.message(err)
}

// person builds the holder from the inputs.
func (v values) person(pl places) (store.Person, error) {
	birth, err := store.ParseDate(store.FieldBirthDate, v.birth)
	if err != nil {
		return store.Person{}, err
	}
	commune, err := pl.one(strings.TrimSpace(v.commune), true)
	if err != nil {
		return store.Person{}, fmt.Errorf("%s: %s", store.FieldCommune, v.commune)
	}
	return store.Person{IDNumber: v.idNumber, FullName: v.name, BirthDate: birth, Sex: v.sex, Phone: v.phone,
		Commune: commune.Code, Hamlet: v.hamlet, Address: v.address}, nil
}

// application builds the request from the inputs; empty inputs take the
// defaults their placeholders show.
func (m *Model) application() (store.Application, error) {
	v := m.v.snap()
	a := store.Application{Category: v.category, Route: v.route, Vehicle: v.vehicle, Source: store.SourceWalkIn}
	if v.category >= 1 && v.category <= 5 {
		a.Purpose = v.purpose[v.category]
	}
	switch v.category {
	case store.CatWorker:
		a.EnterpriseID = v.enterprise
	case store.CatOfficial:
		u, err := m.places.pick(v.employer, isEmployer)
		if err != nil {
			return a, fmt.Errorf("%s: %w", store.FieldEmployer, m.placeError(err))
		}
		a.Employer = u.Code
	case store.CatForces:
		u, err := m.places.pick(v.commandCentre, isCommandCentre)
		if err != nil {
			return a, fmt.Errorf("%s: %w", store.FieldCommand, m.placeError(err))
		}
		a.CommandCentre = u.Code
	}
	if strings.TrimSpace(v.area) == "" {
		a.Area = m.defaultArea(v, m.known, m.editing)
	} else {
		us, err := m.places.list(v.area)
		if err != nil {
			return a, fmt.Errorf("%s: %w", store.FieldArea, m.placeError(err))
		}
		for _, u := range us {
			a.Area = append(a.Area, u.Code)
		}
	}
	from, err := m.fromDate(v)
	if err != nil {
		return a, err
	}
	until, err := m.untilDate(v, v.until)
	if err != nil {
		return a, fmt.Errorf("%s: %w", store.FieldValidity, err)
	}
	// A permit runs whole days: from the first day's midnight to the last
	// second of the last day, Vietnam time.
	a.ValidFrom = store.StartOfDay(from)
	a.ValidUntil = store.StartOfDay(until).AddDate(0, 0, 1).Add(-time.Second)
	a.HasHours, a.HoursFrom, a.HoursTo, err = m.parseHours(v.category, v.hours)
	if err != nil {
		return a, fmt.Errorf("%s: %w", store.FieldHours, err)
	}
	return a, nil
}

func asStoreError(err error, target **store.Error) bool { return errors.As(err, target) }
