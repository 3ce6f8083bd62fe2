//go:build race

package main

// raceEnabled: the race detector makes pixel loops some 20 times slower;
// the field tests then skip, and .ci/run runs them without it.
const raceEnabled = true
