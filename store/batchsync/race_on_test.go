//go:build race

package batchsync

// raceDetector is true under -race, where the full load test takes many
// minutes: CI runs it at full size in a separate step without -race.
const raceDetector = true
