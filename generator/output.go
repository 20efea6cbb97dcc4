package generator

import (
	"cmp"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
	"kennisbank/generator/markdown"
	"kennisbank/generator/matrix"
	"kennisbank/generator/search"
	"kennisbank/generator/theme"
)

// output derives the generated pages and renders every page through the
// theme into Site.Files.
type output struct {
	cfg      *config.Config
	th       *theme.Theme
	site     *Site
	rendered map[*content.Page]*renderedPage
	opts     Options
	gen      uint64 // the build's number in opts.Cache
	diags    content.Diagnostics

	pages    []*content.Page // content pages and generated pages
	children map[string][]*content.Page
	slugs    map[string]string          // tag or author name → slug, made by derive
	siblings map[string][]*content.Page // parent URL → its articles
	sibIndex map[*content.Page]int      // an article's place among them
	tags     map[string][]*content.Page // tag slug → pages
	tagNames map[string]string
	authors  map[string]*content.Page // author slug → page
	works    map[*content.Page][]*content.Page
	matrices map[*content.Page]*matrix.Table
	// matrixPages keeps the matrices in config order.
	matrixPages []*content.Page
	comps       map[*content.Page]*matrix.Comparison
	// With opts.Sink, the pages' files go there as they are made.
	sinkMu   sync.Mutex
	sinkErr  error // the first error Sink.Add returned
	sunk     int   // files handed to the sink
	siteData *SiteData
	nb       *link.Neighbours
	urls     map[string]*content.Page
	sections map[string]string // section folder → title
}

func newOutput(cfg *config.Config, th *theme.Theme, site *Site, rendered map[*content.Page]*renderedPage, opts Options) *output {
	return &output{cfg: cfg, th: th, site: site, rendered: rendered, opts: opts,
		children: map[string][]*content.Page{}, tags: map[string][]*content.Page{}, tagNames: map[string]string{},
		authors: map[string]*content.Page{}, works: map[*content.Page][]*content.Page{}, slugs: map[string]string{},
		matrices: map[*content.Page]*matrix.Table{}, comps: map[*content.Page]*matrix.Comparison{}}
}

func generated(kind content.Kind, url, title string) *content.Page {
	p := &content.Page{Kind: kind, URL: url, Title: title, TitleKey: content.SortKey(title), Params: map[string]any{}}
	p.Path = strings.TrimSuffix(url, "/")
	p.Dir = p.Path
	p.Section, _, _ = strings.Cut(p.Path, "/")
	p.Slug = p.Path[strings.LastIndex(p.Path, "/")+1:]
	return p
}

// derive makes the generated pages: tags, authors, matrices, comparisons,
// the A–Z index and the 404 page.
func (o *output) derive() {
	// The neighbours need only the edges and the pages: they are worked
	// out on the other core meanwhile (a dev server does this per save).
	nb := make(chan *link.Neighbours, 1)
	go func() { nb <- link.NewNeighbours(o.site.Edges, o.site.Pages) }()
	o.pages = slices.Clone(o.site.Pages)
	byURL := map[string]*content.Page{}
	for _, p := range o.pages {
		byURL[p.URL] = p
	}
	// add registers a generated page, or returns the content page that
	// already has its address (an author's own page, say).
	add := func(p *content.Page) *content.Page {
		if q, ok := byURL[p.URL]; ok {
			return q
		}
		byURL[p.URL] = p
		o.pages = append(o.pages, p)
		return p
	}
	// claim registers a generated page that must own its address: a
	// content page there is an error, never silently replaced.
	claim := func(p *content.Page) *content.Page {
		if q, ok := byURL[p.URL]; ok {
			o.diags.Errorf(o.cfg.ContentDir+"/"+q.Path, 1, 1, "duplicate-url", "%s has the address /%s, which the generated page %q needs: rename the file or give it another slug", q.Path, p.URL, p.Title)
			return p
		}
		return add(p)
	}
	// tags
	for _, p := range o.site.Pages {
		for _, t := range p.Tags {
			s := o.slugify(t)
			if s == "" {
				continue
			}
			if _, ok := o.tagNames[s]; !ok {
				o.tagNames[s] = t
			}
			o.tags[s] = append(o.tags[s], p)
		}
	}
	if len(o.tags) > 0 {
		tp := claim(generated(kindTags, "tags/", o.th.T("tags")))
		tp.Summary = o.th.T("tags_intro")
		tp.Weight = 1001
		for s, name := range o.tagNames {
			claim(generated(kindTag, "tags/"+s+"/", name))
		}
	}
	// authors
	for _, p := range o.site.Pages {
		for _, name := range p.Strings("auteurs") {
			s := o.slugify(name)
			if s == "" {
				continue
			}
			a, ok := o.authors[s]
			if !ok {
				a = byURL["auteurs/"+s+"/"]
				if a == nil {
					if byURL["auteurs/"] == nil {
						add(generated(content.KindSection, "auteurs/", o.th.T("authors")))
					}
					a = add(generated(kindAuthor, "auteurs/"+s+"/", name))
				}
				o.authors[s] = a
			}
			o.works[a] = append(o.works[a], p)
		}
	}
	// matrices and comparisons
	for _, m := range o.cfg.Matrices {
		t, ds := matrix.Build(o.cfg, m, o.site.Pages, o.site.Edges)
		o.diags = append(o.diags, prefix(ds, o.cfg.ContentDir)...)
		if t == nil {
			continue
		}
		p := claim(generated(kindMatrix, m.Slug+"/", m.Title))
		// Overviews come first in their section, in config order.
		p.Weight = -100 + len(o.matrixPages)
		p.Summary = m.Intro
		o.matrices[p] = t
		o.matrixPages = append(o.matrixPages, p)
	}
	for _, c := range o.cfg.Comparisons {
		t, ds := matrix.Compare(o.cfg, c, o.site.Pages)
		o.diags = append(o.diags, prefix(ds, o.cfg.ContentDir)...)
		p := claim(generated(kindComparison, c.Slug+"/", c.Title))
		p.Weight = -50
		p.Summary = c.Intro
		o.comps[p] = t
	}
	az := claim(generated(kindAZ, "a-z/", o.th.T("az_title")))
	az.Summary = o.th.T("az_intro")
	az.Weight = 1000
	nf := generated(kind404, "404/", o.th.T("not_found_title"))
	o.pages = append(o.pages, nf)

	for _, p := range o.pages {
		if p.Kind == content.KindHome || p.Kind == kind404 {
			continue
		}
		parent := p.ParentURL()
		o.children[parent] = append(o.children[parent], p)
	}
	for k := range o.children {
		sortPages(o.children[k])
	}
	// Articles in the same section, in list order, for previous and next.
	o.siblings = map[string][]*content.Page{}
	o.sibIndex = map[*content.Page]int{}
	for parent, kids := range o.children {
		var pages []*content.Page
		for _, q := range kids {
			if q.Kind == content.KindPage {
				o.sibIndex[q] = len(pages)
				pages = append(pages, q)
			}
		}
		o.siblings[parent] = pages
	}
	o.urls = byURL
	o.sections = map[string]string{}
	for _, p := range o.site.Pages {
		if p.Kind == content.KindSection && !strings.Contains(p.Dir, "/") {
			o.sections[p.Dir] = p.Title
		}
	}
	o.nb = <-nb
}

// slugify is content.Slugify, remembered for slug: tags and author names
// repeat on every page that has them.
func (o *output) slugify(s string) string {
	if slug, ok := o.slugs[s]; ok {
		return slug
	}
	slug := content.Slugify(s)
	o.slugs[s] = slug
	return slug
}

// slug is slugify for the page workers: it reads the slugs derive made.
func (o *output) slug(s string) string {
	if slug, ok := o.slugs[s]; ok {
		return slug
	}
	return content.Slugify(s)
}

func sortPages(ps []*content.Page) {
	slices.SortFunc(ps, content.Compare)
}

func (o *output) link(from, to *content.Page) Link {
	return Link{Title: to.Title, URL: link.Href(from, to, ""), Summary: to.Summary, Current: from == to, Date: to.Date, Section: o.sectionTitle(to)}
}

func (o *output) sectionTitle(p *content.Page) string {
	if p.Section == "" {
		return ""
	}
	if t, ok := o.sections[p.Section]; ok {
		return t
	}
	return p.Section
}

func (o *output) byURL(url string) *content.Page {
	return o.urls[url]
}

// renderAll renders every page and the site-wide files.
func (o *output) renderAll(ctx context.Context) error {
	o.siteData = o.newSiteData()
	if o.opts.Lazy {
		o.site.lazy = newLazyOutput(o)
		return o.renderExtras(o.site.Files, false)
	}
	extras := map[string][]byte{}
	// A build to disk without a cache holds as little as it can: the
	// search index first, so each page's plain text can go before the
	// pages render (nothing else reads it).
	searchFirst := o.opts.Sink != nil && o.opts.Cache == nil
	if searchFirst {
		if err := o.searchIndex(extras); err != nil {
			return err
		}
		for _, r := range o.rendered {
			if r.result != nil {
				r.result.Text = ""
			}
		}
	}
	// The other site-wide files need no page's output: they are made
	// while the pages render, and added after them.
	done := make(chan error, 1)
	go func() { done <- o.renderExtras(extras, !searchFirst) }()
	err := o.renderPages(ctx)
	if eerr := <-done; err == nil {
		err = eerr
	}
	if err != nil {
		return err
	}
	maps.Copy(o.site.Files, extras)
	return nil
}

// renderExtras makes the feed, sitemap, graph, search index (with
// withSearch), stylesheets and the theme's static files.
func (o *output) renderExtras(files map[string][]byte, withSearch bool) error {
	if !o.opts.Lazy {
		for name, make := range o.siteFiles() {
			files[name] = make()
		}
	}
	if withSearch {
		if err := o.searchIndex(files); err != nil {
			return err
		}
	}
	for name, css := range chromaCSS(o.cfg) {
		files["css/"+name] = css
	}
	return o.th.StaticFiles(func(name string, data []byte) error {
		files[name] = data
		return nil
	})
}

// siteFiles gives the files made from the whole site, each with the
// function that makes it. A lazy build makes each when it is read.
func (o *output) siteFiles() map[string]func() []byte {
	files := map[string]func() []byte{"feed.xml": o.feed, "robots.txt": o.robots, "graph.json": o.graph}
	if o.cfg.BaseURL != "" {
		files["sitemap.xml"] = o.sitemap // sitemaps need absolute URLs
	}
	return files
}

func (o *output) newSiteData() *SiteData {
	return &SiteData{Title: o.cfg.Title, Description: o.cfg.Description, Language: o.cfg.Language, BaseURL: o.cfg.BaseURL, Params: o.cfg.Params, BuildDate: o.buildDate(), HasTags: len(o.tags) > 0}
}

// renderPages renders every page through its layout, in parallel.
func (o *output) renderPages(ctx context.Context) error {
	// Pages render in parallel; each worker writes only its own slot, and
	// the results are merged in page order.
	type result struct {
		files map[string][]byte
		errs  []string
	}
	results := make([]result, len(o.pages))
	var next atomic.Int64 // the next page, as in renderMarkdown
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(o.pages) || ctx.Err() != nil {
					return
				}
				results[i].files, results[i].errs = o.renderPage(o.pages[i])
				if o.opts.Sink != nil {
					o.sink(results[i].files)
					results[i].files = nil
					// Only the page itself shows its HTML: it can go.
					if r := o.rendered[o.pages[i]]; r != nil {
						r.html = ""
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []string
	for _, r := range results {
		errs = append(errs, r.errs...)
		for name, b := range r.files {
			o.site.Files[name] = b
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// sink hands a page's files to opts.Sink.
func (o *output) sink(files map[string][]byte) {
	for name, b := range files {
		err := o.opts.Sink.Add(name, b)
		o.sinkMu.Lock()
		o.sunk++
		if err != nil && o.sinkErr == nil {
			o.sinkErr = err
		}
		o.sinkMu.Unlock()
	}
}

// renderPage renders one page and the files that belong to it.
func (o *output) renderPage(p *content.Page) (map[string][]byte, []string) {
	files := map[string][]byte{}
	var errs []string
	data, layout := o.pageData(p), layoutFor(p)
	// Matrix and comparison pages hold tables that point at every page
	// of the matrix; there are few of them, so they are always rendered.
	cache := o.opts.Cache
	// A lazy build renders pages after it ended, when its cache entries
	// are no longer kept: it renders without the cache.
	memo := cache != nil && !o.opts.Lazy && p.Kind != kindMatrix && p.Kind != kindComparison
	var key dataKey
	var b []byte
	if memo {
		key = o.dataKey(p, data, layout)
		b = cache.page(o.gen, key)
	}
	if b == nil {
		var err error
		if b, err = o.th.Render(layout, data); err != nil {
			return nil, []string{err.Error()}
		}
		if memo {
			cache.storePage(o.gen, key, b)
		}
	}
	out := p.OutputPath()
	if p.Kind == kind404 {
		out = "404.html"
	}
	files[out] = b
	if t := o.matrices[p]; t != nil {
		files[p.URL+"matrix.json"] = t.JSON()
		files[p.URL+"matrix.csv"] = t.CSV()
	}
	if c := o.comps[p]; c != nil {
		files[p.URL+"vergelijking.json"] = c.JSON()
		files[p.URL+"vergelijking.csv"] = c.CSV()
	}
	for _, a := range p.Aliases {
		if err := o.alias(p, a, files); err != nil {
			errs = append(errs, err.Error())
		}
	}
	return files, errs
}

// pageOutputs lists the files renderPage makes for p.
func (o *output) pageOutputs(p *content.Page) []string {
	out := p.OutputPath()
	if p.Kind == kind404 {
		out = "404.html"
	}
	names := []string{out}
	if o.matrices[p] != nil {
		names = append(names, p.URL+"matrix.json", p.URL+"matrix.csv")
	}
	if o.comps[p] != nil {
		names = append(names, p.URL+"vergelijking.json", p.URL+"vergelijking.csv")
	}
	for _, a := range p.Aliases {
		names = append(names, generated(content.KindPage, content.AliasURL(a), p.Title).OutputPath())
	}
	return names
}

// dataKey is the key of a page's output: the theme, the layout and
// everything in data. The page's body and HTML, the bulk of it, enter as
// the sums its render computed once, so a key costs little more than the
// links on the page.
func (o *output) dataKey(p *content.Page, d *PageData, layout string) dataKey {
	cache := o.opts.Cache
	th := o.th.Sum()
	var sum, htmlSum [32]byte
	r := o.rendered[p]
	if r != nil {
		sum, htmlSum = r.sum, r.htmlSum
	}
	pageKey := cache.key(d.Page, sum[:]) // without its body (layoutPage)
	view := *d
	view.Page = nil
	if htmlSum != ([32]byte{}) && string(d.Content) == r.html {
		view.Content = ""
	} else {
		htmlSum = [32]byte{}
	}
	return cache.key(&view, th[:], []byte(layout), pageKey[:], htmlSum[:])
}

func layoutFor(p *content.Page) string {
	switch p.Kind {
	case content.KindHome:
		return "home.html"
	case content.KindSection:
		return "section.html"
	case kindTags:
		return "tags.html"
	case kindTag:
		return "tag.html"
	case kindAuthor:
		return "page.html"
	case kindMatrix:
		return "matrix.html"
	case kindComparison:
		return "comparison.html"
	case kindAZ:
		return "az.html"
	case kind404:
		return "404.html"
	}
	return "page.html"
}

func (o *output) buildDate() time.Time {
	if !o.opts.BuildDate.IsZero() {
		return o.opts.BuildDate.UTC()
	}
	var newest time.Time
	for _, p := range o.site.Pages {
		if p.Lastmod.After(newest) {
			newest = p.Lastmod
		}
		if p.Date.After(newest) {
			newest = p.Date
		}
	}
	return newest
}

// alias writes a redirect page at an old URL.
func (o *output) alias(p *content.Page, a string, files map[string][]byte) error {
	u := content.AliasURL(a)
	if q := o.byURL(u); q != nil {
		return fmt.Errorf("%s: alias %q is the address of %s: remove the alias", p.Path, a, q.Path)
	}
	from := generated(content.KindPage, u, p.Title) // only its place matters: links from it
	target := Link{Title: p.Title, URL: link.Href(from, p, "")}
	data := &PageData{Site: o.siteData, Page: layoutPage(p), Title: p.Title, Root: from.Root(), Alias: &target, Canonical: o.canonical(p)}
	b, err := o.th.Render("alias.html", data)
	if err != nil {
		return err
	}
	files[from.OutputPath()] = b
	return nil
}

func (o *output) canonical(p *content.Page) string {
	if o.cfg.BaseURL == "" {
		return ""
	}
	return o.cfg.BaseURL + p.URL
}

// copyFiles adds the files beside the articles and the site's static/
// folder to the output. Neither may take the place of a page, an alias or
// an export, and a file beside the articles may take no other file's
// place either: two sources for one output path are an error naming both.
// A static/ file may replace a theme or generated file of the same name,
// as the README says. static/ must lie inside the site folder, and only
// regular files are copied. Problems go straight into the site's
// diagnostics, which are sorted after this step.
func (o *output) copyFiles(contentFS fs.FS, files []string) error {
	diags := &o.site.Diagnostics
	// Where each page, alias and export is written, and from what.
	owners := map[string]string{}
	for _, p := range o.pages {
		src := "the generated page /" + p.URL
		switch {
		case strings.HasSuffix(p.Path, ".md"):
			src = o.cfg.ContentDir + "/" + p.Path
		case p.Kind == content.KindSection || p.Kind == content.KindHome:
			src = "the section page of " + o.cfg.ContentDir + "/" + p.Path
		}
		names := o.pageOutputs(p)
		own := len(names) - len(p.Aliases) // the aliases come last
		for _, name := range names[:own] {
			owners[name] = src
		}
		for i, a := range p.Aliases {
			owners[names[own+i]] = fmt.Sprintf("the alias %q of %s", a, src)
		}
	}
	static := filepath.Join(o.opts.Source, "static")
	var root *os.Root
	if fi, err := os.Lstat(static); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			// The link itself is followed when the folder is opened, so
			// it may only lead to a folder inside the site.
			real, err := filepath.EvalSymlinks(static)
			if err != nil {
				diags.Errorf("static", 0, 0, "symlink", "static/ is a symbolic link that leads nowhere (%v): replace it with a folder", err)
				return nil
			}
			if site, err := filepath.EvalSymlinks(o.opts.Source); err != nil || !within(real, site) {
				diags.Errorf("static", 0, 0, "symlink", "static/ is a symbolic link to %s, outside the site folder: put the files themselves in static/", real)
				// The theme has read static/ through the link already:
				// keep nothing a failed build could still hand out.
				clear(o.site.Files)
				return nil
			}
		}
		if isDir(static) {
			if root, err = os.OpenRoot(static); err != nil {
				return err
			}
			defer root.Close()
		}
	}
	for _, f := range files {
		src := o.cfg.ContentDir + "/" + f
		if strings.HasPrefix(f, search.Folder) {
			diags.Errorf(src, 0, 0, "duplicate-output", "%s is in the folder %s, which holds the search index: move it to another folder", src, strings.TrimSuffix(search.Folder, "/"))
			continue
		}
		_, taken := o.site.Files[f]
		if _, ok := owners[f]; ok {
			taken = true // a page's file, not made yet in a lazy build
		}
		if o.site.lazy != nil && o.site.lazy.site[f] != nil {
			taken = true // a site-wide file, not made yet
		}
		if taken {
			other := owners[f]
			if other == "" {
				other = "a file of the theme or a generated file"
				if root != nil {
					if _, err := root.Lstat(filepath.FromSlash(f)); err == nil {
						other = "static/" + f
					}
				}
			}
			diags.Errorf(src, 0, 0, "duplicate-output", "%s and %s both become %s: rename or move one of them", src, other, f)
			continue
		}
		b, err := fs.ReadFile(contentFS, f)
		if err != nil {
			diags.Errorf(src, 0, 0, "read", "cannot read: %v", err)
			continue
		}
		o.site.Files[f] = b
	}
	if root == nil {
		return nil
	}
	return fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			diags.Errorf("static/"+p, 0, 0, "read", "cannot read: %v", err)
			return nil
		}
		if content.IgnoredName(d.Name()) && p != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			diags.Errorf("static/"+p, 0, 0, "symlink", "symbolic links are not copied from static/: put the file itself there")
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			// Reading a pipe or a device could block forever.
			diags.Errorf("static/"+p, 0, 0, "not-a-file", "not a regular file (a pipe, socket or device): remove it from static/")
			return nil
		}
		if other, ok := owners[p]; ok {
			diags.Errorf("static/"+p, 0, 0, "duplicate-output", "static/%s and %s both become %s: rename or move one of them", p, other, p)
			return nil
		}
		b, err := fs.ReadFile(root.FS(), p)
		if err != nil {
			diags.Errorf("static/"+p, 0, 0, "read", "cannot read: %v", err)
			return nil
		}
		o.site.Files[p] = b
		return nil
	})
}

// pageData assembles everything a layout shows for p.
// layoutPage is p as layouts see it: without its Markdown body. They show
// .Content, the HTML; and a build to disk drops each body once it is
// rendered, so a layout that could read it would make other bytes there
// than in the dev server.
func layoutPage(p *content.Page) *content.Page {
	view := *p
	view.Body = nil
	return &view
}

func (o *output) pageData(p *content.Page) *PageData {
	d := &PageData{Site: o.siteData, Page: layoutPage(p), Kind: string(p.Kind), Title: p.Title, Summary: p.Summary, Root: p.Root(), Canonical: o.canonical(p)}
	if p.Kind == kind404 {
		d.Root = "/"
		if o.cfg.BaseURL != "" {
			d.Root = o.cfg.BaseURL
		}
	}
	if r := o.rendered[p]; r != nil && r.result != nil {
		d.Content = template.HTML(r.html)
		if d.Summary == "" {
			d.Summary = truncate(r.result.Lead, 200)
		}
		var toc []markdown.Heading
		for _, h := range r.result.Headings {
			if h.Level == 2 || h.Level == 3 {
				toc = append(toc, h)
			}
		}
		if len(toc) >= max(1, o.cfg.Markup.TOCMinHeadings) {
			d.TOC = toc
		}
	}
	if e := o.cfg.EntityFor(p.Section); e != nil && p.Kind == content.KindPage {
		d.EntityType, d.EntityLabel = e.Type, e.Label
	}
	for _, item := range o.cfg.Menu {
		u := strings.TrimPrefix(item.URL, "/")
		href := p.Root() + u
		if u == "" || strings.HasSuffix(u, "/") {
			href += "index.html"
		}
		d.Menu = append(d.Menu, Link{Title: item.Title, URL: href, Current: u == p.URL || (u != "" && strings.HasPrefix(p.URL, u))})
	}
	d.Breadcrumbs = o.breadcrumbs(p)
	o.prevNext(p, d)
	for _, c := range o.children[p.URL] {
		if c.IsSection() {
			d.Sections = append(d.Sections, o.link(p, c))
		} else {
			d.Children = append(d.Children, o.link(p, c))
		}
	}
	for _, t := range p.Tags {
		if s := o.slug(t); s != "" {
			d.Tags = append(d.Tags, Link{Title: t, URL: p.Root() + "tags/" + s + "/index.html"})
		}
	}
	for _, name := range p.Strings("auteurs") {
		if a := o.authors[o.slug(name)]; a != nil {
			d.Authors = append(d.Authors, o.link(p, a))
		}
	}
	o.relations(p, d)
	o.backlinks(p, d)
	o.thread(p, d)
	for _, q := range o.nb.Related(p, 5) {
		d.Related = append(d.Related, o.link(p, q))
	}
	switch p.Kind {
	case kindTags:
		// The tag pages are this page's children; list them with counts.
		d.Children = nil
		names := make([]string, 0, len(o.tags))
		for s := range o.tags {
			names = append(names, s)
		}
		slices.SortFunc(names, func(a, b string) int {
			return cmp.Compare(content.SortKey(o.tagNames[a]), content.SortKey(o.tagNames[b]))
		})
		for _, s := range names {
			d.Children = append(d.Children, Link{Title: fmt.Sprintf("%s (%d)", o.tagNames[s], len(o.tags[s])), URL: s + "/index.html"})
		}
	case kindTag:
		ps := slices.Clone(o.tags[p.Slug])
		sortPages(ps)
		for _, q := range ps {
			d.Children = append(d.Children, o.link(p, q))
		}
	case kindMatrix:
		d.Matrix = o.matrices[p]
		d.Exports = []Link{{Title: "JSON", URL: "matrix.json"}, {Title: "CSV", URL: "matrix.csv"}}
	case kindComparison:
		d.Comparison = o.comps[p]
		d.Exports = []Link{{Title: "JSON", URL: "vergelijking.json"}, {Title: "CSV", URL: "vergelijking.csv"}}
	case kindAZ:
		d.Letters = o.letters(p)
	}
	if ws := o.works[p]; len(ws) > 0 {
		ws = slices.Clone(ws)
		slices.SortFunc(ws, func(a, b *content.Page) int {
			return cmp.Or(b.Date.Compare(a.Date), content.CompareTitles(a, b))
		})
		for _, w := range ws {
			d.Works = append(d.Works, o.link(p, w))
		}
	}
	return d
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexFunc(cut, unicode.IsSpace); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

func (o *output) breadcrumbs(p *content.Page) []Link {
	var out []Link
	for u := p.ParentURL(); ; {
		q := o.byURL(u)
		if q != nil {
			out = append(out, o.link(p, q))
		}
		if u == "" {
			break
		}
		u = (&content.Page{URL: u, Kind: content.KindSection}).ParentURL()
	}
	slices.Reverse(out)
	if p.Kind != content.KindHome {
		out = append(out, Link{Title: p.Title, URL: "index.html", Current: true})
	}
	return out
}

func (o *output) prevNext(p *content.Page, d *PageData) {
	if p.Kind != content.KindPage {
		return
	}
	pages := o.siblings[p.ParentURL()]
	i, ok := o.sibIndex[p]
	if !ok {
		return
	}
	if i > 0 {
		l := o.link(p, pages[i-1])
		d.Prev = &l
	}
	if i < len(pages)-1 {
		l := o.link(p, pages[i+1])
		d.Next = &l
	}
}

func (o *output) relations(p *content.Page, d *PageData) {
	allOut, allIn := o.nb.Out(p, link.KindRelation), o.nb.In(p, link.KindRelation)
	for _, rel := range o.cfg.Relations {
		var out, in []link.Edge
		for _, e := range allOut {
			if e.Relation == rel.Key {
				out = append(out, e)
			}
		}
		for _, e := range allIn {
			if e.Relation == rel.Key {
				in = append(in, e)
			}
		}
		if g := o.relationGroup(p, rel, out, false); g != nil {
			g.Matrices = o.matricesOf(p, rel.Key, false)
			d.Relations = append(d.Relations, *g)
		}
		if g := o.relationGroup(p, rel, in, true); g != nil {
			g.Matrices = o.matricesOf(p, rel.Key, true)
			d.Inverse = append(d.Inverse, *g)
		}
	}
}

// matricesOf links the matrices that show p's side of a relation: its
// row (as a source) or its column (as a target), in config order. The
// page's leveled relation list is its slice of those matrices.
func (o *output) matricesOf(p *content.Page, relation string, asTarget bool) []Link {
	var out []Link
	for _, mp := range o.matrixPages {
		t := o.matrices[mp]
		if t.Relation != relation {
			continue
		}
		sources := t.Rows
		if t.RowsAreTargets {
			sources = t.Cols
		}
		for _, h := range sources {
			if asTarget || h.Page == p {
				out = append(out, o.link(p, mp))
				break
			}
		}
	}
	return out
}

func (o *output) relationGroup(p *content.Page, rel config.Relation, edges []link.Edge, inverse bool) *RelationGroup {
	if len(edges) == 0 {
		return nil
	}
	label := rel.Label
	if inverse {
		label = rel.Inverse
	}
	if label == "" {
		label = rel.Key
	}
	g := &RelationGroup{Key: rel.Key, Label: label, Leveled: len(rel.Levels) > 0, Inverse: inverse}
	levels := rel.Levels
	if len(levels) == 0 {
		levels = []string{""}
	}
	for i, lv := range levels {
		lg := LevelGroup{Level: lv, Rank: i + 1}
		var pages []*content.Page
		for _, e := range edges {
			if e.Level == lv {
				if inverse {
					pages = append(pages, e.From)
				} else {
					pages = append(pages, e.To)
				}
			}
		}
		sortPages(pages)
		for _, q := range pages {
			l := o.link(p, q)
			if !inverse {
				l.Anchor = matrix.Anchor(rel.Key, q)
			}
			lg.Items = append(lg.Items, l)
		}
		if len(lg.Items) > 0 {
			g.Groups = append(g.Groups, lg)
		}
	}
	return g
}

func (o *output) backlinks(p *content.Page, d *PageData) {
	in := o.nb.In(p, link.KindLink)
	var cur *BacklinkGroup
	for _, e := range in {
		sec := o.sectionTitle(e.From)
		if sec == "" {
			sec = o.th.T("home")
		}
		if cur == nil || cur.Section != sec {
			d.Backlinks = append(d.Backlinks, BacklinkGroup{Section: sec})
			cur = &d.Backlinks[len(d.Backlinks)-1]
		}
		cur.Items = append(cur.Items, Backlink{Link: o.link(p, e.From), Context: e.Context})
	}
}

func (o *output) thread(p *content.Page, d *PageData) {
	for _, e := range o.nb.Out(p, link.KindAnswer) {
		l := o.link(p, e.To)
		d.Question = &l
	}
	answers := o.nb.In(p, link.KindAnswer)
	slices.SortStableFunc(answers, func(a, b link.Edge) int {
		return cmp.Or(a.From.Date.Compare(b.From.Date), cmp.Compare(a.From.Path, b.From.Path))
	})
	for _, e := range answers {
		a := Answer{Link: o.link(p, e.From), Date: e.From.Date}
		for _, name := range e.From.Strings("auteurs") {
			if au := o.authors[o.slug(name)]; au != nil {
				a.Authors = append(a.Authors, o.link(p, au))
			}
		}
		if r := o.rendered[e.From]; r != nil && r.result != nil {
			a.Summary = e.From.Summary
		}
		d.Answers = append(d.Answers, a)
	}
}

func (o *output) letters(p *content.Page) []LetterGroup {
	var ps []*content.Page
	for _, q := range o.site.Pages {
		if q.Kind == content.KindPage {
			ps = append(ps, q)
		}
	}
	slices.SortFunc(ps, content.CompareTitles)
	var out []LetterGroup
	for _, q := range ps {
		key := q.TitleKey
		letter := "#"
		for _, r := range key {
			// "IJ" files under I, as in Dutch dictionaries.
			if unicode.IsLetter(r) {
				letter = strings.ToUpper(string(r))
			}
			break
		}
		if len(out) == 0 || out[len(out)-1].Letter != letter {
			out = append(out, LetterGroup{Letter: letter})
		}
		l := o.link(p, q)
		out[len(out)-1].Items = append(out[len(out)-1].Items, l)
	}
	return out
}
