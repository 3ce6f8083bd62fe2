// Package seed fills a desk database with a whole demo province: Tiền Giang's
// units, departments, command centres, enterprises, officers, about a thousand
// people and a queue of pending applications of every category.
//
// It is deterministic: one seed gives the same people, names, ID numbers and
// applications every time, so tests and screenshots repeat. It writes through
// the store package's own operations (validation and authority included) and
// knows nothing of screens, HTTP or PDF.
package seed

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"thonghanh/store"
	"thonghanh/store/seal"
)

// DemoPassword is every demo account's password. It meets the password
// rules (an approver's length, not a common one), since the demo desk goes
// through the same checks as a real one.
const DemoPassword = "tiengiang-demo"

// The demo's costs of hashing DemoPassword and wrapping the desk key: its
// password is printed on the login screen, so production costs would buy
// nothing but a slower `init --demo`. Options may set others.
var (
	DemoPasswordParams = store.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}
	DemoKeyParams      = seal.CheapKeyParams
)

// DefaultUnit is the demo desk's unit: Xã Tân Mỹ Chánh, Thành phố Mỹ Tho.
const DefaultUnit = 28291

// Options shape the demo.
type Options struct {
	Unit        uint32 // the demo desk's unit; DefaultUnit when 0
	People      int    // about 1,000 by default
	PerCategory int    // pending applications of each category; 300 by default
	Seed        uint64 // random seed; the same seed gives the same province
	// PasswordParams are argon2id's costs for the demo accounts; nil = DemoPasswordParams.
	PasswordParams *store.PasswordParams
	// KeyParams are the costs of wrapping the desk key; nil = DemoKeyParams.
	KeyParams *seal.KeyParams
}

// Account is a demo login shown on the login screen in demo mode.
type Account struct {
	Username string
	Role     store.Role
	Name     string
}

// Result tells what the demo holds.
type Result struct {
	Desk       store.Desk
	RootKey    ed25519.PrivateKey // the province root (the central server's in real life)
	DeskKey    ed25519.PrivateKey
	Accounts   []Account
	People     int
	Pending    int
	TrustList  []byte
	Revocation []byte
}

// DemoRootKey is the demo province's root key, derived from a fixed phrase so
// every demo agrees (never use it for real permits).
func DemoRootKey() ed25519.PrivateKey {
	s := sha256.Sum256([]byte("thonghanh demo province root key"))
	return ed25519.NewKeyFromSeed(s[:])
}

// DemoDeskKey is the demo desk key of a unit, derived the same way.
func DemoDeskKey(unit uint32) ed25519.PrivateKey {
	s := sha256.Sum256(fmt.Appendf(nil, "thonghanh demo desk key %d/1", unit))
	return ed25519.NewKeyFromSeed(s[:])
}

// Demo seeds db (a fresh desk database) with a whole demo province.
func Demo(ctx context.Context, db *store.DB, opt Options) (Result, error) {
	if opt.Unit == 0 {
		opt.Unit = DefaultUnit
	}
	if opt.People == 0 {
		opt.People = 1000
	}
	if opt.PerCategory == 0 {
		opt.PerCategory = 300
	}
	pp := DemoPasswordParams
	if opt.PasswordParams != nil {
		pp = *opt.PasswordParams
	}
	if opt.KeyParams == nil {
		kp := DemoKeyParams
		opt.KeyParams = &kp
	}
	// A desk of another unit draws other people: two demo desks sharing a
	// central server must not both invent a citizen with the same ID number.
	stream := uint64(0x7468_6f6e_6768_616e)
	if opt.Unit != DefaultUnit {
		stream ^= uint64(opt.Unit) << 32
	}
	r := rand.New(rand.NewPCG(opt.Seed, stream))
	var res Result

	if err := db.SeedProvince(ctx); err != nil {
		return res, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return res, err
	}
	deskUnit, ok := units.Get(opt.Unit)
	if !ok {
		return res, fmt.Errorf("không có đơn vị mã %d", opt.Unit)
	}

	// Officers: a clerk and an approver for every unit (sharing one demo hash:
	// hashing seven hundred passwords would take minutes), and short names for
	// the desk's own unit.
	hash, err := store.HashPassword(DemoPassword, pp)
	if err != nil {
		return res, err
	}
	var approver store.Officer
	g := names{r: r}
	// The short logins belong to the default demo unit only: a second demo
	// desk of another unit, sharing the demo central server, logs in as
	// canbo.<code> and duyet.<code>, which both desks seed alike.
	aliases := []struct {
		user  string
		roles []store.Role
	}{
		{"canbo", []store.Role{store.RoleClerk}},
		{"duyet", []store.Role{store.RoleApprover, store.RoleClerk}},
		{"kiemtra", []store.Role{store.RoleChecker}},
		{"quantri", []store.Role{store.RoleAdmin, store.RoleClerk}},
	}
	if opt.Unit != DefaultUnit {
		aliases = nil
	}
	for _, acct := range aliases {
		o, err := db.CreateOfficer(ctx, "", store.NewOfficer{Username: acct.user, FullName: g.person(acct.user == "kiemtra").name,
			Unit: opt.Unit, Roles: acct.roles, PasswordHash: hash})
		if err != nil {
			return res, err
		}
		if acct.user == "duyet" {
			approver = o
		}
		res.Accounts = append(res.Accounts, Account{Username: o.Username, Role: acct.roles[0], Name: o.FullName})
	}
	var batch []store.NewOfficer
	// Each unit's accounts are drawn from a generator of their own, so every
	// demo desk, whatever its unit, seeds them with the same names and IDs.
	// Checkers (kiemtra.<code>: every unit has a checkpoint or a market
	// entrance to try `thonghanh check` at) draw from a generator of their
	// own, so adding them changed no other account's name.
	officerNames := names{r: rand.New(rand.NewPCG(opt.Seed, 0x6f66_6669_6365_7273))}
	checkerNames := names{r: rand.New(rand.NewPCG(opt.Seed, 0x6b69_656d_7472_61))}
	for _, u := range units.All() {
		clerk, head, checker := fmt.Sprintf("canbo.%d", u.Code), fmt.Sprintf("duyet.%d", u.Code), fmt.Sprintf("kiemtra.%d", u.Code)
		batch = append(batch,
			store.NewOfficer{ID: stableID("officer", clerk), Username: clerk, FullName: officerNames.person(false).name, Unit: u.Code,
				Roles: []store.Role{store.RoleClerk}, PasswordHash: hash},
			store.NewOfficer{ID: stableID("officer", head), Username: head, FullName: officerNames.person(false).name, Unit: u.Code,
				Roles: []store.Role{store.RoleApprover, store.RoleClerk}, PasswordHash: hash},
			store.NewOfficer{ID: stableID("officer", checker), Username: checker, FullName: checkerNames.person(false).name, Unit: u.Code,
				Roles: []store.Role{store.RoleChecker}, PasswordHash: hash})
	}
	if err := db.CreateOfficers(ctx, batch); err != nil {
		return res, err
	}
	if approver.ID == "" { // no short logins: the unit's own approver holds the key
		for _, u := range []string{"canbo", "duyet", "kiemtra"} {
			o, err := db.Officer(ctx, stableID("officer", fmt.Sprintf("%s.%d", u, opt.Unit))) // made just above
			if err != nil {
				return res, err
			}
			res.Accounts = append(res.Accounts, Account{Username: o.Username, Role: o.Roles[0], Name: o.FullName})
			if u == "duyet" {
				approver = o
			}
		}
	}

	// The desk, its key (wrapped for the approver) and the trust material.
	res.RootKey = DemoRootKey()
	res.DeskKey = DemoDeskKey(opt.Unit)
	now := db.Now()
	pub := res.DeskKey.Public().(ed25519.PublicKey)
	res.Desk = store.Desk{ID: store.NewID(now), Unit: opt.Unit, Number: 1, Label: deskUnit.CommitteeName() + ", máy 1", PublicKey: pub}
	trust := seal.TrustList{Sequence: 1, IssuedAt: now, Keys: []seal.TrustedKey{
		seal.Certify(pub, opt.Unit, store.CategoriesFor(deskUnit), now.AddDate(0, 0, -1), now.AddDate(1, 0, 0), res.Desk.Label),
	}}
	if res.TrustList, err = seal.SignTrustList(res.RootKey, trust); err != nil {
		return res, err
	}
	if res.Revocation, err = seal.SignRevocationList(res.RootKey, seal.RevocationList{Sequence: 1, IssuedAt: now}); err != nil {
		return res, err
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.PutDesk(res.Desk, true); err != nil {
			return err
		}
		if err := tx.WrapDeskKey(res.Desk.ID, approver, DemoPassword, res.DeskKey, opt.KeyParams); err != nil {
			return err
		}
		for k, v := range map[string][]byte{
			store.SettingRootKey:    res.RootKey.Public().(ed25519.PublicKey),
			store.SettingTrustList:  res.TrustList,
			store.SettingRevocation: res.Revocation,
			store.SettingCheckpoint: fmt.Appendf(nil, "%d", opt.Unit),
			"demo":                  []byte("1"),
		} {
			if err := tx.SetSetting(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}

	// Enterprises, zones and markets.
	ents, err := seedEnterprises(ctx, db)
	if err != nil {
		return res, err
	}
	if deskUnit.Kind == store.KindCommunePC {
		if err := seedZone(ctx, db, units, deskUnit); err != nil {
			return res, err
		}
	}

	// People: four in ten live in the desk's commune so its queue is lively.
	communes := communesOf(units)
	home := func() uint32 {
		if deskUnit.Kind == store.KindCommunePC && r.IntN(10) < 4 {
			return deskUnit.Code
		}
		return communes[r.IntN(len(communes))]
	}
	people := make([]store.Person, 0, opt.People)
	seen := map[string]bool{}
	for len(people) < opt.People {
		gp := g.person(r.IntN(2) == 0)
		if seen[gp.id] {
			continue
		}
		seen[gp.id] = true
		c := home()
		people = append(people, store.Person{IDNumber: gp.id, FullName: gp.name, BirthDate: gp.birth, Sex: gp.sex,
			Phone: g.phone(), Commune: c, Hamlet: hamlet(units, c, r.IntN(6)), Address: fmt.Sprintf("Số %d", 1+r.IntN(300))})
	}
	// Make sure the README's search example exists.
	people[0].FullName, people[0].Sex = "Nguyễn Văn Đức", store.SexMale
	people[0].IDNumber = fmt.Sprintf("0820%02d%06d", people[0].BirthDate.Year()%100, 123456)
	if people[0].BirthDate.Year() >= 2000 {
		people[0].IDNumber = fmt.Sprintf("0822%02d%06d", people[0].BirthDate.Year()%100, 123456)
	}
	res.People = len(people)

	// Applications of every category.
	start := store.StartOfDay(now).AddDate(0, 0, 1)
	employers := employersOf(units, deskUnit)
	var intakes []store.Intake
	for cat := 1; cat <= 5; cat++ {
		// One application per person and category: every demo application
		// starts the same morning, so a second would be a double permit.
		taken := make(map[int]bool, opt.PerCategory)
		for i := 0; i < opt.PerCategory; i++ {
			// A market trip is for the desk commune's own residents: a
			// person moved there for it would carry the move into every
			// other application of theirs (a person has one home).
			local := cat == store.CatZone && deskUnit.Kind == store.KindCommunePC
			at := r.IntN(len(people))
			for n := 0; (taken[at] || local && people[at].Commune != deskUnit.Code) && n < len(people); n++ {
				at = (at + 1) % len(people)
			}
			taken[at] = true
			p := people[at]
			a := store.Application{Category: cat, Source: []string{store.SourceWalkIn, store.SourceOnline}[r.IntN(2)],
				ValidFrom: start.Add(7 * time.Hour), ValidUntil: start.AddDate(0, 0, 1+r.IntN(6)).Add(18 * time.Hour)}
			a.Purpose = store.PurposesFor(cat)[r.IntN(len(store.PurposesFor(cat)))]
			district := units.District(p.Commune)
			switch cat {
			case store.CatWorker:
				e := ents[r.IntN(len(ents))]
				p.EnterpriseID = e.ID
				a.EnterpriseID = e.ID
				a.Area = []uint32{p.Commune, e.District}
				if units.Within(p.Commune, e.District) {
					a.Area = []uint32{e.District}
				}
				a.Route = "Nhà → " + e.Name
				a.HasHours, a.HoursFrom, a.HoursTo = true, 6*60, 18*60
			case store.CatOfficial:
				p.Employer = employers[r.IntN(len(employers))]
				a.Employer = p.Employer
				a.Area = []uint32{district}
				if work := units.District(p.Employer); work != 0 && work != district {
					a.Area = append(a.Area, work) // the route reaches the workplace
				}
				a.Route = "Nhà → " + units.Name(p.Employer)
				a.HasHours, a.HoursFrom, a.HoursTo = true, 6*60+30, 17*60+30
			case store.CatForces:
				cc := []uint32{store.CommandCentreFor(store.ProvinceCode), store.CommandCentreFor(district), store.CommandCentreFor(p.Commune)}[r.IntN(3)]
				p.CommandCentre = cc
				a.CommandCentre = cc
				a.Area = []uint32{store.ProvinceCode}
				a.Route = "Các chốt kiểm soát trên địa bàn"
			case store.CatResident:
				a.Area = []uint32{p.Commune}
				a.Route = residentRoute(a.Purpose, r.IntN(2))
				if i%4 == 0 { // a quarter leave the district and must be forwarded
					far := uint32(815)
					if district == 815 {
						far = 821
					}
					a.Area = []uint32{p.Commune, far}
					a.Route = residentRouteTo(a.Purpose, units.Name(far))
				}
				a.HasHours, a.HoursFrom, a.HoursTo = true, 7*60, 11*60
			case store.CatZone:
				if deskUnit.Kind == store.KindCommunePC {
					p.Commune = deskUnit.Code
					p.Hamlet = hamlet(units, deskUnit.Code, r.IntN(2))
					if i%5 == 0 { // outside the zone: the queue shows why it cannot be approved
						p.Hamlet = hamlet(units, deskUnit.Code, 2+r.IntN(3))
					}
				}
				a.Area = []uint32{p.Commune}
				a.Route = "Nhà → chợ " + units.Name(p.Commune)
				a.HasHours, a.HoursFrom, a.HoursTo = true, 6*60, 9*60
				a.ValidUntil = start.AddDate(0, 0, 2).Add(18 * time.Hour)
			}
			intakes = append(intakes, store.Intake{Person: p, Application: a})
		}
	}
	// Each person's latest record wins: a person applying twice keeps the
	// employer or enterprise of their latest application.
	for i := 0; i < len(intakes); i += 500 {
		if _, err := db.SubmitBatch(ctx, store.System(), intakes[i:min(i+500, len(intakes))]); err != nil {
			return res, err
		}
	}
	// Anyone not yet stored (no application) is still a known person at the counter.
	applied := make(map[string]bool, len(intakes))
	for _, in := range intakes {
		applied[in.Person.IDNumber] = true
	}
	err = db.Write(ctx, func(tx *store.Tx) error {
		for _, p := range people {
			if applied[p.IDNumber] {
				continue
			}
			if _, err := tx.PutPerson(p); err != nil {
				return err
			}
		}
		return nil
	})
	res.Pending = len(intakes)
	return res, err
}

// stableID is the same ID on every demo desk for the same record.
func stableID(kind, key string) string {
	sum := sha256.Sum256([]byte("thonghanh demo " + kind + " " + key))
	return fmt.Sprintf("%X", sum[:13])
}

// residentRoute is a category-4 trip inside the holder's commune, fitting
// its purpose: the area and the route printed on the permit agree.
func residentRoute(purpose, variant int) string {
	switch purpose {
	case store.PurposeFood:
		return []string{"Nhà → chợ xã → nhà", "Nhà → cửa hàng tạp hóa trong xã → nhà"}[variant]
	case store.PurposeProduction:
		return []string{"Nhà → ruộng → nhà", "Nhà → cửa hàng vật tư nông nghiệp → nhà"}[variant]
	case store.PurposeMedical, store.PurposeEmergency:
		return "Nhà → trạm y tế xã → nhà"
	case store.PurposeFuneral:
		return "Nhà → nơi tổ chức tang lễ trong xã → nhà"
	}
	return "Nhà → trong xã → nhà"
}

// residentRouteTo is a category-4 trip out of the district, to far.
func residentRouteTo(purpose int, far string) string {
	switch purpose {
	case store.PurposeFood:
		return "Nhà → chợ, " + far + " → nhà"
	case store.PurposeProduction:
		return "Nhà → cơ sở thu mua nông sản, " + far + " → nhà"
	case store.PurposeMedical, store.PurposeEmergency:
		return "Nhà → bệnh viện, " + far + " → nhà"
	case store.PurposeFuneral:
		return "Nhà → nơi tổ chức tang lễ, " + far + " → nhà"
	}
	return "Nhà → " + far + " → nhà"
}

func communesOf(units *store.UnitIndex) []uint32 {
	var out []uint32
	for _, u := range units.All() {
		if u.Kind == store.KindCommunePC {
			out = append(out, u.Code)
		}
	}
	return out
}

// employersOf lists the units whose staff travel to work: departments,
// agencies, the province and districts, and the desk's own commune.
func employersOf(units *store.UnitIndex, desk store.Unit) []uint32 {
	var out []uint32
	for _, u := range units.All() {
		switch u.Kind {
		case store.KindDepartment, store.KindAgency, store.KindProvincePC, store.KindDistrictPC:
			out = append(out, u.Code)
		}
	}
	if !slices.Contains(out, desk.Code) {
		out = append(out, desk.Code, desk.Code, desk.Code) // the desk's own staff, weighted
	}
	return out
}

// hamlet names the i-th hamlet of a commune: "Ấp 1"… for communes, "Khu phố 1"…
// for wards and townships.
func hamlet(units *store.UnitIndex, commune uint32, i int) string {
	var u store.Unit
	if units != nil {
		u, _ = units.Get(commune)
	}
	if u.Type == "Phường" || u.Type == "Thị trấn" {
		return fmt.Sprintf("Khu phố %d", i+1)
	}
	return fmt.Sprintf("Ấp %d", i+1)
}
