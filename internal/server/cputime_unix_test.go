//go:build unix

package server

import (
	"syscall"
	"time"
)

// cpuTime is the processor time this process has used, user and system.
// On a machine shared with other work it says what a save costs better
// than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
