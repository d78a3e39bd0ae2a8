package main

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// limitMemory holds the heap under half of the memory the process may use
// (the machine's, or its container's when that is less), unless GOMEMLIMIT
// chooses. By default Go lets the heap grow to twice what is live before
// collecting; on a large archive that doubling, not the site itself, is
// what would run a CI runner out of memory. Under the limit the collector
// runs more often instead.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	meminfo, _ := os.ReadFile("/proc/meminfo")
	cgroup, _ := os.ReadFile("/sys/fs/cgroup/memory.max")
	if n := memoryLimit(string(meminfo), string(cgroup)); n > 0 {
		debug.SetMemoryLimit(n)
	}
}

// memoryLimit is half the smaller of /proc/meminfo's MemTotal and a cgroup
// v2 memory.max; 0 when neither is known.
func memoryLimit(meminfo, cgroupMax string) int64 {
	var total int64
	for line := range strings.Lines(meminfo) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil && kb > 0 {
					total = kb * 1024
				}
			}
		}
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(cgroupMax), 10, 64); err == nil && n > 0 && (total == 0 || n < total) {
		total = n
	}
	return total / 2
}
