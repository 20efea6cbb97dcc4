package theme

import (
	"html/template"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// site layouts that put actions in every context html/template knows,
// constants among them, and call templates from text and attributes.
var prepareLayouts = fstest.MapFS{
	"layouts/page.html": {Data: []byte(`<!DOCTYPE html><html lang="{{lang}}"><head><title>{{.Title}} · {{t "site"}}</title>
<style>p { color: {{.Color}}; } {{t "site"}}</style>
<script>var title = {{.Title}}, n = {{.N}}, s = "{{.Title}}", c = {{t "site"}};</script></head>
<body class="{{.Kind}}{{with .Section}} s-{{.}}{{end}}" data-x={{.Title}} title='{{t "site"}}'>
<a href="{{.URL}}" title="{{.Title}}">{{.Title}}</a> <a href="/search?q={{.Title}}&amp;n={{.N}}">{{t "search"}}</a>
<img src="{{.URL}}" srcset="{{.URL}} 2x" alt="{{t "site"}}">
<a href="{{.Safe}}">{{.HTML}}</a> <p onclick="f({{.Title}})">{{.N}} {{.F}} {{.Nil}} {{.Date}} {{.Ptr}}</p>
{{range $i, $l := .Links}}{{if $i}}, {{end}}<a href="{{$l.URL}}">{{$l.Title}}</a>{{end}}
{{range .Links}}<a href="#{{.URL}}" style="x: {{.Title}}">{{.Title | printf "%s!"}}</a>{{else}}{{t "none"}}{{end}}
{{template "part.html" .}} <a title="{{template "attr.html" .}}">x</a>
{{printf "%d-%s" 3 "<x>"}} {{tf "count" 2}} {{html "<b>"}} {{len "abc"}} {{symbol 2}} {{level "kern"}} {{add 1 2}}
{{$x := t "site"}}{{$x}} {{/* comment */}}{{"<lit>"}} {{3}} {{true}} {{date .Date}} {{isodate .Date}}
</body></html>`)},
	"layouts/partials/part.html": {Data: []byte(`<footer>{{t "site"}} {{.Title}} <a href="{{.URL}}">{{t "search"}}</a></footer>`)},
	"layouts/partials/attr.html": {Data: []byte(`{{.Title}} {{t "site"}}`)},
	"layouts/broken.html":        {Data: []byte(`<a href="{{.URL}}`)},
	"layouts/fails.html":         {Data: []byte(`{{t "site"}} <p>{{.Title}}</p>{{.Missing.Field}}`)},
	"i18n/nl.toml":               {Data: []byte("site = \"Kennis & <bank>\"\nsearch = \"Zoek 'nu'\"\ncount = \"%d stuks\"\nlevel_kern = \"Kern\"\n")},
}

type prepLink struct{ Title, URL string }

type prepData struct {
	Title, Kind, Section, URL, Color string
	N                                int
	F                                float64
	Nil                              *prepLink
	Ptr                              *prepLink
	Date                             time.Time
	Safe                             template.URL
	HTML                             template.HTML
	Links                            []prepLink
}

func prepareData() []prepData {
	return []prepData{
		{Title: "Coach & 'mentor' <b>", Kind: "page", Section: "rollen", URL: "../../rollen/coach/index.html", Color: "red", N: 3, F: 1.5,
			Ptr: &prepLink{"p", "q"}, Date: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), Safe: "javascript:void(0)", HTML: "<em>x</em>",
			Links: []prepLink{{"A b", "a b/index.html"}, {"Één", "javascript:alert(1)"}, {"x+y", "?q=1&r=%zz"}}},
		{Title: "", Kind: "home", URL: "", N: -1},
	}
}

// reference renders with html/template alone, as the theme did before
// layouts were prepared.
func reference(t *testing.T, th *Theme, name string, data any) (string, error) {
	t.Helper()
	root := template.New("").Funcs(th.funcs())
	err := fs.WalkDir(prepareLayouts, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		_, err = root.New(p[strings.LastIndex(p, "/")+1:]).Parse(string(prepareLayouts[p].Data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	err = root.Lookup(name).Execute(&b, data)
	return b.String(), err
}

// TestPreparedEqualsHTMLTemplate renders a site's own layouts through
// the prepared templates and through html/template alone.
func TestPreparedEqualsHTMLTemplate(t *testing.T) {
	th, err := Load("nl", Source{FS: prepareLayouts, Name: "."})
	if err != nil {
		t.Fatal(err)
	}
	for i, data := range prepareData() {
		want, err := reference(t, th, "page.html", data)
		if err != nil {
			t.Fatal(err)
		}
		// Twice: the first Render prepares the layout.
		for range 2 {
			got, err := th.Render("page.html", data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("data %d: prepared output differs (-html/template +prepared):\n%s", i, diff)
			}
		}
	}
	if strings.Contains(th.tmplFor(t, "page.html"), `{{t "site"`) {
		t.Errorf("page.html still calls t after preparing:\n%s", th.tmplFor(t, "page.html"))
	}
}

func (th *Theme) tmplFor(t *testing.T, name string) string {
	t.Helper()
	l := th.prepared(name)
	if l.tmpl == nil {
		t.Fatalf("no prepared %s: %v", name, l.err)
	}
	return l.tmpl.Tree.Root.String()
}

// TestPreparedErrors: a layout that cannot be escaped, one that fails
// while running and one that does not exist fail as before.
func TestPreparedErrors(t *testing.T) {
	th, err := Load("nl", Source{FS: prepareLayouts, Name: "."})
	if err != nil {
		t.Fatal(err)
	}
	data := prepareData()[0]
	for _, name := range []string{"broken.html", "fails.html"} {
		for range 2 {
			want, wantErr := reference(t, th, name, data)
			got, err := th.Render(name, data)
			if err == nil || wantErr == nil {
				t.Fatalf("%s: got error %v, want one like %v", name, err, wantErr)
			}
			if w := "layouts/" + name + ": " + wantErr.Error(); err.Error() != w {
				t.Errorf("%s: got error %q, want %q", name, err, w)
			}
			if string(got) != want {
				t.Errorf("%s: got partial output %q, want %q", name, got, want)
			}
		}
	}
	if _, err := th.Render("none.html", data); err == nil || !strings.Contains(err.Error(), `no layout "none.html"`) {
		t.Errorf("missing layout: got error %v", err)
	}
}

// TestPreparedConcurrent renders one layout from many goroutines at once,
// its first Render among them (go test -race checks the sharing).
func TestPreparedConcurrent(t *testing.T) {
	th, err := Load("nl", Source{FS: prepareLayouts, Name: "."})
	if err != nil {
		t.Fatal(err)
	}
	data := prepareData()[0]
	want, err := reference(t, th, "page.html", data)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := th.Render("page.html", data)
				if err != nil || string(got) != want {
					t.Errorf("concurrent Render: err %v, equal %v", err, string(got) == want)
					return
				}
			}
		})
	}
	wg.Wait()
}
