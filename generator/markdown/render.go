package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
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
	formatter        *chromahtml.Formatter
	anchorLabel      string
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
	href, _ := n.AttributeString("href")
	title, _ := n.AttributeString("title")
	if h, ok := href.(string); ok {
		fmt.Fprintf(w, `<a class="wikilink" href="%s"`, html.EscapeString(h))
		if t, ok := title.(string); ok && t != "" {
			fmt.Fprintf(w, ` title="%s"`, html.EscapeString(t))
		}
		fmt.Fprintf(w, `>%s</a>`, html.EscapeString(n.DisplayText()))
		return ast.WalkSkipChildren, nil
	}
	t, _ := title.(string)
	fmt.Fprintf(w, `<span class="broken-link" title="%s">%s</span>`, html.EscapeString(t), html.EscapeString(n.DisplayText()))
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderHeading(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", n.Level)
		id, _ := n.AttributeString("id")
		if b, ok := id.([]byte); ok {
			fmt.Fprintf(w, ` id="%s"`, html.EscapeString(string(b)))
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok {
		if b, ok := id.([]byte); ok {
			fmt.Fprintf(w, ` <a class="anchor" href="#%s" aria-label="%s">#</a>`, html.EscapeString(string(b)), html.EscapeString(r.anchorLabel))
		}
	}
	fmt.Fprintf(w, "</h%d>\n", n.Level)
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

// renderCode highlights a code block with chroma, as CSS classes. A lexer
// that is slow or panics costs at most the highlight budget: the block then
// falls back to plain escaped code.
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
		if out, err := r.highlight(lang, code.String()); err == nil {
			w.WriteString(out)
			return ast.WalkSkipChildren, nil
		} else if doc := node.OwnerDocument(); doc != nil {
			warn, _ := doc.Meta()["warnings"].([]string)
			doc.AddMeta("warnings", append(warn, fmt.Sprintf("code block (%s) shown without highlighting: %v", lang, err)))
		}
	}
	class := ""
	if lang != "" {
		class = ` class="language-` + html.EscapeString(lang) + `"`
	}
	fmt.Fprintf(w, "<pre class=\"chroma\"><code%s>%s</code></pre>\n", class, html.EscapeString(code.String()))
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) highlight(lang, code string) (out string, err error) {
	lexer := lexers.Get(lang)
	if lexer == nil {
		return "", fmt.Errorf("unknown language %q", lang)
	}
	lexer = chroma.Coalesce(lexer)
	type result struct {
		tokens []chroma.Token
		err    error
	}
	done := make(chan result, 1)
	stop := make(chan struct{})
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res = result{err: fmt.Errorf("highlighter panicked: %v", p)}
			}
			done <- res
		}()
		it, err := lexer.Tokenise(nil, code)
		if err != nil {
			res.err = err
			return
		}
		for t := it(); t != chroma.EOF; t = it() {
			select {
			case <-stop:
				res.err = fmt.Errorf("stopped")
				return
			default:
			}
			res.tokens = append(res.tokens, t)
		}
	}()
	timer := time.NewTimer(r.highlightTimeout)
	defer timer.Stop()
	var res result
	select {
	case res = <-done:
	case <-timer.C:
		close(stop)
		return "", fmt.Errorf("highlighting took longer than %v (limits.highlight_timeout)", r.highlightTimeout)
	}
	if res.err != nil {
		return "", res.err
	}
	var b strings.Builder
	if err := r.formatter.Format(&b, styles.Fallback, chroma.Literator(res.tokens...)); err != nil {
		return "", err
	}
	return b.String(), nil
}
