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

// isName reports whether each text of the field is a name of the
// document: the title and the aliases.
func (f field) isName() bool {
	return f == fieldTitle || f == fieldAliases
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
	// The name postings of terms[i] are nameDocs[nameStart[i]:nameStart[i+1]],
	// in document order, with the lengths of the names in nameLens.
	nameStart []int32
	nameDocs  []int32
	nameLens  []int32
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

// score weighs every term of every document with BM25F. The documents'
// terms are numbers in m, in term order within each field.
func (m *Memo) score(dts []*memoDoc) *index {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(dts)))
	nterms := len(m.terms)
	used := make([]bool, nterms)
	var totalLen, nonEmpty [numFields]float64
	for _, dt := range dts {
		for _, e := range dt.terms {
			used[e>>32] = true
		}
		for f := range numFields {
			if l := dt.length[f]; l > 0 {
				totalLen[f] += float64(l)
				nonEmpty[f]++
			}
		}
	}
	head := m.heads(used)

	// BM25F weighs each term of a document by its counts in the fields;
	// weigh computes the weights of document i and hands them to fn. It is
	// run twice, to count documents per term and then to write postings,
	// rather than keeping every weight in between.
	acc := make([][]float64, workers)
	seen := make([][]int32, workers)
	touched := make([][]int32, workers)
	for w := range workers {
		acc[w] = make([]float64, nterms)
		seen[w] = make([]int32, nterms)
	}
	weigh := func(w, i int, pass int32, fn func(t int32, w float64)) {
		acc, seen := acc[w], seen[w]
		mark := int32(2*i + int(pass) + 1)
		tf := touched[w][:0]
		add := func(t int32, w float64) {
			if seen[t] != mark {
				seen[t] = mark
				acc[t] = 0
				tf = append(tf, t)
			}
			acc[t] += w
		}
		dt := dts[i]
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
		for _, t := range tf {
			fn(t, acc[t])
		}
		touched[w] = tf
	}

	// Documents per term, per block of documents: each worker takes one
	// block, so the postings of a term come out in document order.
	blocks := make([][]int32, workers)
	block := func(b int) (int, int) { return b * len(dts) / workers, (b + 1) * len(dts) / workers }
	parallel(workers, workers, func(_, b int) {
		count := make([]int32, nterms)
		from, to := block(b)
		for i := from; i < to; i++ {
			weigh(b, i, 0, func(t int32, _ float64) { count[t]++ })
		}
		blocks[b] = count
	})
	df := make([]int32, nterms)
	for _, count := range blocks {
		for t, c := range count {
			df[t] += c
		}
	}
	// The index's terms are those in use, in order.
	rank := make([]int32, nterms)
	ix := &index{}
	for _, t := range m.order() {
		if used[t] {
			rank[t] = int32(len(ix.terms))
			ix.terms = append(ix.terms, m.terms[t])
		}
	}
	ix.start = make([]int32, len(ix.terms)+1)
	idf := make([]float64, nterms)
	n := float64(len(dts))
	for t, d := range df {
		if !used[t] {
			continue
		}
		ix.start[rank[t]+1] = d
		idf[t] = math.Log(1 + float64(n-float64(d)+0.5)/float64(float64(d)+0.5))
	}
	for i := range ix.terms {
		ix.start[i+1] += ix.start[i]
	}
	// Where each block's postings of each term start.
	for t := range nterms {
		if !used[t] {
			continue
		}
		at := ix.start[rank[t]]
		for _, count := range blocks {
			c := count[t]
			count[t] = at
			at += c
		}
	}
	ix.docs = make([]int32, ix.start[len(ix.terms)])
	ix.scores = make([]uint16, ix.start[len(ix.terms)])
	parallel(workers, workers, func(_, b int) {
		next := blocks[b]
		from, to := block(b)
		for i := from; i < to; i++ {
			weigh(b, i, 1, func(t int32, w float64) {
				s := float64(idf[t]*w*(bm25K1+1)) / float64(w+bm25K1)
				ix.docs[next[t]] = int32(i)
				ix.scores[next[t]] = uint16(roundScore(s))
				next[t]++
			})
		}
	})
	ix.names(dts, rank)
	return ix
}

// names fills in the name postings of the index; rank maps term numbers
// to the index's terms.
func (ix *index) names(dts []*memoDoc, rank []int32) {
	ix.nameStart = make([]int32, len(ix.terms)+1)
	for _, dt := range dts {
		for _, e := range dt.names {
			ix.nameStart[rank[e>>32]+1]++
		}
	}
	for i := range ix.terms {
		ix.nameStart[i+1] += ix.nameStart[i]
	}
	next := slices.Clone(ix.nameStart[:len(ix.terms)])
	ix.nameDocs = make([]int32, ix.nameStart[len(ix.terms)])
	ix.nameLens = make([]int32, len(ix.nameDocs))
	for i, dt := range dts {
		for _, e := range dt.names {
			r := rank[e>>32]
			ix.nameDocs[next[r]] = int32(i)
			ix.nameLens[next[r]] = int32(e & (1<<32 - 1))
			next[r]++
		}
	}
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
// encodes each as {"k":[terms],"p":[postings,...],"n":[name postings,...]}
// (see appendPostings and appendNamePostings); entity says which
// documents are entity pages. The first shard starts at "" so that every
// string falls in some shard.
func (ix *index) termShards(entity []bool) []termShard {
	var shards []termShard
	var keys, lists, names []byte
	first := ""
	flush := func() {
		data := make([]byte, 0, len(keys)+len(lists)+len(names)+24)
		data = append(data, `{"k":[`...)
		data = append(data, keys...)
		data = append(data, `],"p":[`...)
		data = append(data, lists...)
		data = append(data, `],"n":[`...)
		data = append(data, names...)
		data = append(data, "]}"...)
		shards = append(shards, termShard{first: first, json: data})
		keys, lists, names = keys[:0], lists[:0], names[:0]
	}
	for i, t := range ix.terms {
		if len(keys) > 0 && len(keys)+len(lists)+len(names) >= termShardBytes {
			flush()
			first = t
		}
		if len(keys) > 0 {
			keys = append(keys, ',')
			lists = append(lists, ',')
			names = append(names, ',')
		}
		keys = appendString(keys, t)
		from, to := ix.start[i], ix.start[i+1]
		lists = appendPostingList(lists, ix.docs[from:to], ix.scores[from:to])
		from, to = ix.nameStart[i], ix.nameStart[i+1]
		names = appendNamePostings(names, ix.nameDocs[from:to], ix.nameLens[from:to], entity)
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

// maxNameLen is the longest name length a name posting tells apart;
// longer names count as this long.
const maxNameLen = 31

// appendNamePostings encodes the name postings of a term as a JSON
// string: per document whose title or an alias holds the term, the
// distance to the previous document number as in appendPostings, then
// one digit: the length in terms of the shortest such name (at most
// maxNameLen), plus 32 if the document is an entity page.
func appendNamePostings(b []byte, docs, lens []int32, entity []bool) []byte {
	b = append(b, '"')
	prev := 0
	for i, d := range docs {
		b = appendVarint(b, int(d)-prev)
		code := min(int(lens[i]), maxNameLen)
		if entity[d] {
			code += 32
		}
		b = append(b, digits[code])
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
