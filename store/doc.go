// Package store is Thông Hành's system of record: the SQLite schema and its
// migrations, the domain records (units, officers, people, applications,
// permits, zones, households, markets, vouchers, scan events), the authority
// rules that decide who may issue what, the hash-chained audit log, the
// sync outbox and the desk's side of sync (claiming and settling the outbox,
// applying what it pulls, keeping its enrollment).
//
// The same records are the central server's, in its own SQLite file:
// store/central applies the province's side of sync with this package's
// rules, through its exported API (records.go and the Normalize and
// Decidable functions). Every state change writes its outbox row in the same
// transaction, and every rule (authority, roles, validation) is enforced here,
// never only in a screen.
//
// Its room ends at the database: it knows no terminal, no HTTP handler and no
// PDF. It may use store/seal to sign permits, because signing is part of
// deciding; it never imports tui, print, store/central or store/batchsync.
package store
