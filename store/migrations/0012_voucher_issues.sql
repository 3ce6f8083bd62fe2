-- What the centre knows of each market voucher a desk issued, from its
-- voucher ops: enough for the abuse report to name the household and the
-- market of a voucher let in twice. The centre holds no households or
-- markets rows of the desks (they are archived as sent), so this is kept
-- apart from the desks' own vouchers table. A desk leaves it empty.
CREATE TABLE voucher_issues (
    serial         TEXT PRIMARY KEY,
    unit           INTEGER NOT NULL,
    household_code TEXT NOT NULL,
    representative TEXT NOT NULL,
    hamlet         TEXT NOT NULL DEFAULT '',
    market_id      TEXT NOT NULL,
    market_name    TEXT NOT NULL,
    slot_start     INTEGER NOT NULL,
    slot_end       INTEGER NOT NULL
);
