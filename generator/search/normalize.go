package search

import (
	"iter"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/dutch"
)

// The rules in this file are mirrored by hand in
// themes/default/static/js/search.js (functions words, term and stem). The
// browser test checks both sides against testdata/stems.tsv and against
// Normalize on testdata/normalize.txt; change them together.

// Limits on the length of a word, in characters, before it becomes a term.
const (
	minWordLen = 2
	maxWordLen = 48
)

// foldGroups lists, per replacement, the characters folded to it. Every
// replacement is lower-case ASCII. The same string appears in search.js.
const foldGroups = "a:ÀÁÂÃÄÅàáâãäåĀāĂăĄą ae:Ææ c:ÇçĆćĈĉĊċČč d:ÐðĎďĐđ " +
	"e:ÈÉÊËèéêëĒēĔĕĖėĘęĚě g:ĜĝĞğĠġĢģ h:ĤĥĦħ i:ÌÍÎÏìíîïĨĩĪīĬĭĮįİı ij:Ĳĳ " +
	"j:Ĵĵ k:Ķķĸ l:ĹĺĻļĽľĿŀŁł n:ÑñŃńŅņŇňŉŊŋ o:ÒÓÔÕÖØòóôõöøŌōŎŏŐő oe:Œœ " +
	"r:ŔŕŖŗŘř s:ŚśŜŝŞşŠšſ ss:ßẞ t:ŢţŤťŦŧ th:Þþ u:ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų " +
	"w:Ŵŵ y:ÝýÿŶŷŸ z:ŹźŻżŽž"

// foldRune returns the ASCII replacement of a Latin letter with a
// diacritic, ligature or special form, if foldGroups has one.
func foldRune(r rune) (string, bool) {
	i := strings.IndexRune(foldGroups, r)
	if i < 0 {
		return "", false
	}
	start := strings.LastIndexByte(foldGroups[:i], ' ') + 1
	colon := strings.IndexByte(foldGroups[start:], ':')
	return foldGroups[start : start+colon], true
}

// words yields the words of text, folded and lower-cased. A word is a run of
// letters and digits; combining marks are dropped without ending the word,
// so decomposed "e\u0308" folds like "ë". Characters outside the Basic
// Multilingual Plane end a word, which keeps the sort order of terms the
// same in Go (bytes) and JavaScript (UTF-16 code units).
func words(text string) iter.Seq[string] {
	return func(yield func(string) bool) {
		more := true
		eachWord(text, nil, func(w []byte) bool {
			more = yield(string(w))
			return more
		})
	}
}

// eachWord calls fn with each word of text as words defines them, built in
// buf (which it returns for reuse); fn must not keep the slice. It stops
// when fn returns false.
func eachWord(text string, buf []byte, fn func(w []byte) bool) []byte {
	b := buf[:0]
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'A' <= c && c <= 'Z':
				b = append(b, c-'A'+'a')
				continue
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				b = append(b, c)
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if r <= 0xFFFF {
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
		}
		if len(b) > 0 {
			if !fn(b) {
				return b
			}
			b = b[:0]
		}
	}
	if len(b) > 0 {
		fn(b)
	}
	return b
}

// term turns a folded word into an index term: ok is false for stop words
// and for words that are too short or too long to be worth indexing.
func term(word string) (t string, ok bool) {
	n := utf8.RuneCountInString(word)
	if n < minWordLen || n > maxWordLen || isStopWord(word) {
		return "", false
	}
	return stemFolded(word), true
}

// stemFolded stems a folded word with the Dutch Snowball stemmer. Words
// with characters outside ASCII (Greek, Cyrillic, ...) are not Dutch and
// are kept as they are.
func stemFolded(word string) string {
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			return word
		}
	}
	env := snowballstem.NewEnv(word)
	dutch.Stem(env)
	return env.Current()
}

// Normalize returns the index terms of text: words lower-cased with
// diacritics folded (één → een), Dutch stop words and words shorter than
// two characters dropped, the rest stemmed with the Dutch Snowball stemmer
// ("leerbegeleiders" → "leerbegeleider").
func Normalize(text string) []string {
	return (&stemmer{}).normalize(text)
}

// stemmer is Normalize with a memory: a site repeats its words, and
// stemming is the costly part of indexing. One stemmer per goroutine.
type stemmer struct {
	cache map[string]string
	buf   []byte
}

func (s *stemmer) normalize(text string) []string {
	var terms []string
	s.buf = eachWord(text, s.buf, func(w []byte) bool {
		if t, ok := s.term(w); ok {
			terms = append(terms, t)
		}
		return true
	})
	return terms
}

// term returns the term of a folded word; looking up a known word does
// not allocate.
func (s *stemmer) term(word []byte) (string, bool) {
	if t, ok := s.cache[string(word)]; ok {
		return t, t != ""
	}
	w := string(word)
	t, ok := term(w)
	if s.cache == nil {
		s.cache = map[string]string{}
	}
	if len(s.cache) < 1<<20 {
		s.cache[w] = t
	}
	return t, ok
}

// Stem returns the stem of one word, folded and lower-cased as Normalize
// does; unlike Normalize it keeps stop words and short words. Characters
// that would separate words are dropped, so "zo'n" stems as "zon".
func Stem(word string) string {
	var b strings.Builder
	for w := range words(word) {
		b.WriteString(w)
	}
	return stemFolded(b.String())
}

// isStopWord reports whether a folded word is a Dutch stop word. The list
// is Snowball's Dutch stop word list, folded; search.js holds the same.
func isStopWord(w string) bool {
	switch w {
	case "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij",
		"daar", "dan", "dat", "de", "der", "deze", "die", "dit", "doch",
		"doen", "door", "dus", "een", "eens", "en", "er", "ge", "geen",
		"geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het",
		"hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is",
		"ja", "je", "kan", "kon", "kunnen", "maar", "me", "meer", "men",
		"met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog",
		"nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over",
		"reeds", "te", "tegen", "toch", "toen", "tot", "uit", "uw", "van",
		"veel", "voor", "want", "waren", "was", "wat", "werd", "wezen",
		"wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij",
		"zijn", "zo", "zonder", "zou":
		return true
	}
	return false
}
