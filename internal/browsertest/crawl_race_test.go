//go:build race

package browsertest

// crawlUnderRace skips the crawl when the race detector is on: it checks
// the built site, not Go code, and building the sample site with the
// detector takes minutes the package's time limit cannot spare.
const crawlUnderRace = true
