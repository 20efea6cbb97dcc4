package link

import (
	"strings"
	"testing"
	"unicode"

	"kennisbank/generator/content"
)

// normalizeSlow is Normalize without its ASCII shortcut.
func normalizeSlow(s string) string {
	f := content.Fold(strings.TrimSpace(s))
	var b strings.Builder
	dash := false
	for _, r := range f {
		if r == '-' || r == '_' || unicode.IsSpace(r) {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

func isASCII(s string) bool {
	ascii, _ := scanASCII(s)
	return ascii
}

// FuzzNormalizeASCII checks the ASCII shortcut of Normalize against the
// general path.
func FuzzNormalizeASCII(f *testing.F) {
	for _, s := range []string{"", "Coach", "  rollen/Coach  ", "a--b__c  d", "-x-", "A_-_B", "x\t\ny", "already-normal", "tail-", "--"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isASCII(s) {
			return
		}
		if got, want := Normalize(s), normalizeSlow(s); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", s, got, want)
		}
	})
}
