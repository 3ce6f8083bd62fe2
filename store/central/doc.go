// Package central is the province's system of record, the central server's
// side of sync (SYNC.md): its own tables and migrations, enrolling desks,
// applying the ops they push with the store's own rules (authority,
// officers, the permit's seal, validation), idempotency, the change feed
// each desk pulls, the signed trust and revocation lists, conflicts and the
// accountability report.
//
// Its room: a centre's SQLite file, opened with Open, holding the store's
// records in the store's tables (package store) beside the centre's own.
// The centre's logic is free functions over a *store.Tx; what it needs of
// the store's records, rules and validation goes through store's exported
// API. It may import store, store/seal and store/wire; store never imports
// it. No HTTP here: store/batchsync carries these values over HTTPS. The
// desk's half of sync (claiming and settling the outbox, applying what it
// pulls, keeping its enrollment) stays in store, beside the outbox.
package central
