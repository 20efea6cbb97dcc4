package matrix

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, d)
	}
}

func pg(section, slug, title string, weight int) *content.Page {
	return &content.Page{Kind: content.KindPage, Section: section, Dir: section, Slug: slug, Title: title, Weight: weight,
		URL: section + "/" + slug + "/", Path: section + "/" + slug + ".md", Summary: "Over " + title, Params: map[string]any{}}
}

func fixture() (*config.Config, []*content.Page, []link.Edge) {
	cfg := &config.Config{Relations: []config.Relation{{Key: "vaardigheden", Targets: []string{"vaardigheden"}, Levels: []string{"kern", "belangrijk", "ondersteunend"}}}}
	coach, gids := pg("rollen", "coach", "Coach", 1), pg("rollen", "gids", "Gids", 2)
	luisteren, ontwerpen, oordelen := pg("vaardigheden", "luisteren", "Luisteren", 1), pg("vaardigheden", "ontwerpen", "Ontwerpen", 2), pg("vaardigheden", "oordelen", "Één oordeel", 3)
	edges := []link.Edge{
		{From: coach, To: luisteren, Kind: link.KindRelation, Relation: "vaardigheden", Level: "kern"},
		{From: coach, To: oordelen, Kind: link.KindRelation, Relation: "vaardigheden", Level: "ondersteunend"},
		{From: gids, To: luisteren, Kind: link.KindRelation, Relation: "vaardigheden", Level: "belangrijk"},
		{From: gids, To: ontwerpen, Kind: link.KindRelation, Relation: "vaardigheden", Level: "kern"},
	}
	return cfg, []*content.Page{coach, gids, luisteren, ontwerpen, oordelen}, edges
}

func TestBuildGolden(t *testing.T) {
	for _, transpose := range []bool{false, true} {
		name := "rows"
		if transpose {
			name = "transposed"
		}
		t.Run(name, func(t *testing.T) {
			cfg, pages, edges := fixture()
			tab, diags := Build(cfg, config.Matrix{Slug: "m", Title: "Matrix", Relation: "vaardigheden", Rows: "rollen", Transpose: transpose, Common: true}, pages, edges)
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			golden(t, name+".json", tab.JSON())
			golden(t, name+".csv", tab.CSV())
		})
	}
}

// TestCellsMatchEdges: every filled cell is exactly one relation entry and
// every entry one cell.
func TestCellsMatchEdges(t *testing.T) {
	cfg, pages, edges := fixture()
	tab, _ := Build(cfg, config.Matrix{Slug: "m", Relation: "vaardigheden", Rows: "rollen"}, pages, edges)
	seen := map[[2]*content.Page]string{}
	for i := range tab.Rows {
		for j, c := range tab.Cells[i] {
			if c.Level == "" {
				continue
			}
			if c.Source != tab.Rows[i].Page || c.Target != tab.Cols[j].Page {
				t.Errorf("cell %d,%d has source %s target %s", i, j, c.Source.Title, c.Target.Title)
			}
			seen[[2]*content.Page{c.Source, c.Target}] = c.Level
		}
	}
	if len(seen) != len(edges) {
		t.Errorf("got %d filled cells, want %d", len(seen), len(edges))
	}
	for _, e := range edges {
		if seen[[2]*content.Page{e.From, e.To}] != e.Level {
			t.Errorf("edge %s→%s %s has no matching cell", e.From.Title, e.To.Title, e.Level)
		}
	}
	if tab.Rows[0].Total != 2 || tab.Cols[0].Total != 2 || tab.Cols[0].Counts[0] != 1 || tab.Cols[0].Counts[1] != 1 {
		t.Errorf("counts wrong: rows %+v cols %+v", tab.Rows, tab.Cols)
	}
}

func TestCSVParses(t *testing.T) {
	cfg, pages, edges := fixture()
	tab, _ := Build(cfg, config.Matrix{Slug: "m", Relation: "vaardigheden", Rows: "rollen", Transpose: true}, pages, edges)
	b := tab.CSV()
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Fatal("no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"", "Coach", "Gids"}, {"Luisteren", "kern", "belangrijk"}, {"Ontwerpen", "", "kern"}, {"Één oordeel", "ondersteunend", ""}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("csv (-want +got):\n%s", d)
	}
}

func TestWarnings(t *testing.T) {
	cfg, pages, edges := fixture()
	pages = append(pages, pg("vaardigheden", "leeg", "Leeg", 9))
	_, diags := Build(cfg, config.Matrix{Slug: "m", Relation: "vaardigheden", Rows: "rollen"}, pages, edges)
	if len(diags) != 1 || diags[0].Severity != content.Warning || !strings.Contains(diags[0].Message, "Leeg has no filled cell") {
		t.Errorf("got %v, want one empty-column warning", diags)
	}
	_, diags = Build(cfg, config.Matrix{Slug: "m", Relation: "nergens", Rows: "rollen"}, pages, edges)
	if !diags.HasErrors() || !strings.Contains(diags[0].Message, `relation "nergens", which site.toml does not declare`) {
		t.Errorf("got %v, want an undeclared-relation error", diags)
	}
}

func TestCompare(t *testing.T) {
	open, couture := pg("programmatypen", "open", "Open", 1), pg("programmatypen", "couture", "Couture", 2)
	open.Params["criteria"] = map[string]any{"focus": "persoonlijk", "groep": "gemengd"}
	couture.Params["criteria"] = map[string]any{"focus": "organisatie", "kleur": "rood"}
	couture.KeyLines = map[string]int{"criteria": 5, "criteria.kleur": 7}
	c := config.Comparison{Slug: "v", Section: "programmatypen", Key: "criteria", Criteria: []config.Criterion{{Key: "focus", Label: "Focus"}, {Key: "groep", Label: "Groep"}}}
	cmpT, diags := Compare(&config.Config{}, c, []*content.Page{open, couture})
	if d := cmp.Diff([][]string{{"persoonlijk", "organisatie"}, {"gemengd", ""}}, cmpT.Values); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.String())
	}
	want := []string{
		`programmatypen/couture.md:7:1: criterion "kleur" is not declared in site.toml for comparison "v": use one of focus, groep`,
		`programmatypen/couture.md:5:1: warning: comparison "v": criterion "groep" is missing`,
	}
	if d := cmp.Diff(want, msgs); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	golden(t, "comparison.csv", cmpT.CSV())
}
