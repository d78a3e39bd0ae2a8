//go:build race

package check

// raceEnabled skips the tests that build the whole sample site: under the
// race detector the build takes minutes, and the build's own packages run
// their tests with it already.
const raceEnabled = true
