package search

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "regenerate the stems of testdata/stems.tsv with the Go stemmer")

const stemsFile = "testdata/stems.tsv"

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"lower case and stem", "Leermanagers contracteren", []string{"leermanager", "contracter"}},
		{"diaeresis", "interveniëren", []string{"intervenier"}},
		{"acute accents fold to the stop word een", "één leerbegeleider", []string{"leerbegeleider"}},
		{"decomposed diaeresis", "intervenie\u0308ren", []string{"intervenier"}},
		{"i with diaeresis", "naïef", []string{"naief"}},
		{"stop words dropped", "de leermanager en het eigenaarschap van de groep", []string{"leermanager", "eigenaarschap", "groep"}},
		{"heden becomes heid, then the stem", "vaardigheden vaardigheid", []string{"vaardig", "vaardig"}},
		{"compound keeps its parts together", "groepsdynamiek", []string{"groepsdynamiek"}},
		{"punctuation separates words", "zo'n (psychologisch) contract—of niet?", []string{"psychologisch", "contract"}},
		{"single letters and digits dropped", "a b 1 22 x2", []string{"22", "x2"}},
		{"ligatures and sharp s", "Œuvre straße ĳs", []string{"oeuvr", "stras", "ijs"}},
		{"other scripts are kept unstemmed", "Ψυχολογία ПСИХОЛОГИЯ", []string{"ψυχολογία", "психология"}},
		{"astral characters separate", "leer𝔸groep", []string{"ler", "groep"}},
		{"empty", "  \n\t", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Normalize(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct{ word, want string }{
		{"leerbegeleiders", "leerbegeleider"},
		{"contracteren", "contracter"},
		{"Contracteren", "contracter"},
		{"eigenaarschap", "eigenaarschap"},
		{"interveniëren", "intervenier"},
		{"de", "de"},   // Stem keeps stop words
		{"één", "een"}, // folded
		{"zo'n", "zon"},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			if got := Stem(tt.word); got != tt.want {
				t.Errorf("Stem(%q) = %q, want %q", tt.word, got, tt.want)
			}
		})
	}
}

func TestFoldGroups(t *testing.T) {
	seen := make(map[rune]string)
	for _, group := range strings.Fields(foldGroups) {
		to, chars, ok := strings.Cut(group, ":")
		if !ok || to == "" || chars == "" {
			t.Fatalf("bad group %q", group)
		}
		for _, r := range chars {
			if r < 0x80 {
				t.Errorf("group %q: ASCII %q needs no folding", group, r)
			}
			if prev, dup := seen[r]; dup {
				t.Errorf("%q folds to both %q and %q", r, prev, to)
			}
			seen[r] = to
			if got, _ := foldRune(r); got != to {
				t.Errorf("foldRune(%q) = %q, want %q", r, got, to)
			}
		}
	}
}

// stemVector is one line of testdata/stems.tsv.
type stemVector struct{ Word, Stem string }

func readStemVectors(t testing.TB) []stemVector {
	t.Helper()
	data, err := os.ReadFile(stemsFile)
	if err != nil {
		t.Fatal(err)
	}
	var vs []stemVector
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, stem, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s:%d: want word<TAB>stem, got %q", stemsFile, n, line)
		}
		vs = append(vs, stemVector{word, stem})
	}
	return vs
}

// TestStemVectors checks the shared vectors that the browser test also
// runs through search.js. With -update it rewrites the stems from the Go
// stemmer, keeping the words.
func TestStemVectors(t *testing.T) {
	vs := readStemVectors(t)
	if *update {
		var b bytes.Buffer
		b.WriteString("# word<TAB>stem: Stem in generator/search and stem in search.js must agree.\n")
		b.WriteString("# Stems come from the Go Snowball stemmer: go test ./generator/search -run TestStemVectors -update\n")
		for _, v := range vs {
			fmt.Fprintf(&b, "%s\t%s\n", v.Word, Stem(v.Word))
		}
		if err := os.WriteFile(stemsFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		vs = readStemVectors(t)
	}
	if len(vs) < 200 {
		t.Errorf("%s has %d vectors, want at least 200", stemsFile, len(vs))
	}
	var words []string
	for _, v := range vs {
		words = append(words, v.Word)
		if got := Stem(v.Word); got != v.Stem {
			t.Errorf("Stem(%q) = %q, want %q (run with -update if the stemmer changed on purpose)", v.Word, got, v.Stem)
		}
	}
	for _, w := range []string{"leermanagers", "leerbegeleiders", "contracteren", "vaardigheden", "eigenaarschap", "groepsdynamiek", "interveniëren"} {
		if !slices.Contains(words, w) {
			t.Errorf("%s lacks %q", stemsFile, w)
		}
	}
}

// TestFoldingAgreesWithSnowball checks that folding before stemming gives
// what the Snowball stemmer's own prelude gives for the accents it knows.
func TestFoldingAgreesWithSnowball(t *testing.T) {
	for _, v := range readStemVectors(t) {
		w := strings.ToLower(v.Word)
		if strings.ContainsFunc(w, func(r rune) bool {
			return r >= 0x80 && !strings.ContainsRune("áäéëíïóöúü", r)
		}) || strings.ContainsFunc(w, func(r rune) bool { return !('a' <= r && r <= 'z') && r < 0x80 }) {
			continue
		}
		env := snowballstem.NewEnv(w)
		dutch.Stem(env)
		if got := env.Current(); got != v.Stem {
			t.Errorf("snowball(%q) = %q, but Stem gives %q", w, got, v.Stem)
		}
	}
}

// FuzzNormalize checks what every term must be, whatever an author writes:
// non-empty, one word that words leaves as it is, and not too long.
func FuzzNormalize(f *testing.F) {
	for _, v := range []string{"Leermanagers contracteren", "één", "zo'n", "e\u0308", "𝔸", "İstanbul", "ﬁ", "ǅ"} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, term := range Normalize(text) {
			if term == "" {
				t.Fatalf("Normalize(%q) gave an empty term", text)
			}
			var ws []string
			for w := range words(term) {
				ws = append(ws, w)
			}
			if len(ws) != 1 || ws[0] != term {
				t.Errorf("Normalize(%q) gave term %q, which splits into %q", text, term, ws)
			}
			if n := utf8.RuneCountInString(term); n > maxWordLen {
				t.Errorf("Normalize(%q) gave term %q of %d characters", text, term, n)
			}
		}
	})
}
