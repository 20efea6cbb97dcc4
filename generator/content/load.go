package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
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

// DefaultLimits are safe for any real knowledge base. A limit left at zero
// (or set below it) takes its default, so a site.toml that sets one limit
// never switches the others off.
var DefaultLimits = Limits{MaxFileSize: 4 << 20, MaxFrontMatterSize: 64 << 10, MaxFrontMatterDepth: 32}

// orDefaults fills every limit that is not positive with its default.
func (l Limits) orDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = DefaultLimits.MaxFileSize
	}
	if l.MaxFrontMatterSize <= 0 {
		l.MaxFrontMatterSize = DefaultLimits.MaxFrontMatterSize
	}
	if l.MaxFrontMatterDepth <= 0 {
		l.MaxFrontMatterDepth = DefaultLimits.MaxFrontMatterDepth
	}
	return l
}

// Options control loading.
type Options struct {
	Drafts bool // include pages with draft = true
	Limits Limits
	// Memo, when set, reuses the pages of files whose bytes did not
	// change since the last Load with the same memo.
	Memo *Memo
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
	opts.Limits = opts.Limits.orDefaults()
	opts.Memo.start()
	var diags Diagnostics
	set := &Set{}
	dirs := map[string]bool{"": true}
	indexes := map[string]*Page{}
	type source struct {
		path  string
		entry fs.DirEntry
	}
	type parsed struct {
		page  *Page
		diags Diagnostics
	}
	load := func(src source) (*Page, Diagnostics) {
		// The stat happens here, on every core, not in the walk: a dev
		// server's rebuild mostly stats files it will not read.
		p, size, st := src.path, int64(-1), stat{}
		var diags Diagnostics
		info, err := src.entry.Info()
		if err == nil {
			// A huge file is refused before it is read, not after.
			if max := opts.Limits.MaxFileSize; info.Size() > int64(max) {
				diags.Errorf(p, 0, 0, "too-large", "file is %d bytes, more than the limit of %d (limits.max_file_size in site.toml)", info.Size(), max)
				return nil, diags
			}
			size = info.Size()
			if opts.Memo != nil {
				st, _ = statOf(info)
			}
		}
		if page, diags, ok := opts.Memo.known(p, st, opts.Limits); ok {
			return page, diags
		}
		read := time.Now()
		b, err := readAtMost(fsys, p, opts.Limits.MaxFileSize+1, size)
		if err != nil {
			diags.Errorf(p, 0, 0, "read", "cannot read: %v", err)
			return nil, diags
		}
		return opts.Memo.parse(p, b, opts.Limits, st, read)
	}
	// Stat, read and parse on every core while the walk goes on; gather
	// in walk order, so the result does not depend on scheduling.
	type job struct {
		i   int
		src source
	}
	type result struct {
		i int
		parsed
	}
	jobs := make(chan job, 256)
	var mu sync.Mutex
	var done []result
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []result
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				page, diags := load(j.src)
				mine = append(mine, result{j.i, parsed{page, diags}})
			}
			mu.Lock()
			done = append(done, mine...)
			mu.Unlock()
		}()
	}
	n := 0 // Markdown files, in walk order
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
		isPage := d.IsDir() || strings.HasSuffix(p, ".md")
		if p != "." {
			if problem := nameProblem(d.Name(), isPage); problem != "" {
				diags.Errorf(p, 0, 0, "bad-name", "%s", problem)
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
		}
		if d.IsDir() {
			if p != "." {
				dirs[p] = true
			}
			return nil
		}
		if !d.Type().IsRegular() {
			// Pipes, sockets and devices: reading one could block forever.
			diags.Errorf(p, 0, 0, "not-a-file", "not a regular file (a pipe, socket or device): remove it from the content folder")
			return nil
		}
		if !strings.HasSuffix(p, ".md") {
			set.Files = append(set.Files, p)
			return nil
		}
		jobs <- job{n, source{path: p, entry: d}}
		n++
		return nil
	})
	if err != nil {
		diags.Errorf(".", 0, 0, "read", "loading content: %v", err)
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() == nil {
		opts.Memo.finish()
	}
	results := make([]parsed, n)
	for _, r := range done {
		results[r.i] = r.parsed
	}
	for _, r := range results {
		diags = append(diags, r.diags...)
		page := r.page
		if page == nil || (page.Draft && !opts.Drafts) {
			continue
		}
		if page.Kind != KindPage {
			indexes[page.Dir] = page
			continue
		}
		set.Pages = append(set.Pages, page)
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
		if p.TitleKey == "" { // sectionPage's; Parse did the others
			p.TitleKey = SortKey(p.Title)
		}
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
		_, n := utf8.DecodeRuneInString(name)
		p.Title = strings.ToUpper(name[:n]) + strings.ReplaceAll(name[n:], "-", " ")
	}
	setURL(p, "")
	return p
}

// checkURLs reports pages and aliases that would be written to the same
// place, also when their addresses differ only in case (macOS and Windows
// keep such files in one), and keeps only the first of them, so later
// stages see one page per URL and aliases that take no page's place.
func checkURLs(pages []*Page) ([]*Page, Diagnostics) {
	var diags Diagnostics
	seen := make(map[string]*Page, len(pages))
	folded := make(map[string]*Page, len(pages))
	kept := pages[:0]
	for _, p := range pages {
		if q, ok := seen[p.URL]; ok {
			diags.Errorf(p.Path, p.KeyLine("slug"), 1, "duplicate-url", "%s and %s both become /%s: give one of them another file name or slug", q.Path, p.Path, p.URL)
			continue
		}
		lower := strings.ToLower(p.URL)
		if q, ok := folded[lower]; ok {
			diags.Errorf(p.Path, p.KeyLine("slug"), 1, "duplicate-url", "%s (/%s) and %s (/%s) differ only in case: macOS and Windows keep them as one folder, so one would overwrite the other; give one of them another file name or slug", q.Path, q.URL, p.Path, p.URL)
			continue
		}
		seen[p.URL] = p
		folded[lower] = p
		kept = append(kept, p)
	}
	owner := map[string]*Page{}
	for _, p := range kept {
		if len(p.Aliases) == 0 {
			continue
		}
		var aliases []string
		for _, a := range p.Aliases {
			u := strings.ToLower(AliasURL(a))
			if q, ok := folded[u]; ok {
				if q == p {
					diags.Errorf(p.Path, p.KeyLine("aliases"), 1, "duplicate-url", "alias %q is the page's own address: remove the alias", a)
				} else {
					diags.Errorf(p.Path, p.KeyLine("aliases"), 1, "duplicate-url", "alias %q is the address of %s: remove the alias", a, q.Path)
				}
				continue
			}
			if q, ok := owner[u]; ok {
				if q != p {
					diags.Errorf(p.Path, p.KeyLine("aliases"), 1, "duplicate-url", "%s and %s both have the alias %q: keep it on one of them", q.Path, p.Path, a)
				}
				continue
			}
			owner[u] = p
			aliases = append(aliases, a)
		}
		p.Aliases = aliases
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

// decodeTOML parses front matter. The TOML parser panics on its own bugs;
// that fails this file, not the build.
func decodeTOML(front []byte) (params map[string]any, err error) {
	defer func() {
		if p := recover(); p != nil {
			params, err = nil, fmt.Errorf("the TOML parser crashed (%v): simplify the front matter", p)
		}
	}()
	params = map[string]any{}
	_, err = toml.Decode(string(front), &params)
	return params, err
}

// readAtMost reads up to n bytes of a file, so a file that grows while it
// is read cannot exhaust memory. size is what the file's size was when it
// was listed (-1: unknown): a buffer of that size takes the file in one
// read, where growing one from 512 bytes takes half a dozen.
func readAtMost(fsys fs.FS, name string, n int, size int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size < 0 || size >= int64(n) {
		return io.ReadAll(io.LimitReader(f, int64(n)))
	}
	// One byte more, so that a file that grew since is noticed.
	b := make([]byte, size+1)
	got, err := io.ReadFull(f, b)
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return b[:got], nil
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(io.LimitReader(f, int64(n-got)))
	return append(b, rest...), err
}

// nameProblem says why a file or folder name cannot be part of the site,
// or returns "". Folders and Markdown files become URL segments, so they
// are held to the rules of a slug; other files only may not hold what
// would leave the output folder or break the file system.
func nameProblem(name string, segment bool) string {
	if strings.ContainsRune(name, '\\') || hasControl(name) {
		return fmt.Sprintf("the name %q holds a backslash or a control character, which would write outside the output folder on some systems: rename it", name)
	}
	if segment {
		if strings.ContainsAny(name, "%:?#") {
			return fmt.Sprintf("the name %q holds %%, :, ? or #, which change what a link to it means: rename it with letters, digits and dashes", name)
		}
	}
	return ""
}

// hasControl reports whether s holds a control character (NUL included).
func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return true
		}
	}
	return false
}

// Parse reads one Markdown file with front matter. name is its slash path
// relative to the content folder. Limits that are zero take their
// defaults.
func Parse(name string, src []byte, lim Limits) (*Page, Diagnostics) {
	var diags Diagnostics
	lim = lim.orDefaults()
	if len(src) > lim.MaxFileSize {
		diags.Errorf(name, 0, 0, "too-large", "file is %d bytes, more than the limit of %d (limits.max_file_size in site.toml)", len(src), lim.MaxFileSize)
		return nil, diags
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	// A lone CR ends a line too, for CommonMark and for editors.
	src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
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
	if len(front) > lim.MaxFrontMatterSize {
		diags.Errorf(name, 2, 1, "front-matter", "front matter is %d bytes, more than the limit of %d (limits.max_front_matter_size in site.toml)", len(front), lim.MaxFrontMatterSize)
		return nil, diags
	}
	// The TOML parser recurses into arrays and inline tables, and its work
	// per key grows with the key's depth: check before it runs.
	if off, problem := frontMatterShape(front, lim.MaxFrontMatterDepth); problem != "" {
		l, c := Position(front, off)
		diags.Errorf(name, l+1, c, "front-matter", "%s", problem)
		return nil, diags
	}
	params, err := decodeTOML(front)
	if err != nil {
		var pe toml.ParseError
		line, col := 1, 1
		msg := err.Error()
		if errors.As(err, &pe) {
			// Position.Start is a byte offset; columns are characters.
			// Some errors carry only a line.
			if pe.Position.Start >= 0 {
				line, col = Position(front, pe.Position.Start)
			} else if pe.Position.Line > 0 {
				line = pe.Position.Line
			}
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
	p.TitleKey = SortKey(p.Title) // here, so the memo keeps it too
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
	} else if strings.ContainsAny(slug, ":?#") {
		diags.Errorf(name, p.KeyLine("slug"), 1, "bad-slug", "slug %q may not contain :, ? or #, which change what a link to the page means: use letters, digits and dashes", slug)
		slug = ""
	}
	aliases := p.Aliases[:0:0]
	for _, a := range p.Aliases {
		switch {
		case !validAlias(a):
			diags.Errorf(name, p.KeyLine("aliases"), 1, "bad-alias", "alias %q would write outside the site: use a path like \"oude-naam\" or \"rollen/oude-naam\" without .., backslashes or %% escapes", a)
		case strings.ContainsAny(a, ":?#"):
			diags.Errorf(name, p.KeyLine("aliases"), 1, "bad-alias", "alias %q may not contain :, ? or #, which change what a link means: use a path like \"oude-naam\" or \"rollen/oude-naam\"", a)
		default:
			aliases = append(aliases, a)
		}
	}
	// Only aliases that can be written stay, so later stages never see
	// a path outside the site.
	if len(aliases) != len(p.Aliases) {
		p.Aliases = aliases
	}
	setURL(p, slug)
	return p, diags
}

// validSegment reports whether s is safe as one URL path segment.
func validSegment(s string) bool {
	if s == "." || s == ".." || strings.ContainsAny(s, "/\\%") {
		return false
	}
	return !hasControl(s)
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

// maxKeyPath bounds the length of a key with the tables around it
// ("vaardigheden.coachen"): the TOML parser's work for each key grows with
// it, so 32 KB of table name above thousands of keys would take seconds.
const maxKeyPath = 1024

// frontMatterShape checks front matter as the TOML parser will meet it,
// before the parser runs. Nesting counts arrays, inline tables and table
// headers, plus the parts of a dotted key (a.b.c = 1 opens two tables);
// the key path is the length of a key's name with its tables'. Strings of
// all four kinds and comments are skipped the way the TOML lexer skips
// them, so a bracket inside a string never counts and one outside never
// hides. It returns the offset of the first byte past a limit and what is
// wrong, or "" when the front matter is within both.
func frontMatterShape(front []byte, maxDepth int) (int, string) {
	// Each frame is an open bracket: '[' an array, '{' an inline table,
	// 'h' a table header; the bottom frame is the top level. key is set
	// while the frame reads a key; base is the length of the path of the
	// table the frame's keys belong to.
	type frame struct {
		kind byte
		key  bool
		base int
	}
	stack := []frame{{key: true}}
	dots := 0  // dots in the key being read
	path := 0  // length of the key being read, with its tables
	value := 0 // path of the key whose value is being read
	bare := 0  // length of the bare key part being read
	tooLong := func(i int) (int, string) {
		return i, fmt.Sprintf("a key with its tables is longer than %d characters: use shorter keys", maxKeyPath)
	}
	for i := 0; i < len(front); i++ {
		top := &stack[len(stack)-1]
		c := front[i]
		if top.key && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			bare++
			if path+bare > maxKeyPath {
				return tooLong(i)
			}
			continue
		}
		path += bare
		bare = 0
		switch c {
		case '"', '\'':
			end := stringEnd(front, i)
			if top.key {
				path += end - i + 1
				if path > maxKeyPath {
					return tooLong(i)
				}
			}
			i = end
		case '#':
			for i+1 < len(front) && front[i+1] != '\n' {
				i++
			}
		case '\n':
			if len(stack) == 1 {
				top.key = true
				dots, path = 0, top.base
			}
		case '=':
			if top.key {
				value = path
			}
			top.key = false
		case ',':
			if top.kind == '{' {
				top.key = true
				dots, path = 0, top.base
			}
		case '[', '{':
			f := frame{kind: c, base: value}
			if c == '[' && top.key && (len(stack) == 1 || top.kind == 'h') {
				f = frame{kind: 'h', key: true}
			}
			f.key = f.kind != '['
			stack = append(stack, f)
			dots, path = 0, f.base
			if len(stack)-1 > maxDepth {
				return i, fmt.Sprintf("front matter nests deeper than %d levels (limits.max_front_matter_depth in site.toml)", maxDepth)
			}
		case ']', '}':
			if len(stack) > 1 {
				if top.kind == 'h' {
					// The header names the table of the lines below.
					stack[0].base = path
				}
				stack = stack[:len(stack)-1]
			}
			// The parent goes on with a value, or after a header with
			// the end of its line.
			stack[len(stack)-1].key = false
			value = stack[len(stack)-1].base
		case '.':
			if top.key {
				dots++
				if len(stack)-1+dots > maxDepth {
					return i, fmt.Sprintf("front matter nests deeper than %d levels (limits.max_front_matter_depth in site.toml)", maxDepth)
				}
			}
		}
	}
	return 0, ""
}

// stringEnd returns the offset of the last byte of the TOML string that
// opens at i: basic or literal, one line or three quotes. An unclosed
// one-line string ends before its newline, where the TOML parser stops
// with an error anyway.
func stringEnd(b []byte, i int) int {
	q := b[i]
	if i+2 < len(b) && b[i+1] == q && b[i+2] == q {
		for j := i + 3; j < len(b); j++ {
			if q == '"' && b[j] == '\\' {
				j++
				continue
			}
			if b[j] == q && j+2 < len(b) && b[j+1] == q && b[j+2] == q {
				end := j + 2
				// """a"""" is a" with its closing quotes: up to two
				// quotes more belong to the string.
				for k := 0; k < 2 && end+1 < len(b) && b[end+1] == q; k++ {
					end++
				}
				return end
			}
		}
		return len(b) - 1
	}
	for j := i + 1; j < len(b); j++ {
		switch {
		case q == '"' && b[j] == '\\':
			j++
		case b[j] == q:
			return j
		case b[j] == '\n':
			return j - 1
		}
	}
	return len(b) - 1
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
	off = max(0, min(off, len(src)))
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
