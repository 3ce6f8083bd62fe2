// Package seal is the QR seal of Thông Hành: it encodes, signs and verifies
// permits and market-trip vouchers, and the province's trust list and
// revocation list, exactly as /work/shared/design/QR-FORMAT.md (`TH1:`)
// specifies.
//
// Its room is pure functions over bytes, keys and a clock handed in by the
// caller. It may not touch a database, a terminal, the network or the file
// system: the store decides who may issue what and keeps the lists, the desk
// and the verify command print, sync carries the lists. That keeps a
// checkpoint's verdict a function of (QR text, trust list, revocations,
// checkpoint, time) that any other implementation can reproduce from
// testdata/vectors.json.
//
// A verifier always returns exactly one Verdict. Checks run in the order
// MALFORMED → UNKNOWN_SIGNER → BAD_SIGNATURE → SIGNER_NOT_ALLOWED → REVOKED →
// NOT_YET_VALID / EXPIRED → OUTSIDE_HOURS → OUTSIDE_AREA → ALREADY_USED, so
// the first thing wrong is the thing reported, and nothing from an unsigned or
// forged code is trusted before its signature is.
package seal
