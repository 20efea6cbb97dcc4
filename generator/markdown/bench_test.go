package markdown

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/bench")

// benchPages are bodies of pages made by cmd/kbcorpus (front matter cut
// off): articles, dialogue, reflections, a role and a skill, some with
// code blocks, tables and definition lists.
func benchPages(tb testing.TB) (names []string, bodies [][]byte) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "bench", "*.md"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no bench pages: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		names = append(names, f)
		bodies = append(bodies, b)
	}
	return names, bodies
}

// benchResolver resolves every link, except that a target of a length
// divisible by 3 is broken, so both kinds of link are rendered.
type benchResolver struct{}

func (benchResolver) Resolve(r Ref) Resolved {
	if len(r.Target)%3 == 0 {
		return Resolved{Title: "Pagina ontbreekt"}
	}
	return Resolved{Href: "../" + r.Target + "/index.html", Title: "Titel van " + r.Target}
}

// TestBenchPagesGolden pins the whole Result of each bench page (HTML,
// headings, text, links with their positions and context), so work on the
// renderer's speed shows any change of output.
func TestBenchPagesGolden(t *testing.T) {
	names, bodies := benchPages(t)
	r := New(Options{Typographer: true})
	for i, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			res, err := r.Render(context.Background(), Page{Source: bodies[i], BodyLine: 9, AssetPrefix: "../"}, benchResolver{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false) // readable diffs
			enc.SetIndent("", "\t")
			if err := enc.Encode(struct {
				HTML string
				*Result
			}{string(res.HTML), res}); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			golden := strings.TrimSuffix(name, ".md") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("result differs (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkRender renders the bench pages one after another, as one
// worker of a build does.
func BenchmarkRender(b *testing.B) {
	_, bodies := benchPages(b)
	r := New(Options{Typographer: true})
	var n int64
	for _, src := range bodies {
		n += int64(len(src))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range bodies {
			if _, err := r.Render(context.Background(), Page{Source: src, BodyLine: 9, AssetPrefix: "../"}, benchResolver{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
