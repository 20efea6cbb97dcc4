package generator

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"

	"kennisbank/generator/content"
	"kennisbank/generator/search"
)

// With Options.Lazy, Build stops before the two steps whose cost grows
// with every page on every build: rendering each page through its layout,
// and the search index. Site.File renders a page (or the index) when it is
// first read, with the same functions a full build runs, so a lazy site
// serves exactly the bytes a full build writes. The dev server builds this
// way: after a save only the pages a browser asks for are rendered.
//
// A layout that fails while a page renders (a missing field, a function
// that returns an error) is found when that page is read, not by Build.

// lazyOutput is what a lazy build left to render.
type lazyOutput struct {
	o     *output
	owner map[string]int // output name → index in o.pages of the page that makes it
	pages []lazyPage
	site  map[string]*lazyFile // site-wide files: feed, graph, …

	searchOnce  sync.Once
	searchFiles map[string][]byte
	searchErr   error
}

type lazyFile struct {
	once sync.Once
	make func() []byte
	b    []byte
}

type lazyPage struct {
	once  sync.Once
	files map[string][]byte
	err   error
}

func newLazyOutput(o *output) *lazyOutput {
	l := &lazyOutput{o: o, owner: map[string]int{}, pages: make([]lazyPage, len(o.pages)), site: map[string]*lazyFile{}}
	for name, make := range o.siteFiles() {
		l.site[name] = &lazyFile{make: make}
	}
	for i, p := range o.pages {
		for _, name := range o.pageOutputs(p) {
			l.owner[name] = i
		}
	}
	return l
}

// File returns the output file name and whether the site has it. For a
// lazy site it renders the file's page (or the search index) when first
// asked; a failure is a *BuildError.
func (s *Site) File(name string) ([]byte, bool, error) {
	if b, ok := s.Files[name]; ok {
		return b, true, nil
	}
	if s.lazy == nil {
		return nil, false, nil
	}
	return s.lazy.file(name)
}

func (l *lazyOutput) file(name string) ([]byte, bool, error) {
	if i, ok := l.owner[name]; ok {
		lp := &l.pages[i]
		lp.once.Do(func() {
			files, errs := l.o.renderPage(l.o.pages[i])
			if len(errs) > 0 {
				lp.err = &BuildError{Diagnostics: templateDiagnostics(errors.New(strings.Join(errs, "\n")))}
			}
			lp.files = files
		})
		b, ok := lp.files[name]
		return b, ok, lp.err
	}
	if f := l.site[name]; f != nil {
		f.once.Do(func() { f.b = f.make() })
		return f.b, true, nil
	}
	if !strings.HasPrefix(name, search.Folder) {
		return nil, false, nil
	}
	files, err := l.search()
	b, ok := files[name]
	return b, ok, err
}

// search makes the search index, once.
func (l *lazyOutput) search() (map[string][]byte, error) {
	l.searchOnce.Do(func() {
		l.searchFiles = map[string][]byte{}
		if err := l.o.searchIndex(l.searchFiles); err != nil {
			l.searchErr = &BuildError{Diagnostics: templateDiagnostics(err)}
		}
	})
	return l.searchFiles, l.searchErr
}

// ReadAll returns every file of the site, rendering on every core what a
// lazy build left out: what a full build of the same sources puts in
// Files.
func (s *Site) ReadAll(ctx context.Context) (map[string][]byte, error) {
	files := make(map[string][]byte, len(s.Files))
	for name, b := range s.Files {
		files[name] = b
	}
	if s.lazy == nil {
		return files, nil
	}
	names := append(slices.Collect(maps.Keys(s.lazy.owner)), slices.Collect(maps.Keys(s.lazy.site))...)
	slices.Sort(names)
	out := make([][]byte, len(names))
	has := make([]bool, len(names))
	errs := make([]error, len(names))
	parallel(len(names), func(j int) bool {
		out[j], has[j], errs[j] = s.lazy.file(names[j])
		return ctx.Err() == nil
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var diags BuildError
	fail := func(err error) {
		var be *BuildError
		if errors.As(err, &be) {
			diags.Diagnostics = append(diags.Diagnostics, be.Diagnostics...)
		}
	}
	for j, name := range names {
		if errs[j] != nil {
			fail(errs[j])
			continue
		}
		if _, static := files[name]; !static && has[j] {
			files[name] = out[j]
		}
	}
	searchFiles, err := s.lazy.search()
	if err != nil {
		fail(err)
	}
	for name, b := range searchFiles {
		if _, static := files[name]; !static {
			files[name] = b
		}
	}
	if len(diags.Diagnostics) > 0 {
		// A layout that fails, fails on many pages: say it once.
		diags.Diagnostics.Sort()
		diags.Diagnostics = slices.CompactFunc(diags.Diagnostics, func(a, b content.Diagnostic) bool { return a.String() == b.String() })
		return files, &diags
	}
	return files, nil
}
