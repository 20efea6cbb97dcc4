package devserver

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/google/go-cmp/cmp"
	"kennisbank/generator"
)

func decode(t *testing.T, data string) message {
	t.Helper()
	var m message
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatalf("event %q: %v", data, err)
	}
	return m
}

// nextMessage reads events until one satisfies ok.
func nextMessage(t *testing.T, e *sse, what string, ok func(message) bool) message {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	last := ""
	for {
		data, err := e.next(time.Until(deadline))
		if err != nil {
			t.Fatalf("waiting for %s: %v (last event: %s)", what, err, last)
		}
		last = data
		if m := decode(t, data); ok(m) {
			return m
		}
	}
}

var dataErrors = regexp.MustCompile(`data-errors="([^"]*)"`)

// pageErrors returns the errors a served page carries for its overlay.
func pageErrors(t *testing.T, body string) []string {
	t.Helper()
	m := dataErrors.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no live reload script in the page")
	}
	var errs []string
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &errs); err != nil {
		t.Fatal(err)
	}
	return errs
}

// TestStylesheetWhileWatchesStart: a stylesheet written while the server
// sets up its watches has no event; the scan after them finds it, and it
// still counts as a stylesheet-only change (TestEvents failed now and then
// on this).
func TestStylesheetWhileWatchesStart(t *testing.T) {
	dir := writeSite(t)
	var once sync.Once
	h := startServer(t, dir, func(s *Server) {
		s.watchAdd = func(w *fsnotify.Watcher, d string) error {
			once.Do(func() { writeFile(t, filepath.Join(dir, "static/css/extra.css"), "body { color: red; }\n") })
			return w.Add(d)
		}
	})
	h.waitFor("/css/extra.css", "color: red")
	// A later build of the same inputs (an event that came after all)
	// keeps the state as it is.
	st := h.s.state.Load()
	if !st.css {
		t.Errorf("a stylesheet written while the watches started: build %s says css=%v, want true", st.id, st.css)
	}
}

// TestEvents: a stream starts with the current build id, a page edit
// sends a new id, a stylesheet edit says it changed only CSS.
func TestEvents(t *testing.T) {
	h := startServer(t, writeSite(t))
	e, _ := h.events(nil)
	hello := decode(t, must(e.next(5*time.Second)))
	if hello.ID == "" || len(hello.Errors) > 0 {
		t.Fatalf("first event %+v: want the current build id and no errors", hello)
	}
	h.write("static/css/extra.css", "body { border-top: 2px solid red; }\n")
	m := nextMessage(t, e, "a stylesheet build", func(m message) bool { return m.ID != hello.ID })
	if !m.CSS || m.Prev != hello.ID {
		t.Errorf("after a stylesheet edit: %+v, want css with prev %q", m, hello.ID)
	}
	h.write("content/notes/een.md", page("Een", "Nieuwe tekst."))
	m2 := nextMessage(t, e, "a page build", func(x message) bool { return x.ID != m.ID })
	if m2.CSS {
		t.Errorf("after a page edit: %+v, want a reload (css false)", m2)
	}
	// A tab that reconnects learns the current build at once.
	e2, _ := h.events(nil)
	if got := decode(t, must(e2.next(5*time.Second))); got.ID != m2.ID {
		t.Errorf("a new stream starts with build %q, want %q", got.ID, m2.ID)
	}
	// Many tabs at once.
	var streams []*sse
	for range 20 {
		s, _ := h.events(nil)
		must(s.next(5 * time.Second))
		streams = append(streams, s)
	}
	h.write("content/notes/twee.md", page("Twee", "Voor alle tabs."))
	for _, s := range streams {
		nextMessage(t, s, "the build, in every tab", func(x message) bool { return x.ID != m2.ID })
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

// TestErrors breaks front matter and then a template: the server keeps
// serving the last good build, pages and event streams carry the errors
// (path:line:col: message), the terminal shows them, and a fix clears
// them.
func TestErrors(t *testing.T) {
	h := startServer(t, writeSite(t))
	e, _ := h.events(nil)
	must(e.next(5 * time.Second))

	tests := []struct {
		name, file, bad, good, want string
		check                       string // text served after the fix
		url                         string
	}{
		{
			name: "front matter", file: "content/notes/een.md",
			bad:  "+++\ntitle = \"Een\nsummary = 3\n+++\nKapot.\n",
			good: page("Een", "Gerepareerd."), want: "content/notes/een.md:2:",
			check: "Gerepareerd.", url: "/notes/een/",
		},
		{
			name: "template", file: "layouts/page.html",
			bad:  "<!DOCTYPE html><html><body>{{ .Title </body></html>\n",
			good: "<!DOCTYPE html><html><body><h1>{{ .Title }}</h1>{{ .Content }}<p>eigen sjabloon</p></body></html>\n", want: "layouts/page.html",
			check: "eigen sjabloon", url: "/notes/twee/",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, before := h.get(tt.url)
			h.write(tt.file, tt.bad)
			m := nextMessage(t, e, "the errors", func(m message) bool { return len(m.Errors) > 0 })
			if !strings.Contains(strings.Join(m.Errors, "\n"), tt.want) {
				t.Errorf("errors %q: want one at %s", m.Errors, tt.want)
			}
			code, body := h.get(tt.url)
			if code != 200 || string(stripScript([]byte(body))) != string(stripScript([]byte(before))) {
				t.Errorf("while broken, %s is not the last good build (status %d)", tt.url, code)
			}
			if diff := cmp.Diff(m.Errors, pageErrors(t, body)); diff != "" {
				t.Errorf("a page loaded while broken carries other errors than the stream (-stream +page):\n%s", diff)
			}
			eventually(t, 5*time.Second, "the terminal shows the error", func() (bool, string) {
				return strings.Contains(h.stderr.String(), tt.want), h.stderr.String()
			})
			h.write(tt.file, tt.good)
			nextMessage(t, e, "the errors gone", func(m message) bool { return len(m.Errors) == 0 })
			h.waitFor(tt.url, tt.check)
			_, body = h.get(tt.url)
			if errs := pageErrors(t, body); len(errs) > 0 {
				t.Errorf("after the fix, a page still carries errors %q", errs)
			}
		})
	}
	// Breaking and reverting to the very same bytes clears the overlay
	// without a new build id.
	_, body := h.get("/notes/twee/")
	id := regexp.MustCompile(`data-build="([^"]*)"`).FindStringSubmatch(body)[1]
	good, err := os.ReadFile(h.path("content/notes/twee.md"))
	check(t, err)
	h.write("content/notes/twee.md", "+++\ntitle = \n+++\n")
	nextMessage(t, e, "the errors", func(m message) bool { return len(m.Errors) > 0 })
	h.write("content/notes/twee.md", string(good))
	m := nextMessage(t, e, "the errors gone", func(m message) bool { return len(m.Errors) == 0 })
	if m.ID != id {
		t.Errorf("reverting a broken file changed the build id from %q to %q; the site did not change", id, m.ID)
	}
	h.waitCleanBuild(10 * time.Second)
}

// TestFirstBuildFails: when the very first build fails, every URL shows
// the errors, and the site appears once they are fixed.
func TestFirstBuildFails(t *testing.T) {
	dir := writeSite(t)
	writeFile(t, dir+"/content/notes/een.md", "+++\ntitle = [\n+++\n")
	h := startServer(t, dir)
	code, body := h.get("/notes/twee/")
	if code != http.StatusInternalServerError || !strings.Contains(body, "content/notes/een.md:2:") || !strings.Contains(body, "/__kennisbank/live.js") {
		t.Fatalf("first build failed: status %d, want 500 and a page naming content/notes/een.md:2 with the live script:\n%s", code, body)
	}
	e, _ := h.events(nil)
	if m := decode(t, must(e.next(5*time.Second))); len(m.Errors) == 0 {
		t.Errorf("the stream does not carry the errors: %+v", m)
	}
	h.write("content/notes/een.md", page("Een", "Eindelijk."))
	h.waitFor("/notes/een/", "Eindelijk.")
	m := nextMessage(t, e, "the first good build", func(m message) bool { return m.ID != "" })
	if len(m.Errors) > 0 {
		t.Errorf("after the fix: %+v", m)
	}
	h.waitCleanBuild(10 * time.Second)
}

func TestInject(t *testing.T) {
	st := &state{id: "r.1"}
	tests := []struct{ in, want string }{
		{"<html><body><p>x</p></body></html>", `<html><body><p>x</p><script src="/__kennisbank/live.js" data-build="r.1" data-errors="[]"></script></body></html>`},
		{"<p>no body end</p>", `<p>no body end</p><script src="/__kennisbank/live.js" data-build="r.1" data-errors="[]"></script>`},
		{"<BODY>a</BODY><!-- </body> -->", `<BODY>a</BODY><!-- <script src="/__kennisbank/live.js" data-build="r.1" data-errors="[]"></script></body> -->`},
	}
	for _, tt := range tests {
		if got := string(inject([]byte(tt.in), st)); got != tt.want {
			t.Errorf("inject(%q) =\n%s\nwant\n%s", tt.in, got, tt.want)
		}
	}
}

func TestOnlyStylesheets(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "static/css/main.css"), "body{}")
	writeFile(t, filepath.Join(dir, "static/js/x.js"), "")
	writeFile(t, filepath.Join(dir, "content/nieuw/a.md"), "")
	l := newLayout(dir, "", nil)
	in := newInputs()
	in.scan(l)
	p := func(rel string) string { return filepath.Join(dir, rel) }
	tests := []struct {
		changed []string
		want    bool
	}{
		{nil, false},
		{[]string{p("static/css/main.css")}, true},
		{[]string{p("static/css/main.css"), p("static/css/gone.css")}, true},
		{[]string{p("static/css/main.css"), p("content/nieuw/a.md")}, false},
		{[]string{p("layouts/page.html")}, false},
		{[]string{p("static/css"), p("static/css/main.css")}, true}, // a new folder of stylesheets
		{[]string{p("static/js/x.js")}, false},
		{[]string{p("content/nieuw")}, false}, // a folder in content is a section
	}
	for _, tt := range tests {
		if got := in.onlyStylesheets(l, tt.changed); got != tt.want {
			t.Errorf("onlyStylesheets(%q) = %v, want %v", tt.changed, got, tt.want)
		}
	}
}

// TestRacedBuildIsReplaced: a build that read other bytes than its input
// key stands for (the file changed between the hash and the read) must
// not survive the rebuild the loop runs for that change, even when the
// file is back to the bytes of the key. Found in review.
func TestRacedBuildIsReplaced(t *testing.T) {
	dir := writeSite(t)
	s, ctx := builtServer(t, dir), context.Background()
	een := filepath.Join(dir, "content/notes/een.md")

	// Saved as v1; the batch hashes it ...
	writeFile(t, een, page("Een", "VERSIE EEN"))
	s.inputs.update(s.layout, map[string]bool{een: true})
	key := s.inputs.key()
	// ... but before the build reads it, it is saved as v2.
	writeFile(t, een, page("Een", "VERSIE TWEE"))
	opts := s.opts.Build
	opts.Cache, opts.Lazy = &s.cache, true
	site, err := generator.Build(ctx, opts)
	s.publish(site, key, err, false, false, 0)
	// Then undone to v1: that batch began during the build, so the loop
	// rebuilds it as racy.
	writeFile(t, een, page("Een", "VERSIE EEN"))
	s.inputs.update(s.layout, map[string]bool{een: true})
	s.rebuild(ctx, false, true)

	b, _, err := s.state.Load().file("notes/een/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "VERSIE EEN") {
		t.Fatalf("the file holds VERSIE EEN, the server serves:\n%s", b)
	}
}

// TestInlinedStylesheetReloads: a .css file under layouts/ is a template
// a layout may inline; changing it changes pages, so the browsers reload
// instead of swapping stylesheets. Found in review.
func TestInlinedStylesheetReloads(t *testing.T) {
	dir := writeSite(t)
	css := filepath.Join(dir, "layouts/partials/inline.css")
	writeFile(t, css, ".x{color:red}")
	writeFile(t, filepath.Join(dir, "layouts/partials/toc.html"), `<style>{{template "inline.css"}}</style>`)
	s, ctx := builtServer(t, dir), context.Background()
	writeFile(t, css, ".x{color:blue}")
	changed := s.inputs.update(s.layout, map[string]bool{css: true})
	s.rebuild(ctx, s.inputs.onlyStylesheets(s.layout, changed), false)
	st := s.state.Load()
	page, _, err := st.file("notes/een/index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "color:blue") {
		t.Fatalf("the page does not inline the new stylesheet:\n%s", page)
	}
	if st.message(true).CSS {
		t.Error("a changed layouts/ stylesheet is announced as stylesheets only: the open pages would keep the old inlined CSS")
	}
}

// builtServer returns a server for dir that has scanned its inputs and
// built once, without watching or serving: tests drive its rebuilds.
func builtServer(t *testing.T, dir string) *Server {
	t.Helper()
	s, err := New(Options{Build: generator.Options{Source: dir}})
	if err != nil {
		t.Fatal(err)
	}
	s.layout = initialLayout(dir, "")
	s.inputs.scan(s.layout)
	s.rebuild(context.Background(), false, false)
	return s
}
