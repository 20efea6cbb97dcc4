// Package matrix builds the tables a knowledge base is read by: a matrix of
// pages × pages from one leveled relation (roles × skills), and a
// comparison of pages × criteria from a front-matter table (programme
// types compared). Tables are plain data; the theme renders them, and JSON
// and CSV exports come from the same data.
package matrix

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

// Header is one row or column: a page.
type Header struct {
	Title   string        `json:"title"`
	URL     string        `json:"url"` // relative to the site root
	Summary string        `json:"summary,omitempty"`
	Slug    string        `json:"slug"`
	Page    *content.Page `json:"-"`
	// Counts per level, in the order of the scale.
	Counts []int `json:"counts"`
	Total  int   `json:"total"`
}

// Cell is one filled or empty cell.
type Cell struct {
	Level string `json:"level,omitempty"`
	Rank  int    `json:"-"` // 1 for the strongest level; 0 when empty
	// Source and Target are the relation's two pages; the cell links to
	// the place on the source page that explains the level.
	Source *content.Page `json:"-"`
	Target *content.Page `json:"-"`
	Anchor string        `json:"-"`
}

// Table is a matrix of pages × pages.
type Table struct {
	Slug     string   `json:"slug"`
	Title    string   `json:"title"`
	Intro    string   `json:"intro,omitempty"`
	Relation string   `json:"relation"`
	Levels   []string `json:"levels"`
	Rows     []Header `json:"rows"`
	Cols     []Header `json:"columns"`
	Cells    [][]Cell `json:"-"`
	// Common, with config.Matrix.Common, marks each row: "all" when
	// every column calls on it, "one" when only one does.
	Common []string `json:"common,omitempty"`
	// RowsAreTargets is true when rows are the relation's targets.
	RowsAreTargets bool `json:"rows_are_targets"`
}

// Anchor is the ID on a source page where the relation to target is
// explained; matrix cells link to it. The underscore keeps it apart from
// heading IDs, which never contain one.
func Anchor(relation string, target *content.Page) string {
	return relation + "_" + target.Slug
}

// Build makes the matrix m from the relation edges.
func Build(cfg *config.Config, m config.Matrix, pages []*content.Page, edges []link.Edge) (*Table, content.Diagnostics) {
	var diags content.Diagnostics
	rel := cfg.Relation(m.Relation)
	if rel == nil {
		diags.Errorf(cfg.Path, cfg.Line("matrices"), 1, "undeclared-relation", "matrix %q uses relation %q, which site.toml does not declare", m.Slug, m.Relation)
		return nil, diags
	}
	t := &Table{Slug: m.Slug, Title: m.Title, Intro: m.Intro, Relation: m.Relation, Levels: rel.Levels, RowsAreTargets: m.Transpose}
	var sources, targets []*content.Page
	for _, p := range pages {
		if p.Kind != content.KindPage {
			continue
		}
		if p.Section == m.Rows {
			sources = append(sources, p)
		}
		if slices.Contains(rel.Targets, p.Section) {
			targets = append(targets, p)
		}
	}
	sortPages(sources)
	sortPages(targets)
	level := map[[2]*content.Page]string{}
	for _, e := range edges {
		if e.Kind == link.KindRelation && e.Relation == m.Relation {
			level[[2]*content.Page{e.From, e.To}] = e.Level
		}
	}
	rows, cols := sources, targets
	if m.Transpose {
		rows, cols = targets, sources
	}
	t.Rows = headers(rows, len(rel.Levels))
	t.Cols = headers(cols, len(rel.Levels))
	t.Cells = make([][]Cell, len(rows))
	for i, r := range rows {
		t.Cells[i] = make([]Cell, len(cols))
		for j, c := range cols {
			src, tgt := r, c
			if m.Transpose {
				src, tgt = c, r
			}
			lv := level[[2]*content.Page{src, tgt}]
			cell := Cell{Level: lv, Source: src, Target: tgt, Anchor: Anchor(m.Relation, tgt)}
			if lv != "" {
				cell.Rank = slices.Index(rel.Levels, lv) + 1
				t.Rows[i].Counts[cell.Rank-1]++
				t.Rows[i].Total++
				t.Cols[j].Counts[cell.Rank-1]++
				t.Cols[j].Total++
			}
			t.Cells[i][j] = cell
		}
	}
	if m.Common {
		t.Common = make([]string, len(rows))
		for i, r := range t.Rows {
			switch {
			case len(cols) > 0 && r.Total == len(cols):
				t.Common[i] = "all"
			case r.Total == 1:
				t.Common[i] = "one"
			}
		}
	}
	for _, h := range t.Rows {
		if h.Total == 0 {
			diags.Warnf(h.Page.Path, 1, 1, "empty-row", "matrix %q: %s has no filled cell", m.Slug, h.Title)
		}
	}
	for _, h := range t.Cols {
		if h.Total == 0 {
			diags.Warnf(h.Page.Path, 1, 1, "empty-column", "matrix %q: %s has no filled cell", m.Slug, h.Title)
		}
	}
	return t, diags
}

func headers(pages []*content.Page, levels int) []Header {
	hs := make([]Header, len(pages))
	for i, p := range pages {
		hs[i] = Header{Title: p.Title, URL: p.URL, Summary: p.Summary, Slug: p.Slug, Page: p, Counts: make([]int, levels)}
	}
	return hs
}

func sortPages(ps []*content.Page) {
	slices.SortFunc(ps, content.Compare)
}

// JSON exports the table with one object per filled cell.
func (t *Table) JSON() []byte {
	type cell struct {
		Row    string `json:"row"`
		Column string `json:"column"`
		Level  string `json:"level"`
	}
	out := struct {
		*Table
		Cells []cell `json:"cells"`
	}{Table: t}
	for i, r := range t.Cells {
		for j, c := range r {
			if c.Level != "" {
				out.Cells = append(out.Cells, cell{Row: t.Rows[i].Slug, Column: t.Cols[j].Slug, Level: c.Level})
			}
		}
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// CSV exports the table as a spreadsheet: UTF-8 with a byte-order mark, so
// spreadsheet programs show diacritics.
func (t *Table) CSV() []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	head := []string{""}
	for _, c := range t.Cols {
		head = append(head, c.Title)
	}
	if t.Common != nil {
		head = append(head, "gemeenschappelijk")
	}
	_ = w.Write(head)
	for i, r := range t.Rows {
		rec := []string{r.Title}
		for _, c := range t.Cells[i] {
			rec = append(rec, c.Level)
		}
		if t.Common != nil {
			rec = append(rec, t.Common[i])
		}
		_ = w.Write(rec)
	}
	w.Flush()
	return b.Bytes()
}

// Comparison is a table of pages × criteria.
type Comparison struct {
	Slug     string     `json:"slug"`
	Title    string     `json:"title"`
	Intro    string     `json:"intro,omitempty"`
	Criteria []string   `json:"criteria"` // labels
	Keys     []string   `json:"keys"`
	Pages    []Header   `json:"pages"`
	Values   [][]string `json:"values"` // [criterion][page]
}

// Compare builds comparison c from the front matter of its section's
// pages.
func Compare(cfg *config.Config, c config.Comparison, pages []*content.Page) (*Comparison, content.Diagnostics) {
	var diags content.Diagnostics
	out := &Comparison{Slug: c.Slug, Title: c.Title, Intro: c.Intro}
	var ps []*content.Page
	for _, p := range pages {
		if p.Kind == content.KindPage && p.Section == c.Section {
			ps = append(ps, p)
		}
	}
	sortPages(ps)
	out.Pages = headers(ps, 0)
	declared := map[string]bool{}
	for _, cr := range c.Criteria {
		out.Criteria = append(out.Criteria, cr.Label)
		out.Keys = append(out.Keys, cr.Key)
		declared[cr.Key] = true
	}
	out.Values = make([][]string, len(c.Criteria))
	for i := range out.Values {
		out.Values[i] = make([]string, len(ps))
	}
	for j, p := range ps {
		table, ok := p.Params[c.Key].(map[string]any)
		if !ok {
			if _, has := p.Params[c.Key]; has {
				diags.Errorf(p.Path, p.KeyLine(c.Key), 1, "front-matter", "%s must be a table: a line [%s] followed by criterion = \"value\" lines", c.Key, c.Key)
			} else {
				diags.Warnf(p.Path, 1, 1, "missing-criteria", "comparison %q: no [%s] table; add one with %s", c.Slug, c.Key, keyList(c.Criteria))
			}
			continue
		}
		keys := make([]string, 0, len(table))
		for k := range table {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !declared[k] {
				diags.Errorf(p.Path, p.KeyLine(c.Key+"."+k), 1, "undeclared-criterion", "criterion %q is not declared in site.toml for comparison %q: use one of %s", k, c.Slug, keyList(c.Criteria))
			}
		}
		for i, cr := range c.Criteria {
			v, ok := table[cr.Key]
			if !ok {
				diags.Warnf(p.Path, p.KeyLine(c.Key), 1, "missing-criterion", "comparison %q: criterion %q is missing", c.Slug, cr.Key)
				continue
			}
			out.Values[i][j] = fmt.Sprint(v)
		}
	}
	return out, diags
}

func keyList(cs []config.Criterion) string {
	var b bytes.Buffer
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Key)
	}
	return b.String()
}

// JSON exports the comparison.
func (c *Comparison) JSON() []byte {
	b, _ := json.MarshalIndent(c, "", "  ")
	return append(b, '\n')
}

// CSV exports the comparison with a byte-order mark.
func (c *Comparison) CSV() []byte {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	head := []string{""}
	for _, p := range c.Pages {
		head = append(head, p.Title)
	}
	_ = w.Write(head)
	for i, label := range c.Criteria {
		_ = w.Write(append([]string{label}, c.Values[i]...))
	}
	w.Flush()
	return b.Bytes()
}
