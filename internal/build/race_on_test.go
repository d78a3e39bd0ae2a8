//go:build race

package build

// raceDetector is set in builds with the race detector, which make a whole
// site build ten times slower: the tests that build many sites then build
// fewer, keeping every concurrent path (publishing, the cache writer,
// progress) under the detector.
const raceDetector = true
