package content

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	src := "+++\ntitle = \"Coach én beoordelaar\"\nsummary = \"Kort.\"\ndate = 2026-03-01\nlastmod = \"2026-03-05T10:00:00\"\nweight = 2\ntags = [\"coaching\", \"beoordelen\"]\naliases = \"rollen/coach\"\nslug = \"coach\"\nauteurs = [\"Marieke de Vries\"]\n\n[vaardigheden]\nbeoordelen = \"kern\"\n+++\n# Kop\n"
	p, diags := Parse("rollen/coach-en-beoordelaar.md", []byte(src), DefaultLimits)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v, want none", diags)
	}
	got := struct {
		Kind                              Kind
		Dir, Section, Slug, URL, Title    string
		Summary                           string
		Date, Lastmod                     time.Time
		Weight                            int
		Tags, Aliases, Auteurs            []string
		Body                              string
		BodyLine, TitleLine, SkillLine    int
		OutputPath, Root, ParentURL, Para string
	}{p.Kind, p.Dir, p.Section, p.Slug, p.URL, p.Title, p.Summary, p.Date, p.Lastmod, p.Weight, p.Tags, p.Aliases, p.Strings("auteurs"),
		string(p.Body), p.BodyLine, p.KeyLine("title"), p.KeyLine("vaardigheden.beoordelen"), p.OutputPath(), p.Root(), p.ParentURL(), p.Param("summary")}
	want := got
	want.Kind, want.Dir, want.Section, want.Slug, want.URL = KindPage, "rollen", "rollen", "coach", "rollen/coach/"
	want.Title, want.Summary = "Coach én beoordelaar", "Kort."
	want.Date = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	want.Lastmod = time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
	want.Weight = 2
	want.Tags, want.Aliases, want.Auteurs = []string{"coaching", "beoordelen"}, []string{"rollen/coach"}, []string{"Marieke de Vries"}
	want.Body, want.BodyLine, want.TitleLine, want.SkillLine = "# Kop\n", 15, 2, 13
	want.OutputPath, want.Root, want.ParentURL, want.Para = "rollen/coach/index.html", "../../", "rollen/", "Kort."
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

func TestParseKinds(t *testing.T) {
	tests := []struct {
		path          string
		kind          Kind
		url, section  string
		root, parent  string
		wantIsSection bool
	}{
		{"_index.md", KindHome, "", "", "", "", true},
		{"over.md", KindPage, "over/", "", "../", "", false},
		{"rollen/_index.md", KindSection, "rollen/", "rollen", "../", "", true},
		{"rollen/team/_index.md", KindSection, "rollen/team/", "rollen", "../../", "rollen/", true},
		{"rollen/team/lid.md", KindPage, "rollen/team/lid/", "rollen", "../../../", "rollen/team/", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, diags := Parse(tt.path, []byte("+++\ntitle = \"T\"\n+++\n"), DefaultLimits)
			if len(diags) > 0 {
				t.Fatalf("got diagnostics %v, want none", diags)
			}
			got := []any{p.Kind, p.URL, p.Section, p.Root(), p.ParentURL(), p.IsSection()}
			want := []any{tt.kind, tt.url, tt.section, tt.root, tt.parent, tt.wantIsSection}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("kind, URL, section, root, parent, is section (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseErrors checks that every problem in one file comes back as a
// diagnostic at the line and column an author should look at.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		lim  Limits
		want []string // Diagnostic.String() of each, and the code after a space
	}{
		{name: "empty", src: "", want: []string{"x.md:1:1: file is empty: add front matter with at least a title [empty]"}},
		{name: "no front matter", src: "# Kop\n", want: []string{"x.md:1:1: " + ErrNoFrontMatter.Error() + " [front-matter]"}},
		{name: "unclosed", src: "+++\ntitle = \"A\"\n", want: []string{"x.md:1:1: front matter is not closed: add a line with only +++ after the last key [front-matter]"}},
		{name: "malformed TOML", src: "+++\ntitle = \"A\"\nfoo = = 3\n+++\n", want: []string{"x.md:3:7: invalid TOML front matter: expected value but found '=' instead [front-matter]"}},
		{name: "missing title", src: "+++\nsummary = \"A\"\n+++\n", want: []string{"x.md:1:1: front matter has no title: add title = \"…\" [missing-title]"}},
		{name: "empty title", src: "+++\nsummary = \"A\"\ntitle = \"  \"\n+++\n", want: []string{"x.md:3:1: title is empty: write a title [missing-title]"}},
		{name: "wrong types", src: "+++\ntitle = \"A\"\nweight = \"drie\"\ndraft = \"ja\"\ntags = [1, 2]\ndate = \"gisteren\"\n+++\n", want: []string{
			"x.md:3:1: weight must be a whole number [front-matter]",
			"x.md:4:1: draft must be true or false [front-matter]",
			"x.md:5:1: tags must be a list of strings, like [\"a\", \"b\"] [front-matter]",
			"x.md:6:1: date must be a date like date = 2026-03-01 [front-matter]",
		}},
		{name: "bad slug", src: "+++\ntitle = \"A\"\nslug = \"../x\"\n+++\n", want: []string{"x.md:3:1: slug \"../x\" may not contain slashes, backslashes, dots only, % escapes or control characters: use letters, digits and dashes [bad-slug]"}},
		{name: "bad alias", src: "+++\ntitle = \"A\"\naliases = [\"../../etc\"]\n+++\n", want: []string{"x.md:3:1: alias \"../../etc\" would write outside the site: use a path like \"oude-naam\" or \"rollen/oude-naam\" without .., backslashes or % escapes [bad-alias]"}},
		{name: "NUL byte", src: "+++\ntitle = \"A\"\n+++\nab\x00", want: []string{"x.md:4:3: file contains a NUL byte: it is not a text file; give it another extension than .md [binary]"}},
		{name: "invalid UTF-8", src: "+++\ntitle = \"A\"\n+++\né\xff", want: []string{"x.md:4:2: invalid UTF-8: save the file as UTF-8 [utf8]"}},
		{name: "too large", src: "+++\ntitle = \"A\"\n+++\n" + strings.Repeat("x", 100), lim: Limits{MaxFileSize: 50}, want: []string{"x.md: file is 120 bytes, more than the limit of 50 (limits.max_file_size in site.toml) [too-large]"}},
		{name: "front matter too deep", src: "+++\ntitle = \"A\"\nx = [[[1]]]\n+++\n", lim: Limits{MaxFrontMatterDepth: 2}, want: []string{"x.md:3:7: front matter nests deeper than 2 levels (limits.max_front_matter_depth in site.toml) [front-matter]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.lim
			if lim == (Limits{}) {
				lim = DefaultLimits
			}
			_, diags := Parse("x.md", []byte(tt.src), lim)
			diags.Sort()
			var got []string
			for _, d := range diags {
				if d.Severity != Error {
					t.Errorf("got severity %q for %v, want error", d.Severity, d)
				}
				got = append(got, d.String()+" ["+d.Code+"]")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCRLFAndBOM(t *testing.T) {
	p, diags := Parse("x.md", []byte("\uFEFF+++\r\ntitle = \"A\"\r\n+++\r\nTekst\r\n"), DefaultLimits)
	if len(diags) > 0 {
		t.Fatalf("got diagnostics %v, want none", diags)
	}
	if p.Title != "A" || string(p.Body) != "Tekst\n" || p.BodyLine != 4 {
		t.Errorf("got title %q body %q line %d, want \"A\" \"Tekst\\n\" 4", p.Title, p.Body, p.BodyLine)
	}
}

func page(fm string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("+++\n" + fm + "\n+++\nTekst.\n")}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"_index.md":                     page(`title = "Start"`),
		"over.md":                       page(`title = "Over"`),
		"rollen/_index.md":              page(`title = "Rollen"`),
		"rollen/coach.md":               page(`title = "Coach"`),
		"rollen/concept.md":             page("title = \"Concept\"\ndraft = true"),
		"rollen/schema.svg":             {Data: []byte("<svg/>")},
		"rollen/team/lid.md":            page(`title = "Lid"`),
		"rollen/.DS_Store":              {Data: []byte("x")},
		"rollen/coach.md~":              {Data: []byte("x")},
		"rollen/.coach.md.swp":          {Data: []byte("x")},
		"rollen/#coach.md#":             {Data: []byte("x")},
		".obsidian/workspace.json":      {Data: []byte("{}")},
		"vaardigheden/beoordelen.md":    page(`title = "Beoordelen"`),
		"vaardigheden/bijlage/hand.pdf": {Data: []byte("%PDF")},
	}
	type row struct{ Kind, Path, URL, Title string }
	rows := func(s *Set) []row {
		var out []row
		for _, p := range s.Pages {
			out = append(out, row{string(p.Kind), p.Path, p.URL, p.Title})
		}
		return out
	}
	want := []row{
		{"home", "_index.md", "", "Start"},
		{"page", "over.md", "over/", "Over"},
		{"section", "rollen/_index.md", "rollen/", "Rollen"},
		{"page", "rollen/coach.md", "rollen/coach/", "Coach"},
		// A folder without _index.md is a section titled after the folder.
		{"section", "rollen/team", "rollen/team/", "Team"},
		{"page", "rollen/team/lid.md", "rollen/team/lid/", "Lid"},
		{"section", "vaardigheden", "vaardigheden/", "Vaardigheden"},
		{"page", "vaardigheden/beoordelen.md", "vaardigheden/beoordelen/", "Beoordelen"},
		{"section", "vaardigheden/bijlage", "vaardigheden/bijlage/", "Bijlage"},
	}
	wantFiles := []string{"rollen/schema.svg", "vaardigheden/bijlage/hand.pdf"}

	t.Run("without drafts", func(t *testing.T) {
		set, diags := Load(context.Background(), fsys, Options{})
		if len(diags) > 0 {
			t.Fatalf("got diagnostics %v, want none", diags)
		}
		if diff := cmp.Diff(want, rows(set)); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantFiles, set.Files); diff != "" {
			t.Errorf("files (-want +got):\n%s", diff)
		}
	})
	t.Run("with drafts", func(t *testing.T) {
		set, _ := Load(context.Background(), fsys, Options{Drafts: true})
		if p := set.ByURL("rollen/concept/"); p == nil || !p.Draft {
			t.Errorf("ByURL(rollen/concept/): got %v, want the draft page", p)
		}
	})
}

// TestLoadReportsEveryError checks that Load reports the problems of every
// file at once, and keeps the pages that loaded.
func TestLoadReportsEveryError(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":                  page(`title = "A"`),
		"b.md":                  page(`summary = "geen titel"`),
		"c.md":                  page("title = \"C\"\nfoo = = 1"),
		"rollen/team.md":        page(`title = "Team"`),
		"rollen/team/x.md":      page(`title = "X"`),
		"rollen/team/_index.md": page(`title = "Team"`),
	}
	set, diags := Load(context.Background(), fsys, Options{})
	diags.Sort()
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		"b.md:1:1: front matter has no title: add title = \"…\"",
		"c.md:3:7: invalid TOML front matter: expected value but found '=' instead",
		"rollen/team/_index.md:1:1: rollen/team.md and rollen/team/_index.md both become /rollen/team/: give one of them another file name or slug",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if set.ByURL("a/") == nil {
		t.Errorf("ByURL(a/): got nil, want the page that loaded cleanly")
	}
}

func TestIgnoredName(t *testing.T) {
	for name, want := range map[string]bool{
		"coach.md": false, "schema.png": false, "_index.md": false,
		".DS_Store": true, "Thumbs.db": true, "4913": true, ".obsidian": true, "#coach.md#": true,
		"coach.md~": true, "coach.md.swp": true, "x.tmp": true, "coach.md___jb_tmp___": true,
	} {
		if got := IgnoredName(name); got != want {
			t.Errorf("IgnoredName(%q): got %v, want %v", name, got, want)
		}
	}
}
