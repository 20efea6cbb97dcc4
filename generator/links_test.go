package generator_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"kennisbank/generator"
)

// buildTxtar writes a txtar site into a temp folder and builds it.
func buildTxtar(t *testing.T, archive []byte, opts generator.Options) (*generator.Site, error) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse(archive).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts.Source = dir
	return generator.Build(context.Background(), opts)
}

const linkSite = `
-- site.toml --
title = "Links"
[[relations]]
key = "vaardigheden"
sections = ["rollen"]
targets = ["vaardigheden"]
levels = ["kern", "belangrijk", "ondersteunend"]
[[relations]]
key = "over"
targets = ["rollen", "vaardigheden"]
-- content/_index.md --
+++
title = "Home"
+++
-- content/rollen/coach.md --
+++
title = "Coach én beoordelaar"
aliases = ["rollen/beoordelaar"]
[vaardigheden]
"Psychologisch contracteren" = "kern"
+++
## Eigenaarschap & vertrouwen

Tekst.
-- content/vaardigheden/psychologisch-contracteren.md --
+++
title = "Psychologisch contracteren"
+++
Tekst.
-- content/vaardigheden/dialoog.md --
+++
title = "Dialoog faciliteren"
+++
## Luisteren
`

func TestLinkForms(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"title", "[[Coach én beoordelaar]]", `href="../../rollen/coach/index.html"`},
		{"title folded", "[[coach en BEOORDELAAR]]", `href="../../rollen/coach/index.html"`},
		{"slug", "[[coach]]", `href="../../rollen/coach/index.html"`},
		{"section/slug", "[[rollen/coach]]", `>Coach én beoordelaar</a>`},
		{"alias", "[[rollen/beoordelaar]]", `href="../../rollen/coach/index.html"`},
		{"label", "[[coach|de coach]]", `>de coach</a>`},
		{"heading", "[[coach#Eigenaarschap & vertrouwen]]", `href="../../rollen/coach/index.html#eigenaarschap-vertrouwen"`},
		{"same page", "[[#Luisteren]]", `href="#luisteren"`},
		{"dashes for spaces", "[[psychologisch contracteren]]", `href="../../vaardigheden/psychologisch-contracteren/index.html"`},
		{"markdown link to .md", "[c](../rollen/coach.md#eigenaarschap-vertrouwen)", `href="../../rollen/coach/index.html#eigenaarschap-vertrouwen"`},
		{"code span untouched", "`[[nergens]]`", `<code>[[nergens]]</code>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, err := buildTxtar(t, []byte(linkSite+"\n"+tt.text+"\n"), generator.Options{})
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			got := string(site.Files["vaardigheden/dialoog/index.html"])
			if !strings.Contains(got, tt.want) {
				t.Errorf("page does not contain %s; got:\n%s", tt.want, excerpt(got, "<div class=\"prose\">"))
			}
		})
	}
}

func excerpt(s, from string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return s
	}
	s = s[i:]
	if len(s) > 800 {
		s = s[:800]
	}
	return s
}

func TestLinkErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"missing page", "Zie [[Coatch]].", `content/vaardigheden/dialoog.md:6:5: unresolved link "[[Coatch]]" (did you mean "[[coach]]"?)`},
		{"missing anchor", "\n[[coach#Vertrouwen]]", `content/vaardigheden/dialoog.md:7:1: unresolved link "[[coach#Vertrouwen]]": rollen/coach.md has no heading #vertrouwen`},
		{"missing .md", "[x](../rollen/coech.md)", `content/vaardigheden/dialoog.md:6:1: unresolved link "[x](../rollen/coech.md)": there is no content/rollen/coech.md (did you mean "coach"?)`},
		{"ambiguous", "[[dialoog]]", `content/vaardigheden/dialoog.md:6:1: ambiguous link "[[dialoog]]": it matches [[dialoog]], [[vaardigheden/dialoog]]; write one of those instead`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := linkSite + "\n" + tt.text + "\n"
			if tt.name == "ambiguous" {
				src += "-- content/dialoog/_index.md --\n+++\ntitle = \"Dialoog\"\n+++\n"
			}
			_, err := buildTxtar(t, []byte(src), generator.Options{})
			var be *generator.BuildError
			if !errors.As(err, &be) {
				t.Fatalf("got error %v, want a BuildError", err)
			}
			if got := be.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got errors:\n%s\nwant one:\n%s", got, tt.want)
			}
		})
	}
}

func TestAllowBrokenLinks(t *testing.T) {
	site, err := buildTxtar(t, []byte(linkSite+"\nZie [[Nergens]].\n"), generator.Options{AllowBrokenLinks: true})
	if err != nil {
		t.Fatalf("build with AllowBrokenLinks: %v", err)
	}
	got := string(site.Files["vaardigheden/dialoog/index.html"])
	want := `<span class="broken-link" title="Pagina ontbreekt: Nergens">Nergens</span>`
	if !strings.Contains(got, want) {
		t.Errorf("got %s, want %s", excerpt(got, "<div class=\"prose\">"), want)
	}
	if len(site.Diagnostics) != 1 || site.Diagnostics[0].Severity != "warning" {
		t.Errorf("got diagnostics %v, want one warning", site.Diagnostics)
	}
}

func TestRelationErrors(t *testing.T) {
	tests := []struct {
		name, page, want string
	}{
		{"unknown skill", "[vaardigheden]\npsychologisch-contracterem = \"kern\"\n",
			`content/rollen/extra.md:4:1: "psychologisch-contracterem" is not a page in vaardigheden (did you mean "psychologisch-contracteren"?)`},
		{"wrong section", "[vaardigheden]\ncoach = \"kern\"\n",
			`content/rollen/extra.md:4:1: "coach" is in section rollen, but vaardigheden may only name pages in vaardigheden`},
		{"level off scale", "[vaardigheden]\n\"Dialoog faciliteren\" = \"kernn\"\n",
			`content/rollen/extra.md:4:1: level kernn for "Dialoog faciliteren" is not on the scale of vaardigheden: use one of "kern", "belangrijk", "ondersteunend" (did you mean "kern"?)`},
		{"over unknown", "over = [\"Coach\", \"Nergens\"]\n",
			`content/rollen/extra.md:3:1: "Nergens" is not a page in rollen or vaardigheden`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := linkSite + "\n-- content/rollen/extra.md --\n+++\ntitle = \"Extra\"\n" + tt.page + "+++\n"
			_, err := buildTxtar(t, []byte(src), generator.Options{})
			var be *generator.BuildError
			if !errors.As(err, &be) {
				t.Fatalf("got error %v, want a BuildError", err)
			}
			if got := be.Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got errors:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestContentPageAtGeneratedAddress(t *testing.T) {
	src := linkSite + "\n-- content/a-z.md --\n+++\ntitle = \"Mijn index\"\n+++\n"
	_, err := buildTxtar(t, []byte(src), generator.Options{})
	want := `content/a-z.md:1:1: a-z.md has the address /a-z/, which the generated page "Alle artikelen van A tot Z" needs`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want an error containing %s", err, want)
	}
}

func TestTemplateErrorPosition(t *testing.T) {
	src := linkSite + "\n-- layouts/page.html --\n<html>\n{{.Nergens}}\n</html>\n"
	_, err := buildTxtar(t, []byte(src), generator.Options{})
	var be *generator.BuildError
	if !errors.As(err, &be) {
		t.Fatalf("got %v, want a BuildError", err)
	}
	d := be.Diagnostics[0]
	if d.Path != "layouts/page.html" || d.Line != 2 || !strings.Contains(d.Message, "Nergens") {
		t.Errorf("got %s, want layouts/page.html:2:…: … Nergens …", d)
	}
}
