package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	const meminfo = "MemTotal:       24000000 kB\nMemFree:        22000000 kB\n"
	for _, tc := range []struct {
		name, meminfo, cgroup string
		want                  int64
	}{
		{"machine", meminfo, "", 24000000 * 1024 / 2},
		{"no cgroup limit", meminfo, "max\n", 24000000 * 1024 / 2},
		{"smaller container", meminfo, "4294967296\n", 2147483648},
		{"larger container", meminfo, "99999999999999\n", 24000000 * 1024 / 2},
		{"container alone", "", "1000\n", 500},
		{"nothing known", "", "", 0},
		{"garbled", "MemTotal: lots\n", "-5", 0},
	} {
		if got := memoryLimit(tc.meminfo, tc.cgroup); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestHeapLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name                string
		live, ceiling, want int64
	}{
		{"nothing live yet", 0, 12000 * mib, 256 * mib},
		{"a mid-sized site: a fixed margin", 188 * mib, 12000 * mib, 444 * mib},
		{"a large site: above Go's own goal", 2700 * mib, 12000 * mib, 6075 * mib},
		{"held under the ceiling", 8000 * mib, 12000 * mib, 12000 * mib},
		{"no ceiling known", 8000 * mib, 0, 18000 * mib},
	} {
		if got := heapLimit(tc.live, tc.ceiling); got != tc.want {
			t.Errorf("%s: %d MiB, want %d MiB", tc.name, got/mib, tc.want/mib)
		}
	}
}
