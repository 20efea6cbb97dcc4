package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer renders what kennisbank adds to or changes in goldmark's
// HTML: wikilinks, headings with anchor links, highlighted code, and raw
// HTML escaped unless the site allows it.
type nodeRenderer struct {
	unsafe           bool
	highlightTimeout time.Duration
	anchorLabelHTML  string // accessible name of heading anchors, escaped once
	// lexer finds the lexer for a language; nil means chroma's registry.
	lexer func(lang string) chroma.Lexer
}

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindWikiLink, r.renderWikiLink)
	reg.Register(ast.KindHeading, r.renderHeading)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
	if !r.unsafe {
		reg.Register(ast.KindRawHTML, r.renderRawHTML)
		reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
	}
}

func (r *nodeRenderer) renderWikiLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*WikiLink)
	if n.href != "" {
		w.WriteString(`<a class="wikilink" href="`)
		w.WriteString(html.EscapeString(relativeHref(n.href)))
		w.WriteByte('"')
		if n.title != "" {
			w.WriteString(` title="`)
			w.WriteString(html.EscapeString(n.title))
			w.WriteByte('"')
		}
		w.WriteByte('>')
		w.WriteString(html.EscapeString(n.DisplayText()))
		w.WriteString(`</a>`)
		return ast.WalkSkipChildren, nil
	}
	w.WriteString(`<span class="broken-link" title="`)
	w.WriteString(html.EscapeString(n.title))
	w.WriteString(`">`)
	w.WriteString(html.EscapeString(n.DisplayText()))
	w.WriteString(`</span>`)
	return ast.WalkSkipChildren, nil
}

// relativeHref keeps a link relative: a colon before the first slash,
// question mark or hash would make the browser read what comes before it
// as a scheme, as in "javascript:…", so such an href gets "./" in front.
func relativeHref(h string) string {
	if i := strings.IndexAny(h, ":/?#"); i >= 0 && h[i] == ':' {
		return "./" + h
	}
	return h
}

func (r *nodeRenderer) renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	// Written piece by piece rather than with fmt: every page has
	// headings, and fmt's formatting showed in profiles.
	n := node.(*ast.Heading)
	level := strconv.Itoa(n.Level)
	id, _ := n.AttributeString("id")
	b, hasID := id.([]byte)
	if entering {
		w.WriteString("<h")
		w.WriteString(level)
		if hasID {
			w.WriteString(` id="`)
			w.WriteString(html.EscapeString(string(b)))
			w.WriteByte('"')
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if hasID {
		w.WriteString(` <a class="anchor" href="#`)
		w.WriteString(html.EscapeString(string(b)))
		w.WriteString(`" aria-label="`)
		w.WriteString(r.anchorLabelHTML)
		w.WriteString(`">#</a>`)
	}
	w.WriteString("</h")
	w.WriteString(level)
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		w.WriteString(html.EscapeString(string(seg.Value(source))))
	}
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.HTMLBlock)
	var b bytes.Buffer
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		b.Write(seg.Value(source))
	}
	if n.HasClosure() {
		b.Write(n.ClosureLine.Value(source))
	}
	w.WriteString("<p>")
	w.WriteString(strings.TrimRight(html.EscapeString(b.String()), "\n"))
	w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// maxHighlight is the largest code block handed to a lexer. Many chroma
// lexers take time quadratic in the input on text they do not expect
// (makefile on a line of letters: 33 s for 20 KB), so a bigger block is
// shown plain at once instead of spending the budget first.
const maxHighlight = 64 << 10

// pageBudgetBlocks is how many per-block budgets one page may spend on
// highlighting; past it the page's other blocks are shown plain, so a page
// of slow blocks still renders well within the page's render timeout.
const pageBudgetBlocks = 3

// maxLanguage is the longest language name looked up.
const maxLanguage = 64

// spentKey is the document meta key holding the highlighting time a page
// has spent.
const spentKey = "kennisbank-highlight-spent"

// renderCode highlights a code block with chroma, as CSS classes. A lexer
// that is slow or panics costs at most the highlight budget, and a page at
// most pageBudgetBlocks budgets: the block then falls back to plain
// escaped code with a warning.
func (r *nodeRenderer) renderCode(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var code bytes.Buffer
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	lang := ""
	if fc, ok := node.(*ast.FencedCodeBlock); ok && fc.Info != nil {
		info := string(fc.Info.Segment.Value(source))
		lang, _, _ = strings.Cut(strings.TrimSpace(info), " ")
		lang, _, _ = strings.Cut(lang, "{")
	}
	if lang != "" {
		doc := node.OwnerDocument()
		out, err := r.highlightBlock(doc, lang, code.String())
		if err == nil {
			w.WriteString(out)
			return ast.WalkSkipChildren, nil
		}
		if doc != nil {
			warn, _ := doc.Meta()["warnings"].([]string)
			first, _, _ := strings.Cut(strings.TrimSpace(code.String()), "\n")
			doc.AddMeta("warnings", append(warn, fmt.Sprintf("code block (%s) starting %q shown without highlighting: %v", clip(lang, 40), clip(first, 40), err)))
		}
	}
	class := ""
	if lang != "" {
		class = ` class="language-` + html.EscapeString(lang) + `"`
	}
	fmt.Fprintf(w, "<pre class=\"chroma\"><code%s>%s</code></pre>\n", class, html.EscapeString(code.String()))
	return ast.WalkSkipChildren, nil
}

// clip shortens s to at most n characters for a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// highlightBlock applies the size limit and the page's budget around
// highlight.
func (r *nodeRenderer) highlightBlock(doc *ast.Document, lang, code string) (string, error) {
	if len(code) > maxHighlight {
		return "", fmt.Errorf("it is %d KB; blocks over %d KB are not highlighted", len(code)>>10, maxHighlight>>10)
	}
	budget := r.highlightTimeout
	var spent time.Duration
	if doc != nil {
		spent, _ = doc.Meta()[spentKey].(time.Duration)
		left := pageBudgetBlocks*r.highlightTimeout - spent
		if left <= 0 {
			return "", fmt.Errorf("the page spent its highlighting budget of %v on earlier blocks (limits.highlight_timeout)", pageBudgetBlocks*r.highlightTimeout)
		}
		budget = min(budget, left)
	}
	start := time.Now()
	out, err := r.highlight(lang, code, budget)
	if doc != nil {
		doc.AddMeta(spentKey, spent+time.Since(start))
	}
	return out, err
}

// highlight tokenises code with the lexer for lang within budget and
// formats it.
func (r *nodeRenderer) highlight(lang, code string, budget time.Duration) (string, error) {
	tokens, err := r.tokenise(lang, code, budget)
	if err != nil {
		return "", err
	}
	return r.format(tokens)
}

// tokenise runs the lexer for lang over code within budget. The lexer runs
// in its own goroutine; the tokens are taken one by one, without chroma's
// coalescing (which reads on until the token type changes), so a stopped
// lexer stops within one token instead of burning on for tens of seconds
// after the budget.
func (r *nodeRenderer) tokenise(lang, code string, budget time.Duration) ([]chroma.Token, error) {
	lookup := r.lexer
	if lookup == nil {
		lookup = lexers.Get
	}
	// chroma also matches the name against every lexer's file name
	// patterns, which takes seconds for a name of 100 KB; no language
	// has a name that long.
	var lexer chroma.Lexer
	if len(lang) <= maxLanguage {
		lexer = lookup(lang)
	}
	if lexer == nil {
		return nil, errors.New("unknown language")
	}
	type result struct {
		tokens []chroma.Token
		err    error
	}
	done := make(chan result, 1)
	var stop atomic.Bool
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("the highlighter crashed: %v", p)}
			}
			done <- res
		}()
		it, err := lexer.Tokenise(nil, code)
		if err != nil {
			res.err = err
			return
		}
		for t := it(); t != chroma.EOF; t = it() {
			if stop.Load() {
				res.err = errors.New("stopped")
				return
			}
			if t.Value != "" {
				res.tokens = append(res.tokens, t)
			}
		}
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	var res result
	select {
	case res = <-done:
	case <-timer.C:
		stop.Store(true)
		return nil, fmt.Errorf("highlighting took longer than %v (limits.highlight_timeout)", budget)
	}
	if res.err != nil {
		return nil, res.err
	}
	return coalesce(res.tokens), nil
}

// coalesce merges runs of tokens of one type, as chroma.Coalesce does, in
// one pass.
func coalesce(tokens []chroma.Token) []chroma.Token {
	out := tokens[:0] // merging only shortens: it can work in place
	for i := 0; i < len(tokens); {
		j := i + 1
		for j < len(tokens) && tokens[j].Type == tokens[i].Type {
			j++
		}
		t := chroma.Token{Type: tokens[i].Type, Value: tokens[i].Value}
		if j > i+1 { // a token alone keeps its string
			var b strings.Builder
			for _, u := range tokens[i:j] {
				b.WriteString(u.Value)
			}
			t.Value = b.String()
		}
		out = append(out, t)
		i = j
	}
	return out
}

// format turns tokens into HTML; a panic is an error, not a crashed page.
//
// The HTML is byte for byte that of chroma's HTML formatter with
// WithClasses(true) and no other option (TestFormatLikeChroma holds it to
// that), written without chroma's fmt.Sprintf for every token, which cost
// more than the rest of the formatting.
func (r *nodeRenderer) format(tokens []chroma.Token) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = "", fmt.Errorf("the highlighter crashed: %v", p)
		}
	}()
	var b strings.Builder
	b.WriteString(codeStart)
	for _, line := range chroma.SplitTokensIntoLines(tokens) {
		b.WriteString(lineStart)
		for _, t := range line {
			if cls := tokenClass(t.Type); cls != "" {
				b.WriteString(`<span class="`)
				b.WriteString(cls)
				b.WriteString(`">`)
				b.WriteString(html.EscapeString(t.Value))
				b.WriteString(`</span>`)
			} else {
				b.WriteString(html.EscapeString(t.Value))
			}
		}
		b.WriteString(lineEnd)
	}
	b.WriteString(codeEnd)
	return b.String(), nil
}

// What chroma's formatter writes around the code and around each line.
var (
	codeStart = `<pre` + classAttr(chroma.PreWrapper) + `><code>`
	codeEnd   = `</code></pre>`
	lineStart = `<span` + classAttr(chroma.Line) + `><span` + classAttr(chroma.CodeLine) + `>`
	lineEnd   = `</span></span>`
)

// tokenClass is the CSS class of a token type: that of the type, or of its
// nearest parent type that has one, as chroma's formatter finds it.
func tokenClass(t chroma.TokenType) string {
	for t != 0 {
		if cls, ok := chroma.StandardTypes[t]; ok {
			return cls
		}
		t = t.Parent()
	}
	return chroma.StandardTypes[t]
}

// classAttr is the class attribute of a token type, or "".
func classAttr(t chroma.TokenType) string {
	if cls := tokenClass(t); cls != "" {
		return ` class="` + cls + `"`
	}
	return ""
}
