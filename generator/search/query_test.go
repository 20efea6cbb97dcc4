package search

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	gocmp "github.com/google/go-cmp/cmp"
)

// This file holds a Go copy of the query logic of search.js (parse,
// backoff, clauseScores, nameBoost, query), so that ranking can be tested without a
// browser and the size test knows which files a query loads. The browser
// test checks that both give the same results.

const (
	maxBackoff     = 8
	minBackoffStem = 3
	backoffWeight  = 0.8
	maxResults     = 10
	// openExactWeight weighs an exact match of a word still being typed
	// whose stem is shorter than the word: "contracte" stems to
	// "contract" but is on its way to "contracteren".
	openExactWeight = 0.7
	// nameBoost and entityBoost weigh the name match (see the package
	// documentation): a document the query names fully scores up to
	// 1 + nameBoost times its BM25F score, an entity page up to
	// 1 + nameBoost + entityBoost times.
	nameBoost   = 2
	entityBoost = 1
)

var suffixes = []string{"heid", "heden", "ing", "ingen", "lijk", "lijke", "lijkheid",
	"ijk", "ijke", "baar", "bare", "end", "ende", "enden", "ig", "ige", "igen",
	"igheid", "igheden", "en", "ene", "e", "s", "se"}

// testIndex reads the files Build made, as search.js does, and records
// which files it read.
type testIndex struct {
	t      testing.TB
	files  map[string][]byte
	meta   meta
	types  []int // type of each document, decoded from meta.DocType
	shards map[int]termShardData
	docs   map[int][][4]string
	read   map[string]bool
}

type termShardData struct {
	K []string `json:"k"`
	P []string `json:"p"`
	N []string `json:"n"`
}

// decodeVarint reads one appendVarint number from s at i.
func decodeVarint(s string, i int) (n, next int) {
	for {
		v := strings.IndexByte(digits, s[i])
		i++
		n = n*32 + v%32
		if v < 32 {
			return n, i
		}
	}
}

// decodePostings unpacks appendPostings into document numbers and scores.
func decodePostings(s string) (docs, scores []int) {
	doc := 0
	for i := 0; i < len(s); {
		var d int
		d, i = decodeVarint(s, i)
		doc += d
		docs = append(docs, doc)
		scores = append(scores, strings.IndexByte(digits, s[i])*64+strings.IndexByte(digits, s[i+1]))
		i += 2
	}
	return docs, scores
}

// decodeNamePostings unpacks appendNamePostings into document numbers
// and codes (name length, plus 32 for an entity page).
func decodeNamePostings(s string) (docs, codes []int) {
	doc := 0
	for i := 0; i < len(s); {
		var d int
		d, i = decodeVarint(s, i)
		doc += d
		docs = append(docs, doc)
		codes = append(codes, strings.IndexByte(digits, s[i]))
		i++
	}
	return docs, codes
}

type clause struct {
	exact, prefix string
	back          []string
	weight        float64 // of an exact match
}

type hit struct {
	doc     int
	score   float64
	matched int
	// The name match: the sums over clauses of nameMatch.weight and
	// nameMatch.share, and whether the document is an entity page.
	nameWeight, nameShare float64
	entity                bool
}

// nameMatch is how a clause matches the names of a document: the best
// match weight of a term in a name, the best weight / name length, and
// whether the document is an entity page.
type nameMatch struct {
	weight, share float64
	entity        bool
}

type testResult struct {
	Doc   int
	URL   string
	Title string
	Type  string
	Score float64
}

func openIndex(t testing.TB, files map[string][]byte) *testIndex {
	t.Helper()
	ix := &testIndex{t: t, files: files}
	ix.forget()
	ix.load("meta", "search/meta.js", &ix.meta)
	for i := 0; i < len(ix.meta.DocType); {
		var ty int
		ty, i = decodeVarint(ix.meta.DocType, i)
		ix.types = append(ix.types, ty)
	}
	return ix
}

// forget empties the caches, as a fresh page load would.
func (ix *testIndex) forget() {
	ix.shards = make(map[int]termShardData)
	ix.docs = make(map[int][][4]string)
	ix.read = make(map[string]bool)
}

// load parses one index file into v.
func (ix *testIndex) load(id, path string, v any) {
	ix.t.Helper()
	data, ok := ix.files[path]
	if !ok {
		ix.t.Fatalf("no file %s", path)
	}
	prefix := fmt.Sprintf("window.__kbSearch.add(%q,", id)
	body, ok := bytes.CutPrefix(data, []byte(prefix))
	if !ok {
		ix.t.Fatalf("%s does not start with %s", path, prefix)
	}
	body, ok = bytes.CutSuffix(body, []byte(");\n"))
	if !ok {
		ix.t.Fatalf("%s does not end with );", path)
	}
	if err := json.Unmarshal(body, v); err != nil {
		ix.t.Fatalf("%s: %v", path, err)
	}
	ix.read[path] = true
}

func (ix *testIndex) shard(n int) termShardData {
	sh, ok := ix.shards[n]
	if !ok {
		ix.load(fmt.Sprintf("t%d", n), fmt.Sprintf("search/t/%d.js", n), &sh)
		ix.shards[n] = sh
	}
	return sh
}

func (ix *testIndex) docRow(doc int) [4]string {
	n := doc / ix.meta.PerDoc
	rows, ok := ix.docs[n]
	if !ok {
		ix.load(fmt.Sprintf("d%d", n), fmt.Sprintf("search/d/%d.js", n), &rows)
		ix.docs[n] = rows
	}
	return rows[doc%ix.meta.PerDoc]
}

// readBytes is the size of the files read since forget.
func (ix *testIndex) readBytes() int {
	n := 0
	for p := range ix.read {
		n += len(ix.files[p])
	}
	return n
}

func (ix *testIndex) shardOf(s string) int {
	i, found := slices.BinarySearch(ix.meta.Shards, s)
	if found {
		return i
	}
	return i - 1
}

func partialSuffix(r string) bool {
	if r == "" {
		return false
	}
	for _, s := range suffixes {
		if strings.HasPrefix(s, r) {
			return true
		}
	}
	return false
}

func backoff(w, exact string) []string {
	rs := []rune(w)
	var out []string
	for k := max(minBackoffStem, len(rs)-maxBackoff); k < len(rs); k++ {
		t, r := string(rs[:k]), rs[k:]
		if t == exact {
			continue
		}
		if partialSuffix(string(r)) || (r[0] == rs[k-1] && (len(r) == 1 || partialSuffix(string(r[1:])))) {
			out = append(out, t)
		}
	}
	return out
}

func parseQuery(q string) []clause {
	var ws []string
	for w := range words(q) {
		ws = append(ws, w)
	}
	last, _ := utf8.DecodeLastRuneInString(q)
	open := len(ws) > 0 && !unicode.IsSpace(last)
	var clauses []clause
	seen := make(map[string]bool)
	for i, w := range ws {
		t, ok := term(w)
		var c clause
		if open && i == len(ws)-1 {
			prefix := ""
			if utf8.RuneCountInString(w) >= minWordLen {
				prefix = w
			}
			if !ok && prefix == "" {
				continue
			}
			c = clause{exact: t, prefix: prefix, weight: openExactWeight}
			if t == w {
				c.weight = 1
			}
			if prefix != "" {
				c.back = backoff(w, t)
			}
		} else {
			if !ok {
				continue
			}
			c = clause{exact: t, weight: 1}
		}
		key := c.exact + "\x00" + c.prefix
		if !seen[key] {
			seen[key] = true
			clauses = append(clauses, c)
		}
	}
	return clauses
}

func (ix *testIndex) postings(t string) (list, names string) {
	sh := ix.shard(ix.shardOf(t))
	if i, ok := slices.BinarySearch(sh.K, t); ok {
		return sh.P[i], sh.N[i]
	}
	return "", ""
}

func addPostings(scores map[int]float64, list string, weight float64) {
	docs, ss := decodePostings(list)
	for i, doc := range docs {
		s := float64(ss[i]) * weight
		if had, ok := scores[doc]; !ok || s > had {
			scores[doc] = s
		}
	}
}

// addNames records, per document, the best name match.
func addNames(names map[int]*nameMatch, list string, weight float64) {
	docs, codes := decodeNamePostings(list)
	for i, doc := range docs {
		share := weight / float64(codes[i]%32)
		if m, ok := names[doc]; !ok {
			names[doc] = &nameMatch{weight: weight, share: share, entity: codes[i] >= 32}
		} else {
			m.weight = max(m.weight, weight)
			m.share = max(m.share, share)
		}
	}
}

// clauseScores maps each document the clause matches to its score, and
// each whose names it matches to the name match.
func (ix *testIndex) clauseScores(c clause) (map[int]float64, map[int]*nameMatch) {
	scores := make(map[int]float64)
	names := make(map[int]*nameMatch)
	add := func(list, nameList string, weight float64) {
		addPostings(scores, list, weight)
		addNames(names, nameList, weight)
	}
	if c.exact != "" {
		list, nameList := ix.postings(c.exact)
		add(list, nameList, c.weight)
	}
	if c.prefix != "" {
		lp := float64(utf8.RuneCountInString(c.prefix))
		for n := ix.shardOf(c.prefix); n <= ix.shardOf(c.prefix+"\uffff"); n++ {
			sh := ix.shard(n)
			i, _ := slices.BinarySearch(sh.K, c.prefix)
			for ; i < len(sh.K) && strings.HasPrefix(sh.K[i], c.prefix); i++ {
				if sh.K[i] == c.exact {
					continue
				}
				add(sh.P[i], sh.N[i], 0.6+0.4*lp/float64(utf8.RuneCountInString(sh.K[i])))
			}
		}
	}
	for _, t := range c.back {
		list, nameList := ix.postings(t)
		add(list, nameList, backoffWeight)
	}
	return scores, names
}

// boost multiplies the score of h by its name match, for a query of n
// clauses. The conversions keep the compiler from fusing a multiply and
// an add, which JavaScript does not do.
func (h *hit) boost(n int) {
	match := (h.nameWeight/float64(n) + min(1, h.nameShare)) / 2
	b := float64(nameBoost)
	if h.entity {
		b = float64(nameBoost + entityBoost)
	}
	h.score = h.score * float64(1+float64(match*b))
}

// query runs q as search.js does and returns the best limit results of
// the given type ("" for all), the number of matches of that type and the
// counts per type over all matches.
func (ix *testIndex) query(q, typ string, limit int) ([]testResult, int, map[string]int) {
	clauses := parseQuery(q)
	if len(clauses) == 0 {
		return nil, 0, map[string]int{}
	}
	acc := make(map[int]*hit)
	for _, c := range clauses {
		scores, names := ix.clauseScores(c)
		for _, doc := range slices.Sorted(maps.Keys(scores)) {
			h, ok := acc[doc]
			if ok {
				h.score += scores[doc]
				h.matched++
			} else {
				h = &hit{doc: doc, score: scores[doc], matched: 1}
				acc[doc] = h
			}
			if m := names[doc]; m != nil {
				h.nameWeight += m.weight
				h.nameShare += m.share
				h.entity = m.entity
			}
		}
	}
	var all []*hit
	for _, h := range acc {
		if h.matched == len(clauses) {
			all = append(all, h)
		}
	}
	if len(all) == 0 && len(clauses) > 1 {
		for _, h := range acc {
			h.score = h.score * float64(h.matched) / float64(len(clauses))
			all = append(all, h)
		}
	}
	counts := make(map[string]int)
	var list []*hit
	for _, h := range all {
		h.boost(len(clauses))
		ty := ix.meta.Types[ix.types[h.doc]]
		counts[ty]++
		if typ == "" || ty == typ {
			list = append(list, h)
		}
	}
	slices.SortFunc(list, func(a, b *hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc, b.doc))
	})
	var results []testResult
	for _, h := range list[:min(limit, len(list))] {
		row := ix.docRow(h.doc)
		results = append(results, testResult{Doc: h.doc, URL: row[0], Title: row[1],
			Type: ix.meta.Types[ix.types[h.doc]], Score: h.score})
	}
	return results, len(list), counts
}

// testDocs is a small kennisbank to rank in.
func testDocs() []Doc {
	return []Doc{
		{URL: "vaardigheden/psychologisch-contracteren/", Title: "Psychologisch contracteren", Section: "Vaardigheden", Type: "vaardigheid", Entity: true,
			Tags: []string{"contracteren", "eigenaarschap"}, Headings: []string{"Wat je doet", "Valkuilen"},
			Relations: []string{"Contractant van het leren"},
			Summary:   "Impliciete verwachtingen expliciet en onderhandelbaar maken.",
			Body:      "De leermanager maakt met de groep afspraken over wat ieder inbrengt. Wie contracteert, maakt het onuitgesprokene bespreekbaar."},
		{URL: "rollen/contractant-van-het-leren/", Title: "Contractant van het leren", Section: "Rollen", Type: "rol", Entity: true,
			Tags: []string{"contracteren"}, Relations: []string{"Psychologisch contracteren"},
			Summary: "De rol waarin de leermanager afspraken maakt met opdrachtgever en groep.",
			Body:    "Het contract met de opdrachtgever is een driehoek. De leermanager bewaakt de grenzen."},
		{URL: "begrippen/psychologisch-contract/", Title: "Het psychologisch contract", Section: "Begrippen", Type: "begrip", Entity: true,
			Aliases: []string{"impliciet contract"},
			Summary: "De onuitgesproken verwachtingen tussen partijen.",
			Body:    "Leermanagers contracteren er bewust op. Het contract is nooit af."},
		{URL: "rollen/leerbegeleider/", Title: "Leerbegeleider", Section: "Rollen", Type: "rol", Entity: true,
			Aliases: []string{"begeleider"}, Headings: []string{"Taken van de leerbegeleider"},
			Summary: "Wie het leren van een groep begeleidt.",
			Body:    "Een leerbegeleider ondersteunt het leerproces van deelnemers en bewaakt de groepsdynamiek."},
		{URL: "vaardigheden/eigenaarschap-teruggeven/", Title: "Eigenaarschap teruggeven", Section: "Vaardigheden", Type: "vaardigheid", Entity: true,
			Summary: "De verantwoordelijkheid voor het leren bij de groep laten.",
			Body:    "Als de groep het leren bij de begeleider legt, geef je het terug."},
		{URL: "dialoog/vraag-eigenaarschap/", Title: "Vraag over de groep", Section: "Dialoog", Type: "dialoog",
			Summary: "Een docent vraagt hoe je een groep aanspreekt.",
			Body:    "Hoe krijg ik een groep zover dat ze verantwoordelijkheid neemt? Eigenaarschap komt niet vanzelf, en eigenaarschap laat zich niet afdwingen."},
		{URL: "begrippen/groepsdynamiek/", Title: "Groepsdynamiek", Section: "Begrippen", Type: "begrip", Entity: true,
			Summary: "Wat er in een groep gebeurt onder de oppervlakte.",
			Body:    "Groepsdynamiek gaat over rollen, normen en spanningen in de leergroep."},
		{URL: "begrippen/systeemdynamiek/", Title: "Systeemdynamiek", Section: "Begrippen", Type: "begrip", Entity: true,
			Summary: "De dynamiek van een organisatie als systeem.",
			Body:    "Systeemdynamiek kijkt naar patronen die de organisatie herhaalt."},
		{URL: "vaardigheden/interveniëren/", Title: "Interveniëren in de groep", Section: "Vaardigheden", Type: "vaardigheid", Entity: true,
			Summary: "Op het juiste moment ingrijpen.",
			Body:    "Een interventie is een bewuste keuze van de leermanager."},
		{URL: "vaardigheden/", Title: "Vaardigheden", Section: "Vaardigheden",
			Summary: "Alle vaardigheden van de leermanager op een rij.",
			Body:    "Hier staan de kernvaardigheden van leermanagers en leerbegeleiders."},
		{URL: "reflecties/een-jaar-leermanagement/", Title: "Een jaar leermanagement", Section: "Reflecties", Type: "reflectie",
			Summary: "Terugblik van een leermanager.",
			Body:    "Wat ik leerde over werkvormen, feedback en de vorm van een programma."},
		{URL: "programmatypen/open-programma/", Title: "Open programma", Section: "Programmatypen", Type: "programmatype", Entity: true,
			Summary: "Een programma voor deelnemers uit verschillende organisaties.",
			Body:    "In een open programma kiezen deelnemers zelf; vrijwilligheid is de norm."},
	}
}

func topURLs(rs []testResult) []string {
	var urls []string
	for _, r := range rs {
		urls = append(urls, r.URL)
	}
	return urls
}

func TestRanking(t *testing.T) {
	files, err := Build(testDocs())
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, files)
	tests := []struct {
		name, query, typ string
		wantFirst        string   // URL of the best result
		wantAbove        []string // URLs that must rank in this order
		wantIn, wantOut  []string // URLs that must or must not be found
	}{
		{name: "contracteren finds the title", query: "contracteren ",
			wantFirst: "vaardigheden/psychologisch-contracteren/"},
		{name: "contracteren while typing", query: "contracte",
			wantFirst: "vaardigheden/psychologisch-contracteren/"},
		{name: "contract typed in full", query: "contract",
			wantFirst: "begrippen/psychologisch-contract/"},
		{name: "contracteren without a space", query: "contracteren",
			wantFirst: "vaardigheden/psychologisch-contracteren/"},
		{name: "plural finds singular", query: "leerbegeleiders",
			wantFirst: "rollen/leerbegeleider/"},
		{name: "title beats body", query: "eigenaarschap",
			wantAbove: []string{"vaardigheden/eigenaarschap-teruggeven/", "dialoog/vraag-eigenaarschap/"}},
		{name: "diacritics fold", query: "intervenieren",
			wantFirst: "vaardigheden/interveniëren/"},
		{name: "diacritics in the query fold", query: "INTERVENIËREN ",
			wantFirst: "vaardigheden/interveniëren/"},
		{name: "half-typed word on its way to a shorter stem", query: "vaardighe",
			wantFirst: "vaardigheden/"},
		{name: "first part of a compound as prefix", query: "groep",
			wantIn: []string{"begrippen/groepsdynamiek/"}},
		{name: "last part of a compound", query: "dynamiek ",
			wantIn: []string{"begrippen/groepsdynamiek/", "begrippen/systeemdynamiek/"}},
		{name: "every word must match", query: "psychologisch contract",
			wantIn:  []string{"begrippen/psychologisch-contract/", "vaardigheden/psychologisch-contracteren/"},
			wantOut: []string{"rollen/leerbegeleider/"}},
		{name: "alias", query: "impliciet contract ",
			wantFirst: "begrippen/psychologisch-contract/"},
		{name: "relation names count", query: "contractant",
			wantAbove: []string{"rollen/contractant-van-het-leren/", "vaardigheden/psychologisch-contracteren/"}},
		{name: "type filter", query: "contracteren", typ: "rol",
			wantFirst: "rollen/contractant-van-het-leren/",
			wantOut:   []string{"vaardigheden/psychologisch-contracteren/"}},
		{name: "stop words alone find nothing", query: "de het een "},
		{name: "nothing matches", query: "xyzzy "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, total, _ := ix.query(tt.query, tt.typ, 20)
			urls := topURLs(results)
			if tt.wantFirst == "" && tt.wantAbove == nil && tt.wantIn == nil {
				if total != 0 {
					t.Errorf("query %q: got %d results %v, want none", tt.query, total, urls)
				}
				return
			}
			if tt.wantFirst != "" && (len(urls) == 0 || urls[0] != tt.wantFirst) {
				t.Errorf("query %q: got %v, want %s first", tt.query, urls, tt.wantFirst)
			}
			if tt.wantAbove != nil {
				a, b := slices.Index(urls, tt.wantAbove[0]), slices.Index(urls, tt.wantAbove[1])
				if a < 0 || b < 0 || a > b {
					t.Errorf("query %q: got %v, want %s above %s", tt.query, urls, tt.wantAbove[0], tt.wantAbove[1])
				}
			}
			for _, u := range tt.wantIn {
				if !slices.Contains(urls, u) {
					t.Errorf("query %q: got %v, want %s among them", tt.query, urls, u)
				}
			}
			for _, u := range tt.wantOut {
				if slices.Contains(urls, u) {
					t.Errorf("query %q: got %v, want no %s", tt.query, urls, u)
				}
			}
			for _, r := range results {
				if tt.typ != "" && r.Type != tt.typ {
					t.Errorf("query %q type %q: got %s of type %q", tt.query, tt.typ, r.URL, r.Type)
				}
			}
		})
	}
}

// nameDocs is a small site where body text alone would rank the wrong
// page first: pages that use a word often, next to the pages named by it.
func nameDocs() []Doc {
	often := func(w string) string { return strings.Repeat("Hier gaat het om "+w+". ", 6) }
	return []Doc{
		{URL: "vaardigheden/psychologisch-contracteren/", Title: "Psychologisch contracteren", Section: "Vaardigheden",
			Type: "vaardigheid", Entity: true,
			Summary: "Verwachtingen expliciet maken.",
			Body:    "De leermanager maakt afspraken met de groep. Contracteren is nooit af."},
		{URL: "reflecties/contracteren-met-drie-partijen/", Title: "Contracteren met drie partijen", Section: "Reflecties",
			Type:    "reflecties",
			Summary: "Een opdrachtgever, een groep en ik.",
			Body:    often("contracteren") + "Contracteren met de opdrachtgever, contracteren met de groep."},
		// Uses the words everywhere but in its title.
		{URL: "dialoog/begin-bij-de-opdrachtgever/", Title: "Begin bij de opdrachtgever", Section: "Dialoog",
			Type: "dialoog", Tags: []string{"contracteren", "systeemdynamiek"},
			Headings: []string{"Eerst contracteren", "Dan de systeemdynamiek"},
			Summary:  "Over contracteren en systeemdynamiek.",
			Body:     often("contracteren") + often("systeemdynamiek")},
		{URL: "begrippen/systeemdynamiek/", Title: "Systeemdynamiek", Section: "Begrippen",
			Type: "begrip", Entity: true,
			Summary: "Patronen die een organisatie herhaalt.",
			Body:    "Een organisatie is een systeem."},
		{URL: "rollen/lezer-van-systeemdynamiek/", Title: "Lezer van systeemdynamiek", Section: "Rollen",
			Type: "rol", Entity: true,
			Summary: "De leermanager die de organisatie leest.",
			Body:    "Wie de klant kent, ziet patronen."},
		{URL: "reflecties/couturetraject/", Title: "Een couturetraject als spiegel", Section: "Reflecties",
			Type: "reflecties", Tags: []string{"systeemdynamiek"},
			Summary: "De groep speelde na wat de organisatie deed.",
			Body:    often("systeemdynamiek")},
		{URL: "begrippen/psychologisch-contract/", Title: "Het psychologisch contract", Section: "Begrippen",
			Type: "begrip", Entity: true, Aliases: []string{"impliciet contract", "ongeschreven afspraken tussen groep en begeleider"},
			Summary: "Onuitgesproken verwachtingen.",
			Body:    "Elke groep heeft er een."},
		{URL: "reflecties/onuitgesproken/", Title: "Wat niet gezegd werd", Section: "Reflecties",
			Type:    "reflecties",
			Summary: "Over verwachtingen.",
			Body:    often("het impliciet contract")},
		// Two pages with the same text and name: only the entity flag
		// tells them apart, and the plain page comes first by number.
		{URL: "actueel/feedback/", Title: "Feedback", Section: "Actueel",
			Type: "actueel", Summary: "Terugkoppeling.", Body: "Feedback geven en ontvangen."},
		{URL: "begrippen/feedback/", Title: "Feedback", Section: "Begrippen",
			Type: "begrip", Entity: true, Summary: "Terugkoppeling.", Body: "Feedback geven en ontvangen."},
	}
}

// TestNameRanking checks that the name match puts the page a query names
// above pages that only use its words, and entity pages above plain
// pages named alike.
func TestNameRanking(t *testing.T) {
	files, err := Build(nameDocs())
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, files)
	tests := []struct {
		name, query string
		want        []string // the first results, in order; nil: no results at all
	}{
		{"entity page first for its own name", "contracteren", []string{
			"vaardigheden/psychologisch-contracteren/",
			"reflecties/contracteren-met-drie-partijen/",
			"dialoog/begin-bij-de-opdrachtgever/"}},
		{"the same with the word finished", "contracteren ", []string{
			"vaardigheden/psychologisch-contracteren/",
			"reflecties/contracteren-met-drie-partijen/",
			"dialoog/begin-bij-de-opdrachtgever/"}},
		{"the whole name above half of a name, both above other fields", "systeemdynamiek ", []string{
			"begrippen/systeemdynamiek/",
			"rollen/lezer-van-systeemdynamiek/"}},
		{"a name being typed", "systeemdyn", []string{
			"begrippen/systeemdynamiek/",
			"rollen/lezer-van-systeemdynamiek/"}},
		{"an alias names the page", "impliciet contract ", []string{
			"begrippen/psychologisch-contract/",
			"reflecties/onuitgesproken/"}},
		{"entity page above a plain page of the same name", "feedback", []string{
			"begrippen/feedback/",
			"actueel/feedback/"}},
		{"nothing matches", "xyzzy ", nil},
		{"nothing matches while typing", "xyzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			results, total, _ := ix.query(tt.query, "", maxResults)
			urls := topURLs(results)
			if tt.want == nil {
				if total != 0 {
					t.Errorf("query %q: got %d results %v, want none", tt.query, total, urls)
				}
				return
			}
			if len(urls) < len(tt.want) || !slices.Equal(urls[:len(tt.want)], tt.want) {
				t.Errorf("query %q: got %v, want it to start with %v", tt.query, urls, tt.want)
			}
		})
	}
}

// TestNamePostings checks the name postings Build writes: per document,
// the length of its shortest name with the term and its entity flag.
func TestNamePostings(t *testing.T) {
	files, err := Build(nameDocs())
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, files)
	docNum := func(url string) int {
		for i := range ix.meta.Docs {
			if ix.docRow(i)[0] == url {
				return i
			}
		}
		t.Fatalf("no document %s", url)
		return -1
	}
	type name struct {
		URL    string
		Len    int
		Entity bool
	}
	tests := []struct {
		word string
		want []name
	}{
		// "Het" is a stop word; the alias "impliciet contract" is as long
		// as the title; each alias counts on its own.
		{"contract", []name{{"begrippen/psychologisch-contract/", 2, true}}},
		{"impliciet", []name{{"begrippen/psychologisch-contract/", 2, true}}},
		{"afspraken", []name{{"begrippen/psychologisch-contract/", 5, true}}},
		{"contracteren", []name{
			{"reflecties/contracteren-met-drie-partijen/", 3, false},
			{"vaardigheden/psychologisch-contracteren/", 2, true}}},
		{"systeemdynamiek", []name{
			{"begrippen/systeemdynamiek/", 1, true},
			{"rollen/lezer-van-systeemdynamiek/", 2, true}}},
		{"feedback", []name{{"actueel/feedback/", 1, false}, {"begrippen/feedback/", 1, true}}},
		{"organisatie", nil}, // in bodies and summaries only
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			term := Normalize(tt.word)[0]
			list, names := ix.postings(term)
			if list == "" {
				t.Fatalf("term %q is not in the index", term)
			}
			docs, codes := decodeNamePostings(names)
			var got []name
			for i, d := range docs {
				got = append(got, name{ix.docRow(d)[0], codes[i] % 32, codes[i] >= 32})
			}
			want := tt.want
			slices.SortFunc(want, func(a, b name) int { return cmp.Compare(docNum(a.URL), docNum(b.URL)) })
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("name postings of %q mismatch (-want +got):\n%s", term, diff)
			}
		})
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		query string
		want  []clause
	}{
		{"leerbegeleiders ", []clause{{exact: "leerbegeleider", weight: 1}}},
		{"leerbegeleiders", []clause{{exact: "leerbegeleider", prefix: "leerbegeleiders", weight: 0.7}}},
		{"leerbeg", []clause{{exact: "leerbeg", prefix: "leerbeg", weight: 1}}},
		{"de groep", []clause{{exact: "groep", prefix: "groep", weight: 1}}},
		{"groep de", []clause{{exact: "groep", weight: 1}, {prefix: "de", weight: 0.7}}},
		{"vaardighe", []clause{{exact: "vaardigh", prefix: "vaardighe", back: []string{"vaard", "vaardig"}, weight: 0.7}}},
		{"bidd", []clause{{exact: "bidd", prefix: "bidd", back: []string{"bid"}, weight: 1}}},
		{"a", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := parseQuery(tt.query)
			if diff := gocmp.Diff(tt.want, got, gocmp.AllowUnexported(clause{})); diff != "" {
				t.Errorf("parseQuery(%q) mismatch (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}
