//go:build !race

package browsertest

const crawlUnderRace = false
