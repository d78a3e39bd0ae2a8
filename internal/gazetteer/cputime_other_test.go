//go:build !unix

package gazetteer

import "time"

// cpuTime is not measured here; the budget test falls back to wall time.
func cpuTime() time.Duration { return -1 }
