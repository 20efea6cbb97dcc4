package content

import (
	"hash/maphash"
	"sync"
	"time"
)

// A Memo remembers parsed files from one Load to the next. The dev server
// loads every file again after each save; a file whose bytes and limits
// are what they were is not parsed again, and Load hands out a copy of the
// page it made before. Nothing is tracked: each file is compared afresh,
// by its bytes, or, when the file system vouches for them, by what it
// says about the file (see stat).
//
// The zero value is ready to use; a nil *Memo remembers nothing. Loads
// that share a Memo at once stay correct; they only forget more.
type Memo struct {
	// Margin is how much older than the moment it is read a file must be
	// to be trusted by its stat; zero means staleAfter.
	Margin time.Duration

	mu      sync.Mutex
	skipped int // files not read: their stat was trusted
	seeds   [2]maphash.Seed
	entries map[string]*memoEntry // by path
	load    uint64                // the running load's number; entries it asked for carry it
}

type memoEntry struct {
	sum   [2]uint64 // of the file's bytes
	lim   Limits
	page  *Page
	diags Diagnostics
	stat  stat // of the file when it was read; zero: unknown
	// trusted says the file was old when it was read (see stat): a file
	// with the same stat now has the same bytes.
	trusted bool
	seen    uint64 // the last load that asked for it (Memo.load)
}

// stat is what the file system says about a file, such that any write to
// it changes at least one part: size, modification and change times (the
// change time cannot be set back by any program), inode and device. This
// is how git and make tell changed files, and it has their one weak spot,
// which is handled the same way: timestamps have a granularity, so two
// writes close together may leave the same times. A file is only trusted
// by its stat when both its times were at least staleAfter older than the
// moment it was read; any later write then makes them differ.
type stat struct {
	size         int64
	mtime, ctime int64 // nanoseconds
	ino, dev     uint64
}

// staleAfter is the margin for timestamp granularity, generous for file
// systems with coarse clocks (FAT keeps two seconds).
const staleAfter = 3 * time.Second

// known returns the page of a file whose stat is what it was when it was
// read and trusted then, without reading it.
func (m *Memo) known(name string, st stat, lim Limits) (*Page, Diagnostics, bool) {
	if m == nil || st == (stat{}) {
		return nil, nil, false
	}
	m.mu.Lock()
	e := m.entries[name]
	hit := e != nil && e.trusted && e.stat == st && e.lim == lim
	if hit {
		m.skipped++
		e.seen = m.load
	}
	m.mu.Unlock()
	if !hit {
		return nil, nil, false
	}
	p, diags := e.copy()
	return p, diags, true
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
	m.load++
}

// parse is Parse, remembered. st is the file's stat before it was read
// (zero: unknown), and read when.
func (m *Memo) parse(name string, src []byte, lim Limits, st stat, read time.Time) (*Page, Diagnostics) {
	if m == nil {
		return Parse(name, src, lim)
	}
	margin := m.Margin
	if margin == 0 {
		margin = staleAfter
	}
	old := read.Add(-margin).UnixNano()
	// A file system that keeps no change time (some FUSE ones say 0)
	// cannot vouch for a file.
	trusted := st.ctime != 0 && st.mtime < old && st.ctime < old
	sum := m.sum(src)
	m.mu.Lock()
	e := m.entries[name]
	m.mu.Unlock()
	if e == nil || e.sum != sum || e.lim != lim {
		p, diags := Parse(name, src, lim)
		e = &memoEntry{sum: sum, lim: lim, page: p, diags: diags}
	} else {
		e = &memoEntry{sum: e.sum, lim: e.lim, page: e.page, diags: e.diags}
	}
	e.stat, e.trusted = st, trusted
	m.mu.Lock()
	e.seen = m.load
	m.entries[name] = e
	m.mu.Unlock()
	return e.copy()
}

// copy returns the entry's page for one load. Load and the stages after
// it fill in and may replace fields of a page (TitleKey, Aliases): each
// load gets its own copy. What the copies share (Params, Body, KeyLines)
// is only read.
func (e *memoEntry) copy() (*Page, Diagnostics) {
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
	for name, e := range m.entries {
		if e.seen != m.load {
			delete(m.entries, name)
		}
	}
}
