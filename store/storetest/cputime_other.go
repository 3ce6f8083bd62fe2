//go:build !unix

package storetest

import "time"

// ProcessCPU is zero where the system gives no resource usage.
func ProcessCPU() time.Duration { return 0 }
