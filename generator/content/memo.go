package content

import (
	"hash/maphash"
	"sync"
)

// A Memo remembers parsed files from one Load to the next. The dev server
// loads every file again after each save; a file whose bytes and limits
// are what they were is not parsed again, and Load hands out a copy of the
// page it made before. Nothing is tracked: every file is still read and
// compared, so a memo can never hand out a stale page.
//
// The zero value is ready to use; a nil *Memo remembers nothing. Loads
// that share a Memo at once stay correct; they only forget more.
type Memo struct {
	mu      sync.Mutex
	seeds   [2]maphash.Seed
	entries map[string]*memoEntry // by path
	seen    map[string]bool       // paths the running load asked for
}

type memoEntry struct {
	sum   [2]uint64 // of the file's bytes
	lim   Limits
	page  *Page
	diags Diagnostics
}

// sum hashes src with two independent seeds: a 128-bit sum, so two
// different versions of one file colliding is out of reach.
func (m *Memo) sum(src []byte) [2]uint64 {
	return [2]uint64{maphash.Bytes(m.seeds[0], src), maphash.Bytes(m.seeds[1], src)}
}

// start begins a load.
func (m *Memo) start() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil {
		m.seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
		m.entries = map[string]*memoEntry{}
	}
	m.seen = map[string]bool{}
}

// parse is Parse, remembered.
func (m *Memo) parse(name string, src []byte, lim Limits) (*Page, Diagnostics) {
	if m == nil {
		return Parse(name, src, lim)
	}
	sum := m.sum(src)
	m.mu.Lock()
	e := m.entries[name]
	if m.seen != nil {
		m.seen[name] = true
	}
	m.mu.Unlock()
	if e == nil || e.sum != sum || e.lim != lim {
		p, diags := Parse(name, src, lim)
		e = &memoEntry{sum: sum, lim: lim, page: p, diags: diags}
		m.mu.Lock()
		m.entries[name] = e
		m.mu.Unlock()
	}
	// Load and the stages after it fill in and may replace fields of a
	// page (TitleKey, Aliases): each load gets its own copy. What the
	// copies share (Params, Body, KeyLines) is only read.
	var p *Page
	if e.page != nil {
		c := *e.page
		p = &c
	}
	return p, append(Diagnostics(nil), e.diags...)
}

// finish ends a load: files it did not read are forgotten.
func (m *Memo) finish() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for name := range m.entries {
		if m.seen != nil && !m.seen[name] {
			delete(m.entries, name)
		}
	}
	m.seen = nil
}
