package intake

import (
	"fmt"
	"strconv"
	"strings"

	"thonghanh/store"
)

// places resolves what a clerk types into units: "tan my chanh; my tho"
// becomes Xã Tân Mỹ Chánh and Thành phố Mỹ Tho. Matching is the store's
// (units.Search, diacritics folded); this only splits, picks and explains.
type places struct {
	units *store.UnitIndex
	all   []foldedUnit // every unit with its folded name, for bodies
}

type foldedUnit struct {
	unit   store.Unit
	folded string
}

func newPlaces(units *store.UnitIndex) places {
	p := places{units: units}
	if units != nil {
		for _, u := range units.All() {
			p.all = append(p.all, foldedUnit{u, store.Fold(u.Name)})
		}
	}
	return p
}

// find lists the units passing keep whose folded name holds every word of
// the query (agencies, command centres: units.Search covers territories
// only).
func (p places) find(query string, keep func(store.Unit) bool, limit int) []store.Unit {
	words := strings.Fields(store.Fold(query))
	var out []store.Unit
	for _, fu := range p.all {
		if !keep(fu.unit) {
			continue
		}
		ok := true
		for _, w := range words {
			if !strings.Contains(fu.folded, w) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, fu.unit)
			if limit > 0 && len(out) == limit {
				break
			}
		}
	}
	return out
}

// pick resolves a typed body name: its exact name, or the only match.
func (p places) pick(query string, keep func(store.Unit) bool) (store.Unit, error) {
	query = strings.TrimSpace(query)
	// "Name [code]" (how a name shared by two bodies is prefilled) or a bare
	// code picks that unit.
	code := query
	if i := strings.LastIndex(query, "["); i >= 0 && strings.HasSuffix(query, "]") {
		code = query[i+1 : len(query)-1]
	}
	if n, err := strconv.ParseUint(code, 10, 32); err == nil {
		if u, ok := p.units.Get(uint32(n)); ok && keep(u) {
			return u, nil
		}
		return store.Unit{}, &resolveError{piece: query}
	}
	found := p.find(query, keep, 0)
	folded := store.Fold(query)
	var exact []store.Unit
	for _, u := range found {
		if store.Fold(u.Name) == folded {
			exact = append(exact, u)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return store.Unit{}, &resolveError{piece: query, candidates: exact}
	case len(found) == 1 && query != "":
		return found[0], nil
	}
	return store.Unit{}, &resolveError{piece: query, candidates: found}
}

// bodyName is how a body is prefilled: its name, with its code when another
// body bears the same name.
func (p places) bodyName(code uint32) string {
	u, ok := p.units.Get(code)
	if !ok {
		return ""
	}
	f := store.Fold(u.Name)
	for _, fu := range p.all {
		if fu.unit.Code != code && fu.folded == f {
			return fmt.Sprintf("%s [%d]", u.Name, code)
		}
	}
	return u.Name
}

// resolveError says which piece did not resolve and what it could be.
type resolveError struct {
	piece      string
	candidates []store.Unit
}

func (e *resolveError) Error() string { return e.piece }

// splitPlaces splits a list typed with ";" or "," between names.
func splitPlaces(text string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == ',' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// one resolves a single piece to an administrative unit; communeOnly keeps
// communes (wards, townships) only. A unit code typed as digits is taken as is.
func (p places) one(piece string, communeOnly bool) (store.Unit, error) {
	if n, err := strconv.ParseUint(piece, 10, 32); err == nil {
		if u, ok := p.units.Get(uint32(n)); ok && u.Administrative() && (!communeOnly || u.Kind == store.KindCommunePC) {
			return u, nil
		}
		return store.Unit{}, &resolveError{piece: piece}
	}
	found := p.units.Search(piece, 0)
	if communeOnly {
		kept := found[:0]
		for _, u := range found {
			if u.Kind == store.KindCommunePC {
				kept = append(kept, u)
			}
		}
		found = kept
	}
	folded := store.Fold(piece)
	var exact []store.Unit
	for _, u := range found {
		// "tan my chanh" names Xã Tân Mỹ Chánh as well as "xa tan my chanh" does.
		f := store.Fold(u.Name)
		if f == folded || strings.TrimSpace(strings.TrimPrefix(f, store.Fold(u.Type))) == folded {
			exact = append(exact, u)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) > 1:
		return store.Unit{}, &resolveError{piece: piece, candidates: exact}
	case len(found) == 1:
		return found[0], nil
	}
	return store.Unit{}, &resolveError{piece: piece, candidates: found}
}

// list resolves a whole area list.
func (p places) list(text string) ([]store.Unit, error) {
	var out []store.Unit
	for _, piece := range splitPlaces(text) {
		u, err := p.one(piece, false)
		if err != nil {
			return out, err
		}
		out = append(out, u)
	}
	return out, nil
}

// label is a unit with the district it lies in, to tell apart communes of
// the same name: "Xã Tân Hòa (Huyện Gò Công Đông)".
func (p places) label(u store.Unit) string {
	if u.Level == 3 {
		if d, ok := p.units.Get(u.Parent); ok {
			return u.Name + " (" + d.Name + ")"
		}
	}
	return u.Name
}

// names joins unit names for a prefilled input.
func (p places) names(codes []uint32) string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		out = append(out, p.units.Name(c))
	}
	return strings.Join(out, "; ")
}

// suggest lists the first few units matching the last piece being typed.
func (p places) suggest(text string, communeOnly bool, n int) []store.Unit {
	pieces := splitPlaces(text)
	if len(pieces) == 0 {
		return nil
	}
	found := p.units.Search(pieces[len(pieces)-1], 0)
	var out []store.Unit
	for _, u := range found {
		if communeOnly && u.Kind != store.KindCommunePC {
			continue
		}
		out = append(out, u)
		if len(out) == n {
			break
		}
	}
	return out
}
