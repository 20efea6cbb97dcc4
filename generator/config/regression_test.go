package config

import (
	"testing"

	"kennisbank/generator/content"
)

// TestParseErrorLines checks the line of diagnostics that the light key
// scan places wrongly.
func TestParseErrorLines(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantLine int
		wantCode string
		alsoLine int // another acceptable line
	}{
		// "title" is also a top-level key on line 1; the unknown key is
		// markup.title on line 3.
		{"unknown key named like a top-level key", "title = \"K\"\n[markup]\ntitle = \"Y\"\n", 3, "unknown-key", 0},
		// The relation without targets starts on line 4; its key is on
		// line 5.
		{"relation without targets", "title = \"K\"\n\n# Over\n[[relations]]\nkey = \"over\"\n", 4, "config", 5},
		// A value of the wrong type is on line 3, not line 1.
		{"wrong type", "title = \"K\"\n[markup]\nunsafe_html = \"ja\"\n", 3, "config", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("site.toml", []byte(tt.src))
			ds, ok := err.(content.Diagnostics)
			if !ok || len(ds) != 1 {
				t.Fatalf("got error %v, want one diagnostic", err)
			}
			if (ds[0].Line != tt.wantLine && ds[0].Line != tt.alsoLine) || ds[0].Code != tt.wantCode {
				t.Errorf("got %q at line %d [%s], want line %d [%s]", ds[0].String(), ds[0].Line, ds[0].Code, tt.wantLine, tt.wantCode)
			}
		})
	}
}
