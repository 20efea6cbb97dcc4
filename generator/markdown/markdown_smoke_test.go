package markdown

import (
	"context"
	"strings"
	"testing"
)

type fakeResolver struct{ refs []Ref }

func (f *fakeResolver) Resolve(r Ref) Resolved {
	f.refs = append(f.refs, r)
	if r.Target == "Missing" {
		return Resolved{Title: "Pagina ontbreekt"}
	}
	return Resolved{Href: "../x/index.html", Title: "X"}
}

func TestRenderSmoke(t *testing.T) {
	src := "# Eigenaarschap & vertrouwen\n\nDit is een zin. Zie [[Coach|de coach]] hier. En [[Missing]].\n\nEen [link](../rollen/coach.md#kop) en `[[niet]]`.\n\n```go\nfunc main() {}\n```\n\n<script>alert(1)</script>\n\n![foto](foto.png)\n"
	r := New(Options{Typographer: true})
	f := &fakeResolver{}
	res, err := r.Render(context.Background(), Page{Source: []byte(src), BodyLine: 5, AssetPrefix: "../"}, f)
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	t.Log(html)
	for _, want := range []string{`id="eigenaarschap-vertrouwen"`, `<a class="wikilink" href="../x/index.html" title="X">de coach</a>`, `class="broken-link"`, `<code>[[niet]]</code>`, `&lt;script&gt;`, `src="../foto.png"`, `class="chroma"`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %q", want)
		}
	}
	if len(f.refs) != 3 {
		t.Fatalf("refs = %+v", f.refs)
	}
	if f.refs[0].Line != 7 || f.refs[0].Col != 21 || f.refs[0].Context != "Zie de coach hier." {
		t.Errorf("ref0 = %+v", f.refs[0])
	}
	if f.refs[2].Target != "../rollen/coach.md" || f.refs[2].Fragment != "kop" || f.refs[2].Line != 9 {
		t.Errorf("ref2 = %+v", f.refs[2])
	}
}
