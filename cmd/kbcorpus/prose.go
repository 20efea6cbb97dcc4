package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// prose writes Dutch-looking text: every choice comes from r, so the same
// seed gives the same words.
type prose struct {
	r *rand.Rand
	v *vocabulary
}

// newRand returns a PCG source for one stream of a seed; pages use their
// index as stream, so they can be generated in any order.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// chance reports true with probability percent/100.
func (p prose) chance(percent int) bool {
	return p.r.IntN(100) < percent
}

// between returns a number in [lo, hi].
func (p prose) between(lo, hi int) int {
	return lo + p.r.IntN(hi-lo+1)
}

// noun returns a bare singular noun ("leergroep").
func (p prose) noun() string {
	return pick(p.r, p.v.nouns).word
}

// subject returns a singular noun phrase ("de veilige leergroep").
func (p prose) subject() string {
	n := pick(p.r, p.v.nouns)
	if p.chance(25) {
		return n.article + " " + pick(p.r, p.v.adjectives) + " " + n.word
	}
	if p.chance(15) {
		return "een " + n.word
	}
	return n.article + " " + n.word
}

// object returns a noun phrase, sometimes plural or emphasised.
func (p prose) object() string {
	var np string
	if p.chance(25) {
		np = "de " + pick(p.r, p.v.plurals)
		if p.chance(30) {
			np = "de " + pick(p.r, p.v.adjectives) + " " + pick(p.r, p.v.plurals)
		}
	} else {
		np = p.subject()
	}
	switch n := p.r.IntN(100); {
	case n < 4:
		return "**" + np + "**"
	case n < 8:
		return "*" + np + "*"
	case n < 9:
		return "~~" + np + "~~"
	}
	return np
}

// phrase returns a prepositional phrase ("tijdens de intake").
func (p prose) phrase() string {
	return pick(p.r, p.v.prepositions) + " " + p.subject()
}

// verb returns a transitive verb in the singular present tense.
func (p prose) verb() string {
	return verbForm(pick(p.r, p.v.verbs))
}

// clause returns a subordinate clause, verb last
// ("omdat de coach het contract bespreekt").
func (p prose) clause() string {
	return pick(p.r, p.v.conjunctions) + " " + p.subject() + " " + p.object() + " " + p.verb()
}

// sentence returns one sentence of 5 to 20 words.
func (p prose) sentence() string {
	var s string
	switch p.r.IntN(10) {
	case 0, 1:
		s = p.subject() + " " + p.verb() + " " + p.object() + " " + p.phrase() + "."
	case 2:
		s = pick(p.r, p.v.openers) + " " + p.verb() + " " + p.subject() + " " + p.object() + "."
	case 3:
		s = p.subject() + " " + p.verb() + " " + p.object() + ", " + p.clause() + "."
	case 4:
		s = p.subject() + " " + pick(p.r, p.v.intransitive) + " " + pick(p.r, p.v.adverbs) + " " + p.phrase() + "."
	case 5:
		s = p.clause() + ", " + p.verb() + " " + p.subject() + " " + p.object() + "."
	case 6:
		s = "het gaat om " + p.object() + " en " + p.object() + "."
	case 7:
		s = "wie " + p.object() + " " + p.verb() + ", " + p.verb() + " ook " + p.object() + "."
	case 8:
		s = p.subject() + " " + p.verb() + " " + pick(p.r, p.v.adverbs) + " " + p.object() + "."
	default:
		s = "een deelnemer zei het zo: \"" + p.subject() + " " + p.verb() + " " + p.object() + ".\""
	}
	return capitalize(s)
}

// shortSentence returns a sentence of at most about ten words, for
// summaries and footnotes.
func (p prose) shortSentence() string {
	return capitalize(p.subject() + " " + p.verb() + " " + p.subject() + " " + p.phrase() + ".")
}

// sentences returns n sentences.
func (p prose) sentences(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = p.sentence()
	}
	return out
}

// heading returns the text of a heading, without the leading #s.
func (p prose) heading() string {
	var h string
	switch p.r.IntN(7) {
	case 0:
		h = p.subject() + " " + p.phrase()
	case 1:
		h = "over " + p.subject()
	case 2:
		h = "waarom " + p.subject() + " " + pick(p.r, p.v.intransitive)
	case 3:
		h = p.noun() + " en " + p.noun()
	case 4:
		h = "wat " + p.subject() + " nodig heeft"
	case 5:
		h = pick(p.r, p.v.adjectives) + " " + p.noun()
	default:
		h = "stap " + strconv.Itoa(p.between(1, 9)) + ": " + pick(p.r, p.v.verbs) + " " + p.subject()
	}
	return capitalize(h)
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == '*' || r == '~' { // emphasis: capitalize the word inside
		i := strings.IndexFunc(s, func(r rune) bool { return r != '*' && r != '~' })
		if i < 0 {
			return s
		}
		return s[:i] + capitalize(s[i:])
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// countWords counts the whitespace-separated tokens of s that contain a
// letter, so Markdown markers such as "##", "-", "|" and "1." do not count.
func countWords(s string) int {
	n := 0
	letter := false // the current token has a letter
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if letter {
				n++
			}
			letter = false
		case !letter && unicode.IsLetter(r):
			letter = true
		}
	}
	if letter {
		n++
	}
	return n
}
