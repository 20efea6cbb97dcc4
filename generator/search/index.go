package search

import (
	"encoding/json"
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

// posting is one document a term occurs in, with its score.
type posting struct {
	doc   int
	score int
}

// index holds the postings of every term.
type index struct {
	terms []string // sorted
	// The postings of terms[i] are docs[start[i]:start[i+1]], in document
	// order, with their scores in scores.
	start  []int32
	docs   []int32
	scores []uint16
}

// docTerms is one document tokenised: per field, its terms with their
// counts, and its length in terms.
type docTerms struct {
	worker int // the tokenizer that numbered the terms
	// terms holds term number << 32 | count, field after field; field f
	// is terms[end[f-1]:end[f]]. countTerms renumbers them in term order
	// and sorts each field.
	terms  []uint64
	end    [numFields]int32
	length [numFields]int32
}

// tokenizer turns documents into terms; each worker has its own, with its
// own numbering of terms, renumbered into the index's order afterwards.
type tokenizer struct {
	buf     []byte
	ids     map[string]int32 // folded word → local term number, or -1
	number  map[string]int32 // term → local term number
	terms   []string         // local term number → term
	count   []int32          // per local term, its count in the field at hand
	touched []int32
	out     []uint64
}

func newTokenizer() *tokenizer {
	return &tokenizer{ids: map[string]int32{}, number: map[string]int32{}}
}

// id returns the local number of a folded word's term, or -1 if it is no
// term.
func (tk *tokenizer) id(w []byte) int32 {
	if id, ok := tk.ids[string(w)]; ok {
		return id
	}
	word := string(w)
	id := int32(-1)
	if t, ok := term(word); ok {
		n, known := tk.number[t]
		if !known {
			n = int32(len(tk.terms))
			tk.number[t] = n
			tk.terms = append(tk.terms, t)
			tk.count = append(tk.count, 0)
		}
		id = n
	}
	if len(tk.ids) < 1<<20 {
		tk.ids[word] = id
	}
	return id
}

func (tk *tokenizer) doc(d Doc) docTerms {
	var dt docTerms
	tk.out = tk.out[:0]
	for f := range numFields {
		length := int32(0)
		for _, text := range f.texts(d) {
			tk.buf = eachWord(text, tk.buf, func(w []byte) bool {
				id := tk.id(w)
				if id < 0 {
					return true
				}
				if tk.count[id] == 0 {
					tk.touched = append(tk.touched, id)
				}
				tk.count[id]++
				length++
				return true
			})
		}
		for _, id := range tk.touched {
			tk.out = append(tk.out, uint64(id)<<32|uint64(tk.count[id]))
			tk.count[id] = 0
		}
		tk.touched = tk.touched[:0]
		dt.length[f] = length
		dt.end[f] = int32(len(tk.out))
	}
	dt.terms = slices.Clone(tk.out)
	return dt
}

// countTerms renumbers a document's terms with global numbers, which are
// in term order, and sorts each field's terms.
func (dt *docTerms) countTerms(global []int32) {
	start := int32(0)
	for f := range numFields {
		field := dt.terms[start:dt.end[f]]
		for i, e := range field {
			field[i] = uint64(global[e>>32])<<32 | e&(1<<32-1)
		}
		slices.Sort(field)
		start = dt.end[f]
	}
}

// parallel runs fn(w, i) for i in [0, n) on workers goroutines; worker w
// takes every workers-th i from w.
func parallel(workers, n int, fn func(w, i int)) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				fn(w, i)
			}
		}()
	}
	wg.Wait()
}

// newIndex tokenises the documents and scores every term in every
// document with BM25F.
func newIndex(docs []Doc) *index {
	// Tokenise in parallel, each worker with its own stemmer and term
	// numbers.
	dts := make([]docTerms, len(docs))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)))
	tks := make([]*tokenizer, workers)
	for w := range tks {
		tks[w] = newTokenizer()
	}
	parallel(workers, len(docs), func(w, i int) {
		dts[i] = tks[w].doc(docs[i])
		dts[i].worker = w
	})

	// Number the terms of the whole site in sorted order.
	vocab := make(map[string]bool)
	for _, tk := range tks {
		for _, t := range tk.terms {
			vocab[t] = true
		}
	}
	terms := make([]string, 0, len(vocab))
	for t := range vocab {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	number := make(map[string]int32, len(terms))
	for i, t := range terms {
		number[t] = int32(i)
	}
	globals := make([][]int32, len(tks))
	for w, tk := range tks {
		globals[w] = make([]int32, len(tk.terms))
		for i, t := range tk.terms {
			globals[w][i] = number[t]
		}
	}
	head := make([]int32, len(terms))
	for i := range head {
		head[i] = -1
	}
	for t, h := range compoundHeads(vocab) {
		head[number[t]] = number[h]
	}
	parallel(workers, len(docs), func(_, i int) { dts[i].countTerms(globals[dts[i].worker]) })

	var totalLen, nonEmpty [numFields]float64
	for i := range dts {
		for f := range numFields {
			if l := dts[i].length[f]; l > 0 {
				totalLen[f] += float64(l)
				nonEmpty[f]++
			}
		}
	}

	// Weighted term frequencies per document (BM25F), then document
	// frequencies.
	type weight struct {
		term int32
		w    float64
	}
	tfs := make([][]weight, len(docs))
	acc := make([][]float64, workers)
	seen := make([][]int32, workers)
	for w := range workers {
		acc[w] = make([]float64, len(terms))
		seen[w] = make([]int32, len(terms))
	}
	parallel(workers, len(docs), func(w, i int) {
		acc, seen := acc[w], seen[w]
		mark := int32(i + 1)
		var tf []weight
		add := func(t int32, w float64) {
			if seen[t] != mark {
				seen[t] = mark
				acc[t] = 0
				tf = append(tf, weight{term: t})
			}
			acc[t] += w
		}
		dt := &dts[i]
		start := int32(0)
		for f := range numFields {
			field := dt.terms[start:dt.end[f]]
			start = dt.end[f]
			if dt.length[f] == 0 {
				continue
			}
			avg := totalLen[f] / nonEmpty[f]
			b := f.lengthNorm()
			norm := float64(1-b) + float64(b*float64(dt.length[f])/avg)
			// In term order, so that sums of floats come out the same
			// every build.
			for _, e := range field {
				t, count := int32(e>>32), e&(1<<32-1)
				w := float64(f.weight()*float64(count)) / norm
				add(t, w)
				if h := head[t]; h >= 0 {
					add(h, float64(w*compoundWeight))
				}
			}
		}
		for k := range tf {
			tf[k].w = acc[tf[k].term]
		}
		tfs[i] = slices.Clip(tf)
		dts[i] = docTerms{}
	})

	df := make([]int32, len(terms))
	for _, tf := range tfs {
		for _, e := range tf {
			df[e.term]++
		}
	}
	ix := &index{terms: terms, start: make([]int32, len(terms)+1)}
	idf := make([]float64, len(terms))
	n := float64(len(docs))
	for t, d := range df {
		ix.start[t+1] = ix.start[t] + d
		idf[t] = math.Log(1 + float64(n-float64(d)+0.5)/float64(float64(d)+0.5))
	}
	ix.docs = make([]int32, ix.start[len(terms)])
	ix.scores = make([]uint16, ix.start[len(terms)])
	next := slices.Clone(ix.start[:len(terms)])
	for i, tf := range tfs {
		for _, e := range tf {
			s := float64(idf[e.term]*e.w*(bm25K1+1)) / float64(e.w+bm25K1)
			ix.docs[next[e.term]] = int32(i)
			ix.scores[next[e.term]] = uint16(roundScore(s))
			next[e.term]++
		}
		tfs[i] = nil
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
	for i, t := range ix.terms {
		if len(keys) > 0 && len(keys)+len(lists) >= termShardBytes {
			flush()
			first = t
		}
		if len(keys) > 0 {
			keys = append(keys, ',')
			lists = append(lists, ',')
		}
		keys = appendString(keys, t)
		from, to := ix.start[i], ix.start[i+1]
		lists = appendPostingList(lists, ix.docs[from:to], ix.scores[from:to])
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
	docs := make([]int32, len(ps))
	scores := make([]uint16, len(ps))
	for i, p := range ps {
		docs[i], scores[i] = int32(p.doc), uint16(p.score)
	}
	return appendPostingList(b, docs, scores)
}

// appendPostingList is appendPostings for postings held as two lists.
func appendPostingList(b []byte, docs []int32, scores []uint16) []byte {
	b = append(b, '"')
	prev := 0
	for i, d := range docs {
		b = appendVarint(b, int(d)-prev)
		b = append(b, digits[scores[i]/64], digits[scores[i]%64])
		prev = int(d)
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
