package search

import (
	"bytes"
	"html/template"
	"maps"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildDeterministic(t *testing.T) {
	docs := testDocs()
	a, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := slices.Clone(docs)
	rand.New(rand.NewPCG(7, 7)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})
	b, err := Build(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("two builds differ (-first +second):\n%s", diff)
	}
}

func TestBuildFiles(t *testing.T) {
	files, err := Build(testDocs())
	if err != nil {
		t.Fatal(err)
	}
	paths := slices.Sorted(maps.Keys(files))
	want := []string{"search/d/0.js", "search/meta.js", "search/t/0.js"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}
	ix := openIndex(t, files)
	wantTypes := []string{"", "begrip", "dialoog", "programmatype", "reflectie", "rol", "vaardigheid"}
	if diff := cmp.Diff(wantTypes, ix.meta.Types); diff != "" {
		t.Errorf("types mismatch (-want +got):\n%s", diff)
	}
	if got, want := len(ix.types), len(testDocs()); got != want {
		t.Errorf("got %d document types, want %d", got, want)
	}
	// Documents are numbered in URL order.
	if row := ix.docRow(0); row[0] != "begrippen/groepsdynamiek/" || row[2] != "Begrippen" {
		t.Errorf("document 0 = %q, want begrippen/groepsdynamiek/ in Begrippen", row)
	}
}

func TestBuildEmpty(t *testing.T) {
	files, err := Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	ix := openIndex(t, files)
	if rs, n, _ := ix.query("leren", "", 10); n != 0 || len(rs) != 0 {
		t.Errorf("empty index: got %d results, want none", n)
	}
}

func TestBuildErrors(t *testing.T) {
	_, err := Build([]Doc{
		{URL: "rollen/coach/", Title: "Coach"},
		{URL: "/absoluut/", Title: "Absoluut"},
		{URL: "rollen/coach/", Title: "Nog een coach"},
		{URL: "https://example.org/", Title: "Elders"},
	})
	if err == nil {
		t.Fatal("Build: got no error, want three")
	}
	want := []string{
		`search: "/absoluut/": url must be relative to the site root`,
		`search: "https://example.org/": url must be relative to the site root`,
		`search: "rollen/coach/": two documents have this url`,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
}

func TestSnippetText(t *testing.T) {
	long := strings.Repeat("woord ", 100)
	tests := []struct {
		name string
		doc  Doc
		want string
	}{
		{"summary then body", Doc{Summary: "Kort.", Body: "Lang\n\nverhaal."}, "Kort. Lang verhaal."},
		{"no summary", Doc{Body: "  Alleen   tekst "}, "Alleen tekst"},
		{"summary repeats the lead", Doc{Summary: "Het begin…", Body: "Het begin van de\ntekst."}, "Het begin van de tekst."},
		{"cut at a word", Doc{Body: long}, strings.TrimSpace(strings.Repeat("woord ", 46)) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := snippetText(tt.doc); got != tt.want {
				t.Errorf("snippetText = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCompoundHeads(t *testing.T) {
	vocab := map[string]bool{}
	for _, w := range []string{"groepsdynamiek", "groep", "dynamiek", "leerbegeleider", "begeleider",
		"ler", "onderwijs", "wijs", "werkvorm", "werk", "vorm", "begeleid", "leider"} {
		vocab[w] = true
	}
	got := compoundHeads(vocab)
	want := map[string]string{
		"groepsdynamiek": "dynamiek",   // linking s
		"leerbegeleider": "begeleider", // "leer" stems to "ler"
		"werkvorm":       "vorm",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compoundHeads mismatch (-want +got):\n%s", diff)
	}
}

// renderPartial renders the theme's search partial as the site templates
// would.
func renderPartial(t testing.TB, root string) string {
	t.Helper()
	src, err := os.ReadFile("../../themes/default/layouts/partials/search.html")
	if err != nil {
		t.Fatal(err)
	}
	strs := map[string]string{
		"search_label": "Zoeken", "search_placeholder": "Zoek in de kennisbank…",
		"search_button": "Zoek", "search_results": "resultaten", "search_none": "Geen resultaten",
		"search_filter_all": "Alles", "search_hint": "Druk op / om te zoeken",
	}
	tmpl, err := template.New("search.html").Funcs(template.FuncMap{
		"t": func(key string) string {
			s, ok := strs[key]
			if !ok {
				t.Errorf("partial uses unknown i18n key %q", key)
			}
			return s
		},
	}).Parse(string(src))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, struct{ Root string }{root}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPartial(t *testing.T) {
	tests := []struct {
		root string
		want []string
	}{
		{"../../", []string{
			`action="../../a-z/index.html"`,
			`data-root="../../"`,
			`<script src="../../js/search.js" defer></script>`,
		}},
		{"", []string{
			`action="a-z/index.html"`,
			`data-root=""`,
			`<script src="js/search.js" defer></script>`,
		}},
	}
	common := []string{
		`role="search" aria-label="Zoeken"`,
		`<label class="kb-search__label" for="kb_search_input">Zoeken</label>`,
		`name="q"`,
		`placeholder="Zoek in de kennisbank…"`,
		`<button class="kb-search__button" type="submit">Zoek</button>`,
		`role="status" aria-live="polite"`,
		`role="listbox"`,
		`data-label-none="Geen resultaten"`,
		`Druk op / om te zoeken`,
	}
	for _, tt := range tests {
		t.Run("root="+tt.root, func(t *testing.T) {
			html := renderPartial(t, tt.root)
			for _, s := range append(tt.want, common...) {
				if !strings.Contains(html, s) {
					t.Errorf("partial lacks %s; got:\n%s", s, html)
				}
			}
		})
	}
}

func TestPostingsRoundTrip(t *testing.T) {
	tests := [][]posting{
		nil,
		{{doc: 0, score: 1}},
		{{doc: 31, score: 63}, {doc: 32, score: 64}, {doc: 1055, score: maxScore}},
		{{doc: 5, score: 2000}, {doc: 40000, score: 17}, {doc: 1 << 20, score: 4000}},
	}
	for _, ps := range tests {
		enc := appendPostings(nil, ps)
		if strings.ContainsAny(string(enc[1:len(enc)-1]), `"\`) {
			t.Errorf("postings %v encode to %s, which needs escaping", ps, enc)
		}
		docs, scores := decodePostings(string(enc[1 : len(enc)-1]))
		var got []posting
		for i := range docs {
			got = append(got, posting{doc: docs[i], score: scores[i]})
		}
		if diff := cmp.Diff(ps, got, cmp.AllowUnexported(posting{})); diff != "" {
			t.Errorf("round trip of %s mismatch (-want +got):\n%s", enc, diff)
		}
	}
}
