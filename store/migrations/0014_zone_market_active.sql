-- A zone lifted or a market closed is deactivated, not deleted: vouchers
-- already issued name it, and the audit log and the centre still know it.
-- An inactive zone covers no one and is not planned; an inactive market
-- gets no slots.
ALTER TABLE zones ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE markets ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
