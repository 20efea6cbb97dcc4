package markdown

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

func htmlEscape(s string) string { return strings.ReplaceAll(s, "<", "&lt;") }

// cpuTime is the CPU time this process has used.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Skipf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// testRenderer is a goldmark instance with only kennisbank's node
// renderer, so a test can give it its own lexers.
func testRenderer(r *nodeRenderer) goldmark.Markdown {
	return goldmark.New(goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(r, 100))))
}

// convert renders src and returns the HTML and the page's warnings.
func convert(t *testing.T, md goldmark.Markdown, src string) (string, []string) {
	t.Helper()
	var buf bytes.Buffer
	doc := md.Parser().Parse(text.NewReader([]byte(src)))
	if err := md.Renderer().Render(&buf, []byte(src), doc); err != nil {
		t.Fatal(err)
	}
	warn, _ := doc.OwnerDocument().Meta()["warnings"].([]string)
	return buf.String(), warn
}

// TestSlowLexerStops renders code blocks that chroma's makefile and
// ApacheConf lexers take 30 to 45 s over. Each must fall back to plain
// escaped code with a warning within its budget, and the lexer must stop
// then, not go on burning a core in the background.
func TestSlowLexerStops(t *testing.T) {
	tests := []struct{ lang, code string }{
		{"makefile", strings.Repeat("a", 20<<10)},
		{"apacheconf", strings.Repeat("<", 20<<10)},
	}
	const budget = 300 * time.Millisecond
	md := testRenderer(&nodeRenderer{highlightTimeout: budget})
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			if lexers.Get(tt.lang) == nil {
				t.Skipf("no %s lexer", tt.lang)
			}
			start := time.Now()
			html, warn := convert(t, md, "```"+tt.lang+"\n"+tt.code+"\n```\n")
			if d := time.Since(start); d > budget+time.Second {
				t.Errorf("took %v, want about the budget of %v", d, budget)
			}
			if !strings.Contains(html, `<pre class="chroma"><code class="language-`+tt.lang+`">`) || !strings.Contains(html, htmlEscape(tt.code[:100])) {
				t.Errorf("got %.200q, want the code plain and escaped", html)
			}
			if len(warn) != 1 || !strings.Contains(warn[0], "highlighting took longer than") {
				t.Errorf("got warnings %q, want one about the budget", warn)
			}
			// The lexer was told to stop: for the next half second the
			// process must be nearly idle, where a running lexer would
			// keep a core busy.
			time.Sleep(50 * time.Millisecond)
			before := cpuTime(t)
			time.Sleep(500 * time.Millisecond)
			if used := cpuTime(t) - before; used > 200*time.Millisecond {
				t.Errorf("the process used %v of CPU in the half second after the fallback, want the lexer stopped", used)
			}
		})
	}
}

// TestPageHighlightBudget checks that a page of many slow code blocks
// spends at most a few budgets in all, then shows the rest plain.
func TestPageHighlightBudget(t *testing.T) {
	const budget = 150 * time.Millisecond
	md := testRenderer(&nodeRenderer{highlightTimeout: budget})
	src := strings.Repeat("```makefile\n"+strings.Repeat("a", 16<<10)+"\n```\n\n", 8) + "```go\nfunc main() {}\n```\n"
	start := time.Now()
	html, warn := convert(t, md, src)
	if d, max := time.Since(start), pageBudgetBlocks*budget+time.Second; d > max {
		t.Errorf("took %v, want at most %v", d, max)
	}
	if got := strings.Count(html, `<code class="language-makefile">`); got != 8 {
		t.Errorf("got %d plain makefile blocks, want 8", got)
	}
	if len(warn) != 9 || !strings.Contains(warn[8], "spent its highlighting budget") {
		t.Errorf("got warnings %q, want one per makefile block and the last about the page's budget", warn)
	}
}

// TestHugeCodeBlock checks that a block over 64 KB is shown plain at
// once, whatever its language.
func TestHugeCodeBlock(t *testing.T) {
	md := testRenderer(&nodeRenderer{highlightTimeout: 10 * time.Second})
	code := strings.Repeat("<b>x</b>\n", 80<<10/9)
	start := time.Now()
	html, warn := convert(t, md, "```html\n"+code+"```\n")
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v, want it shown plain at once", d)
	}
	if !strings.Contains(html, "&lt;b&gt;x&lt;/b&gt;") || strings.Contains(html, "<b>") {
		t.Errorf("got %.200q, want the code escaped", html)
	}
	if len(warn) != 1 || !strings.Contains(warn[0], "blocks over 64 KB are not highlighted") {
		t.Errorf("got warnings %q, want one about the size", warn)
	}
}

// panicLexer panics on Tokenise, or on the first token with lazy set.
type panicLexer struct {
	chroma.Lexer
	lazy bool
}

func (l panicLexer) Tokenise(*chroma.TokeniseOptions, string) (chroma.Iterator, error) {
	if !l.lazy {
		panic("lexer bug")
	}
	return func() chroma.Token { panic(errors.New("iterator bug")) }, nil
}

// TestLexerPanic checks that a panicking lexer costs the block its
// highlighting, with a warning, and nothing else.
func TestLexerPanic(t *testing.T) {
	for _, lazy := range []bool{false, true} {
		t.Run(fmt.Sprintf("lazy=%v", lazy), func(t *testing.T) {
			md := testRenderer(&nodeRenderer{highlightTimeout: time.Second, lexer: func(string) chroma.Lexer { return panicLexer{lazy: lazy} }})
			html, warn := convert(t, md, "Voor.\n\n```go\nx := 1 < 2\n```\n\nNa.\n")
			if !strings.Contains(html, "<p>Voor.</p>") || !strings.Contains(html, "x := 1 &lt; 2") || !strings.Contains(html, "<p>Na.</p>") {
				t.Errorf("got %q, want the page with the block plain", html)
			}
			if len(warn) != 1 || !strings.Contains(warn[0], "the highlighter crashed") {
				t.Errorf("got warnings %q, want one about the crash", warn)
			}
		})
	}
}

// panicResolver panics inside goldmark's parse, as a bug there would.
type panicResolver struct{}

func (panicResolver) Resolve(Ref) Resolved { panic("resolver bug") }

// TestRenderPanic checks that a panic inside the renderer comes back as
// an error, and that the renderer still works afterwards.
func TestRenderPanic(t *testing.T) {
	r := New(Options{})
	_, err := r.Render(context.Background(), Page{Source: []byte("Zie [[Coach]].\n")}, panicResolver{})
	if err == nil || !strings.Contains(err.Error(), "the Markdown renderer crashed (resolver bug)") {
		t.Fatalf("got %v, want an error about the crash", err)
	}
	res, err := r.Render(context.Background(), Page{Source: []byte("Zie [[Coach]].\n")}, nopResolver{})
	if err != nil || !strings.Contains(string(res.HTML), `href="x/index.html"`) {
		t.Fatalf("after the crash: got %v, %v, want the page", res, err)
	}
}

// TestRenderTimeout checks that Markdown goldmark takes seconds over
// comes back as an error when the page's deadline passes.
func TestRenderTimeout(t *testing.T) {
	r := New(Options{Typographer: true})
	// About 0.5 s in goldmark for 40 KB, and four times that for twice
	// the size: every "[" starts a link whose destination is never closed.
	src := strings.Repeat("[a](", 10000)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.Render(ctx, Page{Source: []byte(src)}, nopResolver{})
	if d := time.Since(start); d > time.Second {
		t.Errorf("Render returned after %v, want right after the deadline", d)
	}
	if err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the deadline", err)
	}
}

// hostileMarkdown is Markdown known to be slow or deep for parsers:
// each must render within hostileBudget.
var hostileMarkdown = []struct{ name, src string }{
	{"80 KB of unclosed comments", strings.Repeat("<!--", 20000)},
	{"80 KB of unclosed comments after text", "a " + strings.Repeat("<!--", 20000)},
	{"unclosed comments, one per line", strings.Repeat("a <!--\n", 11000)},
	{"unclosed comments, one per word", strings.Repeat("x <!-- ", 11500)},
	{"unclosed comments in a list", strings.Repeat("- <!--\n", 11000)},
	{"unclosed CDATA", "a " + strings.Repeat("<![CDATA[", 9000)},
	{"unclosed processing instructions", "a " + strings.Repeat("<?", 40000)},
	{"unclosed tags", "a " + strings.Repeat("<a b='", 13000)},
	{"10,000 nested blockquotes", strings.Repeat(">", 10000) + " diep"},
	{"10,000 nested blockquotes, spaced", strings.Repeat("> ", 10000) + "diep"},
	{"10,000 nested list items", strings.Repeat("- ", 10000) + "diep"},
	{"10,000 nested ordered items", strings.Repeat("1. ", 10000) + "diep"},
	{"nested lists by indent", func() string {
		var b strings.Builder
		for i := range 300 {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}()},
	{"1 MB line", strings.Repeat("woord ", 1<<20/6)},
	{"1 MB of one character", strings.Repeat("x", 1<<20)},
	{"80 KB of brackets", strings.Repeat("[", 80000)},
	{"80 KB of unclosed wikilinks", strings.Repeat("[[a ", 20000)},
	{"unclosed wikilink and a far close", "[[" + strings.Repeat("a", 100000) + "]]"},
	{"80 KB of emphasis openers", strings.Repeat("**a", 27000)},
	{"80 KB of backticks", strings.Repeat("`", 40000) + "a" + strings.Repeat("``", 20000)},
	{"80 KB of entities", strings.Repeat("&#1;&amp", 10000)},
	{"many footnote references", strings.Repeat("[^a]", 20000)},
	{"autolinks", strings.Repeat("www.a ", 13000)},
	{"table of 2,000 columns", "|" + strings.Repeat("a|", 2000) + "\n|" + strings.Repeat("-|", 2000) + "\n" + strings.Repeat("|"+strings.Repeat("a|", 2000)+"\n", 20)},
	{"many headings with one text", strings.Repeat("# a\n", 2000)},
	{"deep emphasis", strings.Repeat("*", 5000) + "a" + strings.Repeat("*", 5000)},
	{"link reference definitions", strings.Repeat("[a]: b\n", 10000) + strings.Repeat("[a] ", 10000)},
	{"fence with a long info string", "```" + strings.Repeat("a", 100000) + "\nx\n```"},
	{"unclosed fence", "```go\n" + strings.Repeat("x\n", 50000)},
	{"NUL-free control characters", strings.Repeat("\x01\x02\x1b[31m", 10000)},
}

// hostileBudget bounds one hostile page: the render timeout of a build.
// Alone on an idle machine each takes under half a second; the margin is
// for a machine busy with other work.
const hostileBudget = 10 * time.Second

// TestHostileMarkdown renders each hostile page within hostileBudget,
// without error and with nothing unescaped.
func TestHostileMarkdown(t *testing.T) {
	r := New(Options{Typographer: true, HighlightTimeout: 200 * time.Millisecond})
	for _, tt := range hostileMarkdown {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), hostileBudget)
			defer cancel()
			start := time.Now()
			res, err := r.Render(ctx, Page{Source: []byte(tt.src), BodyLine: 1}, nopResolver{})
			if err != nil {
				t.Fatalf("got %v after %v, want the page within %v", err, time.Since(start), hostileBudget)
			}
			if bytes.Contains(bytes.ToLower(res.HTML), []byte("<script")) || bytes.Contains(res.HTML, []byte("<!--")) {
				t.Errorf("got raw HTML in the output")
			}
		})
	}
}
