package content

import (
	"testing"
)

// TestSlugifyIdempotentCapitalSharpS: "ẞ" (U+1E9E) lower-cases to "ß",
// which Fold only turns into "ss" when it is in the input, so a second
// Slugify changes the slug.
func TestSlugifyIdempotentCapitalSharpS(t *testing.T) {
	for _, in := range []string{"ẞ", "GROẞ"} {
		checkSlug(t, in, Slugify(in))
	}
}

// TestParseTOMLErrorPosition checks the column of TOML errors: 1-based, in
// characters like every other diagnostic, and on the line of the error.
func TestParseTOMLErrorPosition(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		// The array is still open when the next key starts: the error
		// is at the start of line 4.
		{"error at the start of a line", "+++\ntitle = \"A\"\ntags = [\"a\", \"b\"\nweight = 3\n+++\n", "x.md:4:1"},
		// "Één" is 3 characters but 5 bytes: the space after the closing
		// quote is column 14.
		{"column in characters", "+++\ntitle = \"Één\" extra\n+++\n", "x.md:2:14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse("x.md", []byte(tt.src), DefaultLimits)
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics %v, want 1", len(diags), diags)
			}
			d := diags[0]
			if got := d.String(); len(got) < len(tt.want) || got[:len(tt.want)+1] != tt.want+":" {
				t.Errorf("got %q, want it at %s", got, tt.want)
			}
		})
	}
}
