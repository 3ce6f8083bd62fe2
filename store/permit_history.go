package store

import (
	"context"
	"fmt"
	"time"
)

// PermitHistory is what a permit's full view shows besides the permit: the
// request it grants (purpose, area, route, hours, vehicle), the officer who
// approved it, when each copy was printed and every scan of it at a
// checkpoint, oldest first.
type PermitHistory struct {
	Application Application
	ApprovedBy  string // the approving officer's full name ("" when the account is not on this desk)
	Printed     []time.Time
	Scans       []ScanEvent
}

// PermitHistory reads p's history. The application and the approver
// may be missing on a desk that only received the permit; what is there is
// returned.
func (db *DB) PermitHistory(ctx context.Context, p Permit) (PermitHistory, error) {
	var h PermitHistory
	if a, err := db.Application(ctx, p.ApplicationID); err == nil {
		h.Application = a
	} else if ErrorCode(err) != ENotFound {
		return h, err
	}
	if o, err := db.Officer(ctx, p.ApprovedBy); err == nil {
		h.ApprovedBy = o.FullName
	} else if ErrorCode(err) != ENotFound {
		return h, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT at FROM audit WHERE action = ? AND entity = 'permit' AND entity_id = ? ORDER BY seq`,
		ActionPrint, p.Serial)
	if err != nil {
		return h, fmt.Errorf("đọc lượt in: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return h, err
		}
		h.Printed = append(h.Printed, time.Unix(at, 0))
	}
	if err := rows.Err(); err != nil {
		return h, err
	}
	scans, err := db.sql.QueryContext(ctx, `SELECT id, at, serial, kind, verdict, checkpoint, officer_id, desk_id FROM scan_events
		WHERE serial = ? ORDER BY at, id`, p.Serial)
	if err != nil {
		return h, fmt.Errorf("đọc lượt quét: %w", err)
	}
	h.Scans, err = scanEventRows(scans)
	return h, err
}
