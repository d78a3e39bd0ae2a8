package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestBuildSurvivesKill kills `chronotope build` (the real program, with
// SIGKILL) at random moments of the build, 50 times, switching the site
// between two versions. After every kill public/ must be one of the two
// sites, complete; the next build must cope with whatever the killed one
// left beside it, and a last build must leave nothing behind.
func TestBuildSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and the site 50 times")
	}
	bin := filepath.Join(t.TempDir(), "chronotope")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the program with:", err)
	}
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the program: %v\n%s", err, out)
	}

	site := copyDir(t, badInputBase)
	public := filepath.Join(site, "public")
	extra := filepath.Join(site, "content", "2018", "extra.md")
	const extraText = "---\ntitle: Extra\ndate: 2018-08-01\n---\nMore news from Manbij on 1 August 2018.\n"
	setVersion := func(v int) {
		if v == 0 {
			if err := os.Remove(extra); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			return
		}
		if err := os.WriteFile(extra, []byte(extraText), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := func() *exec.Cmd {
		c := exec.Command(bin, "build", "--quiet", "--source", site)
		c.Stdout, c.Stderr = new(bytes.Buffer), new(bytes.Buffer)
		return c
	}
	complete := func() {
		t.Helper()
		c := build()
		if err := c.Run(); err != nil {
			t.Fatalf("build: %v\n%s", err, c.Stderr)
		}
	}

	// The two sites, as builds that run to the end publish them; the
	// second build of version 0 shows the output does not depend on what
	// was published before.
	var sums [2][]byte
	setVersion(0)
	complete()
	sums[0] = treeSums(t, public)
	setVersion(1)
	start := time.Now()
	complete()
	duration := time.Since(start)
	sums[1] = treeSums(t, public)
	setVersion(0)
	complete()
	if !bytes.Equal(treeSums(t, public), sums[0]) {
		t.Fatal("two builds of one site differ")
	}
	if bytes.Equal(sums[0], sums[1]) {
		t.Fatal("the two versions publish the same site")
	}

	rng := rand.New(rand.NewPCG(9, 9))
	published := 0
	var kept, replaced int
	for run := range 50 {
		next := 1 - published
		setVersion(next)
		c := build()
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		delay := time.Duration(rng.Int64N(int64(duration * 11 / 10)))
		time.Sleep(delay)
		c.Process.Kill()
		err := c.Wait()
		if _, serr := os.Stat(public); serr != nil {
			t.Fatalf("run %d, killed after %v: no public/ (%v)", run, delay, serr)
		}
		got := treeSums(t, public)
		switch {
		case bytes.Equal(got, sums[published]):
			kept++
		case bytes.Equal(got, sums[next]):
			published = next
			replaced++
		default:
			t.Fatalf("run %d, killed after %v (build exit %v): public/ is neither site:\n%s\nstderr:\n%s",
				run, delay, err, got, c.Stderr)
		}
	}

	t.Logf("a build takes %v; %d kills left the previous site, %d the new one", duration.Round(time.Millisecond), kept, replaced)
	setVersion(1 - published)
	complete()
	if !bytes.Equal(treeSums(t, public), sums[1-published]) {
		t.Error("the build after the kills did not publish the new site")
	}
	es, err := os.ReadDir(site)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if strings.HasPrefix(e.Name(), ".public.") {
			t.Errorf("%s left beside public/", e.Name())
		}
	}
}
