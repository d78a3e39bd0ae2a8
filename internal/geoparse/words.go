package geoparse

import "strings"

// The word lists below are ours: general English usage, not names taken
// from any evaluation text. Keys are folded (lower case, no diacritics).

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// calendar words are never places on their own, although May, March,
// August and Sunday are all towns somewhere.
var calendar = set(`
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
mon tue tues wed thu thur thurs fri sat sun
christmas easter ramadan eid spring summer autumn winter
passover hanukkah chanukah hanukah purim sukkot kippur diwali thanksgiving halloween lent advent
pentecost kwanzaa nowruz navruz ashura
`)

// titles come before a person's name: "President Assad", "Mr Kew".
var titles = set(`
mr mrs ms miss mx dr sir dame lord lady madam madame mister monsieur herr
president vice pres premier chancellor minister secretary senator sen sens rep reps representative
congressman congresswoman congressmember governor gov mayor councillor councilman councilwoman
alderman judge justice magistrate attorney prosecutor sheriff deputy officer detective constable
sergeant sgt corporal cpl private pvt lieutenant lt captain capt major maj colonel col general gen
brigadier admiral adm commander cmdr marshal field
king queen prince princess duke duchess earl count countess baron emperor empress sultan emir amir
sheikh shaikh sheik imam ayatollah mullah rabbi pastor reverend rev father bishop archbishop cardinal
pope patriarch brother sister saint
professor prof coach spokesman spokeswoman spokesperson ambassador envoy chairman chairwoman chair
ceo cfo founder director editor correspondent reporter columnist analyst
dr. mr. mrs. ms. gen. col. lt. capt. sgt. gov. sen. rep. prof. rev. maj.
hajji haji mufti mawlana
`)

// particles join the parts of a person's name or a place's name without
// being capitalised: "Bashar al-Assad", "Ludwig van Beethoven".
var particles = set(`
al el ad ar as at az an ash ath adh ibn bin bint abu van von der den de del della di da dos das du la le
`)

// givenNames is a list of common first names from many languages. A place
// name right after one is a surname ("Ben Kew"), and a place name that is
// also a first name before a capitalised word is a person ("Vladimir
// Putin", "Jordan Henderson").
var givenNames = set(`
aaron abbas abdel abdul abdullah abdulla abdulrahman abe abel abigail abraham ada adam adel adil adnan
adrian ahmad ahmed ahmet aidan aisha akbar al alan albert alberto alejandro aleksandr aleksei alex
alexander alexandra alexei alexis alfred ali alice alicia alisha allan allen alexey alison amal amanda
amber amelia amin amina amir amit amy ana anas anastasia andre andrea andreas andrei andres andrew
andy angela angelina angelo angus ann anna anne annie anthony antoine anton antonio april arash archie
ariel arif arlene arnold arthur ashley ashraf asma ataturk audrey austin ava avi ayman ayse aziz
bachar barack barbara barry bashar basil basim beatrice becky belinda ben benjamin benny bernard
bernie beth betty beverly bill billy blake bob bobby bonnie boris brad bradley brandon brenda brendan
brett brian bridget brittany brooke bruce bruno bryan burak byron
caleb cameron camila carl carla carlos carmen carol caroline carolyn carrie casey catherine cathy
cecilia celine cem cengiz chad charles charlie charlotte chelsea cheryl chris christian christina
christine christopher chuck cindy claire clara clarence claude claudia clay clayton clint clinton
cody colin connie connor craig cristina crystal curtis cynthia
dale dalia dan dana daniel danielle danny darius darren dave david dawn dean deborah debbie debra
deniz denis dennis derek desmond devin diana diane dick dimitri dmitri dmitry dolores dominic don donald
donna doris dorothy doug douglas duncan dustin dwight
earl ed eddie edgar edith edmund eduardo edward edwin ehud eileen ekrem elaine eleanor elena eli elias
elif elijah elizabeth ella ellen elliot elsa emily emine emir emma emmanuel enrique eric erica erik erin
ernest ernesto esther ethan eugene eva evan evelyn
fadi fahad faisal farah farid farouk fatima fatma fawaz feras fernando fidel fiona florence francesca frances
francis francisco frank franklin fred frederick fuat
gabriel gabriela gail gareth gary gavin gene geoff geoffrey george georgia gerald gerard gerhard gina
giovanni giuseppe glen glenn gloria gordon grace graham grant greg gregory gustavo guy
habib hadi hafez hailey hakan haley hamid hamza hank hannah hans harold harry hasan hassan hayley heather
heidi heinz helen helena henry herbert hillary holly howard hugh hugo hussein
ian ibrahim igor ilham imran ingrid irene iris isaac isabel isabella ismail ivan ivana
jack jackie jackson jacob jacqueline jake james jamal jamie jan jane janet janice jared jason javier jay
jean jeff jeffrey jennifer jenny jeremy jerome jerry jesse jessica jesus jill jim jimmy jo joan joanna
joanne joe joel johann john johnny jon jonathan jordan jorge jose joseph josh joshua joy joyce juan
judith judy julia julian julie june justin
kamal karen karim karl kate katherine kathleen kathryn kathy katie kay keith kelly kemal ken kenneth
kevin khaled khalid khalil kim kimberly kirk kofi kristen kurt kyle
lana larry laura lauren lawrence layla leah lee leila lena leo leon leonard leslie lewis liam lily linda
lindsay lisa liz lloyd logan lois lorenzo lori louis louise lucas lucy luis luke lydia lynn
mahmoud malcolm malik mandy manuel marc marco marcus margaret maria marian marie marilyn mario marion
mark marsha martha martin marwan mary mason matt matthew maureen max maxim maya megan mehmet melanie
melissa meryem mevlut michael michel michelle miguel mike mikhail milan mitch mitchell mohamed mohammad
mohammed mona monica morgan moses muhammad murat mustafa
nabil nadia nancy naomi natalie natasha nathan neil nicholas nick nicola nicolas nicole nigel nikolai
nina noah noel nora norman nour nuri
olga oliver olivia omar oscar osman owen
pablo pamela paolo paris pat patricia patrick paul paula pauline pedro peggy penny peter phil philip phillip
pierre priscilla
qasim
rachel rafael rahul rami ramzi randy rania rashid ray raymond rebecca recep reem refik renee rex ricardo
richard rick ricky rita rob robert roberto robin rocky rod roger roland ron ronald rose ross roy ruby
rudy russell ruth ryan
saad sabrina sadiq sally salman sam samantha samer sami samir samuel sandra sara sarah saul scott sean
selim serena sergei sergey seth shane shannon sharon shaun shawn sheila shelley sherry shirley sidney
simon sofia sonia sophia sophie stacy stanley stella stephanie stephen steve steven stuart sue susan
suzanne sydney sylvia
tamara tanya tara tariq ted teresa terry thomas tiffany tim timothy tina todd tom tommy tony tracy
travis trevor troy tyler
umar usama
valerie vanessa vera veronica vicki victor victoria vincent viktor virginia vivian vladimir
walid walter wanda warren wayne wendy wesley william willie
xavier
yasmin yasser yousef youssef yuri yusuf
zach zachary zaid zainab zeynep zoe
`)

// orgHeads end the names of organisations and companies. A place right
// before one is part of that name, not a mention ("Anadolu Agency"), unless
// it is a country: the "Pakistan Army" and the "Ghana Football
// Association" are that country's.
var orgHeads = set(`
agency airlines airways aviation express railways
bank group inc corp corporation company co ltd llc plc holdings industries enterprises partners
club fc united athletic athletics rangers rovers wanderers
party front movement brigade brigades battalion army forces militia cartel gang
foundation association society federation league union alliance coalition institute
ministry observatory
records studios sports
`)

// mediaHeads end the names of newspapers, broadcasters and news agencies.
// Such a name is a title, read far from the place it names, so not even a
// country inside it is a mention: "Washington Post", "Kenya Times".
var mediaHeads = set(`
news times post tribune herald journal gazette daily chronicle observer telegraph guardian
press presse radio television tv broadcasting broadcaster network channel media magazine review weekly
`)

// placeHeads follow a place name inside a longer name that still locates
// something there: "Aleppo University", "Idlib province".
var placeHeads = set(`
university college school academy hospital clinic airport airbase base camp prison stadium
province governorate county district region state municipality city town village oblast prefecture
canton department countryside suburbs outskirts area border crossing dam valley
mountains hills plain bay harbour harbor port square
police fire council commission committee office bureau administration authority court library museum
chamber schools
`)

// featureHeads end the name of a street, a district, a park or a river
// that is named after a place but lies elsewhere or runs far from it:
// "Baghdad Street" is in Damascus, the "French Quarter" in New Orleans,
// "Hamilton Park" in Glasgow, and the "Mississippi River" is not
// the state.
var featureHeads = set(`
street avenue ave road rd drive boulevard blvd lane quarter river delta
park
`)

// airportWords may end an airport's name in lower case ("Heathrow
// airport", "Abu al-Duhur air base"), which news writes that way as often
// as not.
var airportWords = set(`
airport airfield airbase aerodrome air base
`)

// adminHeads ask for the administrative unit rather than the town of the
// same name: "Idlib province" is not the city of Idlib.
var adminHeads = set(`
province governorate county district region state oblast prefecture canton department countryside
`)

// qualifiers may precede a place inside a capitalised run without making it
// part of a person's or an organisation's name.
var qualifiers = set(`
north south east west northern southern eastern western central upper lower greater old new
northeast northwest southeast southwest northeastern northwestern southeastern southwestern
rural downtown metropolitan metro inner outer mid
`)

// commonWords are English words that also name some place somewhere: at
// the start of a sentence, where every word is capitalised, they are read
// as the word, not the place, unless the text supports the place.
var commonWords = set(`
a about above across after again against ago ahead all almost alone along already also although always
amid among an and another any anyone anything anywhere are around as at away back be because been
before behind being below beneath beside besides between beyond both but by can could despite did do
does doing done down during each either else even ever every except few for from further given had has
have having he her here hers herself him himself his how however i if in inside instead into is it its
itself just last late later least less like many may maybe me meanwhile might more most much must my near
nearly neither never nevertheless next no none nor not nothing now of off often on once one only onto or
other others otherwise our ours out outside over own per perhaps please quite rather really same several
shall she should since so some someone something sometimes soon still such than that the their them
themselves then there therefore these they this those though through throughout thus to today together
tomorrow too toward towards under unless unlike until up upon us very via was we well were what whatever
when whenever where whereas wherever whether which while who whoever whole whom whose why will with
within without would yes yesterday yet you your yours
able accord action address advance advice age aid aim air alert alliance allies ally alpha amber angel
anger answer appeal apple arch area arm arms army arrival art ash aspen assembly attack auburn 
aurora authority avenue award bad bail balance ball band bank banner bar barrier base basin bath battle
bay beach bear beauty bed bell belt bend benefit best better big bird bishop black blade blanket blast
bloom blue board boat body bold bond bone boom border boss bottom boulder boundary bow box branch brave
bread break bridge bright broad brook brother brown brush building bull burn
bus bush business butte buy cairn call calm camp canal candle cannon canyon cap cape capital captain car
card care cargo carpenter carrier case cash castle cat cause cave cedar center central centre chain
chair chance change channel chapel charity charm chase cheap check cherry chief child choice
church circle citizen city civil claim clay clear cliff climate clock close cloud club coal coast code
cold college colony comfort command commerce common community company congress content control
cook cool copper coral core corn corner cotton council count country county courage course court cove
cover crane credit creek crest crew cross crossing crown crystal cup cure current custom cut dale dam
damage dance danger dark date dawn day deal dear death decision deep defiance delight delta democracy
desert design destiny diamond diet dish district dock doctor dog dollar dome door double dove draw
dream drive drop dry duck dune dust duty eagle early earth ease east echo economy edge effort elect
element elk elm embassy emerald empire end energy enterprise entry envoy equity estate eternity evening
event evidence exchange exit faith fall falls fame family fan far farm fashion father fear federal
felt fence ferry field fight figure final finance fire first fish five flag flat fleet flint flower fly
focus fog folly food force ford forest fork fort fortune forum fountain four fox frank free freedom
fresh friend friendship front frontier fruit fuel fun gain game gap garden gate gateway general gift
glacier glass glen globe glory goal gold golden good goose gospel government grace grand grant grape
grass grave gray great green grey ground grove growth guard guide gulf gun hall hallow hamlet hand
happy harbor harbour hard harmony harvest haven hawk head health heart heaven height hell help hem
herald heritage hero hidden high highland hill hilltop history hold holiday hollow holly home honey
honor honour hook hope horizon horn horse hospital host hot hotel hour house humble hunt hunter hurricane
ice idea image impact independence industry inland iron island ivory jack jade job join joy judge
junction jungle jury justice keen key kill kind king kingdom kiss knight knob lab labor labour lake
lamb lamp land lane large laurel law lead leader league leaf lean lee legacy legend level liberty
life light lime line link lion little live lock lodge long lord loss lost lot love low luck lucky
magic main major mall man manor maple marble mark market marsh master match meadow medal
medical meeting memorial mercy mesa metal middle midland mile military mill mine minister mission
mist model money moon morning mosque mother motor mount mountain mouth music mystic nation
national native nature navy needle net new news nice night noble normal north nova number oak oasis
ocean office oil old olive omega open opera orange orchard order origin pace page palace palm
panel paradise park party pass patience patrol peace peak pearl pebble people pepper pier pike
pilot pine pink pioneer pit place plain plan plant plaza pleasant plenty plum point police polo pond
pool poor pope port post power prairie premier president press pride prime prince progress promise
prospect pulse pure quarry queen quest quiet race rail rain rainbow ranch range rapid raven
ready reading real red reef reform refuge regent rescue reserve rest result review rich ridge right
ring rise risk river road rock rocky root rose round royal ruby rule rush sable safe safety sage
saint sale salt sand santa save school science scout sea seal season second security senate
sentinel service settlement seven shade shadow shell shelter shore short side sierra silver simple
sky slate smart snow social society solar soldier sole south space spa spark speed spirit split
spring spruce square stable staff stage standard star state station steel stone storm strand stream
street strike strong study success summit sun sunny sunrise sunset superior supply surprise swamp
sweet table tank target tea temple ten terminal terrace test thunder tiger timber time title tower
town trade trail train transfer travel treasure tree trial triangle trinity triumph trust truth tulip
 twin union unity university valley value venture victory view villa village vine violet
vision vista voice volunteer wall war ward warren water wave way wealth welcome well west
wheat white wild willow win wind window wing winter wisdom wolf wonder wood word work world worth
yard yellow young youth zone
`)

// acronyms written in capitals that are not places, although some fold
// to a place's name or code.
var acronyms = set(`
it is as at in on or an am be by do go he if me my no of so to up we
ap afp who un eu nato isis isil ipo ceo cia fbi nsa ngo gdp tv bbc cnn nbc abc cbs pbs npr
pkk ypg sdf fsa hts ied irgc ok pm am aids hiv sars usd ad bc
`)

// notPlaces are names of peoples, faiths and groups that are no country's
// demonym and that some small place somewhere happens to be called.
var notPlaces = set(`
arab arabs arabic jew jews jewish muslim muslims islamic islamist islamists christian christians catholic
catholics protestant orthodox sunni sunnis shia shiite shiites alawite alawites druze yazidi yazidis
bedouin hispanic hispanics latino latina latinos native natives aboriginal indigenous
kurd kurds kurdish turkmen turkoman assyrian assyrians armenians
`)

// speechVerbs after a bare name make it a person: "Altom said".
var speechVerbs = set(`
said says say told tells added adds explained explains noted notes asked asks wrote writes stated states
argued argues continued continues agreed agrees replied replies recalled recalls insisted insists
admitted admits announced announces tweeted tweets testified testifies warned warns believes believed
thinks thought hopes hoped laughed smiled recalls remembered declined refused
`)

// diseaseWords after a place name make it the name of an illness or a
// strain, not a mention of the place: "Marburg virus", "West Nile fever".
var diseaseWords = set(`virus viruses ebolavirus fever disease diseases flu influenza strain strains syndrome outbreak-strain`)

// extraDemonyms complete the world gazetteer's list with the adjectives of
// the nations of the United Kingdom.
var extraDemonyms = map[string]string{"english": "GB", "scottish": "GB", "scots": "GB", "welsh": "GB", "briton": "GB", "britons": "GB"}

// nameHeads begin Arabic, Kurdish and Turkish place names ("Abu al-Duhur",
// "Tal Rifaat", "Ain Issa", "Jisr al-Shughur"): alone before a capitalised
// word they are never the whole name.
var nameHeads = set(`abu umm um ibn bin tal tall tell til ain ayn ein ras jisr deir dayr der kafr kfar khan wadi jabal jebel
bir beit bayt qasr qalaat qalat tel tall mount lake port`)

// functionWords are articles, prepositions, conjunctions and determiners:
// capitalised in a headline or after a dash ("Quito — A Quito court"), they
// still begin no person's or organisation's name.
var functionWords = set(`
a an the this that these those some any every each no another
in on at of for from by with to into onto upon over under near about against between among through
across after before since during until via per than as like
and or but nor so yet if when while because although though where
`)

// wordClass says which of the lists above a folded word is on, so that the
// scanner looks a word up once, when it cuts the text into tokens, instead
// of once per list and per rule.
type wordClass uint32

const (
	wcCalendar wordClass = 1 << iota
	wcTitle
	wcParticle
	wcGivenName
	wcOrgHead
	wcPlaceHead
	wcAdminHead
	wcQualifier
	wcCommon
	wcAcronym
	wcNotPlace
	wcSpeechVerb
	wcDisease
	wcNameHead
	wcConnector
	wcNameAbbrev
	wcFunction
	wcFeatureHead
	wcAirportWord
	wcMediaHead
)

// wordClasses is every listed word with its classes, in an open-addressing
// table keyed by a 64-bit FNV-1a hash: the scanner looks up every word of
// every text, so this lookup is cheaper than a map's. It is built once and
// only read after, so any number of goroutines may share it.
var wordClasses = func() classTable {
	m := map[string]wordClass{}
	for _, l := range []struct {
		words map[string]bool
		class wordClass
	}{
		{calendar, wcCalendar}, {titles, wcTitle}, {particles, wcParticle}, {givenNames, wcGivenName},
		{orgHeads, wcOrgHead}, {placeHeads, wcPlaceHead}, {adminHeads, wcAdminHead}, {qualifiers, wcQualifier},
		{commonWords, wcCommon}, {acronyms, wcAcronym}, {notPlaces, wcNotPlace}, {speechVerbs, wcSpeechVerb},
		{diseaseWords, wcDisease}, {nameHeads, wcNameHead}, {connectors, wcConnector},
		{functionWords, wcFunction}, {featureHeads, wcFeatureHead}, {airportWords, wcAirportWord},
		{mediaHeads, wcOrgHead | wcMediaHead},
	} {
		for w := range l.words {
			m[w] |= l.class
		}
	}
	for w := range nameAbbrevs {
		m[w] |= wcNameAbbrev
	}
	bits := 1
	for 1<<bits < 2*len(m) {
		bits++
	}
	size := 1 << bits
	t := classTable{shift: uint(64 - bits), mask: uint64(size - 1), slots: make([]classSlot, size), words: make([]string, size)}
	for w, c := range m {
		h := fnv1a(w)
		i := t.home(h)
		for t.slots[i].cls != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i], t.words[i] = classSlot{uint32(h), c}, w
	}
	return t
}()

// classTable maps words to their classes. A slot holds the low half of
// the word's hash and its classes, so that a probe rarely reads a word; a
// slot with no class is empty, and every listed word has at least one.
type classTable struct {
	shift uint
	mask  uint64
	slots []classSlot
	words []string
}

type classSlot struct {
	hash uint32
	cls  wordClass
}

// home is the first slot for a hash: FNV-1a leaves the last bytes of a
// short word out of its top bits, so they are mixed in by a multiplication
// (Fibonacci hashing) before the top bits are taken.
func (t *classTable) home(h uint64) uint64 { return (h * 0x9e3779b97f4a7c15) >> t.shift }

// classOf is the classes of a folded word.
func classOf(key string) wordClass {
	t := &wordClasses
	h := fnv1a(key)
	for i := t.home(h); t.slots[i].cls != 0; i = (i + 1) & t.mask {
		if t.slots[i].hash == uint32(h) && t.words[i] == key {
			return t.slots[i].cls
		}
	}
	return 0
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
