package store

import (
	"context"
	"strings"
)

// Zone risk levels.
const (
	RiskAtRisk   = "at_risk"
	RiskHigh     = "high_risk"
	RiskVeryHigh = "very_high_risk"
	RiskLockdown = "lockdown"
)

// RiskName is the risk level in Vietnamese.
func RiskName(r string) string {
	switch r {
	case RiskAtRisk:
		return "Vùng nguy cơ"
	case RiskHigh:
		return "Vùng nguy cơ cao"
	case RiskVeryHigh:
		return "Vùng nguy cơ rất cao"
	case RiskLockdown:
		return "Vùng phong tỏa"
	}
	return r
}

// Zone is the whole commune or some of its hamlets under a risk level.
type Zone struct {
	ID      string
	Commune uint32
	Name    string
	Risk    string
	Hamlets []string // empty: the whole commune
	// Active is false once the zone is lifted (only AllZones lists such a
	// zone). It does not travel in a zone op: the op's name says it.
	Active bool
}

// zoneSet answers "does a zone of this commune cover that hamlet?".
type zoneSet struct {
	whole   map[uint32]bool
	hamlets map[uint32]map[string]bool
}

func (z zoneSet) covers(commune uint32, hamlet string) bool {
	if z.whole[commune] {
		return true
	}
	return z.hamlets[commune][Fold(hamlet)]
}

// zoneCover loads the zones of a commune (any unit: others have none).
func (db *DB) zoneCover(ctx context.Context, commune uint32) (zoneSet, error) {
	z := zoneSet{whole: map[uint32]bool{}, hamlets: map[uint32]map[string]bool{}}
	rows, err := db.sql.QueryContext(ctx, `SELECT commune, hamlets FROM zones WHERE commune = ? AND active = 1`, commune)
	if err != nil {
		return z, err
	}
	defer rows.Close()
	for rows.Next() {
		var c uint32
		var hs string
		if err := rows.Scan(&c, &hs); err != nil {
			return z, err
		}
		if strings.TrimSpace(hs) == "" {
			z.whole[c] = true
			continue
		}
		if z.hamlets[c] == nil {
			z.hamlets[c] = map[string]bool{}
		}
		for _, h := range strings.Split(hs, "\n") {
			if h = strings.TrimSpace(h); h != "" {
				z.hamlets[c][Fold(h)] = true
			}
		}
	}
	return z, rows.Err()
}

// Market is a market or sales point of a zone, open for hours with a
// capacity per time slot.
type Market struct {
	ID          string
	ZoneID      string
	Name        string
	Hamlets     []string // hamlets sent to this market
	OpenMinute  int
	CloseMinute int
	Capacity    int // households per slot
	// Active is false once the market is closed (only AllMarkets lists
	// such a market). It does not travel in a market op.
	Active bool
}

// requireAdmin is the rule for zones and markets: the commune's
// administrators and approvers (the head who answers for the zone) keep
// them; a clerk or a checker may not.
func requireAdmin(o Officer) error {
	if o.IsSystem() {
		return nil
	}
	if o.ID == "" {
		return forbidden("cần đăng nhập bằng tài khoản quản trị viên của xã")
	}
	if !o.Active {
		return forbidden("tài khoản đã bị vô hiệu hóa")
	}
	if !MayManageZones(o) {
		return forbidden("chỉ quản trị viên hoặc người duyệt của xã mới được sửa vùng và chợ")
	}
	return nil
}

// MayManageZones reports whether o's roles let them keep zones and markets
// (of their own unit only: each function checks the unit too).
func MayManageZones(o Officer) bool { return o.Has(RoleAdmin) || o.Has(RoleApprover) }

func cleanHamlets(hs []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, h := range hs {
		c, err := CleanText(FieldHamlet, h, 100)
		if err != nil {
			return nil, err
		}
		if c != "" && !seen[Fold(c)] {
			seen[Fold(c)] = true
			out = append(out, c)
		}
	}
	return out, nil
}

// NormalizeZone checks and cleans a zone as a desk makes it; the centre
// re-checks a pushed zone with it.
func NormalizeZone(z Zone, units *UnitIndex) (Zone, error) {
	if u, ok := units.Get(z.Commune); !ok || u.Kind != KindCommunePC {
		return z, invalid(FieldCommune, "vùng phải thuộc một xã, phường, thị trấn")
	}
	var err error
	if z.Name, err = CleanText("Tên vùng", z.Name, 120); err != nil {
		return z, err
	}
	if z.Name == "" {
		return z, invalid("Tên vùng", "không được để trống")
	}
	switch z.Risk {
	case RiskAtRisk, RiskHigh, RiskVeryHigh, RiskLockdown:
	default:
		return z, invalid("Mức nguy cơ", "chọn một trong: nguy cơ, nguy cơ cao, nguy cơ rất cao, phong tỏa")
	}
	z.Hamlets, err = cleanHamlets(z.Hamlets)
	return z, err
}

// NormalizeMarket checks and cleans a market as a desk makes it; the centre
// re-checks a pushed market with it.
func NormalizeMarket(m Market) (Market, error) {
	var err error
	if m.Name, err = CleanText("Tên chợ", m.Name, 120); err != nil {
		return m, err
	}
	if m.Name == "" {
		return m, invalid("Tên chợ", "không được để trống")
	}
	if m.Hamlets, err = cleanHamlets(m.Hamlets); err != nil {
		return m, err
	}
	if m.OpenMinute < 0 || m.CloseMinute > 24*60 || m.CloseMinute <= m.OpenMinute {
		return m, invalid("Giờ mở cửa", "giờ đóng cửa phải sau giờ mở cửa")
	}
	if m.Capacity <= 0 {
		return m, invalid("Sức chứa", "số hộ mỗi khung giờ phải lớn hơn 0")
	}
	return m, nil
}

// CreateZone defines a zone of a commune. admin is the commune's admin (a zero
// Officer is nobody and refused; the seed is System()).
func (db *DB) CreateZone(ctx context.Context, admin Officer, z Zone) (Zone, error) {
	if err := requireAdmin(admin); err != nil {
		return z, err
	}
	if !admin.IsSystem() && admin.Unit != z.Commune {
		return z, forbidden("chỉ xã %d được khoanh vùng của mình", z.Commune)
	}
	units, err := db.Units(ctx)
	if err != nil {
		return z, err
	}
	if z, err = NormalizeZone(z, units); err != nil {
		return z, err
	}
	z.Active = true
	err = db.Write(ctx, func(tx *Tx) error {
		z.ID = NewID(tx.Now)
		if _, err := tx.Exec(`INSERT INTO zones (id, commune, name, risk, hamlets, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			z.ID, z.Commune, z.Name, z.Risk, strings.Join(z.Hamlets, "\n"), tx.Now.Unix()); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, z.Commune, ActionAdmin, "zone", z.ID, "khoanh vùng "+z.Name); err != nil {
			return err
		}
		return tx.enqueue("zone", z.ID, "create", ZoneToWire(z))
	})
	return z, err
}

// CreateMarket adds a market or sales point to a zone.
func (db *DB) CreateMarket(ctx context.Context, admin Officer, m Market) (Market, error) {
	if err := requireAdmin(admin); err != nil {
		return m, err
	}
	m, err := NormalizeMarket(m)
	if err != nil {
		return m, err
	}
	m.Active = true
	err = db.Write(ctx, func(tx *Tx) error {
		zone, err := tx.ownZone(admin, m.ZoneID)
		if err != nil {
			return err
		}
		m.ID = NewID(tx.Now)
		if _, err := tx.Exec(`INSERT INTO markets (id, zone_id, name, hamlets, open_minute, close_minute, capacity) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.ZoneID, m.Name, strings.Join(m.Hamlets, "\n"), m.OpenMinute, m.CloseMinute, m.Capacity); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, zone.Commune, ActionAdmin, "market", m.ID, "thêm chợ "+m.Name); err != nil {
			return err
		}
		return tx.enqueue("market", m.ID, "create", MarketToWire(m))
	})
	return m, err
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Zones lists a commune's zones in force.
func (db *DB) Zones(ctx context.Context, commune uint32) ([]Zone, error) {
	return db.zones(ctx, commune, true)
}

// AllZones lists a commune's zones, lifted ones too (Active false), for
// the administration tab, where a lifted zone can be brought back.
func (db *DB) AllZones(ctx context.Context, commune uint32) ([]Zone, error) {
	return db.zones(ctx, commune, false)
}

func (db *DB) zones(ctx context.Context, commune uint32, onlyActive bool) ([]Zone, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, commune, name, risk, hamlets, active FROM zones
		WHERE commune = ? AND (active = 1 OR NOT ?) ORDER BY created_at, id`, commune, onlyActive)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Zone
	for rows.Next() {
		var z Zone
		var hs string
		if err := rows.Scan(&z.ID, &z.Commune, &z.Name, &z.Risk, &hs, &z.Active); err != nil {
			return nil, err
		}
		z.Hamlets = splitLines(hs)
		out = append(out, z)
	}
	return out, rows.Err()
}

// Markets lists a zone's open markets.
func (db *DB) Markets(ctx context.Context, zoneID string) ([]Market, error) {
	return db.markets(ctx, zoneID, true)
}

// AllMarkets lists a zone's markets, closed ones too (Active false), for
// the administration tab.
func (db *DB) AllMarkets(ctx context.Context, zoneID string) ([]Market, error) {
	return db.markets(ctx, zoneID, false)
}

func (db *DB) markets(ctx context.Context, zoneID string, onlyActive bool) ([]Market, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, zone_id, name, hamlets, open_minute, close_minute, capacity, active FROM markets
		WHERE zone_id = ? AND (active = 1 OR NOT ?) ORDER BY name, id`, zoneID, onlyActive)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Market
	for rows.Next() {
		var m Market
		var hs string
		if err := rows.Scan(&m.ID, &m.ZoneID, &m.Name, &hs, &m.OpenMinute, &m.CloseMinute, &m.Capacity, &m.Active); err != nil {
			return nil, err
		}
		m.Hamlets = splitLines(hs)
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateZone changes a zone's name, risk level and hamlets (z.ID names it;
// its commune stays). The same rules as CreateZone apply; the change, its
// audit entry and its outbox op commit together.
func (db *DB) UpdateZone(ctx context.Context, admin Officer, z Zone) (Zone, error) {
	if err := requireAdmin(admin); err != nil {
		return z, err
	}
	units, err := db.Units(ctx)
	if err != nil {
		return z, err
	}
	err = db.Write(ctx, func(tx *Tx) error {
		old, err := tx.ownZone(admin, z.ID)
		if err != nil {
			return err
		}
		z.Commune = old.Commune
		if z, err = NormalizeZone(z, units); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE zones SET name = ?, risk = ?, hamlets = ? WHERE id = ?`,
			z.Name, z.Risk, strings.Join(z.Hamlets, "\n"), z.ID); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, z.Commune, ActionAdmin, "zone", z.ID, "sửa vùng "+z.Name); err != nil {
			return err
		}
		return tx.enqueue("zone", z.ID, "update", ZoneToWire(z))
	})
	return z, err
}

// DeactivateZone lifts a zone: it covers no one any more, is not planned
// and its markets go with it. Vouchers already issued stay valid.
func (db *DB) DeactivateZone(ctx context.Context, admin Officer, id string) error {
	if err := requireAdmin(admin); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		z, err := tx.ownZone(admin, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE zones SET active = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		// Its markets close with it, so nothing plans slots in a lifted zone.
		if _, err := tx.Exec(`UPDATE markets SET active = 0 WHERE zone_id = ?`, id); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, z.Commune, ActionAdmin, "zone", id, "gỡ vùng "+z.Name); err != nil {
			return err
		}
		return tx.enqueue("zone", id, "deactivate", ZoneToWire(z))
	})
}

// ownZone reads the active zone id inside tx and refuses an officer of
// another commune: what every change to a zone or its markets checks first.
func (tx *Tx) ownZone(admin Officer, id string) (Zone, error) {
	z, err := tx.ownZoneAny(admin, id)
	if err == nil && !z.Active {
		return z, notFound("không có vùng %s", id)
	}
	return z, err
}

// ownZoneAny is ownZone for a zone in force or lifted.
func (tx *Tx) ownZoneAny(admin Officer, id string) (Zone, error) {
	var z Zone
	var hs string
	if err := tx.QueryRow(`SELECT id, commune, name, risk, hamlets, active FROM zones WHERE id = ?`, id).
		Scan(&z.ID, &z.Commune, &z.Name, &z.Risk, &hs, &z.Active); err != nil {
		return z, notFound("không có vùng %s", id)
	}
	z.Hamlets = splitLines(hs)
	return z, ownCommune(admin, z.Commune)
}

// ownCommune refuses an officer of another commune than the zone's.
func ownCommune(admin Officer, commune uint32) error {
	if !admin.IsSystem() && admin.Unit != commune {
		return forbidden("vùng này không thuộc xã của bạn")
	}
	return nil
}

// marketCommune reads an active market and its zone's commune inside tx.
func (tx *Tx) marketCommune(id string) (Market, uint32, error) {
	m, commune, _, err := tx.marketAny(id)
	if err == nil && !m.Active {
		return m, 0, notFound("không có chợ %s", id)
	}
	return m, commune, err
}

// marketAny reads a market, open or closed, its zone's commune and whether
// the zone is in force, inside tx.
func (tx *Tx) marketAny(id string) (m Market, commune uint32, zoneActive bool, err error) {
	var hs string
	err = tx.QueryRow(`SELECT m.id, m.zone_id, m.name, m.hamlets, m.open_minute, m.close_minute, m.capacity, m.active, z.commune, z.active
		FROM markets m JOIN zones z ON z.id = m.zone_id WHERE m.id = ?`, id).
		Scan(&m.ID, &m.ZoneID, &m.Name, &hs, &m.OpenMinute, &m.CloseMinute, &m.Capacity, &m.Active, &commune, &zoneActive)
	if err != nil {
		return m, 0, false, notFound("không có chợ %s", id)
	}
	m.Hamlets = splitLines(hs)
	return m, commune, zoneActive, nil
}

// UpdateMarket changes a market's name, hamlets, hours and capacity (m.ID
// names it; its zone stays). Slots already issued keep their hours.
func (db *DB) UpdateMarket(ctx context.Context, admin Officer, m Market) (Market, error) {
	if err := requireAdmin(admin); err != nil {
		return m, err
	}
	m, err := NormalizeMarket(m)
	if err != nil {
		return m, err
	}
	err = db.Write(ctx, func(tx *Tx) error {
		old, commune, err := tx.marketCommune(m.ID)
		if err != nil {
			return err
		}
		if err := ownCommune(admin, commune); err != nil {
			return err
		}
		m.ZoneID = old.ZoneID
		if _, err := tx.Exec(`UPDATE markets SET name = ?, hamlets = ?, open_minute = ?, close_minute = ?, capacity = ? WHERE id = ?`,
			m.Name, strings.Join(m.Hamlets, "\n"), m.OpenMinute, m.CloseMinute, m.Capacity, m.ID); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, commune, ActionAdmin, "market", m.ID, "sửa chợ "+m.Name); err != nil {
			return err
		}
		return tx.enqueue("market", m.ID, "update", MarketToWire(m))
	})
	return m, err
}

// DeactivateMarket closes a market: it gets no more slots; vouchers already
// issued for it stay valid.
func (db *DB) DeactivateMarket(ctx context.Context, admin Officer, id string) error {
	if err := requireAdmin(admin); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		m, commune, err := tx.marketCommune(id)
		if err != nil {
			return err
		}
		if err := ownCommune(admin, commune); err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE markets SET active = 0 WHERE id = ?`, id); err != nil {
			return err
		}
		if err := tx.Audit(admin.ID, commune, ActionAdmin, "market", id, "đóng chợ "+m.Name); err != nil {
			return err
		}
		return tx.enqueue("market", id, "deactivate", MarketToWire(m))
	})
}

// ReactivateZone brings a lifted zone back in force, under the same rules
// as DeactivateZone; the zone, its audit entry and its outbox op commit
// together. Its markets stay closed: each is reopened on its own
// (ReactivateMarket), as the commune decides which trade again.
func (db *DB) ReactivateZone(ctx context.Context, admin Officer, id string) error {
	if err := requireAdmin(admin); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		z, err := tx.ownZoneAny(admin, id)
		if err != nil {
			return err
		}
		if z.Active {
			return conflict("vùng %s vẫn đang có hiệu lực", z.Name)
		}
		if _, err := tx.Exec(`UPDATE zones SET active = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		z.Active = true
		if err := tx.Audit(admin.ID, z.Commune, ActionAdmin, "zone", id, "khôi phục vùng "+z.Name); err != nil {
			return err
		}
		return tx.enqueue("zone", id, "reactivate", ZoneToWire(z))
	})
}

// ReactivateMarket reopens a closed market of a zone in force, under the
// same rules as DeactivateMarket. A market of a lifted zone stays closed:
// nothing plans slots in a lifted zone.
func (db *DB) ReactivateMarket(ctx context.Context, admin Officer, id string) error {
	if err := requireAdmin(admin); err != nil {
		return err
	}
	return db.Write(ctx, func(tx *Tx) error {
		m, commune, zoneActive, err := tx.marketAny(id)
		if err != nil {
			return err
		}
		if err := ownCommune(admin, commune); err != nil {
			return err
		}
		if m.Active {
			return conflict("chợ %s vẫn đang mở", m.Name)
		}
		if !zoneActive {
			return invalid("Chợ", "vùng của chợ %s đã được gỡ: khôi phục vùng trước", m.Name)
		}
		if _, err := tx.Exec(`UPDATE markets SET active = 1 WHERE id = ?`, id); err != nil {
			return err
		}
		m.Active = true
		if err := tx.Audit(admin.ID, commune, ActionAdmin, "market", id, "mở lại chợ "+m.Name); err != nil {
			return err
		}
		return tx.enqueue("market", id, "reactivate", MarketToWire(m))
	})
}
