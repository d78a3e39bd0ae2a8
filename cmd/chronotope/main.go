// Command chronotope builds static sites of articles, timelines and maps
// from Markdown: `chronotope build` turns content/ into public/.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	limitMemory()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Environ())
	stop()
	os.Exit(code)
}
