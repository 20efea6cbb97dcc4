package theme

import (
	"errors"
	"html/template"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Regions must print what html/template prints, fail where it fails, with
// its error and partial output, for any layout and data. These tests
// render random layouts made of the nodes regions copy, mixed with ones
// they do not, over data that holds every kind of value a field chain
// can meet.

type diffEmbed struct {
	E string
	// S is shadowed by diffItem.S.
	S string
	diffDeep
}

type diffDeep struct{ PX string }

// diffMeth's method PX hides diffDeep's field PX, but only where the
// diffItem is addressable: text/template looks for methods of *T.
type diffMeth struct{}

func (m *diffMeth) PX() string { return "method PX" }

type diffItem struct {
	S     string
	H     template.HTML
	U     template.URL
	N     int
	I8    int8
	F     float64
	B     bool
	P     *diffItem
	Any   any
	Err   error
	M     map[string]string
	L     []diffItem
	LP    []*diffItem
	LA    []any
	One   []diffItem
	Empty []diffItem
	Arr   [2]string
	Ch    chan int
	Fn    func() string
	D     time.Time
	unexp string
	diffEmbed
	diffMeth
	*diffPtrEmbed
}

type diffPtrEmbed struct{ PE string }

// Meth and PMeth are methods text/template calls where a field would be.
func (d diffItem) Meth() string   { return "meth:" + d.S }
func (d *diffItem) PMeth() string { return "pmeth:" + d.S }

func diffData() []any {
	leaf := &diffItem{S: "leaf <&>", N: 0, H: "<i>h</i>", One: []diffItem{{S: "o"}}, diffEmbed: diffEmbed{diffDeep: diffDeep{PX: "deep"}}}
	full := diffItem{
		S: `Coach & "mentor"`, H: "<b>x</b>", U: "javascript:ok()", N: 7, I8: -3, F: 2.5, B: true,
		P: leaf, Any: diffItem{S: "in any", LA: []any{1}}, Err: errors.New("boom <x>"), M: map[string]string{"k": "v<"},
		L:  []diffItem{{S: "a b", N: 1, Any: "s"}, {S: "javascript:x", U: "?q=1&r=%zz", P: leaf, Any: leaf}, {S: "x", One: []diffItem{{}}}},
		LP: []*diffItem{leaf, nil}, LA: []any{"s", 3, nil, leaf, diffItem{S: "any item"}, template.HTML("<em>")},
		One: []diffItem{{S: "1"}}, Empty: []diffItem{},
		Arr: [2]string{"x", "y<"}, unexp: "u", diffEmbed: diffEmbed{E: "emb", S: "hidden", diffDeep: diffDeep{PX: "px"}}, diffPtrEmbed: &diffPtrEmbed{PE: "pe"},
		Fn: func() string { return "fn" }, D: time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC),
	}
	empty := diffItem{}
	return []any{full, &full, *leaf, empty, &empty, nil, "just a string", []diffItem{full, empty}, map[string]any{"S": "map"}}
}

// The random layouts know what dot holds, so that most of them run.
type diffKind uint8

const (
	kItem  diffKind = iota // a diffItem or a pointer to one
	kItems                 // a list of them
	kOther                 // anything else
)

type diffOp struct {
	text string
	kind diffKind
}

// diffItemOps are the operands of a diffItem dot, some of which fail or
// call a method.
var diffItemOps = []diffOp{
	{".S", kOther}, {".H", kOther}, {".U", kOther}, {".N", kOther}, {".B", kOther}, {".E", kOther}, {".PE", kOther},
	{".PX", kOther}, {".P.S", kOther}, {".F", kOther}, {".I8", kOther}, {".Any", kOther}, {".Err", kOther}, {".Arr", kOther},
	{".P", kItem}, {".P.P", kItem}, {".Any", kItem}, {".", kItem},
	{".L", kItems}, {".LP", kItems}, {".One", kItems}, {".Empty", kItems}, {".P.One", kItems}, {".LA", kItems},
}

// diffCalls are pipelines that call functions, builtins and methods,
// some of which fail or are not copied by regions.
var diffCalls = []string{
	`eq .S "x"`, `not .B`, `and .S .N`, `or .P .Any`, `or .Empty .Nope`, `gt (len .L) 1`, `lt .N 3`, `ne .S .E`,
	`not .D.IsZero`, `.D.IsZero`, `eq .N 7 8`, `eq .S 1`, `len .P`, `len .S`, `le .I8 .N`, `ge .S "b"`, `eq .B true`,
	`symbol .N`, `level .S`, `add .N 1`, `symbol (add .N -6)`, `date .D`, `isodate .D`, `t .S`, `tf "count" .N`,
	`tf "%v-%v" .S .H`, `.N | add 1`, `.S | printf "%s"`, `.D.Year`, `lang`, `date .P.D`, `symbol .S`, `t .H`, `len .Any`,
	`not`, `eq .Any .S`, `lt .F 2`,
}

// diffWild are operands that fail, call methods or meet maps, channels
// and functions.
var diffWild = []string{".P.P.S", ".Any.S", ".M", ".M.k", ".Ch", ".Fn", ".Meth", ".PMeth", ".P.Meth", ".Nope", ".unexp", ".S.S", "$.L"}

type diffVar struct {
	name string
	kind diffKind
}

// diffLayout makes a random layout of depth at most depth.
func diffLayout(r *rand.Rand, depth int, dot diffKind, vars []diffVar) string {
	var b strings.Builder
	for range 1 + r.IntN(4) {
		b.WriteString(diffNode(r, depth, dot, vars))
	}
	return b.String()
}

// diffOperand returns an operand, preferably one that works on dot.
func diffOperand(r *rand.Rand, dot diffKind, vars []diffVar) diffOp {
	switch k := r.IntN(20); {
	case k == 0:
		return diffOp{diffWild[r.IntN(len(diffWild))], kOther}
	case k < 5 && len(vars) > 0:
		v := vars[r.IntN(len(vars))]
		if v.kind == kItem && r.IntN(2) == 0 {
			op := diffItemOps[r.IntN(len(diffItemOps))]
			if op.text == "." {
				return diffOp{v.name, v.kind}
			}
			return diffOp{v.name + op.text, op.kind}
		}
		return diffOp{v.name, v.kind}
	case k < 7:
		i := r.IntN(4)
		return diffOp{[]string{"$", "$.S", "$.One", "$.P"}[i], []diffKind{kItem, kOther, kItems, kItem}[i]}
	case dot == kItem:
		return diffItemOps[r.IntN(len(diffItemOps))]
	}
	return diffOp{".", dot}
}

func diffNode(r *rand.Rand, depth int, dot diffKind, vars []diffVar) string {
	op := func() string {
		if dot == kItem && r.IntN(6) == 0 {
			return diffCalls[r.IntN(len(diffCalls))]
		}
		return diffOperand(r, dot, vars).text
	}
	texts := []string{"x ", " & ", "<p>", "</p>", "<br>", "\n"}
	k := r.IntN(14)
	if depth == 0 && k >= 8 {
		k = r.IntN(8)
	}
	switch k {
	case 0, 1:
		return texts[r.IntN(len(texts))]
	case 2:
		return "{{" + op() + "}}"
	case 3:
		return `<a href="{{` + op() + `}}">{{` + op() + `}}</a>`
	case 4:
		return `<p title="{{` + op() + `}}">{{` + op() + `}} {{` + op() + `}}</p>`
	case 5:
		return `<a href="/s?q={{` + op() + `}}&amp;n=1">q</a>`
	case 6:
		// Not copied by regions: a function, a script, a variable.
		return []string{`{{printf "%v" ` + op() + `}}`, `<script>var x = {{` + op() + `}};</script>`,
			`{{$v := ` + op() + `}}{{$v}}`, `{{$v := ` + op() + `}}{{if $v}}{{$v := $}}{{$v}}{{end}}{{$v}}{{printf "%v" $v}}`, `{{` + op() + ` | html}}`, `<p data-x={{` + op() + `}}>`}[r.IntN(6)]
	case 7:
		switch r.IntN(3) {
		case 0:
			return `<textarea>{{` + op() + `}}</textarea>`
		case 1:
			return `{{template "part.html" ` + op() + `}}`
		}
		// item.html calls itself on .P; attr.html is called in an
		// attribute, where html/template escapes a copy of it.
		return []string{`{{template "item.html" ` + op() + `}}`, `<a title="{{template "attr.html" ` + op() + `}}">`}[r.IntN(2)]
	case 8, 9:
		kw := []string{"if", "with"}[r.IntN(2)]
		o := diffOperand(r, dot, vars)
		if dot == kItem && r.IntN(4) == 0 {
			o = diffOp{diffCalls[r.IntN(len(diffCalls))], kOther}
		}
		inner := dot
		if kw == "with" {
			inner = o.kind
		}
		s := "{{" + kw + " " + o.text + "}}" + diffLayout(r, depth-1, inner, vars)
		switch r.IntN(3) {
		case 0:
			s += "{{else}}" + diffLayout(r, depth-1, dot, vars)
		case 1:
			o := diffOperand(r, dot, vars)
			if kw == "with" {
				inner = o.kind
			}
			s += "{{else " + kw + " " + o.text + "}}" + diffLayout(r, depth-1, inner, vars)
		}
		return s + "{{end}}"
	default:
		o := diffOperand(r, dot, vars)
		if o.kind != kItems && r.IntN(3) > 0 {
			o = diffOp{[]string{".L", ".One", ".Empty", ".LP"}[r.IntN(4)], kItems}
		}
		elem := kOther
		if o.kind == kItems && o.text != ".LA" {
			elem = kItem
		}
		head, inner := "", vars
		add := func(v ...diffVar) []diffVar { return append(vars[:len(vars):len(vars)], v...) }
		switch r.IntN(4) {
		case 0:
			head, inner = "$x := ", add(diffVar{"$x", elem})
		case 1:
			head, inner = "$i, $x := ", add(diffVar{"$i", kOther}, diffVar{"$x", elem})
		case 2:
			// Shadows an outer variable of the same name.
			name := "$y"
			if len(vars) > 0 {
				name = vars[r.IntN(len(vars))].name
			}
			head, inner = name+" := ", add(diffVar{name, elem})
		}
		s := "{{range " + head + o.text + "}}" + diffLayout(r, depth-1, elem, inner)
		if r.IntN(3) == 0 {
			// The else list sees the variables holding the list.
			s += "{{else}}" + diffLayout(r, depth-1, dot, inner)
		}
		return s + "{{end}}"
	}
}

// renderBoth renders layout with data through a prepared theme (twice:
// the first Render prepares) and through html/template alone.
func renderBoth(t testing.TB, layout string, data any) (got, want string, gotErr, wantErr error, ok bool) {
	fsys := diffPartials()
	fsys["layouts/page.html"] = &fstest.MapFile{Data: []byte(layout)}
	th, err := Load("nl", Source{FS: fsys, Name: "."})
	if err != nil {
		return "", "", nil, nil, false // does not parse
	}
	ref := template.New("").Funcs(th.funcs())
	for name, f := range fsys {
		template.Must(ref.New(strings.TrimPrefix(name, "layouts/")).Parse(string(f.Data)))
	}
	ref = ref.Lookup("page.html")
	var b strings.Builder
	wantErr = ref.Execute(&b, data)
	want = b.String()
	for range 2 {
		out, err := th.Render("page.html", data)
		got, gotErr = string(out), err
	}
	return got, want, gotErr, wantErr, true
}

// compareRender reports whether the layout ran without error.
func compareRender(t testing.TB, layout string, data any) bool {
	t.Helper()
	got, want, gotErr, wantErr, ok := renderBoth(t, layout, data)
	if !ok {
		return false
	}
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != "layouts/page.html: "+wantErr.Error() {
		t.Fatalf("layout %q, data %#v:\ngot error  %v\nwant error %v", layout, data, gotErr, wantErr)
	}
	if got != want {
		t.Fatalf("layout %q, data %#v:\ngot  %q\nwant %q", layout, data, got, want)
	}
	return wantErr == nil
}

// TestRegionsEqualHTMLTemplate renders random layouts through prepared
// templates and through html/template alone.
func TestRegionsEqualHTMLTemplate(t *testing.T) {
	n := 1500
	if testing.Short() {
		n = 200
	}
	r := rand.New(rand.NewPCG(1, 2))
	data := diffData()
	regions, runs := 0, 0
	for range n {
		layout := diffLayout(r, 3, kItem, nil)
		region := strings.Contains(preparedText(t, layout), "_kb_run_")
		if region {
			regions++
		}
		for _, d := range data {
			if ok := compareRender(t, layout, d); ok && region {
				runs++
			}
		}
	}
	t.Logf("%d of %d layouts have a region; %d renders of them ran without error", regions, n, runs)
	// The test means little unless many layouts have regions and run
	// without error.
	if regions < n/2 || runs < n {
		t.Errorf("%d of %d layouts have a region; %d renders of them ran without error", regions, n, runs)
	}
}

// diffPartials are the templates random layouts call.
func diffPartials() fstest.MapFS {
	return fstest.MapFS{
		"layouts/part.html": {Data: []byte(`<span>{{.}}</span>`)},
		"layouts/item.html": {Data: []byte(`<b>{{.S}}</b>{{with .P}}<i>{{template "item.html" .}}</i>{{end}}{{range $i, $x := .One}}{{$i}}{{$x.S}}{{$.N}}{{end}}`)},
		"layouts/attr.html": {Data: []byte(`{{.S}} {{if .B}}{{.N}}{{end}}`)},
	}
}

// preparedText is page.html after preparing, as text.
func preparedText(t testing.TB, layout string) string {
	fsys := diffPartials()
	fsys["layouts/page.html"] = &fstest.MapFile{Data: []byte(layout)}
	th, err := Load("nl", Source{FS: fsys, Name: "."})
	if err != nil {
		return ""
	}
	l := th.prepared("page.html")
	if l.tmpl == nil {
		return ""
	}
	return l.tmpl.Tree.Root.String()
}

// TestRegionsInDefaultLayouts checks that the theme's own kinds of node
// become regions.
func TestRegionsInDefaultLayouts(t *testing.T) {
	layout := `{{range $i, $t := .L}}{{if $i}}, {{end}}<a href="{{$t.S}}">{{$t.S}}</a>{{end}}`
	if got := preparedText(t, layout); !strings.Contains(got, "_kb_run_0") || !strings.Contains(got, "{{else}}") {
		t.Errorf("no region in %s", got)
	}
}

// FuzzRegions compares prepared templates with html/template for layouts
// a site could write; the seeds are random layouts like the test's.
func FuzzRegions(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		f.Add(diffLayout(r, 3, kItem, nil))
	}
	data := diffData()
	f.Fuzz(func(t *testing.T, layout string) {
		for _, d := range data {
			compareRender(t, layout, d)
		}
	})
}

// TestDefaultPageEqualsHTMLTemplate renders the default theme's
// page.html, which runs in regions, and html/template alone.
func TestDefaultPageEqualsHTMLTemplate(t *testing.T) {
	fsys := os.DirFS("../../themes/default")
	th, err := Load("nl", Source{FS: fsys, Name: "themes/default"})
	if err != nil {
		t.Fatal(err)
	}
	ref := template.New("").Funcs(th.funcs())
	err = fs.WalkDir(fsys, "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err == nil {
			_, err = ref.New(path.Base(p)).Parse(string(b))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	data := benchPageData()
	var want strings.Builder
	if err := ref.Lookup("page.html").Execute(&want, data); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		got, err := th.Render("page.html", data)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), string(got)); diff != "" {
			t.Errorf("page.html differs (-html/template +prepared):\n%s", diff)
		}
	}
	if !strings.HasPrefix(th.tmplFor(t, "page.html"), "{{with _kb_run_0 .}}") {
		t.Errorf("page.html does not start with a region:\n%s", th.tmplFor(t, "page.html"))
	}
}
