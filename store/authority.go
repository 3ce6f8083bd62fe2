package store

import (
	"fmt"

	"thonghanh/store/seal"
)

// Categories of holder (BRIEF.md).
const (
	CatWorker   = 1 // workers of enterprises
	CatOfficial = 2 // officials and employees travelling to their workplace
	CatForces   = 3 // forces mobilised for epidemic prevention
	CatResident = 4 // residents with a truly necessary reason
	CatZone     = 5 // residents of at-risk and high-risk zones (market trips)
)

// CategoryName is the category's Vietnamese name, from the one table
// (seal.CategoryText) that the checkpoint and verify read too.
func CategoryName(c int) string {
	if c < 0 || c > 255 {
		return fmt.Sprintf("loại %d", c)
	}
	return seal.CategoryText(uint8(c), "vi")
}

// Purposes (QR-FORMAT.md).
const (
	PurposeWork       = 1
	PurposeFood       = 2
	PurposeProduction = 3
	PurposeMedical    = 4
	PurposeEmergency  = 5
	PurposeFuneral    = 6
	PurposeDuty       = 7
	PurposeMarket     = 8
)

// PurposeName is the purpose's Vietnamese name, from the same table
// (seal.PurposeText).
func PurposeName(p int) string {
	if p < 0 || p > 255 {
		return fmt.Sprintf("mục đích %d", p)
	}
	return seal.PurposeText(seal.Purpose(p), "vi")
}

// PurposesFor lists the purposes a category may state.
func PurposesFor(category int) []int {
	switch category {
	case CatWorker, CatOfficial:
		return []int{PurposeWork}
	case CatForces:
		return []int{PurposeDuty}
	case CatResident:
		return []int{PurposeFood, PurposeProduction, PurposeMedical, PurposeEmergency, PurposeFuneral}
	case CatZone:
		return []int{PurposeMarket, PurposeFood}
	}
	return nil
}

// Authority is the answer to "may this unit decide this application?".
type Authority struct {
	Allowed bool
	// Forward is set when the unit may not decide but must pass the request
	// on: up, a category-4 request whose area leaves the commune's district;
	// or to the unit that may decide it (Route), for one that reached the
	// wrong queue. The unit holding it may also reject it.
	Forward   bool
	ForwardTo uint32
	// RejectOnly is set when no unit may decide the request as it stands
	// (e.g. a market-trip request of a home outside every zone): the unit
	// holding it can only reject it, with a reason.
	RejectOnly bool
	Reason     string // Vietnamese, why not (or why forward)

	why message // what Reason was made from, to say it in English
}

// ReasonText is Reason, in English when english is set.
func (a Authority) ReasonText(english bool) string {
	if a.why.format == "" {
		return a.Reason
	}
	return a.why.text(english)
}

// MayReject says whether the unit holding the request may reject it: every
// request may leave a queue, decided, passed on or rejected.
func (a Authority) MayReject() bool { return a.Allowed || a.Forward || a.RejectOnly }

// refusal is the error of a decision this authority does not allow.
func (a Authority) refusal() *Error {
	return &Error{Code: EForbidden, Message: a.Reason, msg: a.why}
}

// Case is what the authority rules look at: the application, its holder, the
// enterprise for category 1, and whether the holder lives in one of the
// deciding commune's zones for category 5.
type Case struct {
	Category      int
	Area          []uint32
	Employer      uint32
	Enterprise    *Enterprise
	CommandCentre uint32
	Status        string
	Holder        Person
	InZone        bool
}

// Decide applies BRIEF.md's table: whether decider may approve or reject c,
// and when it may not, where the request goes so that nothing is stuck in
// a queue: to the unit that may decide it (Forward), or, when there is no
// such unit, nowhere but a rejection (RejectOnly).
func (ix *UnitIndex) Decide(decider Unit, c Case) Authority {
	a := ix.decide(decider, c)
	if a.Allowed || a.Forward {
		return a
	}
	to, err := ix.Route(c)
	if err == nil && to != decider.Code {
		if u, ok := ix.Get(to); ok {
			d := ix.decide(u, c)
			if d.Forward { // the holder's commune would pass it up: straight there
				to = d.ForwardTo
				if up, ok := ix.Get(to); ok {
					d = ix.decide(up, c)
				}
			}
			if d.Allowed && to != decider.Code {
				a.Forward, a.ForwardTo = true, to
				return a
			}
		}
	}
	a.RejectOnly = true
	return a
}

// decide is BRIEF.md's table alone.
func (ix *UnitIndex) decide(decider Unit, c Case) Authority {
	no := func(format string, args ...any) Authority {
		why := message{format: format, args: args}
		return Authority{Reason: why.text(false), why: why}
	}
	switch c.Category {
	case CatWorker:
		if c.Enterprise == nil {
			return no("đơn loại 1 chưa ghi doanh nghiệp")
		}
		if !decider.LicensesWorkers() {
			return no("%s không cấp giấy cho người lao động doanh nghiệp", decider.Name)
		}
		if c.Enterprise.ManagingUnit != decider.Code {
			return no("doanh nghiệp %s do %s quản lý, không thuộc %s", c.Enterprise.Name, ix.Name(c.Enterprise.ManagingUnit), decider.Name)
		}
	case CatOfficial:
		if c.Employer == 0 {
			return no("đơn loại 2 chưa ghi cơ quan công tác")
		}
		if decider.Kind == KindCommandCentre {
			return no("ban chỉ huy không cấp giấy loại 2")
		}
		if c.Employer != decider.Code {
			return no("người này công tác tại %s: chỉ thủ trưởng cơ quan đó được cấp", ix.Name(c.Employer))
		}
	case CatForces:
		if decider.Kind != KindCommandCentre {
			return no("giấy loại 3 do ban chỉ huy phòng, chống dịch cấp")
		}
		if c.CommandCentre != decider.Code {
			return no("người này do %s huy động, không phải %s", ix.Name(c.CommandCentre), decider.Name)
		}
	case CatResident:
		home := c.Holder.Commune
		district := ix.District(home)
		inside := len(c.Area) > 0
		for _, a := range c.Area {
			if !ix.Within(a, district) {
				inside = false
			}
		}
		switch decider.Kind {
		case KindCommunePC:
			if decider.Code != home {
				return no("người này cư trú tại %s: chỉ UBND xã đó được xét", ix.Name(home))
			}
			if !inside {
				forward := no("khu vực đi lại ra ngoài %s: xã chuyển lên UBND %s quyết định", ix.Name(district), ix.Name(district))
				forward.Forward, forward.ForwardTo = true, district
				return forward
			}
		case KindDistrictPC:
			if decider.Code != district {
				return no("người này cư trú tại %s, không thuộc %s", ix.Name(home), decider.Name)
			}
			if inside {
				return no("khu vực đi lại trong huyện: thuộc thẩm quyền UBND %s", ix.Name(home))
			}
		default:
			return no("giấy loại 4 do UBND xã nơi cư trú xét cấp")
		}
	case CatZone:
		if decider.Kind != KindCommunePC || decider.Code != c.Holder.Commune {
			return no("phiếu đi chợ do UBND xã nơi cư trú (%s) cấp", ix.Name(c.Holder.Commune))
		}
		if !c.InZone {
			return no("nơi ở của người này không thuộc vùng nguy cơ nào của xã")
		}
	default:
		return no("không có loại giấy %d", c.Category)
	}
	return Authority{Allowed: true}
}

// HomeOutside reports whether the holder's own commune lies outside the
// area of c: the paper would not cover the way home, which is almost always
// a slip in the area (approval warns of it).
func (ix *UnitIndex) HomeOutside(c Case) bool {
	if c.Holder.Commune == 0 || len(c.Area) == 0 {
		return false
	}
	for _, a := range c.Area {
		if ix.Within(c.Holder.Commune, a) {
			return false
		}
	}
	return true
}

// homeOutsideWarning is what approval says of such a paper.
func (ix *UnitIndex) homeOutsideWarning(number string, home uint32) message {
	return message{format: "hồ sơ %s: nơi cư trú của người này (%s) nằm ngoài khu vực đi lại", args: []any{number, ix.Name(home)}}
}

// Route returns the unit whose queue a new application enters: the one that
// must decide it, or for category 4 the holder's commune, which decides or
// forwards.
func (ix *UnitIndex) Route(c Case) (uint32, error) {
	switch c.Category {
	case CatWorker:
		if c.Enterprise == nil {
			return 0, invalid(FieldEnterpr, "chọn doanh nghiệp nơi làm việc")
		}
		return c.Enterprise.ManagingUnit, nil
	case CatOfficial:
		if _, ok := ix.Get(c.Employer); !ok {
			return 0, invalid(FieldEmployer, "chọn cơ quan công tác")
		}
		return c.Employer, nil
	case CatForces:
		if u, ok := ix.Get(c.CommandCentre); !ok || u.Kind != KindCommandCentre {
			return 0, invalid(FieldCommand, "chọn ban chỉ huy đã huy động")
		}
		return c.CommandCentre, nil
	case CatResident, CatZone:
		return c.Holder.Commune, nil
	}
	return 0, invalid(FieldCategory, "loại giấy phải từ 1 đến 5")
}
