package search

import (
	"encoding/json"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
)

// field is a part of a document that is indexed with its own weight.
type field int

const (
	fieldTitle field = iota
	fieldAliases
	fieldTags
	fieldHeadings
	fieldRelations
	fieldSummary
	fieldBody
	numFields
)

// weight is how much one occurrence of a term in the field counts,
// relative to the body.
func (f field) weight() float64 {
	switch f {
	case fieldTitle:
		return 10
	case fieldAliases:
		return 8
	case fieldTags:
		return 5
	case fieldHeadings:
		return 4
	case fieldRelations:
		return 3
	case fieldSummary:
		return 2
	}
	return 1
}

// lengthNorm is BM25's b for the field: how much a long field is
// penalised. Short fields (titles, tags) hardly vary in length.
func (f field) lengthNorm() float64 {
	switch f {
	case fieldSummary, fieldBody:
		return 0.75
	}
	return 0.3
}

// texts returns the strings of a document that make up the field.
func (f field) texts(d Doc) []string {
	switch f {
	case fieldTitle:
		return []string{d.Title}
	case fieldAliases:
		return d.Aliases
	case fieldTags:
		return d.Tags
	case fieldHeadings:
		return d.Headings
	case fieldRelations:
		return d.Relations
	case fieldSummary:
		return []string{d.Summary}
	}
	return []string{d.Body}
}

// Ranking constants.
const (
	bm25K1         = 1.2
	compoundWeight = 0.5 // a compound counts this much for its last part
	scoreScale     = 100 // postings store round(score × scoreScale)
	minModifierLen = 3   // "leer" in "leerbegeleider"
	minHeadLen     = 4   // "vorm" in "werkvorm"
)

// fieldTerms holds the terms of one field of one document.
type fieldTerms struct {
	counts map[string]int
	length int
}

// posting is one document a term occurs in, with its score.
type posting struct {
	doc   int
	score int
}

// index holds the postings of every term.
type index struct {
	terms    []string // sorted
	postings map[string][]posting
}

// newIndex tokenises the documents and scores every term in every
// document with BM25F.
func newIndex(docs []Doc) *index {
	fields := make([][numFields]fieldTerms, len(docs))
	var totalLen, nonEmpty [numFields]float64
	vocab := make(map[string]bool)
	// Tokenise in parallel, each worker with its own stemmer; then add up
	// in document order.
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &stemmer{}
			for i := w; i < len(docs); i += workers {
				for f := range numFields {
					ft := fieldTerms{counts: make(map[string]int)}
					for _, text := range f.texts(docs[i]) {
						for _, t := range st.normalize(text) {
							ft.counts[t]++
							ft.length++
						}
					}
					fields[i][f] = ft
				}
			}
		}()
	}
	wg.Wait()
	for i := range docs {
		for f := range numFields {
			ft := fields[i][f]
			for t := range ft.counts {
				vocab[t] = true
			}
			if ft.length > 0 {
				totalLen[f] += float64(ft.length)
				nonEmpty[f]++
			}
		}
	}
	heads := compoundHeads(vocab)

	// Weighted term frequencies per document (BM25F), then document
	// frequencies.
	tfs := make([]map[string]float64, len(docs))
	df := make(map[string]int)
	for i := range docs {
		tf := make(map[string]float64)
		for f := range numFields {
			ft := fields[i][f]
			if ft.length == 0 {
				continue
			}
			avg := totalLen[f] / nonEmpty[f]
			b := f.lengthNorm()
			norm := float64(1-b) + float64(b*float64(ft.length)/avg)
			// Sorted, so that sums of floats come out the same every build.
			for _, t := range slices.Sorted(maps.Keys(ft.counts)) {
				w := float64(f.weight()*float64(ft.counts[t])) / norm
				tf[t] += w
				if h, ok := heads[t]; ok {
					tf[h] += float64(w * compoundWeight)
				}
			}
		}
		for t := range tf {
			df[t]++
		}
		tfs[i] = tf
	}

	ix := &index{postings: make(map[string][]posting, len(df))}
	for t := range df {
		ix.terms = append(ix.terms, t)
	}
	slices.Sort(ix.terms)
	n := float64(len(docs))
	for i, tf := range tfs {
		for t, w := range tf {
			idf := math.Log(1 + float64(n-float64(df[t])+0.5)/float64(float64(df[t])+0.5))
			s := float64(idf*w*(bm25K1+1)) / float64(w+bm25K1)
			ix.postings[t] = append(ix.postings[t], posting{doc: i, score: roundScore(s)})
		}
	}
	return ix
}

// compoundHeads finds, for each term that is a compound of two other
// terms, its last part: the head, which in Dutch says what the whole is
// ("groepsdynamiek" → "dynamiek"). Both parts must be terms of the site;
// the first may carry a linking "s" or "e(n)" that stemming removes
// ("groeps" → "groep"). The longest head wins.
func compoundHeads(vocab map[string]bool) map[string]string {
	heads := make(map[string]string)
	for t := range vocab {
		if len(t) < minModifierLen+minHeadLen || !isASCII(t) {
			continue
		}
		for i := minModifierLen; i <= len(t)-minHeadLen; i++ {
			head, mod := t[i:], t[:i]
			if vocab[head] && (vocab[mod] || vocab[stemFolded(mod)]) {
				heads[t] = head
				break
			}
		}
	}
	return heads
}

// isASCII reports whether s holds only ASCII characters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// termShard is one term shard: its first term and its JSON.
type termShard struct {
	first string
	json  []byte
}

// termShards cuts the sorted terms into runs of about termShardBytes and
// encodes each as {"k":[terms],"p":[postings,...]} (see appendPostings). The first
// shard starts at "" so that every string falls in some shard.
func (ix *index) termShards() []termShard {
	var shards []termShard
	var keys, lists []byte
	first := ""
	flush := func() {
		data := make([]byte, 0, len(keys)+len(lists)+16)
		data = append(data, `{"k":[`...)
		data = append(data, keys...)
		data = append(data, `],"p":[`...)
		data = append(data, lists...)
		data = append(data, "]}"...)
		shards = append(shards, termShard{first: first, json: data})
		keys, lists = keys[:0], lists[:0]
	}
	for _, t := range ix.terms {
		if len(keys) > 0 && len(keys)+len(lists) >= termShardBytes {
			flush()
			first = t
		}
		if len(keys) > 0 {
			keys = append(keys, ',')
			lists = append(lists, ',')
		}
		keys = appendString(keys, t)
		lists = appendPostings(lists, ix.postings[t])
	}
	flush()
	return shards
}

// digits is the alphabet of encoded postings: 64 characters that need no
// escaping in JSON, each standing for its index.
const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

// maxScore is the largest score two digits hold.
const maxScore = 64*64 - 1

// appendPostings encodes postings as a JSON string: per posting the
// distance to the previous document number as a variable-length number
// (five bits a digit, most significant first, digits worth 32 or more
// saying that another follows), then the score in two digits. That is
// about three and a half bytes a posting, half of a JSON array of numbers.
func appendPostings(b []byte, ps []posting) []byte {
	b = append(b, '"')
	prev := 0
	for _, p := range ps {
		b = appendVarint(b, p.doc-prev)
		b = append(b, digits[p.score/64], digits[p.score%64])
		prev = p.doc
	}
	return append(b, '"')
}

// appendVarint appends n ≥ 0 in base 32, continuation digits offset by 32.
func appendVarint(b []byte, n int) []byte {
	var buf [8]byte
	i := len(buf) - 1
	buf[i] = digits[n%32]
	for n /= 32; n > 0; n /= 32 {
		i--
		buf[i] = digits[32+n%32]
	}
	return append(b, buf[i:]...)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	q, err := json.Marshal(s)
	if err != nil { // cannot happen: every Go string encodes
		panic(err)
	}
	return append(b, q...)
}
