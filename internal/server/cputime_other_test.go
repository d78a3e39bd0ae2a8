//go:build !unix

package server

import "time"

// cpuTime is not measured on this system; the benchmark reports zero.
func cpuTime() time.Duration { return 0 }
