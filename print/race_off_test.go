//go:build !race

package print

const raceEnabled = false
