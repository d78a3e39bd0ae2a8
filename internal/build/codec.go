package build

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chronotope/chronotope/internal/content"
	"github.com/chronotope/chronotope/internal/diag"
	"github.com/chronotope/chronotope/internal/events"
	"github.com/chronotope/chronotope/internal/geoparse"
	"github.com/chronotope/chronotope/internal/site"
)

// The analysis of one article (the parsed article, its places, its events
// and the warnings about it) is kept between builds in a compact binary
// form written field by field. A hand-written form rather than gob: it
// keeps the article dates in the site's own time zone (gob would turn them
// into anonymous fixed offsets), it stores the front matter params and the
// warnings, which are interfaces, and a sentence that is part of its block's
// text is stored as an offset into it, which keeps the cache small and the
// decoded strings shared. codec_test.go fails when one of these types gains
// a field the codec does not store.

// analysis is what the cache keeps of one article.
type analysis struct {
	input    site.Input
	warnings []string // from analyze
}

var errCorrupt = errors.New("damaged analysis record")

// errNotCacheable marks an analysis the codec cannot store faithfully (a
// date in an unexpected zone, a value of an unexpected type); such an
// article is simply analysed again next time.
var errNotCacheable = errors.New("analysis not cacheable")

type encoder struct {
	buf  []byte
	strs map[string]uint64
	loc  *time.Location
	err  error
}

// encodeAnalysis writes a's record; loc is the site's time zone, the one
// dates without a zone were read in.
func encodeAnalysis(a *analysis, loc *time.Location) ([]byte, error) {
	// The table of a record's strings is used again, cleared: grown
	// afresh for each of 10,000 records it was most of what a cold
	// build's encoding allocated.
	strs, _ := stringTables.Get().(map[string]uint64)
	if strs == nil {
		strs = map[string]uint64{}
	}
	defer func() {
		clear(strs)
		stringTables.Put(strs)
	}()
	e := &encoder{strs: strs, loc: loc, buf: make([]byte, 0, 4096)}
	e.input(&a.input)
	e.strings(a.warnings)
	return e.buf, e.err
}

var stringTables sync.Pool // of map[string]uint64, for encodeAnalysis

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int64)   { e.buf = binary.AppendVarint(e.buf, v) }
func (e *encoder) float(f float64) {
	e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(f))
}

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// count writes a slice's length, keeping nil apart from empty: templates
// and JSON output can tell them apart.
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
}

// str writes s once per record; later copies are an index.
func (e *encoder) str(s string) {
	if i, ok := e.strs[s]; ok {
		e.uint(i + 1)
		return
	}
	e.strs[s] = uint64(len(e.strs))
	e.uint(0)
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

// sub writes s as a span of base when it is one (a sentence of its block).
func (e *encoder) sub(s, base string) {
	if s != "" {
		if i := strings.Index(base, s); i >= 0 {
			e.buf = append(e.buf, 1)
			e.uint(uint64(i))
			e.uint(uint64(len(s)))
			return
		}
	}
	e.buf = append(e.buf, 0)
	e.str(s)
}

func (e *encoder) strings(ss []string) {
	e.count(len(ss), ss == nil)
	for _, s := range ss {
		e.str(s)
	}
}

// Zones of a stored time.
const (
	zoneZero  = iota // time.Time{}
	zoneUTC          // UTC
	zoneSite         // the site's time zone
	zoneLocal        // the machine's zone (time.Parse picks it for a matching offset)
	zoneFixed        // an unnamed fixed offset
)

func (e *encoder) time(t time.Time) {
	switch loc := t.Location(); {
	case t.IsZero() && t == (time.Time{}):
		e.buf = append(e.buf, zoneZero)
		return
	case loc == time.UTC:
		e.buf = append(e.buf, zoneUTC)
	case loc == e.loc:
		e.buf = append(e.buf, zoneSite)
	case loc == time.Local:
		e.buf = append(e.buf, zoneLocal)
	case loc.String() == "":
		name, off := t.Zone()
		if name != "" {
			e.err = errNotCacheable
			return
		}
		e.buf = append(e.buf, zoneFixed)
		e.int(int64(off))
	default:
		e.err = errNotCacheable
		return
	}
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// Tags of front matter param values.
const (
	anyNil = iota
	anyString
	anyBool
	anyInt
	anyFloat
	anyTime
	anyList
	anyMap
)

func (e *encoder) any(v any) {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, anyNil)
	case string:
		e.buf = append(e.buf, anyString)
		e.str(v)
	case bool:
		e.buf = append(e.buf, anyBool)
		e.bool(v)
	case int64:
		e.buf = append(e.buf, anyInt)
		e.int(v)
	case float64:
		e.buf = append(e.buf, anyFloat)
		e.float(v)
	case time.Time:
		e.buf = append(e.buf, anyTime)
		e.time(v)
	case []any:
		e.buf = append(e.buf, anyList)
		e.count(len(v), v == nil)
		for _, x := range v {
			e.any(x)
		}
	case map[string]any:
		e.buf = append(e.buf, anyMap)
		e.params(v)
	default:
		e.err = errNotCacheable
	}
}

func (e *encoder) params(m map[string]any) {
	e.count(len(m), m == nil)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the same record for the same article
	for _, k := range keys {
		e.str(k)
		e.any(m[k])
	}
}

func (e *encoder) input(in *site.Input) {
	a := in.Article
	if a.HTML == "" && in.Body.Len() > 0 {
		// The body went to the build's temporary file when it was parsed.
		html, err := in.Body.String()
		if err != nil {
			e.err = fmt.Errorf("%s: body: %w", a.Path, err)
			return
		}
		c := *a
		c.HTML = html
		a = &c
	}
	e.article(a)
	blockText := func(i int) string {
		if i >= 0 && i < len(a.Blocks) {
			return a.Blocks[i].Text
		}
		return ""
	}
	e.count(len(in.Mentions), in.Mentions == nil)
	for i := range in.Mentions {
		m := &in.Mentions[i]
		base := blockText(m.Block)
		e.str(m.PlaceID)
		e.int(int64(m.Block)) // first, so the spans below can be read
		e.sub(m.Surface, base)
		e.int(int64(m.Start))
		e.int(int64(m.End))
		e.int(int64(m.Line))
		e.sub(m.Sentence, base)
		e.str(m.Kind)
		e.place(&m.Place)
		e.float(m.Score)
		e.str(m.Reason)
		e.count(len(m.RunnersUp), m.RunnersUp == nil)
		for j := range m.RunnersUp {
			e.place(&m.RunnersUp[j].Place)
			e.float(m.RunnersUp[j].Score)
		}
	}
	e.count(len(in.Events), in.Events == nil)
	for i := range in.Events {
		ev := &in.Events[i]
		base := blockText(ev.Block)
		e.int(int64(ev.Block)) // first, so the spans below can be read
		e.sub(ev.Expr, base)
		e.time(ev.Start)
		e.time(ev.End)
		e.str(string(ev.Precision))
		e.uint(uint64(ev.StartGrain))
		e.uint(uint64(ev.EndGrain))
		e.bool(ev.Relative)
		e.float(ev.Confidence)
		e.int(int64(ev.Offset))
		e.int(int64(ev.EndOff))
		e.int(int64(ev.Line))
		e.sub(ev.Sentence, base)
		e.strings(ev.Places)
		e.str(ev.Article)
	}
	e.count(len(in.Refs), in.Refs == nil)
	for i := range in.Refs {
		e.place(&in.Refs[i])
	}
}

func (e *encoder) article(a *content.Article) {
	e.str(a.Path)
	e.str(a.Title)
	e.time(a.Date)
	e.time(a.Updated)
	e.bool(a.Draft)
	e.str(a.Summary)
	e.strings(a.Tags)
	e.strings(a.Authors)
	e.str(a.Slug)
	e.int(int64(a.SlugLine))
	e.int(int64(a.DateLine))
	e.count(len(a.Places), a.Places == nil)
	for _, p := range a.Places {
		e.str(p.Name)
		e.str(p.ID)
		e.float(p.Lat)
		e.float(p.Lon)
		e.bool(p.HasCoords)
		e.int(int64(p.Line))
	}
	e.strings(a.IgnorePlaces)
	e.str(a.Region)
	e.params(a.Params)
	e.str(a.HTML)
	e.count(len(a.Blocks), a.Blocks == nil)
	for _, b := range a.Blocks {
		e.str(b.Kind)
		e.int(int64(b.Line))
		e.str(b.Text)
	}
	e.int(int64(a.WordCount))
	e.int(int64(a.BodyLine))
	e.count(len(a.Warnings), a.Warnings == nil)
	for _, w := range a.Warnings {
		var fe *diag.FileError
		if !errors.As(w, &fe) || fe != w || fe.Err == nil {
			e.err = errNotCacheable
			return
		}
		e.str(fe.Path)
		e.int(int64(fe.Line))
		e.int(int64(fe.Col))
		e.str(fe.Err.Error())
		e.str(fe.Hint)
	}
}

func (e *encoder) place(p *geoparse.Place) {
	e.str(p.ID)
	e.str(p.Name)
	e.str(p.Kind)
	e.str(p.Country)
	e.str(p.CountryCode)
	e.str(p.Admin1)
	e.float(p.Lat)
	e.float(p.Lon)
	e.int(int64(p.GeoNames))
	e.int(p.Population)
	e.str(p.FCode)
	e.bool(p.Site)
}

// decoder reads a record; any inconsistency sets err and yields zero
// values from then on, so a damaged record can never crash a build.
type decoder struct {
	buf  []byte
	strs []string
	loc  *time.Location
	err  error
	// whole is the record as one string, allocated once: every string
	// read is a slice of it, rather than an allocation of its own.
	whole string
}

// decodeAnalysis reads a record written by encodeAnalysis.
func decodeAnalysis(b []byte, loc *time.Location) (a *analysis, err error) {
	return decode(b, loc, true)
}

// decodeAnalysisApart is decodeAnalysis giving each string its own bytes:
// a build that keeps only part of an article (see lean) would otherwise
// keep the whole record, body and blocks included, for the sake of its
// title.
func decodeAnalysisApart(b []byte, loc *time.Location) (a *analysis, err error) {
	return decode(b, loc, false)
}

func decode(b []byte, loc *time.Location, oneString bool) (a *analysis, err error) {
	defer func() {
		// The checks below are meant to catch every inconsistency; this
		// is the last line between a damaged cache and a failed build.
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("%w: %v", errCorrupt, r)
		}
	}()
	d := &decoder{buf: b, loc: loc}
	if oneString {
		d.whole = string(b)
	}
	a = &analysis{}
	d.input(&a.input)
	a.warnings = d.strings()
	if d.err == nil && len(d.buf) != 0 {
		d.err = errCorrupt
	}
	if d.err != nil {
		return nil, d.err
	}
	return a, nil
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.buf = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.buf)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[n:]
	return v
}

func (d *decoder) intn() int {
	v := d.int()
	if v != int64(int(v)) {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) byte() byte {
	if len(d.buf) == 0 {
		d.fail()
		return 0
	}
	c := d.buf[0]
	d.buf = d.buf[1:]
	return c
}

func (d *decoder) float() float64 {
	if len(d.buf) < 8 {
		d.fail()
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.buf))
	d.buf = d.buf[8:]
	return v
}

func (d *decoder) bool() bool {
	switch d.byte() {
	case 0:
		return false
	case 1:
		return true
	}
	d.fail()
	return false
}

// count reads a length written by encoder.count; each element takes at
// least one byte, which bounds what a damaged length can allocate.
func (d *decoder) count() (n int, isNil bool) {
	v := d.uint()
	if v == 0 {
		return 0, true
	}
	if v-1 > uint64(len(d.buf)) {
		d.fail()
		return 0, true
	}
	return int(v - 1), false
}

func (d *decoder) str() string {
	i := d.uint()
	if i > 0 {
		if i > uint64(len(d.strs)) {
			d.fail()
			return ""
		}
		return d.strs[i-1]
	}
	n := d.uint()
	if n > uint64(len(d.buf)) {
		d.fail()
		return ""
	}
	var s string
	if d.whole != "" {
		at := len(d.whole) - len(d.buf)
		s = d.whole[at : at+int(n)]
	} else {
		s = string(d.buf[:n])
	}
	d.buf = d.buf[n:]
	d.strs = append(d.strs, s)
	return s
}

func (d *decoder) sub(base string) string {
	switch d.byte() {
	case 0:
		return d.str()
	case 1:
		i, n := d.uint(), d.uint()
		if i > uint64(len(base)) || n > uint64(len(base))-i {
			d.fail()
			return ""
		}
		return base[i : i+n]
	}
	d.fail()
	return ""
}

func (d *decoder) strings() []string {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) time() time.Time {
	var loc *time.Location
	switch d.byte() {
	case zoneZero:
		return time.Time{}
	case zoneUTC:
		loc = time.UTC
	case zoneSite:
		loc = d.loc
		if loc == nil {
			loc = time.UTC
		}
	case zoneLocal:
		loc = time.Local
	case zoneFixed:
		loc = time.FixedZone("", d.intn())
	default:
		d.fail()
		return time.Time{}
	}
	sec, nsec := d.int(), d.uint()
	if nsec >= 1e9 {
		d.fail()
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).In(loc)
}

func (d *decoder) any(depth int) any {
	if depth > 100 {
		d.fail()
		return nil
	}
	switch d.byte() {
	case anyNil:
		return nil
	case anyString:
		return d.str()
	case anyBool:
		return d.bool()
	case anyInt:
		return d.int()
	case anyFloat:
		return d.float()
	case anyTime:
		return d.time()
	case anyList:
		n, isNil := d.count()
		if isNil {
			return []any(nil)
		}
		l := make([]any, n)
		for i := range l {
			l[i] = d.any(depth + 1)
		}
		return l
	case anyMap:
		return d.params(depth + 1)
	}
	d.fail()
	return nil
}

func (d *decoder) params(depth int) map[string]any {
	n, isNil := d.count()
	if isNil {
		return nil
	}
	m := make(map[string]any, n)
	for range n {
		k := d.str()
		m[k] = d.any(depth)
	}
	return m
}

func (d *decoder) input(in *site.Input) {
	a := d.article()
	in.Article = a
	blockText := func(i int) string {
		if i >= 0 && i < len(a.Blocks) {
			return a.Blocks[i].Text
		}
		return ""
	}
	if n, isNil := d.count(); !isNil {
		in.Mentions = make([]geoparse.Mention, n)
		for i := range in.Mentions {
			m := &in.Mentions[i]
			m.PlaceID = d.str()
			m.Block = d.intn()
			m.Surface = d.sub(blockText(m.Block))
			m.Start = d.intn()
			m.End = d.intn()
			m.Line = d.intn()
			m.Sentence = d.sub(blockText(m.Block))
			m.Kind = d.str()
			m.Place = d.place()
			m.Score = d.float()
			m.Reason = d.str()
			if k, isNil := d.count(); !isNil {
				m.RunnersUp = make([]geoparse.Candidate, k)
				for j := range m.RunnersUp {
					m.RunnersUp[j].Place = d.place()
					m.RunnersUp[j].Score = d.float()
				}
			}
		}
	}
	if n, isNil := d.count(); !isNil {
		in.Events = make([]events.Event, n)
		for i := range in.Events {
			ev := &in.Events[i]
			ev.Block = d.intn()
			base := blockText(ev.Block)
			ev.Expr = d.sub(base)
			ev.Start = d.time()
			ev.End = d.time()
			ev.Precision = events.Precision(d.str())
			ev.StartGrain = events.Grain(d.uint())
			ev.EndGrain = events.Grain(d.uint())
			ev.Relative = d.bool()
			ev.Confidence = d.float()
			ev.Offset = d.intn()
			ev.EndOff = d.intn()
			ev.Line = d.intn()
			ev.Sentence = d.sub(base)
			ev.Places = d.strings()
			ev.Article = d.str()
		}
	}
	if n, isNil := d.count(); !isNil {
		in.Refs = make([]geoparse.Place, n)
		for i := range in.Refs {
			in.Refs[i] = d.place()
		}
	}
}

func (d *decoder) article() *content.Article {
	a := &content.Article{}
	a.Path = d.str()
	a.Title = d.str()
	a.Date = d.time()
	a.Updated = d.time()
	a.Draft = d.bool()
	a.Summary = d.str()
	a.Tags = d.strings()
	a.Authors = d.strings()
	a.Slug = d.str()
	a.SlugLine = d.intn()
	a.DateLine = d.intn()
	if n, isNil := d.count(); !isNil {
		a.Places = make([]content.PlaceRef, n)
		for i := range a.Places {
			p := &a.Places[i]
			p.Name = d.str()
			p.ID = d.str()
			p.Lat = d.float()
			p.Lon = d.float()
			p.HasCoords = d.bool()
			p.Line = d.intn()
		}
	}
	a.IgnorePlaces = d.strings()
	a.Region = d.str()
	a.Params = d.params(0)
	a.HTML = d.str()
	if n, isNil := d.count(); !isNil {
		a.Blocks = make([]content.Block, n)
		for i := range a.Blocks {
			b := &a.Blocks[i]
			b.Kind = d.str()
			b.Line = d.intn()
			b.Text = d.str()
		}
	}
	a.WordCount = d.intn()
	a.BodyLine = d.intn()
	if n, isNil := d.count(); !isNil {
		a.Warnings = make([]error, n)
		for i := range a.Warnings {
			fe := &diag.FileError{}
			fe.Path = d.str()
			fe.Line = d.intn()
			fe.Col = d.intn()
			fe.Err = errors.New(d.str())
			fe.Hint = d.str()
			a.Warnings[i] = fe
		}
	}
	return a
}

func (d *decoder) place() geoparse.Place {
	var p geoparse.Place
	p.ID = d.str()
	p.Name = d.str()
	p.Kind = d.str()
	p.Country = d.str()
	p.CountryCode = d.str()
	p.Admin1 = d.str()
	p.Lat = d.float()
	p.Lon = d.float()
	p.GeoNames = d.intn()
	p.Population = d.int()
	p.FCode = d.str()
	p.Site = d.bool()
	return p
}
