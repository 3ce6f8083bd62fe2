-- An approver signs a permit in the name of the unit's head (TM. … CHỦ TỊCH)
-- or as a deputy (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH), Decree 30/2020 Phụ lục I: the
-- paper's signer block follows the position stored with the officer.
-- '' and 'head' are the head; 'deputy' a deputy.
ALTER TABLE officers ADD COLUMN position TEXT NOT NULL DEFAULT '';
