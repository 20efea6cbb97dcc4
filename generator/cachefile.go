package generator

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"kennisbank/generator/markdown"
)

// A cache kept on disk is one file, cacheFile, in its folder. It starts
// with cacheMagic and the sum of the program that wrote it: a different
// build of kennisbank may render differently, so it starts afresh.
const (
	cacheFile  = "build-cache"
	cacheMagic = "kennisbank build cache 1\n"
)

// OpenCache returns a cache kept in dir between runs. Nothing is read
// until a build uses it; a missing, unreadable or outdated cache is an
// empty one. Call Save after the build to keep what it made. The folder
// must not be inside the output folder.
func OpenCache(dir string) *Cache {
	return &Cache{dir: dir, budget: diskBudget}
}

// DefaultCacheDir is the cache folder for a site: a folder of its own
// under the user's cache folder, named by a hash of the site's absolute
// path.
func DefaultCacheDir(source string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "kennisbank", hex.EncodeToString(sum[:8])), nil
}

// Dir returns the folder of a cache kept on disk, or "".
func (c *Cache) Dir() string {
	if c == nil {
		return ""
	}
	return c.dir
}

// programSum identifies the running program.
var programSum = sync.OnceValue(func() [32]byte {
	var sum [32]byte
	exe, err := os.Executable()
	if err != nil {
		return sum
	}
	f, err := os.Open(exe)
	if err != nil {
		return sum
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum
	}
	h.Sum(sum[:0])
	return sum
})

// Save writes the cache to its folder, if it has one and anything changed
// since it was read or last saved. It replaces the file in one step, so a
// killed save leaves the previous cache.
func (c *Cache) Save() error {
	if c == nil || c.dir == "" {
		return nil
	}
	c.load()
	c.mu.Lock()
	if !c.changed {
		c.mu.Unlock()
		return nil
	}
	mds := make([]*mdEntry, 0, len(c.md))
	paths := sortedKeys(c.md)
	for _, p := range paths {
		mds = append(mds, c.md[p])
	}
	type page struct {
		key dataKey
		out []byte
	}
	pages := make([]page, 0, len(c.pages))
	for k, e := range c.pages {
		pages = append(pages, page{k, e.out})
	}
	extras := make([]*extraEntry, 0, len(c.extras))
	names := sortedKeys(c.extras)
	for _, n := range names {
		extras = append(extras, c.extras[n])
	}
	c.changed = false
	c.mu.Unlock()

	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	removeStaleTemp(c.dir)
	tmp, err := os.CreateTemp(c.dir, cacheFile+".tmp-*")
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	var e encoder
	e.b = append(e.b, cacheMagic...)
	sum := programSum()
	e.b = append(e.b, sum[:]...)
	e.uint(uint64(len(mds)))
	for i, m := range mds {
		e.entry(paths[i], m)
		if err := e.flush(w); err != nil {
			return err
		}
	}
	e.uint(uint64(len(pages)))
	for _, p := range pages {
		e.b = append(e.b, p.key[:]...)
		e.bytes(p.out)
		if err := e.flush(w); err != nil {
			return err
		}
	}
	e.uint(uint64(len(extras)))
	for i, x := range extras {
		e.string(names[i])
		e.b = append(e.b, x.key[:]...)
		files := sortedKeys(x.files)
		e.uint(uint64(len(files)))
		for _, f := range files {
			e.string(f)
			e.bytes(x.files[f])
		}
		if err := e.flush(w); err != nil {
			return err
		}
	}
	if _, err := w.Write(e.b); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, cacheFile)); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// removeStaleTemp removes what saves killed long ago left in dir; a save
// running now is not that old.
func removeStaleTemp(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), cacheFile+".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// readDir reads the cache file of c.dir into c. Entries read are unused
// until a build finds them: a build that does not is free to drop them.
func (c *Cache) readDir() error {
	b, err := os.ReadFile(filepath.Join(c.dir, cacheFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	sum := programSum()
	if !bytes.HasPrefix(b, []byte(cacheMagic)) || len(b) < len(cacheMagic)+32 || !bytes.Equal(b[len(cacheMagic):len(cacheMagic)+32], sum[:]) {
		return nil // another format or another program: start afresh
	}
	d := decoder{b: b[len(cacheMagic)+32:]}
	md := map[string]*mdEntry{}
	for n := d.uint(); n > 0 && d.err == nil; n-- {
		path, e := d.entry()
		md[path] = e
	}
	pages := map[dataKey]*pageEntry{}
	for n := d.uint(); n > 0 && d.err == nil; n-- {
		var k dataKey
		d.fixed(k[:])
		pages[k] = &pageEntry{out: d.bytes()}
	}
	extras := map[string]*extraEntry{}
	for n := d.uint(); n > 0 && d.err == nil; n-- {
		name := d.string()
		x := &extraEntry{files: map[string][]byte{}}
		d.fixed(x.key[:])
		for m := d.uint(); m > 0 && d.err == nil; m-- {
			f := d.string()
			x.files[f] = d.bytes()
		}
		extras[name] = x
	}
	if d.err != nil {
		return nil // damaged: start afresh
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.md, c.pages, c.extras = md, pages, extras
	c.size = 0
	for _, e := range md {
		c.size += e.bytes()
	}
	for _, e := range pages {
		c.size += int64(len(e.out))
	}
	for _, e := range extras {
		c.size += e.bytes()
	}
	return nil
}

// encoder appends the cache's binary form: unsigned varints, and strings
// and byte slices as a length and their bytes.
type encoder struct{ b []byte }

func (e *encoder) uint(n uint64)   { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) int(n int)       { e.b = binary.AppendVarint(e.b, int64(n)) }
func (e *encoder) string(s string) { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) bytes(s []byte)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) sum(s [32]byte)  { e.b = append(e.b, s[:]...) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) flush(w io.Writer) error {
	if len(e.b) < 1<<20 {
		return nil
	}
	_, err := w.Write(e.b)
	e.b = e.b[:0]
	if err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

func (e *encoder) refs(refs []markdown.Ref) {
	e.uint(uint64(len(refs)))
	for _, r := range refs {
		e.bool(r.Wiki)
		e.string(r.Target)
		e.string(r.Fragment)
		e.string(r.Raw)
		e.int(r.Line)
		e.int(r.Col)
		e.string(r.Context)
	}
}

func (e *encoder) entry(path string, m *mdEntry) {
	e.string(path)
	e.sum(m.sum)
	e.sum(m.htmlSum)
	e.sum(m.textSum)
	e.sum(m.in.options)
	e.int(m.in.bodyLine)
	e.string(m.in.prefix)
	r := m.result
	e.string(m.html)
	e.uint(uint64(len(r.Headings)))
	for _, h := range r.Headings {
		e.int(h.Level)
		e.string(h.Text)
		e.string(h.ID)
	}
	e.string(r.Text)
	e.string(r.Lead)
	e.refs(r.Refs)
	e.refs(r.External)
	e.uint(uint64(len(r.Warnings)))
	for _, w := range r.Warnings {
		e.string(w)
	}
	e.uint(uint64(len(m.resolved)))
	for _, res := range m.resolved {
		e.string(res.Href)
		e.string(res.Title)
	}
}

// decoder reads what encoder wrote; after the first problem it reads
// zeros and keeps the error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errors.New("cache: damaged file")
	}
	d.b = nil
}

func (d *decoder) uint() uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return n
}

func (d *decoder) int() int {
	n, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[k:]
	return int(n)
}

// bytes returns a copy of a part of the file: a slice of it would keep
// the whole file in memory for as long as any entry lives.
func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	s := bytes.Clone(d.b[:n])
	d.b = d.b[n:]
	return s
}

// string is bytes as a string, copied once.
func (d *decoder) string() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) fixed(dst []byte) {
	if len(d.b) < len(dst) {
		d.fail()
		return
	}
	copy(dst, d.b)
	d.b = d.b[len(dst):]
}

func (d *decoder) sum() (s [32]byte) {
	d.fixed(s[:])
	return s
}

func (d *decoder) bool() bool {
	if len(d.b) < 1 {
		d.fail()
		return false
	}
	v := d.b[0] != 0
	d.b = d.b[1:]
	return v
}

func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.b)) { // every element takes at least a byte
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) refs() []markdown.Ref {
	n := d.count()
	if n == 0 {
		return nil
	}
	refs := make([]markdown.Ref, n)
	for i := range refs {
		refs[i] = markdown.Ref{Wiki: d.bool(), Target: d.string(), Fragment: d.string(), Raw: d.string(),
			Line: d.int(), Col: d.int(), Context: d.string()}
	}
	return refs
}

func (d *decoder) entry() (string, *mdEntry) {
	path := d.string()
	m := &mdEntry{sum: d.sum(), htmlSum: d.sum(), textSum: d.sum()}
	m.in = mdInputs{options: d.sum(), bodyLine: d.int(), prefix: d.string()}
	m.html = d.string()
	r := &markdown.Result{}
	if n := d.count(); n > 0 {
		r.Headings = make([]markdown.Heading, n)
		for i := range r.Headings {
			r.Headings[i] = markdown.Heading{Level: d.int(), Text: d.string(), ID: d.string()}
		}
	}
	r.Text = d.string()
	r.Lead = d.string()
	r.Refs = d.refs()
	r.External = d.refs()
	if n := d.count(); n > 0 {
		r.Warnings = make([]string, n)
		for i := range r.Warnings {
			r.Warnings[i] = d.string()
		}
	}
	if n := d.count(); n > 0 {
		m.resolved = make([]markdown.Resolved, n)
		for i := range m.resolved {
			m.resolved[i] = markdown.Resolved{Href: d.string(), Title: d.string()}
		}
	}
	m.result = r
	return path, m
}
