package theme

import (
	"os"
	"testing"
)

// BenchmarkLoadAndPrepare is what a build pays once for its theme: load
// the default theme and prepare its layouts (each run without data).
func BenchmarkLoadAndPrepare(b *testing.B) {
	fsys := os.DirFS("../../themes/default")
	layouts := []string{"home.html", "section.html", "page.html", "tag.html", "tags.html", "az.html", "matrix.html", "comparison.html", "404.html", "alias.html"}
	for b.Loop() {
		th, err := Load("nl", Source{FS: fsys, Name: "themes/default"})
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range layouts {
			th.Render(name, nil) //nolint:errcheck // without data a layout stops at its first field
		}
	}
}
