package markdown

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseWikiLink(f *testing.F) {
	for _, s := range []string{"Titel", "rollen/coach", "Titel|tekst", "Titel#Kop", "#Kop", "a|b|c", "|", "#", "a#b#c|d", "[x]", "é|ü"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, inner string) {
		target, frag, label, ok := ParseWikiLink(inner)
		if !ok {
			return
		}
		if target == "" && frag == "" {
			t.Fatalf("ok with empty target and fragment for %q", inner)
		}
		for _, part := range []string{target, frag, label} {
			if strings.ContainsAny(part, "[]\n") {
				t.Fatalf("part %q of %q contains a bracket or newline", part, inner)
			}
			if len(part) > len(inner) {
				t.Fatalf("part %q longer than input %q", part, inner)
			}
		}
	})
}

type nopResolver struct{}

func (nopResolver) Resolve(r Ref) Resolved { return Resolved{Href: "x/index.html", Title: r.Target} }

// FuzzRender pushes any Markdown through the whole single-page renderer:
// it must not panic, must finish in bounded time and must keep raw HTML
// escaped.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Kop\n\nTekst met [[Link]] en [x](y.md).",
		"```go\nfunc main() {}\n```",
		"<script>alert(1)</script>",
		"[a](javascript:alert(1))",
		"> > > diep\n- a\n  - b",
		"| a | b |\n|---|---|\n| [[c]] | d |",
		"Term\n: definitie [[x|y]]",
		"voetnoot[^1]\n\n[^1]: tekst",
	} {
		f.Add(s)
	}
	r := New(Options{Typographer: true, HighlightTimeout: 200 * time.Millisecond})
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) || len(src) > 1<<14 {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		res, err := r.Render(ctx, Page{Source: []byte(src), BodyLine: 1}, nopResolver{})
		if err != nil {
			if ctx.Err() != nil {
				t.Fatalf("render did not finish in 5s")
			}
			return
		}
		if strings.Contains(strings.ToLower(string(res.HTML)), "<script") {
			t.Fatalf("raw <script> in output for %q", src)
		}
	})
}
