package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzOneLinePrefix checks that oneLinePrefix is a prefix of oneLine made
// of whole words and long enough, so snippets cut from it are the same.
func FuzzOneLinePrefix(f *testing.F) {
	f.Add("  een  twee\tdrie\n vier ", 3, 2)
	f.Add("é\u00a0\xffx  y", 1, 1)
	f.Add(strings.Repeat("woord ", 100), 10, 281)
	f.Fuzz(func(t *testing.T, s string, minBytes, minRunes int) {
		full := oneLine(s)
		got := oneLinePrefix(s, minBytes, minRunes)
		if !strings.HasPrefix(full, got) {
			t.Fatalf("oneLinePrefix(%q) = %q, not a prefix of %q", s, got, full)
		}
		if got != full {
			if full[len(got)] != ' ' {
				t.Errorf("oneLinePrefix(%q) = %q cuts a word of %q", s, got, full)
			}
			if len(got) < minBytes || utf8.RuneCountInString(got) < minRunes {
				t.Errorf("oneLinePrefix(%q, %d, %d) = %q is too short", s, minBytes, minRunes, got)
			}
		}
	})
}
