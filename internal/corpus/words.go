package corpus

// region are towns and provinces of northern Syria and southern Turkey.
var region = []string{
	"Aleppo", "Manbij", "Afrin", "al-Bab", "Azaz", "Jarablus", "Tal Rifaat",
	"Kobani", "Raqqa", "Idlib", "Hama", "Homs", "Latakia", "Deir ez-Zor",
	"Qamishli", "Hasakah", "Tal Abyad", "Ras al-Ain", "Daraa", "Damascus",
	"Gaziantep", "Kilis", "Sanliurfa", "Antakya", "Mardin", "Nusaybin",
	"Reyhanli", "Akcakale", "Ceylanpinar", "Saraqib", "Maarat al-Numan", "Jisr al-Shughur",
}

// capitals are where talks happen and statements come from.
var capitals = []string{
	"Ankara", "Washington", "Moscow", "Paris", "London", "Berlin", "Beirut",
	"Amman", "Baghdad", "Tehran", "Riyadh", "Doha", "Cairo", "Brussels",
	"Vienna", "Rome", "Madrid", "Tokyo", "Beijing", "Ottawa", "Nairobi",
	"Baku", "Tbilisi", "Yerevan", "Athens", "Nicosia",
}

// people are officials quoted by name.
var people = []string{
	"the UN envoy", "the Turkish foreign minister", "a Kurdish commander",
	"the governor of the province", "a Red Crescent coordinator",
	"the Russian defence ministry's spokesman", "a senior US official",
	"the head of the local council",
}

// decoys are people whose names look like places: a geoparser must not
// put them on the map.
var decoys = []string{
	"Paris Jackson", "Jordan Peele", "Chad Smith", "Florence Pugh",
	"Georgia Fowler", "Sydney Sweeney", "Austin Butler", "Dakota Fanning",
	"Brooklyn Beckham", "Victoria Azarenka", "Madison Keys", "Adelaide Kane",
	"Lincoln Riley", "Troy Deeney", "Denver Akins", "Kenya Barris",
}

var reporters = []string{
	"Lina Haddad", "Emre Kaya", "Sara Lindqvist", "Omar Khalil",
	"Deniz Aydin", "Hannah Berg", "Yusuf Demir", "Nour Saleh",
}

var orgs = []string{
	"the World Food Programme", "the Syrian Observatory for Human Rights",
	"the Red Crescent", "UNHCR", "the local council", "the coalition",
	"the defence ministry", "Doctors Without Borders", "the governorate",
}

var topics = []string{
	"ceasefire", "aid convoy", "border crossing", "water station",
	"prisoner exchange", "curfew", "power line", "school reopening",
	"grain shipment", "field hospital", "road map", "evacuation",
}

var tagWords = []string{
	"diplomacy", "refugees", "aid", "ceasefire", "border", "water",
	"health", "elections", "economy", "reconstruction", "security",
}

var titles = []string{
	"{topic} for {home} agreed after talks in {capital}",
	"Families leave {home} as the {topic} stalls",
	"{org} warns of shortages in {home}",
	"Road from {home} to {away} reopens",
	"What the {topic} means for {home}",
	"Talks in {capital} end without a deal on {home}",
	"Shelling near {home} halts the {topic}",
	"{home} and {away}: a year of the {topic}",
}

var headings = []string{
	"The view from {capital}", "On the ground in {home}", "What comes next",
	"Reaction", "Background", "The road to {away}", "Numbers",
	"Who decides", "Update, {when}",
}

// sentences are the body's templates; {when} gives the event extractor a
// date to find, relative to the article's.
var sentences = []string{
	"Residents of {home} said the {topic} had been delayed again {when}.",
	"{org} said {n} families had reached {away} since the fighting began.",
	"Speaking in {capital}, {person} called the {topic} \"fragile but necessary\".",
	"The road between {home} and {away} was closed on {day} after shelling near {other}.",
	"{decoy}, who visited the camp {when}, said conditions were worse than in {other}.",
	"Talks in {capital} and {capital2} have not produced an agreement on {home}.",
	"Prices of bread and fuel in {home} doubled {when}, traders said.",
	"Satellite images reviewed by {org} show new damage north of {home}.",
	"About {n} people crossed from {away} towards {home} {when}.",
	"The {topic} was first announced {when} in {capital}.",
	"Local officials in {home} said they had not been consulted.",
	"Convoys reached {other} and {away} but not {home}, {org} said.",
	"{person} met delegations from {capital} and {capital2} {when}.",
	"It was not clear whether the {topic} would hold beyond {day}.",
	"Farmers near {home} said the river was lower than at any time since {since}.",
	"A statement from {org} named {home}, {away} and {other} as priorities.",
	"{decoy} told reporters that the talks in {capital} were \"a beginning\".",
	"Schools in {away} reopened {when} after months of closure.",
	"The governor said {n} homes in {home} had been repaired.",
	"Checkpoints between {other} and {home} were removed on {day}.",
}

var quotes = []string{
	"Nobody in {capital} can decide what happens in {home} without the people who live there.",
	"We were promised the {topic} {when}; we are still waiting.",
	"Every family in {home} knows someone who left for {away}.",
	"The {topic} is the first good news we have had since {since}.",
}

var reportNames = []string{
	"full report", "statement", "joint communique", "monitoring update", "aid bulletin",
}
