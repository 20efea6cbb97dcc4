// Package theme loads a theme's templates, UI strings and static files,
// lets a site override any theme file by putting a file with the same path
// under its own folder (one rule, no lookup chain), and renders pages with
// html/template.
package theme

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"

	"kennisbank/generator/content"
)

// Theme is a loaded set of templates and strings.
type Theme struct {
	// sum identifies everything that shapes the output: layouts, strings
	// and language.
	sum [32]byte
	// tmpl is the parsed set, never executed: each layout runs in its own
	// prepared copy (see prepare.go).
	tmpl    *template.Template
	origin  map[string]string // template name → file it came from
	strings map[string]string
	lang    string
	static  []staticFile
	bufs    sync.Pool       // of *bytes.Buffer, for Render
	pure    map[string]bool // the functions layouts call, all pure

	layouts sync.Map // layout name → *layout
	chainMu sync.Mutex
	chains  map[string]*escChain // by escaper names joined with "|"
	// constTmpl evaluates constant actions for prepare, under constMu.
	constMu   sync.Mutex
	constTmpl *template.Template
}

type staticFile struct {
	name string // path under static/
	fsys fs.FS
}

// Source is one layer of theme files: the built-in theme, then the site.
type Source struct {
	FS   fs.FS  // rooted at the theme or site folder
	Name string // how errors name the folder ("themes/default", ".")
	// Dir is where FS reads from ("" for the built-in theme): a Cache
	// must not take a site's copy of a theme for the built-in one.
	Dir string
}

// Load reads layouts/, i18n/ and static/ from each source in order; a later
// source's file replaces an earlier one with the same path.
func Load(lang string, sources ...Source) (*Theme, error) {
	return (*Cache)(nil).Load(lang, sources...)
}

// A Cache keeps the last theme loaded, for the next Load of the same
// files: parsing and preparing the layouts costs about 20 ms, which a dev
// server would otherwise pay on every save. A nil *Cache keeps nothing.
// The files are read on every Load; only when every one of them, the
// language and where each came from are what they were is the theme
// reused (a Theme is never changed once loaded, only prepared further).
type Cache struct {
	mu    sync.Mutex
	key   [32]byte
	theme *Theme
}

// Load is the package's Load, reusing the theme of the previous call
// when its files are the same.
func (c *Cache) Load(lang string, sources ...Source) (*Theme, error) {
	t := &Theme{origin: map[string]string{}, strings: map[string]string{}, lang: lang}
	layouts := map[string][]byte{}
	statics := map[string]fs.FS{}
	staticFrom := map[string]string{} // static file → its source's Name
	for _, src := range sources {
		if err := walkFiles(src.FS, "layouts", func(p string) error {
			b, err := fs.ReadFile(src.FS, p)
			if err != nil {
				return err
			}
			name := path.Base(p)
			layouts[name] = b
			t.origin[name] = path.Join(src.Name, p)
			return nil
		}); err != nil {
			return nil, err
		}
		if b, err := fs.ReadFile(src.FS, "i18n/"+lang+".toml"); err == nil {
			var m map[string]string
			if _, err := toml.Decode(string(b), &m); err != nil {
				return nil, fmt.Errorf("%s/i18n/%s.toml: %w", src.Name, lang, err)
			}
			for k, v := range m {
				t.strings[k] = v
			}
		}
		if err := walkFiles(src.FS, "static", func(p string) error {
			statics[strings.TrimPrefix(p, "static/")] = src.FS
			staticFrom[strings.TrimPrefix(p, "static/")] = src.Name
			return nil
		}); err != nil {
			return nil, err
		}
	}
	for name, fsys := range statics {
		t.static = append(t.static, staticFile{name: name, fsys: fsys})
	}
	slices.SortFunc(t.static, func(a, b staticFile) int { return strings.Compare(a.name, b.name) })

	funcs := t.funcs()
	t.pure = map[string]bool{}
	for name := range funcs {
		t.pure[name] = true
	}
	root := template.New("").Funcs(funcs)
	names := make([]string, 0, len(layouts))
	for n := range layouts {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	fmt.Fprintf(h, "lang %q\n", lang)
	for _, n := range names {
		fmt.Fprintf(h, "layout %q %d\n", n, len(layouts[n]))
		h.Write(layouts[n])
	}
	keys := make([]string, 0, len(t.strings))
	for k := range t.strings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "string %q %q\n", k, t.strings[k])
	}
	h.Sum(t.sum[:0])
	// The cache's key: the sum, and where each layout and static file
	// came from (error messages and static files follow them).
	for _, src := range sources {
		fmt.Fprintf(h, "source %q %q\n", src.Name, src.Dir)
	}
	for _, n := range names {
		fmt.Fprintf(h, "origin %q %q\n", n, t.origin[n])
	}
	for _, f := range t.static {
		fmt.Fprintf(h, "static %q %q\n", f.name, staticFrom[f.name])
	}
	var key [32]byte
	h.Sum(key[:0])
	if c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.theme != nil && c.key == key {
			return c.theme, nil
		}
	}
	for _, n := range names {
		if _, err := root.New(n).Parse(string(layouts[n])); err != nil {
			return nil, fmt.Errorf("%s: %w", t.origin[n], err)
		}
	}
	t.tmpl = root
	if c != nil {
		c.key, c.theme = key, t
	}
	return t, nil
}

func walkFiles(fsys fs.FS, dir string, fn func(p string) error) error {
	if fsys == nil {
		return nil
	}
	if _, err := fs.Stat(fsys, dir); err != nil {
		return nil
	}
	return fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && content.IgnoredName(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		// Editors' temp and backup files never become templates or
		// static files, even when a build runs while they exist.
		if content.IgnoredName(d.Name()) {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: only regular files may be in a theme or site folder (symbolic links are refused)", p)
		}
		return fn(p)
	})
}

// StaticFiles calls fn for every static file, by path under static/, in
// order.
func (t *Theme) StaticFiles(fn func(name string, data []byte) error) error {
	for _, s := range t.static {
		b, err := fs.ReadFile(s.fsys, "static/"+s.name)
		if err != nil {
			return err
		}
		if err := fn(s.name, b); err != nil {
			return err
		}
	}
	return nil
}

// Sum identifies the theme's layouts, UI strings and language: two themes
// with the same Sum render the same data to the same bytes.
func (t *Theme) Sum() [32]byte { return t.sum }

// Has reports whether a template exists.
func (t *Theme) Has(name string) bool { return t.tmpl.Lookup(name) != nil }

// T returns the UI string for key in the site's language.
func (t *Theme) T(key string) string {
	if s, ok := t.strings[key]; ok {
		return s
	}
	return key
}

// Execute renders the named layout with data.
func (t *Theme) Execute(w io.Writer, name string, data any) error {
	l := t.prepared(name)
	err := l.err
	if l.tmpl == nil && err == nil {
		return fmt.Errorf("no layout %q in the theme or the site's layouts/", name)
	}
	if err == nil {
		err = l.tmpl.Execute(w, data)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", t.origin[name], err)
	}
	return nil
}

// Render is Execute into a new byte slice of exactly the output's size.
func (t *Theme) Render(name string, data any) ([]byte, error) {
	b, _ := t.bufs.Get().(*bytes.Buffer)
	if b == nil {
		b = new(bytes.Buffer)
	}
	b.Reset()
	err := t.Execute(b, name, data)
	out := bytes.Clone(b.Bytes())
	if b.Cap() <= 1<<20 {
		t.bufs.Put(b)
	}
	return out, err
}

var months = map[string][]string{
	"nl": {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"},
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// FormatDate writes a date the way readers of the language expect
// ("3 maart 2026").
func (t *Theme) FormatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	m := months[t.lang][d.Month()-1]
	if t.lang == "en" {
		return fmt.Sprintf("%s %d, %d", m, d.Day(), d.Year())
	}
	return fmt.Sprintf("%d %s %d", d.Day(), m, d.Year())
}

// funcs are the functions layouts call. Each must return the same for the
// same arguments: prepare prints a call with constant arguments once.
func (t *Theme) funcs() template.FuncMap {
	return template.FuncMap{
		"t":       t.T,
		"tf":      func(key string, args ...any) string { return fmt.Sprintf(t.T(key), args...) },
		"date":    t.FormatDate,
		"isodate": func(d time.Time) string { return d.Format("2006-01-02") },
		"lang":    func() string { return t.lang },
		"add":     func(a, b int) int { return a + b },
		// level names a level of a relation's scale in the UI language.
		"level": func(name string) string {
			if s, ok := t.strings["level_"+name]; ok {
				return s
			}
			return name
		},
		// symbol shows a level's rank without relying on colour.
		"symbol": func(rank int) string {
			switch rank {
			case 1:
				return "●"
			case 2:
				return "◐"
			case 3:
				return "○"
			}
			return "·"
		},
	}
}
