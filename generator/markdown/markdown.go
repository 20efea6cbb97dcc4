// Package markdown turns one page's Markdown into HTML. It is the only
// importer of goldmark and chroma. It adds [[wikilinks]], readable heading
// IDs with anchor links, chroma highlighting through CSS classes, and hands
// every link to a page (wikilinks and links to .md files) to a Resolver the
// caller supplies, so this package knows nothing of the site.
package markdown

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Ref is one link to a page found in the Markdown.
type Ref struct {
	Wiki     bool   // a [[wikilink]]; otherwise a Markdown link to a .md file
	Target   string // page part as written ("Coach", "../rollen/coach.md"); "" for the page itself
	Fragment string // heading part as written, without #
	Raw      string // the link as written, for messages
	Line     int    // line in the source file
	Col      int    // column in the source file
	Context  string // the sentence around the link
}

// Resolved is what a Resolver makes of a Ref.
type Resolved struct {
	Href  string // where the link goes, relative to the page; "" when broken
	Title string // tooltip: the target's title, or why the link is broken
}

// Resolver turns links to pages into URLs. The link package implements it;
// it also records each link as an edge of the site's graph.
type Resolver interface {
	Resolve(ref Ref) Resolved
}

// Options configure a Renderer.
type Options struct {
	UnsafeHTML       bool
	Typographer      bool
	HighlightTimeout time.Duration // per code block; 0 means 2s
	AnchorLabel      string        // accessible name of heading anchors
}

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	md goldmark.Markdown
	// walkers holds blockWalkers between pages, so their buffers are
	// grown once per worker rather than once per page.
	walkers sync.Pool
}

// New returns a Renderer.
func New(opts Options) *Renderer {
	if opts.HighlightTimeout == 0 {
		opts.HighlightTimeout = 2 * time.Second
	}
	if opts.AnchorLabel == "" {
		opts.AnchorLabel = "Link naar deze kop"
	}
	exts := []goldmark.Extender{gfm{}, extension.Footnote, extension.DefinitionList}
	if opts.Typographer {
		exts = append(exts, extension.NewTypographer())
	}
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&nodeRenderer{
			unsafe:           opts.UnsafeHTML,
			highlightTimeout: opts.HighlightTimeout,
			anchorLabelHTML:  html.EscapeString(opts.AnchorLabel),
		}, 100)),
	}
	if opts.UnsafeHTML {
		rendererOpts = append(rendererOpts, gmhtml.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithInlineParsers(util.Prioritized(wikiLinkParser{}, 199)),
			parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 1000)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Renderer{md: md, walkers: sync.Pool{New: func() any { return new(blockWalker) }}}
}

// Heading is one heading of a page, for the table of contents and for
// checking #fragments.
type Heading struct {
	Level int
	Text  string
	ID    string
}

// Result is one rendered page.
type Result struct {
	HTML     []byte
	Headings []Heading
	// Text is the page's plain text, without code, for search and
	// summaries.
	Text string
	// Lead is the plain text of the first paragraph.
	Lead string
	// Refs are the links to pages, in source order.
	Refs []Ref
	// External are links that leave the site, for checking.
	External []Ref
	// Warnings are problems that did not stop the page (a code block
	// shown without highlighting).
	Warnings []string
}

// Page describes the source being rendered.
type Page struct {
	Source   []byte // the Markdown body
	BodyLine int    // line of the file on which Source starts
	// AssetPrefix is put before relative links to files that are not
	// pages, since a page's HTML lands one folder below its source.
	AssetPrefix string
}

var (
	resolverKey = parser.NewContextKey()
	pageKey     = parser.NewContextKey()
	resultKey   = parser.NewContextKey()
	walkerKey   = parser.NewContextKey()
)

// Render converts one page. A panic inside goldmark or chroma comes back
// as an error, and so does running past ctx's deadline.
func (r *Renderer) Render(ctx context.Context, pg Page, res Resolver) (out *Result, err error) {
	type done struct {
		out *Result
		err error
	}
	ch := make(chan done, 1)
	go func() {
		var d done
		defer func() {
			if p := recover(); p != nil {
				d = done{err: fmt.Errorf("the Markdown renderer crashed (%v): simplify the page around its unusual constructs", p)}
			}
			ch <- d
		}()
		d.out, d.err = r.render(pg, res)
	}()
	select {
	case d := <-ch:
		return d.out, d.err
	case <-ctx.Done():
		return nil, fmt.Errorf("rendering stopped: %w", context.Cause(ctx))
	}
}

func (r *Renderer) render(pg Page, res Resolver) (*Result, error) {
	result := &Result{}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(resolverKey, res)
	pc.Set(pageKey, &pg)
	pc.Set(resultKey, result)
	b := r.walkers.Get().(*blockWalker)
	pc.Set(walkerKey, b)
	doc := r.md.Parser().Parse(text.NewReader(pg.Source), parser.WithContext(pc))
	if b.release() {
		r.walkers.Put(b)
	}
	var buf bytes.Buffer
	buf.Grow(len(pg.Source) * 2)
	if err := r.md.Renderer().Render(bufWriter{&buf}, pg.Source, doc); err != nil {
		return nil, err
	}
	if w, ok := doc.OwnerDocument().Meta()["warnings"].([]string); ok {
		result.Warnings = w
	}
	result.HTML = buf.Bytes()
	return result, nil
}

// bufWriter lets goldmark write straight into the page's buffer: given a
// plain io.Writer it puts a bufio.Writer of its own in between, one more
// allocation and one more copy of the whole HTML per page.
type bufWriter struct{ *bytes.Buffer }

var _ util.BufWriter = bufWriter{}

// Buffered implements util.BufWriter.
func (w bufWriter) Buffered() int { return w.Len() }

// Flush implements util.BufWriter; there is nothing to flush.
func (bufWriter) Flush() error { return nil }

// linkTransformer resolves links, collects headings and plain text.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	res, _ := pc.Get(resolverKey).(Resolver)
	pg, _ := pc.Get(pageKey).(*Page)
	result, _ := pc.Get(resultKey).(*Result)
	if pg == nil || result == nil {
		return
	}
	b, _ := pc.Get(walkerKey).(*blockWalker)
	if b == nil {
		b = new(blockWalker)
	}
	b.src, b.pg, b.res, b.result = reader.Source(), pg, res, result
	plain := b.plain[:0]
	// Headings, table cells and definition terms come after all
	// paragraphs, in text and in the order links are resolved, as they
	// always have.
	later := b.later[:0]
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock, ast.KindHTMLBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindHeading, extast.KindTableCell, extast.KindDefinitionTerm:
			// Their children are inlines only.
			later = append(later, n)
			return ast.WalkSkipChildren, nil
		case ast.KindParagraph, ast.KindTextBlock:
			t := b.collect(n)
			if result.Lead == "" && len(t) > 0 && n.Kind() == ast.KindParagraph && n.Parent() == doc {
				result.Lead = string(t)
			}
			plain = append(plain, t...)
			plain = append(plain, '\n')
			b.resolve()
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, n := range later {
		t := b.collect(n)
		if h, ok := n.(*ast.Heading); ok {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			result.Headings = append(result.Headings, Heading{Level: h.Level, Text: string(t), ID: string(idb)})
		} else {
			plain = append(plain, t...)
			plain = append(plain, '\n')
		}
		b.resolve()
	}
	result.Text = string(plain)
	b.plain, b.later = plain, later
}

// blockWalker gathers the text and the links of one block at a time. Its
// buffers are reused from block to block, and from page to page through
// the Renderer's pool.
type blockWalker struct {
	src    []byte
	pg     *Page
	res    Resolver
	result *Result
	lines  lineIndex // set up when the first link needs a position
	// text is the current block's text; links point into it by offset.
	text  []byte
	found []pendingRef
	plain []byte     // the page's plain text
	later []ast.Node // headings, table cells and terms, for after the paragraphs
}

// maxPooled is the largest buffer kept for the next page: one huge page
// must not hold its memory for the rest of the build.
const maxPooled = 1 << 20

// release lets go of the page just walked and reports whether the
// walker's buffers are small enough to keep.
func (b *blockWalker) release() bool {
	clear(b.found[:cap(b.found)])
	clear(b.later[:cap(b.later)])
	b.src, b.pg, b.res, b.result = nil, nil, nil, nil
	b.lines = lineIndex{starts: b.lines.starts[:0]}
	return cap(b.text) <= maxPooled && cap(b.plain) <= maxPooled && cap(b.lines.starts) <= maxPooled/8 &&
		cap(b.found) <= maxPooled/256 && cap(b.later) <= maxPooled/16
}

// pendingRef is a link found in a block, resolved once the block's whole
// text, and so the link's sentence, is known.
type pendingRef struct {
	node ast.Node
	ref  Ref
	at   int
}

// collect walks one block: it gathers its text and its links to pages,
// records links that leave the site, and points relative links to files
// past the page's folder. It returns the block's plain text, trimmed,
// valid until the next collect.
func (b *blockWalker) collect(block ast.Node) []byte {
	b.text = b.text[:0]
	b.found = b.found[:0]
	b.walk(block)
	return bytes.TrimSpace(b.text)
}

func (b *blockWalker) pos(off int) (line, col int) {
	if b.lines.src == nil {
		b.lines.init(b.src)
	}
	line, col = b.lines.pos(off)
	return line + b.pg.BodyLine - 1, col
}

func (b *blockWalker) walk(n ast.Node) {
	src, pg := b.src, b.pg
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *WikiLink:
			l, col := b.pos(c.Offset)
			b.found = append(b.found, pendingRef{c, Ref{Wiki: true, Target: c.Target, Fragment: c.Fragment, Raw: c.Raw, Line: l, Col: col}, len(b.text)})
			b.text = append(b.text, c.DisplayText()...)
		case *ast.Link:
			dest := string(c.Destination)
			start := len(b.text)
			b.walk(c)
			if strings.Contains(dest, ":") && !strings.HasPrefix(dest, "#") {
				l, col := b.pos(firstOffset(c))
				b.result.External = append(b.result.External, Ref{Target: dest, Raw: dest, Line: l, Col: col - 1})
			}
			if isPageLink(dest) {
				l, col := b.pos(firstOffset(c))
				target, frag, _ := strings.Cut(dest, "#")
				b.found = append(b.found, pendingRef{c, Ref{Target: target, Fragment: frag, Raw: "[" + string(b.text[start:]) + "](" + dest + ")", Line: l, Col: col - 1}, start})
			} else if isRelativeAsset(dest) {
				c.Destination = []byte(pg.AssetPrefix + dest)
			} else if isRelativeFolder(dest) {
				// A folder link must name index.html to work from disk.
				folder, frag, _ := strings.Cut(dest, "#")
				c.Destination = []byte(pg.AssetPrefix + folder + "index.html")
				if frag != "" {
					c.Destination = append(c.Destination, "#"+frag...)
				}
			}
		case *ast.Image:
			if dest := string(c.Destination); isRelativeAsset(dest) {
				c.Destination = []byte(pg.AssetPrefix + dest)
			}
			b.walk(c)
		case *ast.Text:
			b.text = append(b.text, c.Segment.Value(src)...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.text = append(b.text, ' ')
			}
		case *ast.String:
			if bytes.IndexByte(c.Value, '&') < 0 { // nothing to unescape: no copy
				b.text = append(b.text, c.Value...)
			} else {
				b.text = append(b.text, stringText(c)...)
			}
		case *ast.CodeSpan:
			// Only text, and no line breaks: goldmark puts nothing else
			// in a code span.
			for g := c.FirstChild(); g != nil; g = g.NextSibling() {
				if t, ok := g.(*ast.Text); ok {
					b.text = append(b.text, t.Segment.Value(src)...)
				}
			}
		default:
			b.walk(c)
		}
	}
}

// resolve resolves the links of the block last collected, giving each the
// sentence around it as context.
func (b *blockWalker) resolve() {
	if len(b.found) == 0 {
		return
	}
	all := string(b.text)
	for _, f := range b.found {
		// A copy: a slice of all would keep the whole block's text
		// alive for as long as the link's context is.
		f.ref.Context = strings.Clone(sentenceAt(all, f.at))
		b.result.Refs = append(b.result.Refs, f.ref)
		if b.res == nil {
			continue
		}
		r := b.res.Resolve(f.ref)
		switch n := f.node.(type) {
		case *WikiLink:
			if r.Href != "" {
				n.href = r.Href
				// A path says nothing to a reader: show the page's title.
				if n.Label == "" && strings.Contains(n.Target, "/") && r.Title != "" {
					n.Label = r.Title
				}
			}
			n.title = r.Title
		case *ast.Link:
			if r.Href != "" {
				n.Destination = []byte(r.Href)
			} else {
				n.Destination = []byte("#")
				n.Title = []byte(r.Title)
				n.SetAttributeString("class", []byte("broken-link"))
			}
		}
	}
	clear(b.found) // drop the nodes
}

// isPageLink reports whether a Markdown link points at a .md source.
func isPageLink(dest string) bool {
	if dest == "" || strings.Contains(dest, "://") || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "mailto:") {
		return false
	}
	target, _, _ := strings.Cut(dest, "#")
	target, _, _ = strings.Cut(target, "?")
	return strings.HasSuffix(strings.ToLower(target), ".md")
}

// isRelativeAsset reports whether dest is a relative link to a file.
func isRelativeAsset(dest string) bool {
	if dest == "" || dest[0] == '#' || dest[0] == '/' || dest[0] == '?' || strings.Contains(dest, ":") {
		return false
	}
	ext := path.Ext(strings.SplitN(dest, "#", 2)[0])
	return ext != "" && ext != ".html" && !strings.HasSuffix(dest, "/")
}

// isRelativeFolder reports whether dest is a relative link to a folder of
// the site, such as "matrix/".
func isRelativeFolder(dest string) bool {
	if dest == "" || dest[0] == '#' || dest[0] == '/' || dest[0] == '?' || strings.Contains(dest, ":") {
		return false
	}
	folder, _, _ := strings.Cut(dest, "#")
	return strings.HasSuffix(folder, "/")
}

// firstOffset finds the source offset of a link's text; goldmark keeps no
// position for inline links themselves, so it is one before the first text.
func firstOffset(n ast.Node) int {
	var off = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering && off < 0 {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		return 0
	}
	return off
}

// stringText is the text of a String node; the typographer stores its
// quotes as HTML entities ("&rsquo;", marked as code so the renderer
// writes them raw), which plain text must not show.
func stringText(s *ast.String) string {
	return html.UnescapeString(string(s.Value))
}

// sentenceAt returns the sentence of s that contains byte offset at.
func sentenceAt(s string, at int) string {
	// Look at most 300 bytes each way: a paragraph of thousands of links
	// must not cost a scan of the whole paragraph per link.
	lo, hi := max(0, at-300), min(len(s), at+300)
	start := lo
	for i := at - 1; i > lo; i-- {
		if (s[i-1] == '.' || s[i-1] == '?' || s[i-1] == '!') && s[i] == ' ' {
			start = i + 1
			break
		}
	}
	end := hi
	for i := at; i < hi-1; i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!') && s[i+1] == ' ' {
			end = i + 1
			break
		}
	}
	out := strings.TrimSpace(strings.ToValidUTF8(s[start:end], ""))
	if utf8.RuneCountInString(out) > 300 {
		r := []rune(out)
		out = string(r[:300]) + "…"
	}
	return out
}

// lineIndex turns byte offsets into lines and columns. It remembers the
// last position asked for, so links along one long line are counted once.
type lineIndex struct {
	src    []byte
	starts []int
	last   struct{ off, line, col int }
}

// init indexes src, reusing the slice of starts.
func (li *lineIndex) init(src []byte) {
	// Counted first and found with IndexByte: both run many bytes at a
	// time, and the slice grows at most once.
	starts := slices.Grow(li.starts[:0], 1+bytes.Count(src, []byte{'\n'}))
	starts = append(starts, 0)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	*li = lineIndex{src: src, starts: starts}
}

func (li *lineIndex) pos(off int) (line, col int) {
	if off > len(li.src) {
		off = len(li.src)
	}
	if l := li.last; l.line > 0 && off >= l.off && (l.line == len(li.starts) || off < li.starts[l.line]) {
		col = l.col + utf8.RuneCount(li.src[l.off:off])
		li.last.off, li.last.col = off, col
		return l.line, col
	}
	line, col = li.find(off)
	li.last.off, li.last.line, li.last.col = off, line, col
	return line, col
}

func (li *lineIndex) find(off int) (line, col int) {
	lo, hi := 0, len(li.starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if off > len(li.src) {
		off = len(li.src)
	}
	return lo + 1, 1 + utf8.RuneCount(li.src[li.starts[lo]:off])
}
