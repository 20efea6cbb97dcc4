package content

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Eigenaarschap & vertrouwen", "eigenaarschap-vertrouwen"},
		{"Coach én beoordelaar", "coach-en-beoordelaar"},
		{"Één stap terug", "een-stap-terug"},
		{"IJsselmeer", "ijsselmeer"},
		{"ĳzer", "ijzer"}, // the ĳ ligature
		{"Straße", "strasse"},
		{"  --Hallo,   wereld!--  ", "hallo-wereld"},
		{"V01 Groepsdynamisch waarnemen", "v01-groepsdynamisch-waarnemen"},
		{"Spanningen en dilemma's", "spanningen-en-dilemma-s"},
		{"Hiërarchie", "hierarchie"},
		{"!!!", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Slugify(tt.in); got != tt.want {
				t.Errorf("Slugify(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Één", "een"},
		{"IJsselmeer", "ijsselmeer"},
		{"Ĳssel", "ijssel"},
		{"Hiërarchie", "hierarchie"},
		{"Ærø", "aero"},
		{"Œuvre", "oeuvre"},
		{"ÇA", "ca"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q): got %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSortKeyDutchOrder sorts titles the way a Dutch reader expects: case
// and diacritics do not scatter entries, and IJ sorts as i followed by j.
func TestSortKeyDutchOrder(t *testing.T) {
	titles := []string{"Zebra", "ijver", "Ik", "Één", "appel", "IJsselmeer", "Ezel", "Icoon", "Appel", " Aap"}
	slices.SortStableFunc(titles, func(a, b string) int { return strings.Compare(SortKey(a), SortKey(b)) })
	want := []string{" Aap", "appel", "Appel", "Één", "Ezel", "Icoon", "IJsselmeer", "ijver", "Ik", "Zebra"}
	if !slices.Equal(titles, want) {
		t.Errorf("sorted by SortKey: got %q, want %q", titles, want)
	}
}

// checkSlug asserts the invariants every slug keeps.
func checkSlug(t *testing.T, in, got string) {
	t.Helper()
	for _, r := range got {
		switch {
		case r == '-', r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if unicode.ToLower(r) != r {
				t.Errorf("Slugify(%q) = %q: got upper-case %q, want lower case", in, got, r)
			}
		default:
			t.Errorf("Slugify(%q) = %q: got %q, want only letters, digits and dashes", in, got, r)
		}
	}
	if strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
		t.Errorf("Slugify(%q) = %q: got a leading, trailing or double dash", in, got)
	}
	if again := Slugify(got); again != got {
		t.Errorf("Slugify(Slugify(%q)): got %q, want %q (idempotent)", in, again, got)
	}
}

func TestSlugifyInvariants(t *testing.T) {
	for _, in := range []string{"Eigenaarschap & vertrouwen", "ǅ", "٣ stappen", "a\u0301b", "-a-", "İstanbul", "ﬁ"} {
		t.Run(in, func(t *testing.T) { checkSlug(t, in, Slugify(in)) })
	}
}

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"Eigenaarschap & vertrouwen", "Één", "IJsselmeer", "ĳ", "Straße", "--", "a--b", "日本語 tekst", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkSlug(t, in, Slugify(in))
	})
}
