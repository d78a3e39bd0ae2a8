package build

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// The stages of a build, as progress and the summary name them.
const (
	stageRead      = "read" // listing the sources and hashing their bytes
	stageContent   = "content"
	stageGazetteer = "gazetteer"
	stageAnalyse   = "geoparse+events"
	stageAssemble  = "assemble"
	stageRender    = "render"
	stagePublish   = "publish"
	stageVerify    = "verify" // the published site against the last build's manifest
)

// StageTime is how long one stage of a build took and what it did.
type StageTime struct {
	Name    string
	Unit    string // what Items counts ("articles", "files"); "" when nothing is counted
	Items   int
	Note    string // e.g. "12 parsed, 988 from the cache"
	Elapsed time.Duration
}

// Progress is told what a build is doing as it goes. Add may be called
// from several goroutines at once.
type Progress interface {
	// Stage starts a stage of total items (0 when not known ahead).
	Stage(name, unit string, total int)
	// Add counts n more items of the current stage done.
	Add(n int)
	// Done ends the current stage.
	Done(st StageTime)
}

// tracker times the stages of one build and passes them on to a Progress.
type tracker struct {
	p      Progress // may be nil
	stages []StageTime
	cur    int // index into stages, -1 when none is running
	start  time.Time
	n      atomic.Int64
}

func newTracker(p Progress) *tracker { return &tracker{p: p, cur: -1} }

// begin starts a stage; a stage begun again (reading and then parsing the
// content) goes on adding to its time.
func (t *tracker) begin(name, unit string, total int) {
	if t == nil {
		return
	}
	t.end("")
	t.cur = -1
	for i := range t.stages {
		if t.stages[i].Name == name {
			t.cur = i
		}
	}
	if t.cur < 0 {
		t.stages = append(t.stages, StageTime{Name: name})
		t.cur = len(t.stages) - 1
	}
	t.stages[t.cur].Unit = unit
	t.start = time.Now()
	t.n.Store(0)
	if t.p != nil {
		t.p.Stage(name, unit, total)
	}
}

func (t *tracker) add(n int) {
	if t == nil {
		return
	}
	t.n.Add(int64(n))
	if t.p != nil {
		t.p.Add(n)
	}
}

// end closes the running stage, if any; a non-empty note replaces the
// stage's note.
func (t *tracker) end(note string) {
	if t == nil || t.cur < 0 {
		return
	}
	st := &t.stages[t.cur]
	st.Elapsed += time.Since(t.start)
	st.Items = max(st.Items, int(t.n.Load()))
	if note != "" {
		st.Note = note
	}
	t.cur = -1
	if t.p != nil {
		t.p.Done(*st)
	}
}

// NewProgress shows a build's progress on w. live is for a terminal: one
// line, rewritten in place, with the stage, the count and the rate, and
// cleared at the end. Otherwise each stage prints one line when it ends,
// which reads well in a CI log.
func NewProgress(w io.Writer, live bool) Progress {
	if live {
		return &liveProgress{w: w, every: 100 * time.Millisecond}
	}
	return &plainProgress{w: w}
}

// liveProgress rewrites one terminal line, at most every so often.
type liveProgress struct {
	w     io.Writer
	every time.Duration

	mu    sync.Mutex
	name  string
	unit  string
	total int
	n     int
	start time.Time
	drawn time.Time
	width int // of the line last drawn, to blank what is left of it
}

func (p *liveProgress) Stage(name, unit string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.name, p.unit, p.total, p.n = name, unit, total, 0
	p.start = time.Now()
	p.draw(p.start)
}

func (p *liveProgress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n += n
	if now := time.Now(); now.Sub(p.drawn) >= p.every || p.n == p.total {
		p.draw(now)
	}
}

func (p *liveProgress) Done(StageTime) {
	p.mu.Lock()
	defer p.mu.Unlock()
	// Blank the line: the next stage draws its own, and the summary
	// follows the last one.
	fmt.Fprintf(p.w, "\r%*s\r", p.width, "")
	p.width = 0
}

func (p *liveProgress) draw(now time.Time) {
	p.drawn = now
	line := p.name
	if p.unit != "" {
		if p.total > 0 {
			line += fmt.Sprintf(" %d/%d %s", p.n, p.total, p.unit)
		} else {
			line += fmt.Sprintf(" %d %s", p.n, p.unit)
		}
		if d := now.Sub(p.start); d > 0 && p.n > 0 {
			line += fmt.Sprintf(", %.0f/s", float64(p.n)/d.Seconds())
		}
	}
	pad := max(p.width-len(line), 0)
	fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
	p.width = len(line)
}

// plainProgress prints a line per finished stage.
type plainProgress struct {
	mu sync.Mutex
	w  io.Writer
}

func (p *plainProgress) Stage(string, string, int) {}
func (p *plainProgress) Add(int)                   {}

func (p *plainProgress) Done(st StageTime) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "%s\n", st)
}

// String is the stage as one line: "content: 1000 articles in 1.2s
// (830/s; 12 parsed, 988 from the cache)".
func (st StageTime) String() string {
	s := st.Name + ":"
	if st.Unit != "" {
		s += fmt.Sprintf(" %d %s", st.Items, st.Unit)
	}
	s += " in " + roundDuration(st.Elapsed).String()
	var extra []string
	if st.Unit != "" && st.Items > 0 && st.Elapsed > 0 {
		extra = append(extra, fmt.Sprintf("%.0f/s", float64(st.Items)/st.Elapsed.Seconds()))
	}
	if st.Note != "" {
		extra = append(extra, st.Note)
	}
	for i, e := range extra {
		if i == 0 {
			s += " (" + e
		} else {
			s += "; " + e
		}
	}
	if len(extra) > 0 {
		s += ")"
	}
	return s
}

// roundDuration keeps three significant figures or so.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
