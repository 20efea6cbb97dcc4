// Package search builds the static search index of a kennisbank site.
//
// Build takes one Doc per page and returns the index as files under
// "search/" in the output folder. The browser side is
// themes/default/static/js/search.js, which normalises queries exactly as
// Normalize does, loads only the index shards a query needs and ranks the
// results. Nothing here runs on a server: the same files work at a domain
// root, under a subpath and from file://.
//
// # Terms
//
// Text is split into words, lower-cased, folded to ASCII (één → een,
// ë → e, ï → i), stripped of Dutch stop words and stemmed with the Dutch
// Snowball stemmer. Compound words also count, at half weight, for their
// last part when both parts are terms of the site: a page about
// "groepsdynamiek" is found by "dynamiek".
//
// # Files
//
// Every file is a script that hands its data to the page:
//
//	window.__kbSearch.add("<id>", <JSON>);
//
// Scripts, unlike fetch, load from file:// too. The files are
//
//	search/meta.js      id "meta": document count, entity types, the type
//	                    of every document, the first term of each term shard
//	search/t/<n>.js     id "t<n>": a run of terms in sorted order and, per
//	                    term, its postings: document numbers and scores
//	                    packed into a string (see appendPostings), and its
//	                    name postings: the documents whose title or an
//	                    alias holds the term (see appendNamePostings)
//	search/d/<n>.js     id "d<n>": per document [url, title, section, text]
//
// Term shards are cut by size and document shards hold a fixed number of
// documents, so the first query loads the meta file, the few term shards
// its words fall in and the document shards of the results it shows.
//
// # Ranking
//
// A posting's score is BM25F computed at build time: the title weighs
// most, then aliases, tags, headings, relation names and the summary; body
// text weighs least. The client sums scores over the words of the query
// (every word must match) and takes, for the word being typed, the best
// of an exact stem match and of the terms it is a prefix of.
//
// BM25 saturates: a word that fills a long body scores about as much as
// the same word in the title. So the client multiplies the sum by a name
// match, which says how well the query names the page. The names of a
// page are its title and each of its aliases; a name posting holds, per
// document, the length in terms of the shortest name with the term and
// whether the document is an entity page. For a query of n words, each
// with its match weight w (1 for a whole word, less for a word being
// typed, a prefix or a backoff stem: the weight its BM25F score gets), a
// document scores
//
//	inName = Σ w over the words found in a name / n
//	cover  = min(1, Σ w / length of the shortest name with the word)
//	score  = BM25F × (1 + (inName + cover)/2 × boost)
//
// where boost is 2, or 3 for an entity page (Doc.Entity): inName says how
// much of the query the names hold, cover how much of a name the query
// says. The query "contracteren" thus ranks the skill "Psychologisch
// contracteren" (half its name, an entity) above the reflection
// "Contracteren met drie partijen" (a third of its name) and both above
// pages that only use the word, however often.
package search

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Doc is one page to index.
type Doc struct {
	URL     string // relative to site root, e.g. "rollen/coach/"
	Title   string
	Section string // section title for display, e.g. "Rollen"
	Type    string // facet: entity type, e.g. "rol", "vaardigheid", "" for plain pages
	// Entity marks the page about one entity of the site (site.toml's
	// [[entities]]: a role, a skill, a concept): the page a reader who
	// types its name expects first.
	Entity bool
	// Relations: titles of related entity pages
	Aliases, Headings, Tags, Relations []string
	Summary                            string
	Body                               string // plain text of the page body
}

// Sizes that shape the index. They trade the number of files a query loads
// against the bytes it loads.
const (
	docsPerShard   = 20       // documents per document shard
	termShardBytes = 48 << 10 // a term shard is cut once it reaches this size
	snippetRunes   = 280      // text kept per document for snippets
	formatVersion  = 2        // bumped when search.js must change with the files
)

// Folder is where the index's files go in the output folder.
const Folder = "search/"

// Build returns the index files, keyed by slash path relative to the output root (all under "search/").
func Build(docs []Doc) (map[string][]byte, error) {
	return build(docs, &Memo{}, false)
}

// build builds the index with the memo m; remember says whether m is kept
// for later builds, and so must learn the documents.
func build(docs []Doc, m *Memo, remember bool) (map[string][]byte, error) {
	sorted, err := sortDocs(docs)
	if err != nil {
		return nil, err
	}
	ix := m.index(sorted, remember)
	files := make(map[string][]byte)
	var shards []string // term shard start keys
	entity := make([]bool, len(sorted))
	for i, d := range sorted {
		entity[i] = d.Entity
	}
	for i, sh := range ix.termShards(entity) {
		shards = append(shards, sh.first)
		files[Folder+"t/"+strconv.Itoa(i)+".js"] = script("t"+strconv.Itoa(i), sh.json)
	}
	for i := 0; i*docsPerShard < len(sorted); i++ {
		end := min((i+1)*docsPerShard, len(sorted))
		data, err := docShard(sorted[i*docsPerShard : end])
		if err != nil {
			return nil, fmt.Errorf("search: document shard %d: %w", i, err)
		}
		files[Folder+"d/"+strconv.Itoa(i)+".js"] = script("d"+strconv.Itoa(i), data)
	}
	meta, err := metaFile(sorted, shards, files)
	if err != nil {
		return nil, fmt.Errorf("search: meta: %w", err)
	}
	files[Folder+"meta.js"] = meta
	return files, nil
}

// sortDocs returns the documents sorted by URL, so that document numbers do
// not depend on the order the build found the pages in. It reports every
// bad URL at once.
func sortDocs(docs []Doc) ([]Doc, error) {
	sorted := slices.Clone(docs)
	slices.SortStableFunc(sorted, func(a, b Doc) int { return cmp.Compare(a.URL, b.URL) })
	var errs []error
	for i, d := range sorted {
		switch {
		case strings.HasPrefix(d.URL, "/") || strings.Contains(d.URL, "://"):
			errs = append(errs, fmt.Errorf("search: %q: url must be relative to the site root", d.URL))
		case i > 0 && sorted[i-1].URL == d.URL:
			errs = append(errs, fmt.Errorf("search: %q: two documents have this url", d.URL))
		}
	}
	return sorted, errors.Join(errs...)
}

// script wraps JSON data in the call that registers it with search.js.
func script(id string, data []byte) []byte {
	b := make([]byte, 0, len(data)+len(id)+32)
	b = append(b, `window.__kbSearch.add("`...)
	b = append(b, id...)
	b = append(b, `",`...)
	b = append(b, data...)
	b = append(b, ");\n"...)
	return b
}

// docShard encodes the display data of documents as
// [[url, title, section, text], ...].
func docShard(docs []Doc) ([]byte, error) {
	rows := make([][4]string, len(docs))
	for i, d := range docs {
		rows[i] = [4]string{d.URL, oneLine(d.Title), oneLine(d.Section), snippetText(d)}
	}
	return json.Marshal(rows)
}

// snippetText is the text the client cuts a snippet from: the summary,
// then the body, cut at a word boundary after snippetRunes characters. A
// summary that merely repeats the start of the body is left out.
func snippetText(d Doc) string {
	summary := oneLine(d.Summary)
	lead := strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(summary, "…"), "..."), " ")
	// Only the start of the body can reach the snippet: enough to compare
	// with the lead and to tell whether the text runs past snippetRunes.
	body := oneLinePrefix(d.Body, len(lead), snippetRunes+1)
	text := body
	if lead == "" || !strings.HasPrefix(body, lead) {
		text = strings.TrimSpace(summary + " " + body)
	}
	if utf8.RuneCountInString(text) <= snippetRunes {
		return text
	}
	n := 0
	for i := range text {
		if n == snippetRunes {
			text = text[:i]
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(text, ' '); sp > len(text)/2 {
		text = text[:sp]
	}
	return strings.TrimRight(text, " ,;:.-–") + "…"
}

// oneLine collapses runs of white space into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// oneLinePrefix is the start of oneLine(s): whole words, at least
// minBytes bytes and minRunes characters of it, or all of it.
func oneLinePrefix(s string, minBytes, minRunes int) string {
	b := make([]byte, 0, min(len(s), 2048))
	runes := 0
	inWord := false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			if inWord && len(b) >= minBytes && runes >= minRunes {
				return string(b)
			}
			inWord = false
			i += size
			continue
		}
		if !inWord && len(b) > 0 {
			b = append(b, ' ')
			runes++
		}
		inWord = true
		b = append(b, s[i:i+size]...)
		runes++
		i += size
	}
	return string(b)
}

// meta is the content of search/meta.js.
type meta struct {
	Version int      `json:"v"`
	Hash    string   `json:"h"`  // changes with any index file; used to bust caches
	Docs    int      `json:"n"`  // number of documents
	PerDoc  int      `json:"dn"` // documents per document shard
	Types   []string `json:"types"`
	DocType string   `json:"dt"` // index into Types per document, as appendVarint digits
	Shards  []string `json:"tk"` // first term of each term shard
}

// metaFile builds search/meta.js. Types are sorted with "" (plain pages)
// first, so that index 0 means "no type".
func metaFile(docs []Doc, shards []string, files map[string][]byte) ([]byte, error) {
	types := []string{""}
	for _, d := range docs {
		types = append(types, d.Type)
	}
	slices.Sort(types)
	types = slices.Compact(types)
	m := meta{
		Version: formatVersion,
		Hash:    contentHash(files),
		Docs:    len(docs),
		PerDoc:  docsPerShard,
		Types:   types,
		Shards:  shards,
	}
	var dt []byte
	for _, d := range docs {
		i, _ := slices.BinarySearch(types, d.Type)
		dt = appendVarint(dt, i)
	}
	m.DocType = string(dt)
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return script("meta", data), nil
}

// contentHash hashes the files in path order.
func contentHash(files map[string][]byte) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	h := sha256.New()
	for _, p := range paths {
		h.Write([]byte(p))
		h.Write([]byte{0})
		h.Write(files[p])
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// roundScore turns a score into the integer stored in a posting. Explicit
// conversions keep the compiler from fusing operations, which would make
// the output differ between architectures.
func roundScore(s float64) int {
	return min(maxScore, max(1, int(math.Round(float64(s*scoreScale)))))
}
