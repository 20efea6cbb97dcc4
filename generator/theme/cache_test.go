package theme

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestCacheReusesOnlyTheSameFiles: a Cache gives back the theme it
// loaded while every file, the language and each file's origin are the
// same, and loads afresh after any change to them.
func TestCacheReusesOnlyTheSameFiles(t *testing.T) {
	base := fstest.MapFS{
		"layouts/page.html": {Data: []byte(`<p>{{.}}</p>`)},
		"i18n/nl.toml":      {Data: []byte(`x = "één"`)},
		"static/a.css":      {Data: []byte(`a{}`)},
	}
	site := fstest.MapFS{}
	var c Cache
	load := func(lang string) *Theme {
		t.Helper()
		th, err := c.Load(lang, Source{FS: base, Name: "themes/default"}, Source{FS: site, Name: "."})
		if err != nil {
			t.Fatal(err)
		}
		return th
	}
	render := func(th *Theme) string {
		t.Helper()
		b, err := th.Render("page.html", "x")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	statics := func(th *Theme) string {
		var names []string
		th.StaticFiles(func(name string, _ []byte) error { names = append(names, name); return nil })
		return strings.Join(names, ",")
	}

	first := load("nl")
	if load("nl") != first {
		t.Fatal("the same files: the theme was loaded again")
	}
	if th := load("en"); th == first {
		t.Error("another language: the same theme")
	}
	load("nl")

	// A layout changes: its output changes.
	site["layouts/page.html"] = &fstest.MapFile{Data: []byte(`<div>{{.}}</div>`)}
	if th := load("nl"); th == first || render(th) != "<div>x</div>" {
		t.Errorf("after a layout edit: %q", render(th))
	}
	// The same bytes, now from the theme only: they come from elsewhere,
	// and error messages must name that file.
	delete(site, "layouts/page.html")
	base["layouts/page.html"] = &fstest.MapFile{Data: []byte(`<div>{{.}}</div>`)}
	before := load("nl")
	site["layouts/page.html"] = &fstest.MapFile{Data: []byte(`<div>{{.}}</div>`)}
	if th := load("nl"); th == before || th.origin["page.html"] != "layouts/page.html" {
		t.Errorf("a layout moved to the site: origin %q", th.origin["page.html"])
	}
	// A UI string changes.
	prev := load("nl")
	base["i18n/nl.toml"] = &fstest.MapFile{Data: []byte(`x = "twee"`)}
	if th := load("nl"); th == prev || th.T("x") != "twee" {
		t.Errorf("after a string edit: %q", th.T("x"))
	}
	// A static file is added.
	prev = load("nl")
	site["static/b.css"] = &fstest.MapFile{Data: []byte(`b{}`)}
	if th := load("nl"); th == prev || statics(th) != "a.css,b.css" {
		t.Errorf("after a new static file: %q", statics(th))
	}
	// The same files, from a copy of the theme in the site: the static
	// files are read from there now (found in review: the dev server
	// kept serving the built-in CSS after the author copied the theme).
	prev = load("nl")
	if th, err := c.Load("nl", Source{FS: base, Name: "themes/default", Dir: "/site/themes/default"}, Source{FS: site, Name: "."}); err != nil || th == prev {
		t.Errorf("a theme from another folder under the same name: the same theme (%v)", err)
	}
	// A nil cache loads every time.
	var none *Cache
	a, _ := none.Load("nl", Source{FS: base, Name: "themes/default"})
	b, _ := none.Load("nl", Source{FS: base, Name: "themes/default"})
	if a == b {
		t.Error("a nil cache gave the same theme twice")
	}
}
