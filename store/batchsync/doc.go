// Package batchsync is Thông Hành's batch sync over HTTPS (SYNC.md): the central
// server's http.Handler, the desk's Client with its background loop,
// enrollment, the server's directory (root key, TLS certificate, database)
// and an in-process server for `thonghanh demo`.
//
// Its room is the wire. Every rule — which op the province accepts, how
// idempotency is kept, what the change feed holds, how a desk applies a
// pulled page — lives in store/central (the centre's side) and store (the
// desk's), with the store's one set of rules; this package only carries
// their values as JSON between them, with TLS pinning, gzip, size caps,
// retries and backoff. It knows store/central, store and store/seal (the
// demo's fixed root key is handed in by cmd); it knows no terminal, no
// screen and no PDF, and nothing imports it but cmd.
package batchsync
