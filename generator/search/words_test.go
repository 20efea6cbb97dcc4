package search

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// referenceWords is words one character at a time, as it was before
// splitter had its fast path for lower-case ASCII: the fast path must
// give the same words.
func referenceWords(text string) []string {
	var out []string
	var b []byte
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9'):
			b = append(b, byte(r))
			continue
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
			continue
		case r >= utf8.RuneSelf && r <= 0xFFFF:
			if s, ok := foldRune(r); ok {
				b = append(b, s...)
				continue
			}
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			if unicode.IsLetter(r) || unicode.IsNumber(r) {
				b = utf8.AppendRune(b, unicode.ToLower(r))
				continue
			}
		}
		if len(b) > 0 {
			out = append(out, string(b))
			b = b[:0]
		}
	}
	if len(b) > 0 {
		out = append(out, string(b))
	}
	return out
}

// wordTexts are texts whose words are worth comparing: Dutch with
// diacritics, digits, apostrophes and hyphens, decomposed accents, other
// scripts, characters outside the Basic Multilingual Plane, invalid UTF-8.
var wordTexts = []string{
	"",
	" ",
	"leermanagers contracteren psychologisch",
	"Leermanagers Contracteren, PSYCHOLOGISCH!",
	"Één leerbegeleider, twee leerbegeleiders; vaardigheden & kernvaardigheden.",
	"Interveniëren in groepsdynamiek — of juist níet?",
	"zo'n opa's auto's cd'tje A4'tje",
	"e\u0308en cre\u0301atie \u0308los \u0308 x\u0308",
	"co-creatie 2024-01-05 3,5 10.000 ½ ²",
	"ĲSSELMEER ĳs Œuvre straße Þing ﬁnale ǅungla",
	"Ελληνικά Кириллица 日本語テキスト עברית العربية",
	"𝔸𝔹 a𝔸b 😀leren😀 x\U0001F600y",
	"İstanbul ıi",
	"\xff\xfeabc\xc3 def\xe2\x82",
	"tab\tnewline\nnbsp\u00a0thin\u2009zero\u200bwidth",
	"ABC", "abc", "Abc", "aBc", "abC", "a", "A", "é", "\u0301",
	"word.", ".word", "word\u0301", "wo\u0301rd", "wordÉ", "wordé!",
}

func TestWordsSameAsReference(t *testing.T) {
	texts := slices.Clone(wordTexts)
	// Random mixtures of the pieces of those texts.
	var pieces []string
	for _, s := range wordTexts {
		for _, r := range s {
			pieces = append(pieces, string(r))
		}
		pieces = append(pieces, strings.Fields(s)...)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		checkWords(t, text)
	}
}

func FuzzWords(f *testing.F) {
	for _, s := range wordTexts {
		f.Add(s)
	}
	f.Fuzz(checkWords)
}

// checkWords compares words and the stemmer's terms with the reference
// on text.
func checkWords(t *testing.T, text string) {
	want := referenceWords(text)
	var got []string
	for w := range words(text) {
		got = append(got, w)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("words(%q) differs from the reference (-want +got):\n%s", text, diff)
	}
	var wantTerms []string
	for _, w := range want {
		if t, ok := term(w); ok {
			wantTerms = append(wantTerms, t)
		}
	}
	if diff := cmp.Diff(wantTerms, Normalize(text)); diff != "" {
		t.Errorf("Normalize(%q) differs from the reference (-want +got):\n%s", text, diff)
	}
}

// TestLowerRun checks the eight-bytes-at-a-time scan against a byte at a
// time, for every byte value at every place in a run.
func TestLowerRun(t *testing.T) {
	for c := range 256 {
		for at := range 20 {
			s := []byte("abcdefghijklmnopqrstuvwxyz0123456789"[:20])
			s[at] = byte(c)
			want := len(s)
			for i, b := range s {
				if !('a' <= b && b <= 'z' || '0' <= b && b <= '9') {
					want = i
					break
				}
			}
			got, c0, c1 := lowerRun(string(s))
			wantC0, wantC1 := pack(s[:8])[0], uint64(0)
			if want >= 8 {
				wantC1 = pack(s[8:16])[0]
			}
			if got != want || c0 != wantC0 || c1 != wantC1 {
				t.Errorf("lowerRun(%q) = %d, %x, %x, want %d, %x, %x", s, got, c0, c1, want, wantC0, wantC1)
			}
		}
	}
}

// TestTokenizerSameAsNormalize checks that the tokenizer, with its cache
// of short words, counts the terms Normalize gives, text after text
// through one tokenizer, as a worker of Memo.tokenise does.
func TestTokenizerSameAsNormalize(t *testing.T) {
	texts := slices.Clone(wordTexts)
	r := rand.New(rand.NewPCG(7, 8))
	pieces := strings.Fields(strings.Join(wordTexts, " "))
	for _, d := range syntheticDocsVocab(t, 50, 3000) {
		pieces = append(pieces, strings.Fields(d.Body)...)
	}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
			b.WriteString(" .,-'"[r.IntN(5):][:1])
		}
		texts = append(texts, b.String())
	}
	tk := newTokenizer()
	for _, text := range texts {
		want := map[string]uint64{}
		for _, term := range Normalize(text) {
			want[term]++
		}
		got := map[string]uint64{}
		for _, e := range tk.doc(Doc{Body: text}).terms {
			got[tk.terms[e>>32]] += e & (1<<32 - 1)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("terms of %q (-Normalize +tokenizer):\n%s", text, diff)
		}
	}
}
