package central

import (
	"thonghanh/store"
)

// recordVoucher keeps what the abuse report needs of a voucher a desk
// issued (its household's code and representative, its market and slot),
// beside the op archived as sent. A voucher sent again changes nothing: the
// first issue is the one its paper carries.
func recordVoucher(tx *store.Tx, desk DeskAuth, op store.PushOp) error {
	var v store.Voucher
	if err := decodeOp(op, &v); err != nil {
		return err
	}
	if v.Serial != op.EntityID {
		return invalid("Số phiếu", "số phiếu %q không khớp op (%q)", v.Serial, op.EntityID)
	}
	res, err := tx.Exec(`INSERT INTO voucher_issues (serial, unit, household_code, representative, hamlet, market_id, market_name, slot_start, slot_end)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (serial) DO NOTHING`,
		v.Serial, desk.Unit, v.HouseholdCode, v.Representative, v.Hamlet, v.MarketID, v.MarketName, v.SlotStart.Unix(), v.SlotEnd.Unix())
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	// The commune's other desks (its market entrances) learn whose
	// voucher it is and for which market.
	return feed(tx, desk.Unit, store.ChangeVoucher, v.Serial, desk.DeskID)
}

// voucherIssue reads what the centre kept of a voucher, for the feed.
func voucherIssue(q store.Queryer, serial string) (store.VoucherIssue, error) {
	v := store.VoucherIssue{Serial: serial}
	err := q.QueryRow(`SELECT unit, household_code, representative, hamlet, market_id, market_name, slot_start, slot_end
		FROM voucher_issues WHERE serial = ?`, serial).
		Scan(&v.Unit, &v.HouseholdCode, &v.Representative, &v.Hamlet, &v.MarketID, &v.MarketName, &v.SlotStart, &v.SlotEnd)
	return v, err
}
