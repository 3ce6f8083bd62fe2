-- An account whose password no longer meets the rules (shorter than 8, or
-- 10 for approvers and admins, or a common one) must change it at its next
-- login. The store cannot tell from a hash: Login checks the password typed
-- and marks the account here; changing the password clears the mark.
ALTER TABLE officers ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
