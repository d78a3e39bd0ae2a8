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
