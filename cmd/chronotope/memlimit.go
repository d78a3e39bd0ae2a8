package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// limitMemory holds the heap under half of the memory the process may use
// (the machine's, or its container's when that is less), unless GOMEMLIMIT
// chooses. By default Go lets the heap grow to twice what is live before
// collecting; on a large archive that doubling, not the site itself, is
// what would run a CI runner out of memory. Under the limit the collector
// runs more often instead.
//
// Below that ceiling the limit follows the live heap (followLiveHeap): on a
// site of a few thousand articles the doubling is the largest part of the
// peak, and a fixed margin over what is live costs almost no time there.
func limitMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	meminfo, _ := os.ReadFile("/proc/meminfo")
	cgroup, _ := os.ReadFile("/sys/fs/cgroup/memory.max")
	ceiling := memoryLimit(string(meminfo), string(cgroup))
	if ceiling > 0 {
		debug.SetMemoryLimit(ceiling)
	}
	go followLiveHeap(ceiling)
}

// liveMargin is the memory the process may hold over the live heap: for
// garbage not yet collected, and for freed pages the runtime would keep
// rather than return. Under the limit the runtime returns them, which is
// most of the gain; the collector seldom runs sooner than it would anyway.
const liveMargin = 256 << 20

// followLiveHeap sets the soft memory limit from the live heap the last
// collection measured, ten times a second, for the life of the process.
func followLiveHeap(ceiling int64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for range time.Tick(100 * time.Millisecond) {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		debug.SetMemoryLimit(heapLimit(int64(sample[0].Value.Uint64()), ceiling))
	}
}

// heapLimit is the soft limit for a live heap: the live heap plus
// liveMargin, or 2.25 times the live heap when that is more, so that on a
// large site it stays above Go's own goal (twice the live heap, before the
// runtime's overhead) and changes nothing; never above the ceiling.
func heapLimit(live, ceiling int64) int64 {
	l := max(live+liveMargin, live*9/4)
	if ceiling > 0 {
		l = min(l, ceiling)
	}
	return l
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
