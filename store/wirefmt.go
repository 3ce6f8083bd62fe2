package store

// The store's records as they travel (package wire, SYNC.md). A record's
// JSON is always its wire form: the methods below route encoding/json
// through the wire types, so renaming a field here changes no byte on the
// wire (the conversions stop compiling instead), and the hot paths convert
// explicitly (appendApplicationJSON, the person op).

import (
	"encoding/json"

	"thonghanh/store/seal"
	"thonghanh/store/wire"
)

// Types that are the wire's own: the store keeps no struct of its own for
// them.
type (
	PushOp           = wire.PushOp
	OpResult         = wire.OpResult
	Change           = wire.Change
	ChangePage       = wire.ChangePage
	SignedList       = wire.SignedList
	RevocationNotice = wire.RevocationNotice
	Permit           = wire.Permit // an issued travel permit
	Decision         = wire.Decision
	Voucher          = wire.Voucher
	Household        = wire.Household
)

// ApplicationToWire is a as it travels.
func ApplicationToWire(a Application) wire.Application {
	return wire.Application{ID: a.ID, Number: a.Number, PersonID: a.PersonID, Category: a.Category, Purpose: a.Purpose,
		PurposeNote: a.PurposeNote, Area: a.Area, Route: a.Route, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil,
		HasHours: a.HasHours, HoursFrom: a.HoursFrom, HoursTo: a.HoursTo, Vehicle: a.Vehicle, Employer: a.Employer,
		EnterpriseID: a.EnterpriseID, CommandCentre: a.CommandCentre, Source: a.Source, Status: a.Status,
		QueueUnit: a.QueueUnit, ReceivedUnit: a.ReceivedUnit, ReceivedBy: a.ReceivedBy, DecidedBy: a.DecidedBy,
		DecidedAt: a.DecidedAt, Reason: a.Reason, Version: a.Version, CreatedAt: a.CreatedAt}
}

// ApplicationFromWire is the store's record of a travelled application.
func ApplicationFromWire(a wire.Application) Application {
	return Application{ID: a.ID, Number: a.Number, PersonID: a.PersonID, Category: a.Category, Purpose: a.Purpose,
		PurposeNote: a.PurposeNote, Area: a.Area, Route: a.Route, ValidFrom: a.ValidFrom, ValidUntil: a.ValidUntil,
		HasHours: a.HasHours, HoursFrom: a.HoursFrom, HoursTo: a.HoursTo, Vehicle: a.Vehicle, Employer: a.Employer,
		EnterpriseID: a.EnterpriseID, CommandCentre: a.CommandCentre, Source: a.Source, Status: a.Status,
		QueueUnit: a.QueueUnit, ReceivedUnit: a.ReceivedUnit, ReceivedBy: a.ReceivedBy, DecidedBy: a.DecidedBy,
		DecidedAt: a.DecidedAt, Reason: a.Reason, Version: a.Version, CreatedAt: a.CreatedAt}
}

// PersonToWire is p as it travels.
func PersonToWire(p Person) wire.Person {
	return wire.Person{ID: p.ID, IDNumber: p.IDNumber, FullName: p.FullName, Folded: p.Folded, BirthDate: p.BirthDate,
		Sex: p.Sex, Phone: p.Phone, Commune: p.Commune, Hamlet: p.Hamlet, Address: p.Address, Employer: p.Employer,
		EnterpriseID: p.EnterpriseID, CommandCentre: p.CommandCentre, Version: p.Version}
}

// PersonFromWire is the store's record of a travelled person.
func PersonFromWire(p wire.Person) Person {
	return Person{ID: p.ID, IDNumber: p.IDNumber, FullName: p.FullName, Folded: p.Folded, BirthDate: p.BirthDate,
		Sex: p.Sex, Phone: p.Phone, Commune: p.Commune, Hamlet: p.Hamlet, Address: p.Address, Employer: p.Employer,
		EnterpriseID: p.EnterpriseID, CommandCentre: p.CommandCentre, Version: p.Version}
}

// EnterpriseToWire is e as it travels.
func EnterpriseToWire(e Enterprise) wire.Enterprise {
	return wire.Enterprise{ID: e.ID, Name: e.Name, TaxCode: e.TaxCode, District: e.District, ManagingUnit: e.ManagingUnit}
}

// EnterpriseFromWire is the store's record of a travelled enterprise.
func EnterpriseFromWire(e wire.Enterprise) Enterprise {
	return Enterprise{ID: e.ID, Name: e.Name, TaxCode: e.TaxCode, District: e.District, ManagingUnit: e.ManagingUnit}
}

// AppStateToWire is st as it travels.
func AppStateToWire(st AppState) wire.AppState {
	w := wire.AppState{Application: ApplicationToWire(st.Application), Person: PersonToWire(st.Person), Permit: st.Permit}
	if st.Enterprise != nil {
		e := EnterpriseToWire(*st.Enterprise)
		w.Enterprise = &e
	}
	return w
}

// AppStateFromWire is the store's value of a travelled AppState.
func AppStateFromWire(w wire.AppState) AppState {
	st := AppState{Application: ApplicationFromWire(w.Application), Person: PersonFromWire(w.Person), Permit: w.Permit}
	if w.Enterprise != nil {
		e := EnterpriseFromWire(*w.Enterprise)
		st.Enterprise = &e
	}
	return st
}

// OfficerRecordToWire is o as it travels.
func OfficerRecordToWire(o OfficerRecord) wire.OfficerRecord {
	w := wire.OfficerRecord{ID: o.ID, Username: o.Username, FullName: o.FullName, Unit: o.Unit, Active: o.Active,
		PasswordHash: o.PasswordHash, Position: string(o.Position)}
	if o.Roles != nil {
		w.Roles = make([]string, len(o.Roles))
		for i, r := range o.Roles {
			w.Roles[i] = string(r)
		}
	}
	return w
}

// OfficerRecordFromWire is the store's value of a travelled account.
func OfficerRecordFromWire(w wire.OfficerRecord) OfficerRecord {
	o := OfficerRecord{ID: w.ID, Username: w.Username, FullName: w.FullName, Unit: w.Unit, Active: w.Active,
		PasswordHash: w.PasswordHash, Position: Position(w.Position)}
	if w.Roles != nil {
		o.Roles = make([]Role, len(w.Roles))
		for i, r := range w.Roles {
			o.Roles[i] = Role(r)
		}
	}
	return o
}

// fromWire decodes b as the wire type W and converts it into *dst.
func fromWire[W, T any](b []byte, dst *T, conv func(W) T) error {
	var w W
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*dst = conv(w)
	return nil
}

// MarshalJSON encodes a as wire.Application.
func (a Application) MarshalJSON() ([]byte, error) { return json.Marshal(ApplicationToWire(a)) }

// UnmarshalJSON decodes a wire.Application.
func (a *Application) UnmarshalJSON(b []byte) error { return fromWire(b, a, ApplicationFromWire) }

// MarshalJSON encodes p as wire.Person.
func (p Person) MarshalJSON() ([]byte, error) { return json.Marshal(PersonToWire(p)) }

// UnmarshalJSON decodes a wire.Person.
func (p *Person) UnmarshalJSON(b []byte) error { return fromWire(b, p, PersonFromWire) }

// MarshalJSON encodes e as wire.Enterprise.
func (e Enterprise) MarshalJSON() ([]byte, error) { return json.Marshal(EnterpriseToWire(e)) }

// UnmarshalJSON decodes a wire.Enterprise.
func (e *Enterprise) UnmarshalJSON(b []byte) error { return fromWire(b, e, EnterpriseFromWire) }

// MarshalJSON encodes st as the centre sends it to desks: wire.AppState in
// its legacy form, which desks of older builds read (package wire).
func (st AppState) MarshalJSON() ([]byte, error) { return AppStateToWire(st).MarshalLegacy() }

// UnmarshalJSON decodes a wire.AppState.
func (st *AppState) UnmarshalJSON(b []byte) error { return fromWire(b, st, AppStateFromWire) }

// MarshalJSON encodes o as wire.OfficerRecord.
func (o OfficerRecord) MarshalJSON() ([]byte, error) { return json.Marshal(OfficerRecordToWire(o)) }

// UnmarshalJSON decodes a wire.OfficerRecord.
func (o *OfficerRecord) UnmarshalJSON(b []byte) error { return fromWire(b, o, OfficerRecordFromWire) }

// AuditEntryToWire is e as it travels.
func AuditEntryToWire(e AuditEntry) wire.AuditEntry { return wire.AuditEntry(e) }

// ZoneToWire is z as it travels.
// Whether it is in force is not in it: the op's name says so.
func ZoneToWire(z Zone) wire.Zone {
	return wire.Zone{ID: z.ID, Commune: z.Commune, Name: z.Name, Risk: z.Risk, Hamlets: z.Hamlets}
}

// MarketToWire is m as it travels.
// Whether it is open is not in it: the op's name says so.
func MarketToWire(m Market) wire.Market {
	return wire.Market{ID: m.ID, ZoneID: m.ZoneID, Name: m.Name, Hamlets: m.Hamlets, OpenMinute: m.OpenMinute,
		CloseMinute: m.CloseMinute, Capacity: m.Capacity}
}

// DeskToWire is d as it travels.
func DeskToWire(d Desk) wire.Desk {
	return wire.Desk{ID: d.ID, Unit: d.Unit, Number: d.Number, Label: d.Label, PublicKey: d.PublicKey}
}

// DeskFromWire is the store's record of a travelled desk.
func DeskFromWire(d wire.Desk) Desk {
	return Desk{ID: d.ID, Unit: d.Unit, Number: d.Number, Label: d.Label, PublicKey: d.PublicKey}
}

// MarshalJSON encodes e as wire.AuditEntry.
func (e AuditEntry) MarshalJSON() ([]byte, error) { return json.Marshal(AuditEntryToWire(e)) }

// UnmarshalJSON decodes a wire.AuditEntry.
func (e *AuditEntry) UnmarshalJSON(b []byte) error {
	return fromWire(b, e, func(w wire.AuditEntry) AuditEntry { return AuditEntry(w) })
}

// MarshalJSON encodes z as wire.Zone.
func (z Zone) MarshalJSON() ([]byte, error) { return json.Marshal(ZoneToWire(z)) }

// UnmarshalJSON decodes a wire.Zone.
func (z *Zone) UnmarshalJSON(b []byte) error {
	return fromWire(b, z, func(w wire.Zone) Zone {
		return Zone{ID: w.ID, Commune: w.Commune, Name: w.Name, Risk: w.Risk, Hamlets: w.Hamlets}
	})
}

// MarshalJSON encodes m as wire.Market.
func (m Market) MarshalJSON() ([]byte, error) { return json.Marshal(MarketToWire(m)) }

// UnmarshalJSON decodes a wire.Market.
func (m *Market) UnmarshalJSON(b []byte) error {
	return fromWire(b, m, func(w wire.Market) Market {
		return Market{ID: w.ID, ZoneID: w.ZoneID, Name: w.Name, Hamlets: w.Hamlets, OpenMinute: w.OpenMinute,
			CloseMinute: w.CloseMinute, Capacity: w.Capacity}
	})
}

// MarshalJSON encodes d as the centre names it to an enrolling desk:
// wire.Desk in its legacy form, which desks of older builds read.
func (d Desk) MarshalJSON() ([]byte, error) { return DeskToWire(d).MarshalLegacy() }

// UnmarshalJSON decodes a wire.Desk.
func (d *Desk) UnmarshalJSON(b []byte) error { return fromWire(b, d, DeskFromWire) }

// ScanEventToWire is e as it travels.
func ScanEventToWire(e ScanEvent) wire.ScanEvent {
	return wire.ScanEvent{ID: e.ID, At: e.At, Serial: e.Serial, Kind: uint8(e.Kind), Verdict: string(e.Verdict),
		Checkpoint: e.Checkpoint, Officer: e.Officer, Desk: e.Desk}
}

// ScanEventFromWire is the store's record of a travelled scan.
func ScanEventFromWire(w wire.ScanEvent) ScanEvent {
	return ScanEvent{ID: w.ID, At: w.At, Serial: w.Serial, Kind: seal.Kind(w.Kind), Verdict: seal.Verdict(w.Verdict),
		Checkpoint: w.Checkpoint, Officer: w.Officer, Desk: w.Desk}
}

// MarshalJSON encodes e as wire.ScanEvent.
func (e ScanEvent) MarshalJSON() ([]byte, error) { return json.Marshal(ScanEventToWire(e)) }

// UnmarshalJSON decodes a wire.ScanEvent.
func (e *ScanEvent) UnmarshalJSON(b []byte) error { return fromWire(b, e, ScanEventFromWire) }
