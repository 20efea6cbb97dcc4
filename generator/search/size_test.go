package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// syntheticDocs makes n pages of Dutch-looking text: words drawn from a
// Zipf distribution over real leermanager vocabulary followed by made-up
// words and compounds, so the vocabulary grows with the site as real text
// does.
func syntheticDocs(t testing.TB, n int) []Doc {
	return syntheticDocsVocab(t, n, 60000)
}

// syntheticDocsVocab is syntheticDocs with a vocabulary of at least
// vocabSize words (all the real ones are always in).
func syntheticDocsVocab(t testing.TB, n, vocabSize int) []Doc {
	r := rand.New(rand.NewPCG(uint64(n), 2024))
	var real []string
	for _, v := range readStemVectors(t) {
		real = append(real, strings.ToLower(v.Word))
	}
	onsets := []string{"b", "d", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "st", "sp", "gr", "kl", "tr", "vr", "sch", "br", "pl", "ge", "be", "ver", "ont"}
	nuclei := []string{"a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ij", "ui", "eu", "ou"}
	codas := []string{"", "", "n", "r", "l", "k", "t", "s", "st", "rd", "nd", "ng", "cht", "rk"}
	endings := []string{"", "", "", "en", "e", "ing", "heid", "lijk", "baar", "ig", "er", "ers", "s", "ingen", "heden"}
	syllable := func() string {
		return onsets[r.IntN(len(onsets))] + nuclei[r.IntN(len(nuclei))] + codas[r.IntN(len(codas))]
	}
	vocab := slices.Clone(real)
	for len(vocab) < vocabSize {
		w := syllable() + syllable()
		if r.IntN(2) == 0 {
			w += syllable()
		}
		if r.IntN(4) == 0 && len(vocab) > 0 { // compound of two earlier words
			w = vocab[r.IntN(len(vocab))] + vocab[r.IntN(len(vocab))]
		}
		vocab = append(vocab, w+endings[r.IntN(len(endings))])
	}
	stop := []string{"de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "voor", "met", "zijn", "niet", "aan"}
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	text := func(words int) string {
		var b strings.Builder
		for i := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			if r.IntN(3) == 0 {
				b.WriteString(stop[r.IntN(len(stop))])
			} else {
				b.WriteString(vocab[zipf.Uint64()])
			}
			if r.IntN(12) == 0 {
				b.WriteByte('.')
			}
		}
		return b.String()
	}
	types := []string{"", "rol", "vaardigheid", "programmatype", "begrip", "dialoog", "reflectie"}
	sections := []string{"Rollen", "Vaardigheden", "Programmatypen", "Begrippen", "Dialoog", "Reflecties", "Blog"}
	docs := make([]Doc, n)
	for i := range docs {
		s := r.IntN(len(sections))
		title := text(2 + r.IntN(3))
		d := Doc{
			URL:     fmt.Sprintf("%s/pagina-%05d/", strings.ToLower(sections[s]), i),
			Title:   strings.ToUpper(title[:1]) + title[1:],
			Section: sections[s],
			Type:    types[r.IntN(len(types))],
			Summary: text(15 + r.IntN(20)),
			Body:    text(150 + r.IntN(600)),
		}
		d.Entity = slices.Contains(types[1:5], d.Type)
		for range r.IntN(3) {
			d.Aliases = append(d.Aliases, text(2))
		}
		for range 2 + r.IntN(5) {
			d.Headings = append(d.Headings, text(2+r.IntN(3)))
		}
		for range 1 + r.IntN(4) {
			d.Tags = append(d.Tags, vocab[zipf.Uint64()%500])
		}
		for range r.IntN(6) {
			d.Relations = append(d.Relations, text(2+r.IntN(2)))
		}
		docs[i] = d
	}
	return docs
}

// firstQueryQueries are the queries the size test runs: every two-letter
// start of a word (the widest prefix search.js expands), and whole words.
func firstQueryQueries(files map[string][]byte, t testing.TB) []string {
	ix := openIndex(t, files)
	prefixes := make(map[string]bool)
	for n := range ix.meta.Shards {
		for _, k := range ix.shard(n).K {
			if rs := []rune(k); len(rs) >= 2 {
				prefixes[string(rs[:2])] = true
			}
		}
	}
	qs := slices.Sorted(maps.Keys(prefixes))
	return append(qs, "leermanagers", "contracteren ", "psychologisch contract", "vaardighe",
		"leerbegeleiders eigenaarschap", "groepsdynamiek", "interveniëren", "de leer", "ontwikkeling")
}

// TestIndexSize checks that the first query of a visitor loads at most
// 1 MB of index (meta, the term shards its words fall in and the document
// shards of the results shown), however large the site.
func TestIndexSize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds indexes of 1,000 and 10,000 pages")
	}
	const budget = 1 << 20
	for _, n := range []int{1000, 10000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			files, err := Build(syntheticDocs(t, n))
			if err != nil {
				t.Fatal(err)
			}
			total, terms, docs := 0, 0, 0
			for p, b := range files {
				total += len(b)
				switch {
				case strings.HasPrefix(p, "search/t/"):
					terms++
				case strings.HasPrefix(p, "search/d/"):
					docs++
				}
			}
			worst, worstQuery, sum := 0, "", 0
			queries := firstQueryQueries(files, t)
			for _, q := range queries {
				ix := openIndex(t, files)
				ix.query(q, "", maxResults)
				got := ix.readBytes()
				sum += got
				if got > worst {
					worst, worstQuery = got, q
				}
				if got > budget {
					t.Errorf("first query %q loads %d bytes, want at most %d", q, got, budget)
				}
			}
			t.Logf("%d docs: index %d bytes in %d files (%d term shards, %d document shards); meta.js %d bytes",
				n, total, len(files), terms, docs, len(files["search/meta.js"]))
			t.Logf("%d docs: first query loads %d bytes on average over %d queries, at most %d (%q)",
				n, sum/len(queries), len(queries), worst, worstQuery)
		})
	}
}
