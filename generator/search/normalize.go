package search

import (
	"iter"
	"math/bits"
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
		sp := splitter{text: text}
		for sp.next() {
			if !yield(sp.word()) {
				return
			}
		}
	}
}

// splitter finds the words of a text, as words defines them, one after
// the other without allocating.
type splitter struct {
	text string
	i    int // where the next word is looked for
	// The word found: part of text when text holds it as it is, which
	// most words of Dutch text are (lower-case ASCII and digits); else
	// built in buf, which the next word reuses.
	part  string
	buf   []byte
	built bool
	// short is the word found packed into two numbers (see pack) if it
	// has at most sixteen bytes; else zero.
	short [2]uint64
}

// next finds the next word and reports whether there is one.
//
// Its fast path reads lower-case ASCII eight bytes at a time and leaves
// the word in text; anything else, an upper-case letter or a byte of a
// multi-byte character, hands the rest of the word to nextWordSlow.
func (s *splitter) next() bool {
	text, i := s.text, s.i
	for i < len(text) {
		c := text[i]
		if c >= utf8.RuneSelf || isWordByte(c) {
			break
		}
		i++
	}
	start := i
	n, c0, c1 := lowerRun(text[i:])
	i += n
	if i == len(text) || text[i] < utf8.RuneSelf && !isWordByte(text[i]) {
		s.part, s.built, s.i = text[start:i], false, i
		// Most words fit in the eight-byte chunks lowerRun read.
		switch {
		case n > 16:
			s.short = [2]uint64{}
		case n <= 8 && c0 != 0:
			s.short = [2]uint64{c0 & (^uint64(0) >> (64 - 8*n)), 0}
		case n > 8 && c1 != 0:
			s.short = [2]uint64{c0, c1 & (^uint64(0) >> (128 - 8*n))}
		default:
			s.short = pack(s.part)
		}
		return n > 0
	}
	s.buf, s.i = nextWordSlow(text, i, append(s.buf[:0], text[start:i]...))
	s.built = true
	s.short = pack(s.buf)
	return len(s.buf) > 0
}

// pack returns w packed into two numbers, eight bytes each, first byte
// lowest, if it has at most sixteen bytes; else zero. Words have no zero
// bytes, so the numbers tell the word.
func pack[S string | []byte](w S) [2]uint64 {
	var x [2]uint64
	if len(w) > 16 {
		return x
	}
	for i := len(w) - 1; i >= 0; i-- {
		x[i/8] = x[i/8]<<8 | uint64(w[i])
	}
	return x
}

// word returns the word found as a string of its own.
func (s *splitter) word() string {
	if s.built {
		return string(s.buf)
	}
	// A copy: the part would keep the whole text from being freed.
	return strings.Clone(s.part)
}

// lookup looks the word found up in m, without allocating.
func lookup[V any](m map[string]V, s *splitter) (V, bool) {
	if s.built {
		v, ok := m[string(s.buf)]
		return v, ok
	}
	v, ok := m[s.part]
	return v, ok
}

// isWordByte reports whether an ASCII byte belongs in a word.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
}

// lowerRun returns the length of the run of lower-case ASCII letters and
// digits that s starts with, and the first and second eight bytes of s
// packed as pack does, each 0 if s is too short to hold it or the run
// ended before. It looks at eight bytes at a time, so that the end of a
// word costs one mispredicted branch rather than one at every letter.
func lowerRun(s string) (n int, c0, c1 uint64) {
	for ; n+8 <= len(s); n += 8 {
		x := uint64(s[n]) | uint64(s[n+1])<<8 | uint64(s[n+2])<<16 | uint64(s[n+3])<<24 |
			uint64(s[n+4])<<32 | uint64(s[n+5])<<40 | uint64(s[n+6])<<48 | uint64(s[n+7])<<56
		switch n {
		case 0:
			c0 = x
		case 8:
			c1 = x
		}
		if stop := stopBytes(x); stop != 0 {
			return n + bits.TrailingZeros64(stop)/8, c0, c1
		}
	}
	for n < len(s) && ('a' <= s[n] && s[n] <= 'z' || '0' <= s[n] && s[n] <= '9') {
		n++
	}
	return n, c0, c1
}

// stopBytes returns x with the top bit set in each byte that is no
// lower-case ASCII letter or digit, and every other bit clear. Adding to
// the low seven bits of a byte a constant of at most 0x80 sets its top
// bit exactly when the byte is at least 0x80 less the constant, and never
// carries into the next byte.
func stopBytes(x uint64) uint64 {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	low := x &^ tops
	lower := (low + (0x80-'a')*ones) &^ (low + (0x80-'z'-1)*ones)
	digit := (low + (0x80-'0')*ones) &^ (low + (0x80-'9'-1)*ones)
	return (^(lower | digit) | x) & tops
}

// nextWordSlow goes on with the word b, which text[i:] continues, one
// character at a time. A run of combining marks on its own is no word:
// it goes on to the next.
func nextWordSlow(text string, i int, b []byte) ([]byte, int) {
	for i < len(text) {
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
			return b, i
		}
	}
	return b, i
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
	sp := splitter{text: text, buf: s.buf}
	for sp.next() {
		if t, ok := s.term(&sp); ok {
			terms = append(terms, t)
		}
	}
	s.buf = sp.buf
	return terms
}

// term returns the term of a folded word; looking up a known word does
// not allocate.
func (s *stemmer) term(sp *splitter) (string, bool) {
	if t, ok := lookup(s.cache, sp); ok {
		return t, t != ""
	}
	w := sp.word()
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
