package store

// SetOverlapCheck turns the one-paper-per-purpose check of approvals on or
// off, so that a benchmark measures its share of a bulk approval.
func SetOverlapCheck(on bool) { overlapCheckOff = !on }
