// Package store is Thông Hành's system of record: the SQLite schema and its
// migrations, the domain records (units, officers, people, applications,
// permits, zones, households, markets, vouchers, scan events), the authority
// rules that decide who may issue what, the hash-chained audit log and the
// sync outbox.
//
// The same package keeps the records of a desk and of the central server, each
// in its own SQLite file. Every state change writes its outbox row in the same
// transaction, and every rule (authority, roles, validation) is enforced here,
// never only in a screen.
//
// Its room ends at the database: it knows no terminal, no HTTP handler and no
// PDF. It may use store/seal to sign permits, because signing is part of
// deciding; it never imports tui, print or store/batchsync.
package store
