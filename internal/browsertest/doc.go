// Package browsertest builds the sample site under a sub-path and drives it in
// headless Chromium, so that the failures only a real browser shows (script
// errors, broken sub-path links, overflowing phone layouts, a map that needs
// JavaScript to be usable) break the build. It holds tests only.
//
// The test skips when no Chromium is installed, unless the environment sets
// CHRONOTOPE_REQUIRE_BROWSER=1, as CI does. CHRONOTOPE_SCREENSHOTS names a
// folder that keeps the screenshots the test takes; give an absolute path,
// as go test runs in this package's folder.
package browsertest
