package content

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips diacritics ("Één" → "een", "ĳ" → "ij"), the
// form in which names are compared and sorted.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToValidUTF8(s, "\uFFFD")) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		switch r {
		case 'ĳ', 'Ĳ':
			b.WriteString("ij")
		case 'ß':
			b.WriteString("ss")
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'ø', 'Ø':
			b.WriteString("o")
		case 'œ', 'Œ':
			b.WriteString("oe")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Slugify turns a title or heading into a readable URL segment: folded,
// letters and digits kept, every other run of characters one dash
// ("Eigenaarschap & vertrouwen" → "eigenaarschap-vertrouwen").
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// SortKey is the key by which titles sort in Dutch order: case and
// diacritics do not scatter entries, and "IJ" sorts as "ij".
func SortKey(s string) string {
	return Fold(strings.TrimSpace(s))
}
