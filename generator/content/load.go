package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Limits bound what one source file may cost, so a hostile or broken file
// fails alone instead of hanging the build.
type Limits struct {
	MaxFileSize         int // bytes of one Markdown file
	MaxFrontMatterSize  int // bytes of front matter
	MaxFrontMatterDepth int // nesting of [ and { in front matter
}

// DefaultLimits are safe for any real knowledge base.
var DefaultLimits = Limits{MaxFileSize: 4 << 20, MaxFrontMatterSize: 64 << 10, MaxFrontMatterDepth: 32}

// Options control loading.
type Options struct {
	Drafts bool // include pages with draft = true
	Limits Limits
}

// Set is everything Load found in a content folder.
type Set struct {
	Pages []*Page  // sorted by Path; sections included
	Files []string // other files to copy as they are, sorted
}

// ByURL returns the page with the given URL, or nil.
func (s *Set) ByURL(url string) *Page {
	for _, p := range s.Pages {
		if p.URL == url {
			return p
		}
	}
	return nil
}

// IgnoredName reports whether a file name is an editor's temp or backup
// file, or hidden, and so never part of a site.
func IgnoredName(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store", name == "Thumbs.db":
		return true
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"):
		return true
	case strings.HasSuffix(name, "~"), strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".tmp"), strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

// Load reads every page and file under fsys. Diagnostics holds every
// problem found; the returned Set holds the pages that loaded cleanly.
func Load(ctx context.Context, fsys fs.FS, opts Options) (*Set, Diagnostics) {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits
	}
	var diags Diagnostics
	set := &Set{}
	dirs := map[string]bool{"": true}
	indexes := map[string]*Page{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Errorf(p, 0, 0, "read", "cannot read: %v", err)
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if p != "." && IgnoredName(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			diags.Errorf(p, 0, 0, "symlink", "symbolic links are not followed in content: replace the link with the file or folder itself")
			return nil
		}
		if d.IsDir() {
			if p != "." {
				dirs[p] = true
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if !strings.HasSuffix(p, ".md") {
			set.Files = append(set.Files, p)
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Errorf(p, 0, 0, "read", "cannot read: %v", err)
			return nil
		}
		page, pd := Parse(p, src, opts.Limits)
		diags = append(diags, pd...)
		if page == nil || (page.Draft && !opts.Drafts) {
			return nil
		}
		if page.Kind != KindPage {
			indexes[page.Dir] = page
			return nil
		}
		set.Pages = append(set.Pages, page)
		return nil
	})
	if err != nil {
		diags.Errorf(".", 0, 0, "read", "loading content: %v", err)
	}
	// Every folder is a section, with or without an _index.md.
	for dir := range dirs {
		if p, ok := indexes[dir]; ok {
			set.Pages = append(set.Pages, p)
			continue
		}
		set.Pages = append(set.Pages, sectionPage(dir))
	}
	slices.SortFunc(set.Pages, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	for _, p := range set.Pages {
		p.TitleKey = SortKey(p.Title)
	}
	slices.Sort(set.Files)
	var dup Diagnostics
	set.Pages, dup = checkURLs(set.Pages)
	diags = append(diags, dup...)
	return set, diags
}

func sectionPage(dir string) *Page {
	p := &Page{Kind: KindSection, Path: dir, Dir: dir, Params: map[string]any{}}
	if dir == "" {
		p.Kind = KindHome
		p.Title = "Home"
	} else {
		name := path.Base(dir)
		p.Title = strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
	}
	setURL(p, "")
	return p
}

// checkURLs reports pages that would be written to the same place, and
// keeps only the first of them, so later stages see one page per URL.
func checkURLs(pages []*Page) ([]*Page, Diagnostics) {
	var diags Diagnostics
	seen := map[string]*Page{}
	kept := pages[:0]
	for _, p := range pages {
		if q, ok := seen[p.URL]; ok {
			diags.Errorf(p.Path, p.KeyLine("slug"), 1, "duplicate-url", "%s and %s both become /%s: give one of them another file name or slug", q.Path, p.Path, p.URL)
			continue
		}
		seen[p.URL] = p
		kept = append(kept, p)
	}
	return kept, diags
}

// setURL fills Section, Slug and URL from Path, Dir and an optional slug.
func setURL(p *Page, slug string) {
	if p.Dir != "" {
		p.Section, _, _ = strings.Cut(p.Dir, "/")
	}
	switch p.Kind {
	case KindHome:
		p.URL = ""
		return
	case KindSection:
		p.Slug = path.Base(p.Dir)
		p.URL = p.Dir + "/"
		return
	}
	if slug == "" {
		slug = strings.TrimSuffix(path.Base(p.Path), ".md")
	}
	p.Slug = slug
	if p.Dir == "" {
		p.URL = slug + "/"
	} else {
		p.URL = p.Dir + "/" + slug + "/"
	}
}

// Parse reads one Markdown file with front matter. name is its slash path
// relative to the content folder.
func Parse(name string, src []byte, lim Limits) (*Page, Diagnostics) {
	var diags Diagnostics
	if lim.MaxFileSize > 0 && len(src) > lim.MaxFileSize {
		diags.Errorf(name, 0, 0, "too-large", "file is %d bytes, more than the limit of %d (limits.max_file_size in site.toml)", len(src), lim.MaxFileSize)
		return nil, diags
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	if i := bytes.IndexByte(src, 0); i >= 0 {
		l, c := Position(src, i)
		diags.Errorf(name, l, c, "binary", "file contains a NUL byte: it is not a text file; give it another extension than .md")
		return nil, diags
	}
	if !utf8.Valid(src) {
		i := invalidUTF8(src)
		l, c := Position(src, i)
		diags.Errorf(name, l, c, "utf8", "invalid UTF-8: save the file as UTF-8")
		return nil, diags
	}
	if len(src) == 0 {
		diags.Errorf(name, 1, 1, "empty", "file is empty: add front matter with at least a title")
		return nil, diags
	}
	front, body, bodyLine, err := SplitFrontMatter(src)
	if err != nil {
		diags.Errorf(name, 1, 1, "front-matter", "%v", err)
		return nil, diags
	}
	if lim.MaxFrontMatterSize > 0 && len(front) > lim.MaxFrontMatterSize {
		diags.Errorf(name, 2, 1, "front-matter", "front matter is %d bytes, more than the limit of %d (limits.max_front_matter_size in site.toml)", len(front), lim.MaxFrontMatterSize)
		return nil, diags
	}
	if lim.MaxFrontMatterDepth > 0 {
		if off, ok := tooDeep(front, lim.MaxFrontMatterDepth); !ok {
			l, c := Position(front, off)
			diags.Errorf(name, l+1, c, "front-matter", "front matter nests deeper than %d levels (limits.max_front_matter_depth in site.toml)", lim.MaxFrontMatterDepth)
			return nil, diags
		}
	}
	params := map[string]any{}
	if _, err := toml.Decode(string(front), &params); err != nil {
		var pe toml.ParseError
		line, col := 1, 1
		msg := err.Error()
		if errors.As(err, &pe) {
			// Position.Start is a byte offset; columns are characters.
			line, col = Position(front, pe.Position.Start)
			msg = pe.Message
		}
		diags.Errorf(name, line+1, col, "front-matter", "invalid TOML front matter: %s", msg)
		return nil, diags
	}
	p := &Page{Kind: KindPage, Path: name, Dir: path.Dir(name), Params: params, Body: body, BodyLine: bodyLine, KeyLines: map[string]int{}}
	if p.Dir == "." {
		p.Dir = ""
	}
	for k, l := range KeyLines(front) {
		p.KeyLines[k] = l + 1
	}
	base := path.Base(name)
	if base == "_index.md" {
		p.Kind = KindSection
		if p.Dir == "" {
			p.Kind = KindHome
		}
	}
	fm := frontMatter{page: p, diags: &diags}
	p.Title = fm.str("title")
	if strings.TrimSpace(p.Title) == "" {
		if _, ok := params["title"]; !ok {
			diags.Errorf(name, 1, 1, "missing-title", "front matter has no title: add title = \"…\"")
		} else {
			diags.Errorf(name, p.KeyLine("title"), 1, "missing-title", "title is empty: write a title")
		}
	}
	p.Summary = fm.str("summary")
	p.Date = fm.date("date")
	p.Lastmod = fm.date("lastmod")
	p.Draft = fm.bool("draft")
	p.Weight = fm.int("weight")
	p.Tags = fm.strs("tags")
	p.Aliases = fm.strs("aliases")
	slug := fm.str("slug")
	if slug != "" && !validSegment(slug) {
		diags.Errorf(name, p.KeyLine("slug"), 1, "bad-slug", "slug %q may not contain slashes, backslashes, dots only, %% escapes or control characters: use letters, digits and dashes", slug)
		slug = ""
	}
	for _, a := range p.Aliases {
		if !validAlias(a) {
			diags.Errorf(name, p.KeyLine("aliases"), 1, "bad-alias", "alias %q would write outside the site: use a path like \"oude-naam\" or \"rollen/oude-naam\" without .., backslashes or %% escapes", a)
		}
	}
	setURL(p, slug)
	return p, diags
}

// validSegment reports whether s is safe as one URL path segment.
func validSegment(s string) bool {
	if s == "." || s == ".." || strings.ContainsAny(s, "/\\%") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// validAlias reports whether an alias is a path inside the site.
func validAlias(a string) bool {
	a = strings.Trim(a, "/")
	if a == "" {
		return false
	}
	for _, seg := range strings.Split(a, "/") {
		if seg == "" || !validSegment(seg) {
			return false
		}
	}
	return true
}

// AliasURL normalises an alias to a URL relative to the root, ending in a
// slash.
func AliasURL(a string) string {
	return strings.Trim(a, "/") + "/"
}

// tooDeep checks the nesting of arrays and inline tables outside strings.
func tooDeep(front []byte, max int) (int, bool) {
	depth := 0
	var quote byte
	for i := 0; i < len(front); i++ {
		c := front[i]
		if quote != 0 {
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '"', '\'':
			quote = c
		case '#':
			for i < len(front) && front[i] != '\n' {
				i++
			}
		case '[', '{':
			depth++
			if depth > max {
				return i, false
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return 0, true
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return 0
}

// Position converts a byte offset into a 1-based line and column (in
// runes).
func Position(src []byte, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1 + bytes.Count(src[:off], []byte("\n"))
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(src[start:off])
}

// frontMatter reads typed values and reports wrong types at the key's line.
type frontMatter struct {
	page  *Page
	diags *Diagnostics
}

func (f frontMatter) wrong(key, want string) {
	f.diags.Errorf(f.page.Path, f.page.KeyLine(key), 1, "front-matter", "%s must be %s", key, want)
}

func (f frontMatter) str(key string) string {
	v, ok := f.page.Params[key]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		f.wrong(key, "a string in quotes")
	}
	return s
}

func (f frontMatter) bool(key string) bool {
	v, ok := f.page.Params[key]
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		f.wrong(key, "true or false")
	}
	return b
}

func (f frontMatter) int(key string) int {
	v, ok := f.page.Params[key]
	if !ok {
		return 0
	}
	n, ok := v.(int64)
	if !ok {
		f.wrong(key, "a whole number")
	}
	return int(n)
}

func (f frontMatter) strs(key string) []string {
	v, ok := f.page.Params[key]
	if !ok {
		return nil
	}
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				f.wrong(key, "a list of strings, like [\"a\", \"b\"]")
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	f.wrong(key, "a list of strings, like [\"a\", \"b\"]")
	return nil
}

func (f frontMatter) date(key string) time.Time {
	v, ok := f.page.Params[key]
	if !ok {
		return time.Time{}
	}
	switch v := v.(type) {
	case time.Time:
		// Keep the wall clock as written: a local date must not shift with
		// the machine's time zone.
		return time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
	case string:
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t.UTC()
			}
		}
	}
	f.wrong(key, fmt.Sprintf("a date like %s = 2026-03-01", key))
	return time.Time{}
}
