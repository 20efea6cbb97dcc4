// Package config reads site.toml into a typed Config. Unknown keys are
// errors that name the key and its line, so a typo never passes silently.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"

	"kennisbank/generator/content"
)

// Config is the whole of site.toml.
type Config struct {
	Title       string         `toml:"title"`
	Description string         `toml:"description"`
	Language    string         `toml:"language"`
	BaseURL     string         `toml:"base_url"`
	ContentDir  string         `toml:"content_dir"`
	OutputDir   string         `toml:"output_dir"`
	Theme       string         `toml:"theme"`
	Markup      Markup         `toml:"markup"`
	Limits      Limits         `toml:"limits"`
	Entities    []Entity       `toml:"entities"`
	Relations   []Relation     `toml:"relations"`
	Matrices    []Matrix       `toml:"matrices"`
	Comparisons []Comparison   `toml:"comparisons"`
	Menu        []MenuItem     `toml:"menu"`
	Params      map[string]any `toml:"params"`

	// Lines maps each key ("markup.unsafe_html") to its line in site.toml,
	// for diagnostics about values.
	Lines map[string]int `toml:"-"`
	// Path is the file the config came from, for diagnostics.
	Path string `toml:"-"`
	// HeaderLines holds the line of each [[array]] table header, in order.
	HeaderLines map[string][]int `toml:"-"`
}

// Markup controls how Markdown is turned into HTML.
type Markup struct {
	// UnsafeHTML lets raw HTML in Markdown through; off by default.
	UnsafeHTML bool `toml:"unsafe_html"`
	// HighlightStyle and HighlightStyleDark are chroma style names.
	HighlightStyle     string `toml:"highlight_style"`
	HighlightStyleDark string `toml:"highlight_style_dark"`
	// Typographer turns quotes, dashes and ellipses into their
	// typographic forms.
	Typographer *bool `toml:"typographer"`
	// TOCMinHeadings is the number of headings from which a page shows a
	// table of contents.
	TOCMinHeadings int `toml:"toc_min_headings"`
}

// Limits bound the cost of one source file or code block.
type Limits struct {
	MaxFileSize         int `toml:"max_file_size"`
	MaxFrontMatterSize  int `toml:"max_front_matter_size"`
	MaxFrontMatterDepth int `toml:"max_front_matter_depth"`
	// RenderTimeout and HighlightTimeout are durations such as "5s".
	RenderTimeout    string `toml:"render_timeout"`
	HighlightTimeout string `toml:"highlight_timeout"`
}

// Entity declares a section whose pages are things the site relates:
// roles, skills, programme types.
type Entity struct {
	Section string `toml:"section"`
	Type    string `toml:"type"`   // facet name, e.g. "rol"
	Label   string `toml:"label"`  // singular display name, e.g. "Rol"
	Plural  string `toml:"plural"` // e.g. "Rollen"
}

// Relation declares a front-matter key that relates pages. With Levels,
// the key is a table of target = level; without, a list of targets.
type Relation struct {
	Key      string   `toml:"key"`
	Sections []string `toml:"sections"` // sections that may use the key; empty = all
	Targets  []string `toml:"targets"`  // sections the targets must be in
	Levels   []string `toml:"levels"`   // the scale, strongest first
	Label    string   `toml:"label"`    // heading on the source page
	Inverse  string   `toml:"inverse"`  // heading on the target page
	Expected bool     `toml:"expected"` // warn when a page of Sections lacks it
}

// Matrix declares a table of pages × pages from one relation.
type Matrix struct {
	Slug     string `toml:"slug"`
	Title    string `toml:"title"`
	Intro    string `toml:"intro"`
	Relation string `toml:"relation"`
	// Rows is the section whose pages hold the relation ("rollen");
	// with Transpose, they become the columns instead.
	Rows      string `toml:"rows"`
	Transpose bool   `toml:"transpose"`
	// Common adds a column marking targets every row calls on, and those
	// only one row calls on.
	Common bool `toml:"common"`
}

// Comparison declares a table of pages × criteria from a front-matter
// table.
type Comparison struct {
	Slug     string      `toml:"slug"`
	Title    string      `toml:"title"`
	Intro    string      `toml:"intro"`
	Section  string      `toml:"section"`
	Key      string      `toml:"key"`
	Criteria []Criterion `toml:"criteria"`
}

// Criterion is one row of a comparison.
type Criterion struct {
	Key   string `toml:"key"`
	Label string `toml:"label"`
}

// MenuItem is a link in the site's main navigation.
type MenuItem struct {
	Title string `toml:"title"`
	URL   string `toml:"url"` // relative to the site root, e.g. "rollen/"
}

// Default returns the configuration used for keys site.toml leaves out.
func Default() *Config {
	return &Config{
		Language:   "nl",
		ContentDir: "content",
		OutputDir:  "public",
		Theme:      "default",
		Markup: Markup{
			HighlightStyle:     "github",
			HighlightStyleDark: "github-dark",
			TOCMinHeadings:     3,
		},
		Lines: map[string]int{},
	}
}

// Typographer reports whether typographic substitutions are on (default
// true).
func (m Markup) TypographerOn() bool { return m.Typographer == nil || *m.Typographer }

// Load reads site.toml at path. Diagnostics name the file relative to the
// site folder it lies in, as they name content files.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading site config: %w", err)
	}
	return Parse(filepath.Base(path), data)
}

// Parse reads site.toml from data; name is used in diagnostics.
func Parse(name string, data []byte) (*Config, error) {
	c := Default()
	c.Path = name
	var diags content.Diagnostics
	md, err := toml.Decode(string(data), c)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line, col := pe.Position.Line, 1
			if pe.Position.Start > 0 {
				line, col = content.Position(data, pe.Position.Start)
			}
			diags.Errorf(name, line, col, "config", "%s", pe.Message)
		} else {
			// Type errors carry their line only in the message.
			line := 1
			if m := lineInMessage.FindStringSubmatch(err.Error()); m != nil {
				line, _ = strconv.Atoi(m[1])
			}
			diags.Errorf(name, line, 1, "config", "%v", err)
		}
		return nil, diags.Err()
	}
	c.Lines = map[string]int{}
	for k, l := range content.KeyLines([]byte(data)) {
		c.Lines[k] = l
	}
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "[[") {
			name := strings.TrimSpace(strings.Trim(strings.SplitN(t, "#", 2)[0], "[] \t"))
			if c.HeaderLines == nil {
				c.HeaderLines = map[string][]int{}
			}
			c.HeaderLines[name] = append(c.HeaderLines[name], i+1)
		}
	}
	for _, k := range md.Undecoded() {
		if len(k) > 0 && k[0] == "params" {
			continue
		}
		key := k.String()
		line, ok := c.Lines[key]
		if !ok {
			line = lineOf(data, k)
		}
		diags.Errorf(name, line, 1, "unknown-key", "unknown key %q in site.toml: remove it or check its spelling (see README, site.toml reference)", key)
	}
	c.validate(&diags)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

var lineInMessage = regexp.MustCompile(`line (\d+)`)

// lineOf finds the line of the last part of key k; arrays of tables make
// the light key scan ambiguous, so it searches for the key text itself.
func lineOf(data []byte, k toml.Key) int {
	last := k[len(k)-1]
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, last+" ") || strings.HasPrefix(t, last+"=") || strings.HasPrefix(t, `"`+last+`"`) ||
			strings.HasPrefix(t, "["+last+"]") || strings.HasPrefix(t, "[["+last+"]]") || strings.HasPrefix(t, "["+k.String()+"]") {
			return i + 1
		}
	}
	return 1
}

func (c *Config) validate(diags *content.Diagnostics) {
	if c.Language != "nl" && c.Language != "en" {
		diags.Errorf(c.Path, c.Line("language"), 1, "config", "language %q is not supported: use \"nl\" or \"en\"", c.Language)
	}
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		diags.Errorf(c.Path, c.Line("base_url"), 1, "config", "base_url %q must start with https:// or http://", c.BaseURL)
	}
	if c.BaseURL != "" && !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	rels := map[string]bool{}
	for i, r := range c.Relations {
		line := c.entryLine("relations", i)
		if r.Key == "" {
			diags.Errorf(c.Path, line, 1, "config", "a [[relations]] entry has no key")
		}
		if len(r.Targets) == 0 {
			diags.Errorf(c.Path, line, 1, "config", "relation %q has no targets: name the sections it points to", r.Key)
		}
		rels[r.Key] = true
	}
	for _, key := range []string{"render_timeout", "highlight_timeout"} {
		v := c.Limits.RenderTimeout
		if key == "highlight_timeout" {
			v = c.Limits.HighlightTimeout
		}
		if v == "" {
			continue
		}
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			diags.Errorf(c.Path, c.Line("limits."+key), 1, "config", "limits.%s = %q is not a duration: write it like \"5s\" or \"500ms\"", key, v)
		}
	}
	for i, m := range c.Matrices {
		if m.Slug != "" && !validSlug(m.Slug) {
			diags.Errorf(c.Path, c.entryLine("matrices", i), 1, "config", "matrix slug %q must be one or more folder names of letters, digits and dashes, like \"matrix\"", m.Slug)
		}
		if !rels[m.Relation] {
			diags.Errorf(c.Path, c.entryLine("matrices", i), 1, "undeclared-relation", "matrix %q uses relation %q, which no [[relations]] entry declares", m.Slug, m.Relation)
		}
		if m.Slug == "" {
			diags.Errorf(c.Path, c.entryLine("matrices", i), 1, "config", "a [[matrices]] entry has no slug")
		}
	}
	for i, cmp := range c.Comparisons {
		if cmp.Slug != "" && !validSlug(cmp.Slug) {
			diags.Errorf(c.Path, c.entryLine("comparisons", i), 1, "config", "comparison slug %q must be one or more folder names of letters, digits and dashes, like \"vergelijking\"", cmp.Slug)
		}
		if cmp.Slug == "" || cmp.Section == "" || cmp.Key == "" {
			diags.Errorf(c.Path, c.entryLine("comparisons", i), 1, "config", "a [[comparisons]] entry needs slug, section and key")
		}
	}
}

// validSlug reports whether s is a path of plain folder names inside the
// site ("matrix", "overzichten/matrix").
func validSlug(s string) bool {
	for _, seg := range strings.Split(s, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for _, r := range seg {
			if !(r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
				return false
			}
		}
	}
	return true
}

// entryLine is the line of the i-th [[name]] header in site.toml.
func (c *Config) entryLine(name string, i int) int {
	if i < len(c.HeaderLines[name]) {
		return c.HeaderLines[name][i]
	}
	return c.Line(name)
}

// Line returns the line of a key in site.toml, or 1.
func (c *Config) Line(key string) int {
	if l, ok := c.Lines[key]; ok {
		return l
	}
	return 1
}

// EntityFor returns the entity declared for a section, or nil.
func (c *Config) EntityFor(section string) *Entity {
	for i := range c.Entities {
		if c.Entities[i].Section == section {
			return &c.Entities[i]
		}
	}
	return nil
}

// RelationsFrom returns the relations a page of section may use.
func (c *Config) RelationsFrom(section string) []Relation {
	var out []Relation
	for _, r := range c.Relations {
		if r.From(section) {
			out = append(out, r)
		}
	}
	return out
}

// From reports whether pages of section may use the relation.
func (r Relation) From(section string) bool {
	return len(r.Sections) == 0 || slices.Contains(r.Sections, section)
}

// Relation returns the relation with the given key that section may use.
func (c *Config) Relation(key string) *Relation {
	for i := range c.Relations {
		if c.Relations[i].Key == key {
			return &c.Relations[i]
		}
	}
	return nil
}
