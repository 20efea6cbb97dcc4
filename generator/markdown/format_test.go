package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/google/go-cmp/cmp"
)

// formatSamples are snippets that give lexers of many languages many
// kinds of token: keywords, strings, numbers, comments, markup, escapes,
// blank lines, tabs, HTML's special characters, with and without a last
// newline.
var formatSamples = []string{
	"package main\n\n// Comment <b> & \"q\" 'c'\nfunc main() {\n\tx := 1.5e3 + 0x1F\n\tfmt.Println(\"hi\\n\", `raw`, 'r')\n}\n",
	"title = \"Het model\"\ntags = [\"a\", \"b\"]\n\n[vaardigheden]\nx = 1 # noot\ndate = 2024-05-02\n",
	"<!DOCTYPE html>\n<html lang=\"nl\"><body class=\"x\">&amp; <script>if (a < b && c > d) {}</script>\n<!-- noot --></body></html>",
	"#!/bin/sh\nset -e\nfor f in *.md; do echo \"$f\" | sed 's/a/b/g' > /dev/null; done # klaar\n",
	"SELECT a, COUNT(*) FROM t WHERE b = 'x' AND c > 3 -- noot\n/* blok */ ORDER BY 1;",
	"(defun f (x) \"doc\" (+ x 1)) ; noot\n#| blok |#\n",
	"09:00  Nieuwsgierigheid voor de positie\n10:45  Belofte <in> de leermanager\n\n\n",
	"def f(x: int) -> str:\n    '''doc'''\n    return f\"{x!r}\" if x else None  # noot\n@decorator\nclass A(B): pass",
	"{\"a\": [1, 2.5, true, null], \"b\": {\"c\": \"d\\u00e9\"}}",
	"",
	"\n",
	"geen nieuwe regel aan het eind",
}

// TestFormatLikeChroma holds format to chroma's HTML formatter with
// classes: every lexer chroma has, on every sample, must give the same
// bytes both ways.
func TestFormatLikeChroma(t *testing.T) {
	ref := chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(false))
	var r nodeRenderer
	compared, types := 0, map[chroma.TokenType]bool{}
	for _, lexer := range lexers.GlobalLexerRegistry.Lexers {
		name := lexer.Config().Name
		r.lexer = func(string) chroma.Lexer { return lexer }
		for i, src := range formatSamples {
			// Some lexers are slow on text of another language.
			tokens, err := r.tokenise(name, src, 200*time.Millisecond)
			if err != nil {
				continue
			}
			for _, tok := range tokens {
				types[tok.Type] = true
			}
			var want strings.Builder
			if err := ref.Format(&want, styles.Fallback, chroma.Literator(tokens...)); err != nil {
				t.Fatal(err)
			}
			got, err := r.format(tokens)
			if err != nil {
				t.Fatal(err)
			}
			if got != want.String() {
				t.Errorf("%s, sample %d: HTML differs (-chroma +format):\n%s", name, i, cmp.Diff(want.String(), got))
			}
			compared++
		}
	}
	// Every token type chroma names, alone, with a character to escape.
	for tt := range chroma.StandardTypes {
		tokens := []chroma.Token{{Type: tt, Value: "a<b\n"}, {Type: tt + 1, Value: "c"}, {Type: tt + 10, Value: "d"}}
		var want strings.Builder
		if err := ref.Format(&want, styles.Fallback, chroma.Literator(tokens...)); err != nil {
			t.Fatal(err)
		}
		if got, _ := r.format(tokens); got != want.String() {
			t.Errorf("token type %v: got %q, want %q", tt, got, want.String())
		}
	}
	if compared < 1000 || len(types) < 50 {
		t.Errorf("compared %d blocks with %d token types, want a wider test", compared, len(types))
	}
}
