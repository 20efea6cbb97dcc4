package config

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"kennisbank/generator/content"
)

func TestParseDefaults(t *testing.T) {
	c, err := Parse("site.toml", []byte("title = \"Kennisbank\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Title = "Kennisbank"
	want.Path = "site.toml"
	want.Lines = map[string]int{"title": 1}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
	if !c.Markup.TypographerOn() {
		t.Errorf("TypographerOn: got false, want true by default")
	}
}

func TestParseValues(t *testing.T) {
	src := `title = "K"
base_url = "https://example.org/kb"
language = "en"

[markup]
unsafe_html = true
typographer = false

[[menu]]
title = "Rollen"
url = "rollen/"

[[entities]]
section = "rollen"
type = "rol"
label = "Rol"
plural = "Rollen"

[[relations]]
key = "vaardigheden"
sections = ["rollen"]
targets = ["vaardigheden"]
levels = ["kern", "belangrijk"]

[params]
eigen = "vrij"
`
	c, err := Parse("site.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL != "https://example.org/kb/" {
		t.Errorf("base_url: got %q, want a trailing slash added", c.BaseURL)
	}
	if !c.Markup.UnsafeHTML || c.Markup.TypographerOn() || c.Language != "en" {
		t.Errorf("markup and language: got unsafe %v typographer %v language %q, want true false en", c.Markup.UnsafeHTML, c.Markup.TypographerOn(), c.Language)
	}
	if e := c.EntityFor("rollen"); e == nil || e.Type != "rol" {
		t.Errorf("EntityFor(rollen): got %+v, want the rol entity", e)
	}
	if e := c.EntityFor("begrippen"); e != nil {
		t.Errorf("EntityFor(begrippen): got %+v, want nil", e)
	}
	if got := len(c.RelationsFrom("rollen")); got != 1 {
		t.Errorf("RelationsFrom(rollen): got %d relations, want 1", got)
	}
	if got := len(c.RelationsFrom("begrippen")); got != 0 {
		t.Errorf("RelationsFrom(begrippen): got %d relations, want 0", got)
	}
	if r := c.Relation("vaardigheden"); r == nil || len(r.Levels) != 2 {
		t.Errorf("Relation(vaardigheden): got %+v, want the relation with two levels", r)
	}
	if got := c.Params["eigen"]; got != "vrij" {
		t.Errorf("params.eigen: got %v, want \"vrij\"", got)
	}
	if got := c.Line("markup.unsafe_html"); got != 6 {
		t.Errorf("Line(markup.unsafe_html): got %d, want 6", got)
	}
}

// TestParseErrors checks that each mistake in site.toml is reported with
// the line an author should look at.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // Diagnostic.String() and code
	}{
		{
			name: "unknown top-level key",
			src:  "title = \"K\"\ntitel = \"K\"\n",
			want: []string{`site.toml:2:1: unknown key "titel" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`},
		},
		{
			name: "unknown key in a table",
			src:  "title = \"K\"\n[markup]\nunsafe = true\n",
			want: []string{`site.toml:3:1: unknown key "markup.unsafe" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`},
		},
		{
			name: "unknown key in an array of tables",
			src:  "title = \"K\"\n\n[[menu]]\ntitle = \"Rollen\"\nadres = \"rollen/\"\n",
			want: []string{`site.toml:5:1: unknown key "menu.adres" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`},
		},
		{
			name: "every unknown key at once",
			src:  "titel = \"K\"\nbasis_url = \"x\"\n",
			want: []string{
				`site.toml:1:1: unknown key "titel" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`,
				`site.toml:2:1: unknown key "basis_url" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`,
			},
		},
		{
			name: "malformed TOML",
			src:  "title = \"K\"\nbase_url = https://x\n",
			want: []string{`site.toml:2:12: expected value but found "https" instead [config]`},
		},
		{
			name: "wrong type",
			src:  "title = 3\n",
			want: []string{`site.toml:1:1: toml: line 1 (last key "title"): incompatible types: TOML value has type int64; destination has type string [config]`},
		},
		{
			name: "unsupported language",
			src:  "title = \"K\"\nlanguage = \"de\"\n",
			want: []string{`site.toml:2:1: language "de" is not supported: use "nl" or "en" [config]`},
		},
		{
			name: "base_url without scheme",
			src:  "title = \"K\"\nbase_url = \"example.org\"\n",
			want: []string{`site.toml:2:1: base_url "example.org" must start with https:// or http:// [config]`},
		},
		{
			name: "matrix of an undeclared relation",
			src:  "title = \"K\"\n\n[[matrices]]\nslug = \"matrix\"\nrelation = \"vaardigheden\"\nrows = \"rollen\"\n",
			want: []string{`site.toml:3:1: matrix "matrix" uses relation "vaardigheden", which no [[relations]] entry declares [undeclared-relation]`},
		},
		{
			name: "incomplete comparison",
			src:  "title = \"K\"\n[[comparisons]]\nslug = \"vergeleken\"\n",
			want: []string{`site.toml:2:1: a [[comparisons]] entry needs slug, section and key [config]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("site.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("got config %+v and no error, want %q", c, tt.want)
			}
			ds, ok := err.(content.Diagnostics)
			if !ok {
				t.Fatalf("got error %T %v, want content.Diagnostics", err, err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, d.String()+" ["+d.Code+"]")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestExampleSiteConfig parses the repository's own site.toml.
func TestExampleSiteConfig(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Menu) == 0 || len(c.Relations) == 0 || len(c.Matrices) == 0 || len(c.Comparisons) == 0 {
		t.Errorf("got %d menu items, %d relations, %d matrices, %d comparisons, want some of each", len(c.Menu), len(c.Relations), len(c.Matrices), len(c.Comparisons))
	}
}
