// Package generator runs kennisbank's pipeline: config → load → link →
// render → write. Build returns the site as path → bytes; with a Sink (a
// Writer) it hands each page to it as soon as it is rendered instead, and
// the Writer swaps the output folder in only when the build succeeded.
// The dev server calls the same Build, lazily: pages render when read
// (lazy.go).
package generator

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
	"kennisbank/generator/markdown"
	"kennisbank/generator/theme"
	"kennisbank/themes"
)

// Options control one build.
type Options struct {
	// Source is the site folder, holding site.toml.
	Source string
	// ConfigFile is site.toml's name inside Source; "" means "site.toml".
	ConfigFile string
	// Drafts includes pages with draft = true.
	Drafts bool
	// AllowBrokenLinks turns unresolved links into warnings.
	AllowBrokenLinks bool
	// BuildDate is the date shown as the build's date (feed updated); zero
	// means the newest page date, so output stays deterministic.
	BuildDate time.Time
	// Cache, when set, memoises rendered Markdown across builds.
	Cache *Cache
	// Lazy leaves the pages and the search index to be rendered when
	// Site.File reads them (see lazy.go): the dev server's way.
	Lazy bool
	// Sink, when set, takes every file instead of Site.Files: each page
	// as soon as it is rendered, so the pages of a big site are never in
	// memory at once, and the other files when the build succeeded. A
	// Writer is a Sink.
	Sink Sink
}

// A Sink takes the files of a build as they are made; Add is called from
// several goroutines at once.
type Sink interface {
	Add(name string, b []byte) error
}

// Site is the result of a build.
type Site struct {
	Config *config.Config
	Pages  []*content.Page
	// Files is the whole output: slash path relative to the output
	// folder → bytes. A lazy build (Options.Lazy) leaves the pages and
	// the search index out: File and ReadAll render them.
	Files map[string][]byte
	// Diagnostics holds every problem found, warnings included, sorted.
	Diagnostics content.Diagnostics
	Graph       *link.Graph
	Edges       []link.Edge
	Stats       Stats

	rendered map[*content.Page]*renderedPage
	lazy     *lazyOutput // what a lazy build left to render; nil otherwise
}

// Stats summarise a build.
type Stats struct {
	Pages    int
	Sections int
	Files    int
	Rendered int // pages whose Markdown was rendered, not taken from the cache
	Duration time.Duration
}

// BuildError is returned when the sources have errors; it lists them all.
type BuildError struct {
	Diagnostics content.Diagnostics
}

func (e *BuildError) Error() string { return e.Diagnostics.Error() }

// Build runs the pipeline in memory. On content errors it returns a
// *BuildError with every diagnostic, and the partial Site for inspection.
func Build(ctx context.Context, opts Options) (*Site, error) {
	start := time.Now()
	if opts.Lazy && opts.Sink != nil {
		return nil, fmt.Errorf("a lazy build renders its pages later: it cannot hand them to a Sink")
	}
	if opts.Cache != nil {
		// A cache kept on disk loads while the content does.
		go opts.Cache.load()
	}
	st, err := begin(ctx, opts)
	if err != nil {
		if st != nil && st.site != nil {
			return st.site, err
		}
		return nil, err
	}
	st.gen = opts.Cache.begin()
	opts.Cache.fit(len(st.set.Pages))
	done := false
	defer func() { opts.Cache.end(st.gen, done) }()
	site := st.site
	st.link()
	if err := st.render(ctx); err != nil {
		return nil, err
	}

	// derived pages and templates
	out := st.output()
	site.Diagnostics = append(site.Diagnostics, prefix(st.graph.Diagnostics(), st.cfg.ContentDir)...)
	site.Diagnostics = append(site.Diagnostics, out.diags...)
	if err := out.renderAll(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		site.Diagnostics = append(site.Diagnostics, templateDiagnostics(err)...)
	}
	if out.sinkErr != nil {
		return nil, fmt.Errorf("write: %w", out.sinkErr)
	}
	if err := out.copyFiles(st.contentFS, st.set.Files); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	site.Diagnostics.Sort()
	site.Stats.Pages = len(st.set.Pages)
	for _, p := range st.set.Pages {
		if p.IsSection() {
			site.Stats.Sections++
		}
	}
	site.Stats.Files = len(site.Files) + out.sunk
	if opts.Sink != nil && !site.Diagnostics.HasErrors() {
		for _, name := range slices.Sorted(maps.Keys(site.Files)) {
			if err := opts.Sink.Add(name, site.Files[name]); err != nil {
				return nil, fmt.Errorf("write: %w", err)
			}
		}
		site.Files = map[string][]byte{}
	}
	if site.lazy != nil {
		site.Stats.Files += len(site.lazy.owner) + len(site.lazy.site) // and the search index, made later
	}
	site.Stats.Duration = time.Since(start)
	done = true
	return site, site.fail()
}

// state carries one build from phase to phase.
type state struct {
	opts      Options
	cfg       *config.Config
	site      *Site
	contentFS fs.FS
	set       *content.Set
	th        *theme.Theme
	graph     *link.Graph
	rendered  map[*content.Page]*renderedPage
	gen       uint64 // the build's number in opts.Cache
}

// begin reads the configuration, the content and the theme.
func begin(ctx context.Context, opts Options) (*state, error) {
	cfgName := opts.ConfigFile
	if cfgName == "" {
		cfgName = "site.toml"
	}
	cfg, err := config.Load(filepath.Join(opts.Source, cfgName))
	if err != nil {
		if ds, ok := err.(content.Diagnostics); ok {
			return nil, &BuildError{Diagnostics: ds}
		}
		return nil, fmt.Errorf("config: %w", err)
	}
	st := &state{opts: opts, cfg: cfg}
	st.site = &Site{Config: cfg, Files: map[string][]byte{}}
	st.contentFS = os.DirFS(filepath.Join(opts.Source, cfg.ContentDir))
	if _, err := fs.Stat(st.contentFS, "."); err != nil {
		return nil, fmt.Errorf("load: content folder %s: %w", filepath.Join(opts.Source, cfg.ContentDir), err)
	}

	// load
	set, diags := content.Load(ctx, st.contentFS, content.Options{Drafts: opts.Drafts, Memo: opts.Cache.parseMemo(), Limits: content.Limits{
		MaxFileSize:         cfg.Limits.MaxFileSize,
		MaxFrontMatterSize:  cfg.Limits.MaxFrontMatterSize,
		MaxFrontMatterDepth: cfg.Limits.MaxFrontMatterDepth,
	}})
	st.site.Diagnostics = append(st.site.Diagnostics, prefix(diags, cfg.ContentDir)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	st.set = set
	st.site.Pages = set.Pages

	// theme
	th, err := loadTheme(opts.Source, cfg, opts.Cache.themeCache())
	if err != nil {
		st.site.Diagnostics = append(st.site.Diagnostics, templateDiagnostics(err)...)
		return st, st.site.fail()
	}
	st.th = th
	return st, nil
}

// link indexes the pages and resolves the front-matter relations.
func (st *state) link() {
	g := link.NewGraph(st.cfg, st.set.Pages)
	g.AllowBroken = st.opts.AllowBrokenLinks
	g.BrokenTitle = st.th.T("broken_link")
	g.ResolveFrontMatter()
	st.graph = g
	st.site.Graph = g
}

// render turns every page's Markdown into HTML and checks the anchors
// links point at.
func (st *state) render(ctx context.Context) error {
	site, cfg, g := st.site, st.cfg, st.graph
	rendered, err := renderMarkdown(ctx, cfg, st.th, g, st.set.Pages, st.opts.Cache, st.gen, st.opts.Sink != nil, &site.Stats)
	if err != nil {
		return err
	}
	for p, r := range rendered {
		if r.err != nil {
			site.Diagnostics = append(site.Diagnostics, content.Diagnostic{Path: cfg.ContentDir + "/" + p.Path, Line: p.BodyLine, Col: 1, Severity: content.Error, Code: "render", Message: r.err.Error()})
		}
		for _, w := range r.result.Warnings {
			site.Diagnostics = append(site.Diagnostics, content.Diagnostic{Path: cfg.ContentDir + "/" + p.Path, Line: p.BodyLine, Col: 1, Severity: content.Warning, Code: "highlight", Message: w})
		}
	}
	g.CheckAnchors(func(p *content.Page) []string {
		r := rendered[p]
		if r == nil {
			return nil
		}
		ids := make([]string, 0, len(r.result.Headings)+len(r.extraIDs))
		for _, h := range r.result.Headings {
			ids = append(ids, h.ID)
		}
		return append(ids, r.extraIDs...)
	})
	site.rendered = rendered
	st.rendered = rendered
	site.Edges = g.Edges()
	return nil
}

// output derives the generated pages.
func (st *state) output() *output {
	out := newOutput(st.cfg, st.th, st.site, st.rendered, st.opts)
	out.gen = st.gen
	out.derive()
	return out
}

func (s *Site) fail() error {
	if s.Diagnostics.HasErrors() {
		s.Diagnostics.Sort()
		return &BuildError{Diagnostics: s.Diagnostics}
	}
	return nil
}

// prefix makes content paths relative to the site folder, so an editor
// can open them.
func prefix(ds content.Diagnostics, dir string) content.Diagnostics {
	out := make(content.Diagnostics, len(ds))
	for i, d := range ds {
		d.Path = filepath.ToSlash(filepath.Join(dir, d.Path))
		out[i] = d
	}
	return out
}

func loadTheme(source string, cfg *config.Config, cache *theme.Cache) (*theme.Theme, error) {
	var base fs.FS
	name, baseDir := "themes/"+cfg.Theme, ""
	if dir := filepath.Join(source, "themes", cfg.Theme); isDir(dir) {
		base, baseDir = os.DirFS(dir), dir
	} else {
		sub, err := fs.Sub(themes.FS, cfg.Theme)
		if err != nil {
			return nil, fmt.Errorf("theme %q: %w", cfg.Theme, err)
		}
		if _, err := fs.Stat(sub, "layouts"); err != nil {
			return nil, fmt.Errorf("theme %q not found: put it in themes/%s or use theme = \"default\"", cfg.Theme, cfg.Theme)
		}
		base = sub
		name = "themes/" + cfg.Theme
	}
	return cache.Load(cfg.Language, theme.Source{FS: base, Name: name, Dir: baseDir}, theme.Source{FS: os.DirFS(source), Name: ".", Dir: source})
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// renderedPage is one page's Markdown turned into HTML.
type renderedPage struct {
	result *markdown.Result
	html   string // result.HTML
	// sum and htmlSum stand for the body and the HTML in data keys; they
	// are set when a cache is used.
	sum, htmlSum, textSum [32]byte
	err                   error
	extraIDs              []string // IDs the theme adds to the page (relation anchors)
}

// renderMarkdown turns every page's Markdown into HTML on every core,
// reusing the cache's renders whose inputs did not change. lean drops
// each page's Markdown body once it is rendered (a build with a Sink
// holds as little as it can).
func renderMarkdown(ctx context.Context, cfg *config.Config, th *theme.Theme, g *link.Graph, pages []*content.Page, cache *Cache, gen uint64, lean bool, stats *Stats) (map[*content.Page]*renderedPage, error) {
	mdOpts := markdown.Options{
		UnsafeHTML:       cfg.Markup.UnsafeHTML,
		Typographer:      cfg.Markup.TypographerOn(),
		HighlightTimeout: durationOr(cfg.Limits.HighlightTimeout, 2*time.Second),
		AnchorLabel:      th.T("heading_anchor"),
	}
	optsSum := sha256.Sum256(fmt.Appendf(nil, "%#v", mdOpts))
	r := markdown.New(mdOpts)
	renderTimeout := durationOr(cfg.Limits.RenderTimeout, 10*time.Second)
	results := make([]*renderedPage, len(pages))
	var wg sync.WaitGroup
	var mu sync.Mutex
	render := func(i int) {
		p := pages[i]
		res := g.Resolver(p)
		prefix := ""
		if p.Kind == content.KindPage {
			prefix = "../"
		}
		in := mdInputs{options: optsSum, bodyLine: p.BodyLine, prefix: prefix}
		if e := cache.markdown(gen, p, in, res); e != nil {
			results[i] = &renderedPage{result: e.result, html: e.html, sum: e.sum, htmlSum: e.htmlSum, textSum: e.textSum}
			return
		}
		pctx, cancel := context.WithTimeout(ctx, renderTimeout)
		out, err := r.Render(pctx, markdown.Page{Source: p.Body, BodyLine: p.BodyLine, AssetPrefix: prefix}, res)
		cancel()
		if err != nil {
			if ctx.Err() == nil && pctx.Err() != nil {
				err = fmt.Errorf("rendering took longer than %v (limits.render_timeout): split the page or simplify its structure", renderTimeout)
			}
			results[i] = &renderedPage{result: &markdown.Result{}, err: err}
			return
		}
		e := cache.storeMarkdown(gen, p, in, out, res)
		mu.Lock()
		stats.Rendered++
		mu.Unlock()
		results[i] = &renderedPage{result: e.result, html: e.html, sum: e.sum, htmlSum: e.htmlSum, textSum: e.textSum}
	}
	// Workers take the next page by a counter, not from a channel: most
	// pages of a rebuild come from the cache in microseconds, and a
	// channel's handoff cost about as much.
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pages) || ctx.Err() != nil {
					return
				}
				render(i)
				if lean {
					pages[i].Body = nil
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := make(map[*content.Page]*renderedPage, len(pages))
	for i, p := range pages {
		m[p] = results[i]
	}
	return m, nil
}

func durationOr(s string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d
	}
	return def
}
