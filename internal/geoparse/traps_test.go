package geoparse

import (
	"strings"
	"testing"
)

// TestRecognitionAndContext runs the geoparser with the repository's world
// gazetteer and site gazetteer on short texts of our own, each built around
// one kind of mistake a news geoparser makes. want lists every mention in
// order, separated by "|", as "surface=CC", where ".ADMIN1" after the
// country asks for the admin1 code too and "/kind" for the kind (place,
// admin1, country, region, demonym).
func TestRecognitionAndContext(t *testing.T) {
	p, _, _ := realGeoparser(t)
	for _, tc := range []struct {
		name, text, want string
	}{
		// A connector alone is not a word written in capitals.
		{"capitalised connector is no state code", "Critics praised La Traviata in Lima. Headlines In brief: Lima votes.", "Lima=PE|Lima=PE"},
		{"state code in capitals after a place", "Voters in Muncie, IN, and Monroe, LA, went to the polls.", "Muncie=US|Monroe=US.LA|LA=US.LA/admin1"},
		// A title or an initial with its full stop still begins a name.
		{"title with a full stop", "Mrs. Denton read a letter. Later Denton smiled at the crowd in Springfield, Illinois.", "Springfield=US.IL|Illinois=US.IL"},
		{"middle initial", "Officers chased Darnell K. Tyler through a park in Omaha. Tyler ran.", "Omaha=US"},
		{"compass point is no initial", "Two men were held in E. Lansing, Mich., after the raid.", "Lansing=US.MI|Mich=US.MI"},
		// A dotted abbreviation opening a sentence is no capitalised common word ("us").
		{"dotted abbreviation opens a sentence", "The plant closed. U.S. inspectors found salmonella there.", "U.S.=US"},
		// Context stated once holds for the whole text.
		{"context carried to later mentions", "The mayor of Paris, Texas, spoke. Paris has 25,000 people.", "Paris=US.TX|Texas=US.TX|Paris=US.TX"},
		{"list of places is no context", "The minister flew to Lyon, Lille and Nantes.", "Lyon=FR|Lille=FR|Nantes=FR"},
		{"list of states", "Snow fell across Iowa, Kansas, Oklahoma and Georgia.", "Iowa=US/admin1|Kansas=US/admin1|Oklahoma=US|Georgia=US/admin1"},
		{"context before a list goes on", "Aid went to Damascus, Maryland, and to Aleppo.", "Damascus=US.MD|Maryland=US.MD|Aleppo=SY"},
		{"region that gave context, then alone", "Floods reached Calamba, Laguna, on Sunday. Laguna has opened shelters.", "Calamba=PH|Laguna=PH|Laguna=PH"},
		{"region that gave context, in two forms", "Floods reached Calamba, Laguna, on Sunday. Officials of Laguna Province opened shelters.", "Calamba=PH|Laguna=PH|Laguna Province=PH"},
		{"a close call is weak evidence", "The Houston Rockets lost in Paris; the Panthers trained in Charlotte. Jackson said the team would play in Atlanta.",
			"Houston=US.TX|Paris=US.TX|Charlotte=US.NC|Jackson=US|Atlanta=US.GA"},
		{"a name after an Arabic article is not a European town", "Families waited in al-Hol camp near Hasakah. Troops entered al-Bab and ar-Raqqa.", "Hasakah=SY|al-Bab=SY|ar-Raqqa=SY"},
		{"a holiday named after a place", "Crowds marked Independence Day in Denver and Canada Day in Ottawa.", "Denver=US|Ottawa=CA"},
		{"the state of a name", "Polls closed across the state of Georgia and the province of Limburg.", "Georgia=US.GA/admin1|Limburg=NL/admin1"},
		{"a lone small town abroad", "Fire crews worked on Mount Carmel above Haifa, and in Damascus and Beirut.", "Haifa=IL|Damascus=SY|Beirut=LB"},
		{"a mountain, not the small towns named after it", "Snow fell on Mount Hermon above Quneitra, and in Damascus.", "Mount Hermon=/region|Quneitra=SY|Damascus=SY"},
		{"a small town abroad with its state", "Aid left Mount Hermon, Virginia, for Aleppo and Beirut.", "Mount Hermon=US.VA|Virginia=US.VA|Aleppo=SY|Beirut=LB"},
		{"a town the text puts where we have none", "Snow closed roads near Holliday, Missouri, on Monday. Holliday schools shut; Kansas City stayed open.", "Missouri=US.MO|Kansas City=US.MO"},
		{"a division without its admin1 code", "Birds died in Fife, Scotland, and in Dorset, England.", "Fife=GB|Scotland=GB|Dorset=GB|England=GB"},
		// Apostrophes inside names.
		{"elided article before a capital", "Troops left Côte d'Ivoire for Coeur d’Alene, Idaho.", "Côte d'Ivoire=CI/country|Coeur d’Alene=US.ID|Idaho=US.ID"},
		{"possessive inside a name", "Ferries left St. John's for King's Lynn.", "St. John's=CA|King's Lynn=GB"},
		{"formal name with a possessive", "Envoys of the Democratic People's Republic of Korea met in Seoul.", "Democratic People's Republic of Korea=KP|Seoul=KR"},
		{"possessive after a name", "Jordan's king met Turkey's envoy.", "Jordan=JO|Turkey=TR"},
		{"old name of a city of millions", "Trains from Bombay reached Madras late.", "Bombay=IN|Madras=IN"},
		{"old name that is a first name", "Students of Sam Houston State University met in Dallas.", "Dallas=US"},
		// People.
		{"first names that are places", "Paris Hilton and Florence Nightingale were honoured in Boston.", "Boston=US"},
		{"an English word is no particle", "Fans waited in Paris as Real Madrid flew to Tokyo, and at Columbus East.", "Paris=FR|Madrid=ES|Tokyo=JP|Columbus=US"},
		{"lower-case title before two names", "Ministry spokesman Mao Qunan said Beijing had no new cases.", "Beijing=CN"},
		// Streets, quarters and rivers named after a place are not it.
		{"streets named after places", "Shops on Baghdad Street in Damascus and on Frenchmen Street in New Orleans reopened.", "Damascus=SY|New Orleans=US"},
		{"a quarter named for a people", "Crowds filled the French Quarter and the Christian Quarter of Damascus.", "Damascus=SY"},
		{"a river or a delta named after a place", "Barges on the Alabama River and militias in the Niger Delta idled; Jackson, Mississippi, flooded.", "Jackson=US.MS|Mississippi=US.MS"},
		{"a river the gazetteer knows", "Barges on the Mississippi River and on the Euphrates idled; Jackson, Mississippi, flooded.", "Mississippi River=US/water|Euphrates=SY|Jackson=US.MS|Mississippi=US.MS"},
		{"a street does not make the town a surname", "The City of Edwardsville widened Old Alton Edwardsville Road in Illinois.", "Edwardsville=US.IL|Illinois=US.IL"},
		{"a highway patrol is the state's", "The Minnesota Highway Patrol closed roads.", "Minnesota=US.MN"},
		// Money and institutions.
		{"currency signs", "The fund pledged US$40 million to Kenya and $US 3 billion to Peru.", "Kenya=KE|Peru=PE"},
		{"common word closing a longer name", "Parents met at the Maple Leaf Community Centre in Toronto.", "Toronto=CA"},
		{"alternate name that is a common phrase", "Staff at the Center said the board met in Boise.", "Boise=US"},
		// Headlines and datelines.
		{"capitalised article after a dash", "Quito — A Quito court ruled on Monday.", "Quito=EC|Quito=EC"},
		{"state abbreviation without its full stop", "PIKEVILLE, Ky (AP) — A flood closed roads.", "PIKEVILLE=US.KY|Ky=US.KY/admin1"},
		{"capitalised word after a place is no abbreviation", "Crowds in Lyon, Me and my friends.", "Lyon=FR"},
		// Water.
		{"oceans", "Storms formed over the Atlantic and moved toward the Pacific coast of Mexico.", "Atlantic=/water|Pacific=/water|Mexico=MX/country"},
		{"sea before a demonym", "Ships crossed the Indian Ocean and the Red Sea.", "Indian Ocean=/water|Red Sea=/water"},
		// Airports, by their names.
		{"airports by name, in either case", "Officers searched a plane at Heathrow airport; flights left Damascus International Airport and Aleppo airport.",
			"Heathrow airport=GB|Damascus International Airport=SY|Aleppo airport=SY"},
		{"an airport and its state", "The plane landed at Washington Dulles International Airport, Virginia, from Paris and Berlin.",
			"Washington Dulles International Airport=US|Virginia=US.VA|Paris=FR|Berlin=DE"},
		{"an airport named after a person", "Passengers at John F. Kennedy International Airport waited. Kennedy said nothing.", "John F. Kennedy International Airport=US"},
		{"a town's airport in lower case is not always a name", "The airport in Erbil reopened, and Idlib's airport stayed shut.", "Erbil=IQ|Idlib=SY"},
		// Named regions, and a namesake division chosen by context.
		{"regions of a country", "Storms hit the East Coast and the Gulf Coast.", "East Coast=US|Gulf Coast=US"},
		{"a region name that is a division elsewhere", "Floods hit Greymouth and Hokitika on the West Coast.", "Greymouth=NZ|Hokitika=NZ|West Coast=NZ"},
		// Counties: the US ones are listed; another is a town's namesake.
		{"a county the gazetteer lists", "Deputies in Cobb County arrested a man in Macon, Georgia.", "Cobb County=US.GA|Macon=US.GA|Georgia=US.GA"},
		{"a county and its seat", "Deputies in Dane County arrested a man in Madison, Wisconsin.", "Dane County=US.WI|Madison=US.WI|Wisconsin=US.WI"},
		{"a county among seventeen namesakes, by its state", "The sheriff of Monroe County said roads near Paris, Missouri, were closed.", "Monroe County=US.MO|Paris=US.MO|Missouri=US.MO"},
		{"a county the gazetteer does not list", "Deputies in Elmira County arrested a man in Macon, Georgia.", "Macon=US.GA|Georgia=US.GA"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := strings.Split(tc.want, "|")
			ms := p.Find([]Text{{Line: 1, Text: tc.text}}, Options{})
			var got []string
			for k, m := range ms {
				if tc.text[m.Start:m.End] != m.Surface {
					t.Errorf("span %d:%d is %q, not %q", m.Start, m.End, tc.text[m.Start:m.End], m.Surface)
				}
				detail := ""
				if k < len(want) {
					detail = want[k]
				}
				got = append(got, describe(m, detail))
			}
			if g := strings.Join(got, "|"); g != tc.want {
				t.Errorf("got  %q\nwant %q", g, tc.want)
			}
		})
	}
}

// describe writes a mention as "surface=CC", with as much detail as the
// wanted item asks for: ".ADMIN1" and "/kind".
func describe(m Mention, want string) string {
	s := m.Surface + "=" + m.Place.CountryCode
	_, rest, _ := strings.Cut(want, "=")
	if strings.Contains(rest, ".") {
		s += "." + m.Place.Admin1
	}
	if strings.Contains(rest, "/") {
		switch {
		case m.Kind == KindDemonym:
			s += "/demonym"
		case m.Place.FCode == "ADM1":
			s += "/admin1"
		case m.Place.Kind == "country" || m.Place.Kind == "region" || m.Place.Kind == "water":
			s += "/" + m.Place.Kind
		default:
			s += "/place"
		}
	}
	return s
}

// TestGeoScore holds the three geographic signals to one count: the
// strongest in full, the next by half, the weakest not at all.
func TestGeoScore(t *testing.T) {
	for _, tc := range []struct {
		country, admin, near, want float64
	}{
		{0, 0, 0, 0},
		{2.4, 0, 0, 2.4},
		{0, 4.8, 0, 4.8},
		{2.4, 4.8, 0, 6.0},
		{2.4, 4.8, 1.5, 6.0},
		{1.5, 1.5, 1.5, 2.25},
		{0, 0, 1, 1},
	} {
		c := cand{country: tc.country, admin: tc.admin, near: tc.near}
		if got := geoScore(&c); got != tc.want {
			t.Errorf("geoScore(country %v, admin %v, near %v) = %v, want %v", tc.country, tc.admin, tc.near, got, tc.want)
		}
	}
}
