// Package slots splits market-trip time (phiếu đi chợ) for the households of an
// at-risk or high-risk zone: the commune lists its households, and each one
// may send one person to its market on given days and in a given time slot.
//
// Its room is the pure algorithm and nothing else. Households, markets and
// parameters go in; a Plan, or a typed error (*InputError, *ShortageError)
// with a Vietnamese message, comes out. It may not touch a database, a file,
// the network, the clock (time.Now) or randomness, and it imports no package
// of this module: store calls it (household list → store.ImportHouseholds →
// slots.Split → vouchers), so importing store back would be a cycle, and
// keeping it free of I/O is what lets the same list give the same plan on
// every desk and on the central server.
//
// # Guarantees
//
//   - No market slot is ever over capacity (hard).
//   - Every household gets exactly TripsFor(TripsPerWeek, Days) trips, on
//     different days (hard). When capacity cannot carry the demand, Split
//     returns *ShortageError before building anything.
//   - With Spread, a household's trips are at least two days apart whenever
//     the period allows it: Days ≥ 2×(trips−1)+1. There is one tight corner,
//     Days == 2×trips−1 exactly (4 trips in 7 days, 3 in 5): the only spaced
//     schedule is then days 1,3,5,… of the period, which leaves the other
//     days empty; if one day cannot hold every household, the fewest possible
//     households are given adjacent days and Plan.SpacingRelaxed counts them,
//     rather than refusing a split that capacity allows.
//   - With Alternate, households with an odd Number go on odd days of the
//     period (day 1, 3, 5, … counted from Params.Start) and even numbers on
//     even days, so trips are two days apart by construction.
//   - Households go to the market that lists their hamlet, and to another
//     market only on a day when their own market is full (Plan.Fallbacks).
//   - Early and late slots rotate: a household early on one trip is late on
//     the next (Plan.Fairness measures it).
//   - The same input gives the same Plan, byte for byte: no map order, no
//     clock and no unseeded randomness reaches the result.
package slots
