//go:build !race

package build

// raceDetector: see race_on_test.go.
const raceDetector = false
