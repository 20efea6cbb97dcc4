package content

import (
	"cmp"
	"path"
	"strings"
	"time"
)

// Kind tells what a page is.
type Kind string

// Kinds of page.
const (
	KindHome    Kind = "home"    // content/_index.md
	KindSection Kind = "section" // a folder, with or without _index.md
	KindPage    Kind = "page"    // any other .md file
)

// Page is one page of the site: a Markdown file, or a folder acting as a
// section.
type Page struct {
	Kind Kind
	// Path is the source path relative to the content folder, with
	// slashes ("rollen/coach.md"); a section without _index.md has its
	// folder as Path.
	Path string
	// Dir is the folder of the page ("rollen"; "" for the root). For a
	// section it is the section's own folder.
	Dir string
	// Section is the top-level folder the page belongs to ("" at the root).
	Section string
	// Slug is the last URL segment.
	Slug string
	// URL is the page's address relative to the site root, ending in a
	// slash ("rollen/coach/"); the home page has "".
	URL string

	Title string
	// TitleKey is Title folded for sorting in Dutch order (see SortKey).
	TitleKey string
	Summary  string
	Date     time.Time
	Lastmod  time.Time
	Draft    bool
	Weight   int
	Tags     []string
	Aliases  []string
	// Params holds every front-matter key, known ones included, for
	// templates and for relations.
	Params map[string]any

	// Body is the Markdown after the front matter.
	Body []byte
	// BodyLine is the line of the file on which Body starts.
	BodyLine int
	// KeyLines gives the file line of each front-matter key ("title",
	// "vaardigheden.beoordelen").
	KeyLines map[string]int
}

// Compare orders pages as lists show them: by weight, then title in Dutch
// order, then path.
func Compare(a, b *Page) int {
	if a.Weight != b.Weight {
		return cmp.Compare(a.Weight, b.Weight)
	}
	return CompareTitles(a, b)
}

// CompareTitles orders pages by title in Dutch order, then path.
func CompareTitles(a, b *Page) int {
	return cmp.Or(strings.Compare(a.key(), b.key()), strings.Compare(a.Path, b.Path), strings.Compare(a.URL, b.URL))
}

func (p *Page) key() string {
	if p.TitleKey == "" && p.Title != "" {
		return SortKey(p.Title)
	}
	return p.TitleKey
}

// OutputPath is the file the page is written to ("rollen/coach/index.html").
func (p *Page) OutputPath() string {
	return p.URL + "index.html"
}

// KeyLine returns the file line of a front-matter key, or the first line
// of the front matter when the key is not found.
func (p *Page) KeyLine(key string) int {
	if l, ok := p.KeyLines[key]; ok {
		return l
	}
	return 1
}

// Depth is the number of URL segments, used to build relative links.
func (p *Page) Depth() int {
	return strings.Count(p.URL, "/")
}

// Root is the relative path from the page to the site root ("../../").
func (p *Page) Root() string {
	return strings.Repeat("../", p.Depth())
}

// IsSection reports whether the page lists other pages.
func (p *Page) IsSection() bool { return p.Kind == KindSection || p.Kind == KindHome }

// ParentURL is the URL of the section the page is in.
func (p *Page) ParentURL() string {
	if p.Kind == KindHome {
		return ""
	}
	u := strings.TrimSuffix(p.URL, "/")
	d := path.Dir(u)
	if d == "." {
		return ""
	}
	return d + "/"
}

// Param returns a front-matter value as a string, or "".
func (p *Page) Param(key string) string {
	s, _ := p.Params[key].(string)
	return s
}

// Strings returns a front-matter value that is a string or a list of
// strings.
func (p *Page) Strings(key string) []string {
	switch v := p.Params[key].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return v
	}
	return nil
}
