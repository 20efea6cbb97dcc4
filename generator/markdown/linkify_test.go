package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

// linkifyCases are places where goldmark's linkify parser finds a link, or
// almost does.
var linkifyCases = []string{
	"zie http://example.com/pad?x=1 nu",
	"zie https://example.com. En ftp://example.com/bestand.txt, of www.example.com/pad).",
	"(https://example.com) (www.example.com) *www.example.com* _ftp://x.nl/a_ ~http://a.b~",
	"**https://x.nl** __piet@example.nl__ ~~www.x.nl~~",
	"http://x.nl aan het begin\nwww.y.nl op een nieuwe regel\npiet@example.nl ook",
	"mail piet@example.nl nu, p.iet+tag@sub.example.nl. of a@b zonder punt, of a@b.c-",
	"\tpiet@example.nl na een tab, \thttp://x.nl ook",
	"HTTP://EXAMPLE.COM Www.example.com FTP://x",
	"hallo@ @piet @ x@ @x.nl",
	"www.x wwwa.b http:/x ftp:x https:// www.",
	"é@x.nl ñwww.x.nl ühttp://x.nl",
	"[http://x.nl](y) [www.x.nl] [piet@x.nl](mailto:piet@x.nl)",
	"&amp;http://x.nl &lt;www.x.nl&gt; <https://x.nl> <piet@x.nl>",
	"`http://x.nl` en \\http://x.nl en \\www.x.nl",
	"a www.x.nl/pad(met)haakjes) en www.x.nl/a?b=c&amp; en www.x.nl/&quot;",
	"x " + strings.Repeat("a", 63) + "@b.nl x " + strings.Repeat("a", 64) + "@b.nl x " + strings.Repeat("a", 65) + "@b.nl",
	"x " + strings.Repeat("a.", 40) + "@b.nl",
	"| a | b |\n|---|---|\n| http://x.nl | piet@x.nl |",
	"- www.x.nl\n- [ ] piet@x.nl\n- [x] https://x.nl",
	"Term www.x.nl\n: definitie piet@x.nl",
	"> citaat http://x.nl\n> piet@x.nl",
}

func linkifyInstances() (plain, filtered goldmark.Markdown) {
	others := []goldmark.Extender{extension.Footnote, extension.DefinitionList, extension.Typographer}
	opts := goldmark.WithParserOptions(parser.WithAutoHeadingID())
	plain = goldmark.New(goldmark.WithExtensions(append([]goldmark.Extender{extension.GFM}, others...)...), opts)
	filtered = goldmark.New(goldmark.WithExtensions(append([]goldmark.Extender{gfm{}}, others...)...), opts)
	return plain, filtered
}

func toHTML(t testing.TB, md goldmark.Markdown, src string) string {
	t.Helper()
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestLinkifyFilterSameHTML renders the linkify cases, the bench pages
// and the fuzz corpus with goldmark's own GFM and with ours: the HTML must
// be the same.
func TestLinkifyFilterSameHTML(t *testing.T) {
	inputs := append([]string(nil), linkifyCases...)
	_, bodies := benchPages(t)
	for _, b := range bodies {
		inputs = append(inputs, string(b))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzRender", "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.SplitSeq(string(b), "\n") {
			if lit, ok := strings.CutPrefix(line, "string("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
					inputs = append(inputs, s)
				}
			}
		}
	}
	if len(inputs) < len(linkifyCases)+len(bodies)+len(files) {
		t.Fatalf("read %d inputs, want at least one per case, page and fuzz file", len(inputs))
	}
	plain, filtered := linkifyInstances()
	for i, src := range inputs {
		want, got := toHTML(t, plain, src), toHTML(t, filtered, src)
		if got != want {
			t.Errorf("input %d %q: HTML differs (-goldmark +filtered):\n%s", i, clip(src, 80), cmp.Diff(want, got))
		}
	}
}

func FuzzLinkifyFilter(f *testing.F) {
	for _, s := range linkifyCases {
		f.Add(s)
	}
	plain, filtered := linkifyInstances()
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 1<<12 {
			return
		}
		if want, got := toHTML(t, plain, src), toHTML(t, filtered, src); got != want {
			t.Fatalf("HTML differs for %q (-goldmark +filtered):\n%s", src, cmp.Diff(want, got))
		}
	})
}
