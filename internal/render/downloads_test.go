package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/chronotope/chronotope/internal/mapsvg"
	"github.com/chronotope/chronotope/internal/site"
	"golang.org/x/image/font"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Idlib", "Idlib"},
		{"", ""},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"＝1+1", "'＝1+1"},
		{"a=b", "a=b"},
		{"  =1+1", "'  =1+1"},
		{" Idlib", " Idlib"},
		{"   ", "   "},
		{"Dar‘ā", "Dar‘ā"},
	}
	for _, tt := range tests {
		if got := safeCell(tt.in); got != tt.want {
			t.Errorf("safeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Every GeoJSON file has a KML and a CSV twin holding the same places, and
// every map caption links to all three.
func TestDownloadsBesideGeoJSON(t *testing.T) {
	out := renderAll(t, "https://example.org/demo/")
	n := 0
	for _, name := range out.Files() {
		base, ok := strings.CutSuffix(name, ".geojson")
		if !ok || !(strings.HasSuffix(base, "places") || strings.HasSuffix(base, "place")) {
			continue // not a file of places
		}
		n++
		gj, _ := out.File(name)
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
				Geometry   struct {
					Coordinates []float64 `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(gj, &fc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}

		c, ok := out.File(base + ".csv")
		if !ok {
			t.Errorf("no %s.csv beside %s", base, name)
			continue
		}
		if !bytes.Contains(c, []byte("\r\n")) {
			t.Errorf("%s.csv does not use CRLF line ends", base)
		}
		rows, err := csv.NewReader(bytes.NewReader(c)).ReadAll()
		if err != nil {
			t.Fatalf("%s.csv: %v", base, err)
		}
		if strings.Join(rows[0], ",") != "id,name,kind,country,lat,lon,articles,first,last,url" {
			t.Errorf("%s.csv header %q", base, rows[0])
		}
		if len(rows)-1 != len(fc.Features) {
			t.Errorf("%s.csv has %d places, the GeoJSON %d", base, len(rows)-1, len(fc.Features))
		}
		for i, row := range rows[1:] {
			if i >= len(fc.Features) {
				break
			}
			f := fc.Features[i]
			if want := f.Properties["id"].(string); strings.TrimPrefix(row[0], "'") != want {
				t.Errorf("%s.csv row %d id %q, want %q", base, i+1, row[0], want)
			}
			lon, lat := f.Geometry.Coordinates[0], f.Geometry.Coordinates[1]
			if row[4] != coord(lat) || row[5] != coord(lon) {
				t.Errorf("%s.csv row %d lat,lon %s,%s, want %s,%s", base, i+1, row[4], row[5], coord(lat), coord(lon))
			}
			for _, cell := range []string{row[0], row[1], row[2], row[3], row[9]} {
				if cell != "" && strings.ContainsRune("=+-@\t\r", []rune(cell)[0]) {
					t.Errorf("%s.csv row %d: cell %q could run as a formula", base, i+1, cell)
				}
			}
		}

		k, ok := out.File(base + ".kml")
		if !ok {
			t.Errorf("no %s.kml beside %s", base, name)
			continue
		}
		var doc struct {
			XMLName xml.Name
			Marks   []struct {
				Name   string `xml:"name"`
				Coords string `xml:"Point>coordinates"`
				Begin  string `xml:"TimeSpan>begin"`
			} `xml:"Document>Placemark"`
		}
		if err := xml.Unmarshal(k, &doc); err != nil {
			t.Fatalf("%s.kml: %v", base, err)
		}
		if doc.XMLName.Space != "http://www.opengis.net/kml/2.2" || doc.XMLName.Local != "kml" {
			t.Errorf("%s.kml root is %v", base, doc.XMLName)
		}
		if len(doc.Marks) != len(fc.Features) {
			t.Fatalf("%s.kml has %d placemarks, want %d", base, len(doc.Marks), len(fc.Features))
		}
		for i, m := range doc.Marks {
			lon, lat := fc.Features[i].Geometry.Coordinates[0], fc.Features[i].Geometry.Coordinates[1]
			// KML is longitude first; a swapped pair is the classic bug.
			if want := coord(lon) + "," + coord(lat); m.Coords != want {
				t.Errorf("%s.kml %s: coordinates %q, want %q", base, m.Name, m.Coords, want)
			}
			if first, _ := fc.Features[i].Properties["first"].(string); m.Begin != first {
				t.Errorf("%s.kml %s: TimeSpan begin %q, want %q", base, m.Name, m.Begin, first)
			}
		}
	}
	if n == 0 {
		t.Fatal("no GeoJSON files")
	}
	page, _ := out.File("articles/a/index.html")
	for _, want := range []string{`href="/demo/articles/a/places.geojson"`, `href="/demo/articles/a/places.kml"`, `href="/demo/articles/a/places.csv"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the article page's map caption lacks %s", want)
		}
	}
}

// The JSON island lists each place's articles without letting any title
// close the script element, and the popups can rebuild titles and links
// from it.
func TestMapData(t *testing.T) {
	out := renderAll(t, "https://example.org/demo/")
	page, _ := out.File("map/index.html")
	m := regexp.MustCompile(`(?s)<script type="application/json" id="ct-map-data">(.*?)</script>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no map data island on the map page")
	}
	if bytes.Contains(m[1], []byte("<")) {
		t.Errorf("the island holds a raw '<': %s", m[1])
	}
	var data struct {
		Articles [][3]string      `json:"articles"`
		Places   map[string][]any `json:"places"`
	}
	if err := json.Unmarshal(m[1], &data); err != nil {
		t.Fatal(err)
	}
	idlib, ok := data.Places["idlib"]
	if !ok || len(idlib) != 3 || idlib[0] != 2.0 {
		t.Fatalf("idlib = %v, want its two articles", idlib)
	}
	newest := data.Articles[int(idlib[1].(float64))]
	if newest[0] != "Idlib & Daraa" || newest[1] != "/demo/articles/a/" || newest[2] != "2018-09-17" {
		t.Errorf("idlib's newest article = %q", newest)
	}
	if got := data.Articles[int(idlib[2].(float64))][0]; got != "</script><script>alert(3)</script>" {
		t.Errorf("second article title = %q", got)
	}
}

func TestCompactRows(t *testing.T) {
	small := []MapPlace{{Place: &site.Place{ID: "a"}, Note: "1 article. Latest: x"}}
	compactRows(small)
	if small[0].Note == "" {
		t.Error("a short list lost its notes")
	}
	big := make([]MapPlace, compactPlaces+1)
	for i := range big {
		big[i] = MapPlace{Place: &site.Place{ID: "p"}, Note: "a sentence"}
	}
	compactRows(big)
	for _, r := range big {
		if r.Note != "" {
			t.Fatal("a long list kept its notes")
		}
	}
}

func TestMapDesc(t *testing.T) {
	rows := make([]MapPlace, descPlaces+3)
	for i := range rows {
		rows[i] = MapPlace{Place: &site.Place{Name: "P"}}
	}
	d := mapDesc(rows)
	if !strings.HasPrefix(d, "53 places: P, P") || !strings.HasSuffix(d, ", and 3 more.") {
		t.Errorf("mapDesc = %q", d)
	}
	if got := mapDesc(rows[:1]); got != "1 place: P." {
		t.Errorf("mapDesc of one = %q", got)
	}
}

func TestWrap(t *testing.T) {
	_, bold, done, err := fontsForTest()
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	lines, whole := wrap(bold, "Turkey and the United States endorse a road map for Manbij", 300)
	if !whole || len(lines) < 2 {
		t.Errorf("wrap = %q, %v", lines, whole)
	}
	for _, ln := range lines {
		if measure(bold, ln) > 300 {
			t.Errorf("line %q is wider than 300 px", ln)
		}
	}
	lines, whole = wrap(bold, "Supercalifragilisticexpialidocious", 120)
	if whole || len(lines) != 1 || !strings.HasSuffix(lines[0], "…") {
		t.Errorf("a word wider than the line: %q, %v", lines, whole)
	}
}

func fontsForTest() (regular, bold font.Face, closeAll func(), err error) {
	r, b, _, err := mapsvg.Fonts()
	if err != nil {
		return nil, nil, nil, err
	}
	if regular, err = mapsvg.Face(r, 24); err != nil {
		return nil, nil, nil, err
	}
	if bold, err = mapsvg.Face(b, 40); err != nil {
		return nil, nil, nil, err
	}
	return regular, bold, func() { regular.Close(); bold.Close() }, nil
}
