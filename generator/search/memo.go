package search

import (
	"crypto/sha256"
	"encoding/binary"
	"math/bits"
	"runtime"
	"slices"
	"sync"
)

// Memo remembers the terms of documents between builds, so that indexing
// a site where few pages changed costs the scoring, not the tokenising
// and stemming of every page again. Documents are known by a hash of the
// text they are indexed by; one that any build did not use is forgotten.
// The zero Memo is ready to use, by one Build at a time (a second waits).
type Memo struct {
	mu     sync.Mutex
	number map[string]int32 // term → its number
	terms  []string         // number → term
	sorted []int32          // term numbers in term order; nil when terms were added
	docs   map[[32]byte]*memoDoc

	headsKey [32]byte // of the terms the last heads were found among
	headsOf  []int32
}

// memoDoc is one document's terms: per field, term number << 32 | count,
// in term order, field after field; field f is terms[end[f-1]:end[f]].
// names holds, per term of the title or an alias, term number << 32 |
// the length in terms of the shortest of those names that holds it.
type memoDoc struct {
	terms  []uint64
	end    [numFields]int32
	length [numFields]int32
	names  []uint64
	used   bool
}

// Build is Build with the memo: the same files, faster when documents
// repeat.
func (m *Memo) Build(docs []Doc) (map[string][]byte, error) {
	return build(docs, m, true)
}

// index tokenises the documents it does not know and scores them all;
// remember says whether to learn the documents for the next call.
func (m *Memo) index(docs []Doc, remember bool) *index {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.number == nil {
		m.number = map[string]int32{}
		m.docs = map[[32]byte]*memoDoc{}
	}
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)))
	dts := make([]*memoDoc, len(docs))
	if !remember && len(m.docs) == 0 {
		// Nothing to look up and nothing to keep: hashing every
		// document's text for a key would be wasted.
		all := make([]int, len(docs))
		for i := range all {
			all[i] = i
		}
		if len(all) > 0 {
			m.tokenise(docs, all, dts, workers)
		}
		return m.score(dts)
	}
	keys := make([][32]byte, len(docs))
	parallel(workers, len(docs), func(_, i int) { keys[i] = docKey(docs[i]) })
	var fresh []int // documents to tokenise
	for i, k := range keys {
		if dt := m.docs[k]; dt != nil {
			dts[i] = dt
		} else {
			fresh = append(fresh, i)
		}
	}
	if len(fresh) > 0 {
		m.tokenise(docs, fresh, dts, workers)
	}
	for _, dt := range m.docs {
		dt.used = false
	}
	for i, dt := range dts {
		dt.used = true
		m.docs[keys[i]] = dt
	}
	for k, dt := range m.docs {
		if !dt.used {
			delete(m.docs, k)
		}
	}
	return m.score(dts)
}

// tokenise turns the fresh documents into terms numbered in m.
func (m *Memo) tokenise(docs []Doc, fresh []int, dts []*memoDoc, workers int) {
	workers = max(1, min(workers, len(fresh)))
	tks := make([]*tokenizer, workers)
	for w := range tks {
		tks[w] = newTokenizer()
	}
	local := make([]docTerms, len(fresh))
	parallel(workers, len(fresh), func(w, j int) {
		local[j] = tks[w].doc(docs[fresh[j]])
		local[j].worker = w
	})
	// Number the new terms, and put all in order again.
	global := make([][]int32, workers)
	for w, tk := range tks {
		global[w] = make([]int32, len(tk.terms))
		for i, t := range tk.terms {
			n, ok := m.number[t]
			if !ok {
				n = int32(len(m.terms))
				m.number[t] = n
				m.terms = append(m.terms, t)
				m.sorted = nil
			}
			global[w][i] = n
		}
	}
	order := m.order()
	rank := make([]int32, len(m.terms))
	for r, t := range order {
		rank[t] = int32(r)
	}
	sorters := make([]rankSorter, workers)
	parallel(workers, len(fresh), func(w, j int) {
		lt := &local[j]
		g := global[lt.worker]
		dt := &memoDoc{terms: lt.terms, end: lt.end, length: lt.length, names: lt.names}
		for i, e := range dt.names {
			dt.names[i] = uint64(g[e>>32])<<32 | e&(1<<32-1)
		}
		start := int32(0)
		for f := range numFields {
			field := dt.terms[start:dt.end[f]]
			for i, e := range field {
				field[i] = uint64(rank[g[e>>32]])<<32 | e&(1<<32-1)
			}
			sorters[w].sort(field, order)
			start = dt.end[f]
		}
		dts[fresh[j]] = dt
	})
}

// rankSorter puts the terms of a field in term order; each worker has its
// own.
type rankSorter struct {
	bits  []uint64 // a bit per rank, all clear between calls
	count []uint32 // per rank whose bit is set, its count
}

// sort sorts field, whose entries are rank << 32 | count with distinct
// ranks, and makes them term number << 32 | count, order giving the term
// number of each rank. A field whose ranks lie close enough together is
// sorted by setting their bits and reading the set bits back in order: a
// page's body holds hundreds of terms, and one pass over its stretch of
// the bitmap costs less than comparing them.
func (s *rankSorter) sort(field []uint64, order []int32) {
	if len(field) < 2 {
		for i, e := range field {
			field[i] = uint64(order[e>>32])<<32 | e&(1<<32-1)
		}
		return
	}
	lo, hi := field[0]>>32, field[0]>>32
	for _, e := range field {
		lo, hi = min(lo, e>>32), max(hi, e>>32)
	}
	if words := hi/64 - lo/64 + 1; words > uint64(4*len(field)) {
		slices.Sort(field)
		for i, e := range field {
			field[i] = uint64(order[e>>32])<<32 | e&(1<<32-1)
		}
		return
	}
	if len(s.count) < len(order) {
		s.bits = make([]uint64, (len(order)+63)/64)
		s.count = make([]uint32, len(order))
	}
	for _, e := range field {
		r := e >> 32
		s.bits[r/64] |= 1 << (r % 64)
		s.count[r] = uint32(e)
	}
	i := 0
	for w := lo / 64; w <= hi/64; w++ {
		for x := s.bits[w]; x != 0; x &= x - 1 {
			r := w*64 + uint64(bits.TrailingZeros64(x))
			field[i] = uint64(order[r])<<32 | uint64(s.count[r])
			i++
		}
		s.bits[w] = 0
	}
}

// order returns the term numbers in term order.
func (m *Memo) order() []int32 {
	if m.sorted == nil || len(m.sorted) != len(m.terms) {
		m.sorted = make([]int32, len(m.terms))
		for i := range m.sorted {
			m.sorted[i] = int32(i)
		}
		slices.SortFunc(m.sorted, func(a, b int32) int {
			return cmpString(m.terms[a], m.terms[b])
		})
	}
	return m.sorted
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// heads returns, per term number, the number of its compound head or -1,
// among the terms in use (see compoundHeads).
func (m *Memo) heads(used []bool) []int32 {
	h := sha256.New()
	var b [4]byte
	for t, u := range used {
		if u {
			binary.LittleEndian.PutUint32(b[:], uint32(t))
			h.Write(b[:])
		}
	}
	var key [32]byte
	h.Sum(key[:0])
	if key != m.headsKey || m.headsOf == nil {
		vocab := make(map[string]bool, len(used))
		for t, u := range used {
			if u {
				vocab[m.terms[t]] = true
			}
		}
		m.headsOf = make([]int32, len(used))
		for i := range m.headsOf {
			m.headsOf[i] = -1
		}
		for t, hd := range compoundHeads(vocab) {
			m.headsOf[m.number[t]] = m.number[hd]
		}
		m.headsKey = key
	}
	for len(m.headsOf) < len(used) {
		m.headsOf = append(m.headsOf, -1)
	}
	return m.headsOf
}

// docKey identifies a document by the text it is indexed by, field by
// field.
func docKey(d Doc) [32]byte {
	h := sha256.New()
	var n [8]byte
	var buf [1024]byte
	for f := range numFields {
		texts := f.texts(d)
		binary.LittleEndian.PutUint64(n[:], uint64(len(texts)))
		h.Write(n[:])
		for _, t := range texts {
			binary.LittleEndian.PutUint64(n[:], uint64(len(t)))
			h.Write(n[:])
			// Through a buffer on the stack: h.Write([]byte(t)) would
			// copy the whole text to the heap.
			for len(t) > 0 {
				k := copy(buf[:], t)
				h.Write(buf[:k])
				t = t[k:]
			}
		}
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// docTerms is one document tokenised: per field, its terms with their
// counts, and its length in terms; and the terms of its names.
type docTerms struct {
	worker int // the tokenizer that numbered the terms
	// terms holds term number << 32 | count, field after field; field f
	// is terms[end[f-1]:end[f]]. Memo.tokenise renumbers them in term
	// order and sorts each field.
	terms  []uint64
	end    [numFields]int32
	length [numFields]int32
	// names holds term number << 32 | name length, as memoDoc.names.
	names []uint64
}

// tokenizer turns documents into terms; each worker has its own, with its
// own numbering of terms, renumbered into the index's order afterwards.
type tokenizer struct {
	buf []byte
	ids map[string]int32 // folded word → local term number, or -1
	// short caches ids for words of at most sixteen bytes, the most
	// frequent: a slot is known by the packed word alone, which costs
	// less than hashing a string for the map.
	short   *[1 << shortBits]shortSlot
	number  map[string]int32 // term → local term number
	terms   []string         // local term number → term
	count   []int32          // per local term, its count in the field at hand
	touched []int32
	out     []uint64
	name    []int32 // the terms of the name at hand
	nameLen []int32 // per local term, its shortest name so far in the document, or 0
	named   []int32 // the terms with a nameLen
}

func newTokenizer() *tokenizer {
	return &tokenizer{ids: map[string]int32{}, number: map[string]int32{}, short: new([1 << shortBits]shortSlot)}
}

// shortBits is log2 of the slots of tokenizer.short: 96 KiB of them,
// enough for a site's frequent words.
const shortBits = 12

// shortSlot is a packed word (see pack) with its id; zero for none.
type shortSlot struct {
	word [2]uint64
	id   int32
}

// id returns the local number of the term of the word sp found, or -1 if
// it is no term.
func (tk *tokenizer) id(sp *splitter) int32 {
	if sp.short[0] == 0 {
		return tk.lookup(sp)
	}
	// A direct-mapped cache: the top bits of a multiplication pick the
	// slot, and a word that finds another in it takes its place.
	h := (sp.short[0] ^ sp.short[1]*0xBF58476D1CE4E5B9) * 0x9E3779B97F4A7C15
	slot := &tk.short[h>>(64-shortBits)]
	if slot.word != sp.short {
		*slot = shortSlot{word: sp.short, id: tk.lookup(sp)}
	}
	return slot.id
}

// lookup is id without the cache of short words.
func (tk *tokenizer) lookup(sp *splitter) int32 {
	if id, ok := lookup(tk.ids, sp); ok {
		return id
	}
	word := sp.word()
	id := int32(-1)
	if t, ok := term(word); ok {
		n, known := tk.number[t]
		if !known {
			n = int32(len(tk.terms))
			tk.number[t] = n
			tk.terms = append(tk.terms, t)
			tk.count = append(tk.count, 0)
			tk.nameLen = append(tk.nameLen, 0)
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
		isName := f.isName()
		for _, text := range f.texts(d) {
			tk.name = tk.name[:0]
			sp := splitter{text: text, buf: tk.buf}
			for sp.next() {
				id := tk.id(&sp)
				if id < 0 {
					continue
				}
				if tk.count[id] == 0 {
					tk.touched = append(tk.touched, id)
				}
				tk.count[id]++
				length++
				if isName {
					tk.name = append(tk.name, id)
				}
			}
			tk.buf = sp.buf
			if isName {
				tk.addName()
			}
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
	for _, id := range tk.named {
		dt.names = append(dt.names, uint64(id)<<32|uint64(tk.nameLen[id]))
		tk.nameLen[id] = 0
	}
	tk.named = tk.named[:0]
	return dt
}

// addName records the terms of tk.name, a title or an alias, with the
// number of distinct terms the name has.
func (tk *tokenizer) addName() {
	slices.Sort(tk.name)
	ids := slices.Compact(tk.name)
	n := int32(len(ids))
	for _, id := range ids {
		switch l := tk.nameLen[id]; {
		case l == 0:
			tk.named = append(tk.named, id)
			tk.nameLen[id] = n
		case n < l:
			tk.nameLen[id] = n
		}
	}
}
