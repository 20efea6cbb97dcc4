package main

import "strings"

// The word lists are constants, split into a vocabulary value by
// newVocabulary, so that no package-level slice can be changed by accident.

// nounList holds "article:noun" pairs, singular nouns of the leermanagement
// trade. Only singular nouns may be a subject: every verb form is singular.
const nounList = `de:leergroep de:deelnemer het:eigenaarschap de:opdrachtgever het:contract
de:leermanager de:begeleider de:docent de:coach het:programma het:traject de:organisatie
de:leeromgeving de:bijeenkomst de:intervisie de:reflectie de:feedback de:beoordeling
de:dialoog het:ontwerp de:werkvorm de:casus de:praktijk het:vak de:vakgenoot het:leerdoel
de:leervraag de:context de:klant het:cocreatieteam de:systeemdynamiek de:groepsdynamiek
het:vertrouwen de:spanning de:weerstand de:verwachting de:afspraak de:evaluatie de:opdracht
de:werkplek de:leidinggevende de:directie het:team de:afdeling de:cultuur de:verandering
de:ontwikkeling de:vaardigheid de:rol de:positie de:hiërarchie de:veiligheid de:aandacht
de:vraag het:antwoord het:gesprek de:interventie de:observatie de:waarneming de:aanname
de:theorie de:methode het:model de:kennis de:ervaring de:les het:inzicht de:keuze
de:verantwoordelijkheid de:betrokkenheid de:motivatie de:energie de:sfeer het:patroon
de:grens de:ruimte het:moment de:fase de:start de:afsluiting het:verloop de:planning
de:agenda het:doel het:resultaat de:opbrengst de:kwaliteit de:leerlijn de:module
de:opleiding de:training de:workshop het:werkboek de:presentatie de:expert de:vakinhoud
de:transfer de:toepassing de:vrijwilligheid de:blootstelling de:focus de:samenstelling
het:leerklimaat de:mentor de:trainer de:facilitator de:procesbegeleider de:teamleider
de:manager de:medewerker de:collega de:professional de:beroepsgroep de:gemeenschap
het:netwerk de:conferentie het:portfolio de:toets het:criterium de:rubric de:stage
het:leerbedrijf het:leerproces de:loopbaan de:competentie het:gedrag de:houding de:waarde
de:norm het:dilemma de:twijfel de:zorg de:belofte de:intake het:kennismakingsgesprek
de:terugkomdag de:leerervaring het:vakmanschap de:deskundigheid de:ambitie de:tegenzin
de:nieuwsgierigheid de:erkenning het:mandaat de:stuurgroep de:projectleider de:regie`

// pluralList holds plural nouns, used only as objects ("de deelnemers").
const pluralList = `deelnemers docenten opdrachtgevers leergroepen afspraken verwachtingen
vakgenoten collega's patronen inzichten leervragen werkvormen interventies gesprekken
leerdoelen rollen vaardigheden programma's trajecten bijeenkomsten casussen ervaringen`

// adjectiveList holds adjectives in their inflected form ("de veilige ...").
const adjectiveList = `lerende veilige open expliciete impliciete kritische gezamenlijke nieuwe
oude eerste volgende lastige heldere onzichtbare onvrijwillige systemische adaptieve
collectieve individuele professionele psychologische formele informele bestaande gedeelde
persoonlijke stille drukke kleine grote echte tijdelijke blijvende duidelijke voorzichtige
bewuste eerlijke nieuwsgierige wederzijdse onderliggende zichtbare gespannen rustige
complexe eenvoudige praktische inhoudelijke didactische strategische`

// verbList holds stems of transitive verbs; the singular present tense is
// the stem plus "t" (see verbForm).
const verbList = `bespreek onderzoek bewaak ontwerp begeleid contracteer observeer benoem
verken versterk ondersteun herken maak geef neem vraag zoek bouw deel toets beoordeel
evalueer verhelder verander stuur volg mis waardeer verbind hanteer organiseer regisseer
faciliteer vertaal kies open sluit bewaar draag vorm breng houd leg zet laat stel bied
vind zie hoor lees schrijf plan verbeter verdiep onderbouw bevraag`

// intransitiveList holds singular present forms of verbs without object.
const intransitiveList = `leert twijfelt groeit wacht reageert zwijgt werkt verschuift ontstaat
verdwijnt landt beweegt aarzelt stokt versnelt kantelt`

// adverbList holds adverbs for the middle of a sentence.
const adverbList = `vaak soms zelden bewust expliciet samen eerst daarna vervolgens
uiteindelijk telkens opnieuw voorzichtig direct later meestal nauwelijks ook juist steeds`

// openerList holds adverbs that open a sentence and invert it.
const openerList = `Daarom Vervolgens Soms Meestal Toch Daarna Bovendien Intussen Uiteindelijk
Eerst Vaak Gelukkig Helaas Zo Nu Hier`

// conjunctionList holds subordinating conjunctions (verb last).
const conjunctionList = `omdat terwijl zodat wanneer als hoewel nadat zodra voordat`

// prepositionList holds prepositions.
const prepositionList = `in met voor tijdens zonder binnen rond na vanuit tussen over bij
naast door tegenover`

// tagList holds the tags pages choose from, lower case.
const tagList = `groepsdynamiek|open programma|maatwerk|contracteren|eigenaarschap|beoordelen
|feedback|ontwerp|systeemdenken|actieleren|reflectie|dialoog|hiërarchie|docenten
|opdrachtgever|coaching|leerklimaat|vakontwikkeling|intervisie|evaluatie|cocreatie
|veiligheid|weerstand|transfer|leiderschap|organisatieontwikkeling|onvrijwillige groepen
|praktijk|theorie|werkvormen`

// firstNameList and lastNameList make up the fictional authors.
const firstNameList = `Marieke Ahmed Joost Ilse Sanne Pieter Fatima Thijs Eva Bram Noor Lars
Anouk Daan Yasmina Ruben Femke Jeroen Lotte Koen`

const lastNameList = `de Vries|El Amrani|van Dijk|Bakker|Jansen|de Boer|Visser|Smit|Meijer
|Mulder|de Graaf|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra`

// noun is a singular noun with its definite article.
type noun struct {
	article, word string
}

// vocabulary is the parsed word lists; it is read-only once built.
type vocabulary struct {
	nouns        []noun
	plurals      []string
	adjectives   []string
	verbs        []string
	intransitive []string
	adverbs      []string
	openers      []string
	conjunctions []string
	prepositions []string
	tags         []string
	authors      []string
}

// newVocabulary parses the word lists.
func newVocabulary() *vocabulary {
	v := &vocabulary{
		plurals:      strings.Fields(pluralList),
		adjectives:   strings.Fields(adjectiveList),
		verbs:        strings.Fields(verbList),
		intransitive: strings.Fields(intransitiveList),
		adverbs:      strings.Fields(adverbList),
		openers:      strings.Fields(openerList),
		conjunctions: strings.Fields(conjunctionList),
		prepositions: strings.Fields(prepositionList),
		tags:         splitBars(tagList),
	}
	for _, f := range strings.Fields(nounList) {
		article, word, _ := strings.Cut(f, ":")
		v.nouns = append(v.nouns, noun{article, word})
	}
	firsts, lasts := strings.Fields(firstNameList), splitBars(lastNameList)
	for i, f := range firsts {
		// Pair every first name with two surnames, in a fixed order.
		v.authors = append(v.authors, f+" "+lasts[i], f+" "+lasts[(i*7+3)%len(lasts)])
	}
	return v
}

// splitBars splits a "|"-separated list and trims each element.
func splitBars(s string) []string {
	parts := strings.Split(s, "|")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// verbForm returns the singular present tense of a verb stem
// ("bespreek" → "bespreekt", "zet" → "zet").
func verbForm(stem string) string {
	if strings.HasSuffix(stem, "t") {
		return stem
	}
	return stem + "t"
}
