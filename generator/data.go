package generator

import (
	"html/template"
	"time"

	"kennisbank/generator/content"
	"kennisbank/generator/markdown"
	"kennisbank/generator/matrix"
)

// Kinds of generated page, beside content's home, section and page.
const (
	kindTags       content.Kind = "tags"
	kindTag        content.Kind = "tag"
	kindAuthor     content.Kind = "author"
	kindMatrix     content.Kind = "matrix"
	kindComparison content.Kind = "comparison"
	kindAZ         content.Kind = "az"
	kind404        content.Kind = "404"
)

// SiteData is what every template knows of the site.
type SiteData struct {
	Title       string
	Description string
	Language    string
	BaseURL     string
	Params      map[string]any
	BuildDate   time.Time
	// HasTags is true when some page has tags, so a tag index exists.
	HasTags bool
}

// Link is a link to a page, relative to the page being rendered.
type Link struct {
	Title   string
	URL     string // relative href
	Summary string
	Current bool
	Date    time.Time
	Section string
	Authors []Link
	Anchor  string // id of the element, where a link needs one
}

// LevelGroup is the pages one page relates to at one level.
type LevelGroup struct {
	Level string
	Rank  int
	Items []Link
}

// RelationGroup is one relation shown on a page.
type RelationGroup struct {
	Key     string
	Label   string
	Leveled bool
	// Inverse is true for the pages that name this one.
	Inverse bool
	Groups  []LevelGroup
	// Matrices are the matrix pages this list is a slice of.
	Matrices []Link
}

// Backlink is a page that links here, with the sentence around the link.
type Backlink struct {
	Link
	Context string
}

// BacklinkGroup holds the backlinks from one section.
type BacklinkGroup struct {
	Section string
	Items   []Backlink
}

// Answer is one reply in a dialogue thread.
type Answer struct {
	Link
	Authors []Link
	Date    time.Time
	Content template.HTML
}

// PageData is what a layout gets as its dot.
type PageData struct {
	Site      *SiteData
	Page      *content.Page
	Kind      string
	Title     string
	Summary   string
	Root      string // relative path to the site root, "" or "../…"
	Canonical string // absolute URL, when base_url is set
	Content   template.HTML
	TOC       []markdown.Heading
	// EntityType is the facet of an entity page ("rol").
	EntityType  string
	EntityLabel string

	Menu        []Link
	Breadcrumbs []Link
	Prev, Next  *Link
	Children    []Link
	Sections    []Link
	Tags        []Link
	Authors     []Link

	Relations []RelationGroup // what this page names in its front matter
	Inverse   []RelationGroup // who names this page
	Backlinks []BacklinkGroup
	Related   []Link
	Question  *Link    // for an answer: the question it answers
	Answers   []Answer // for a question: its thread
	Works     []Link   // for an author: what they wrote

	Matrix     *matrix.Table
	Comparison *matrix.Comparison
	Exports    []Link
	Letters    []LetterGroup // the A–Z index
	Alias      *Link         // for an alias redirect: the target
}

// LetterGroup is one letter of the A–Z index.
type LetterGroup struct {
	Letter string
	Items  []Link
}
