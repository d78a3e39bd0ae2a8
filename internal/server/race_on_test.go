//go:build race

package server

// raceEnabled tells the load test that the race detector slows every
// request many times over, so its figures mean nothing.
const raceEnabled = true
