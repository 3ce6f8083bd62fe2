//go:build !race

package batchsync

const raceDetector = false
