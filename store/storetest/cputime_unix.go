//go:build unix

package storetest

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time this process has used: benchmarks report rates
// per CPU-second too, which hold steady when other work shares the machine.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
