package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// kind tells what a page is, and so which front matter and title it gets.
type kind int

// Kinds of page.
const (
	kindRole kind = iota
	kindSkill
	kindType
	kindArticle
	kindReflection
	kindQuestion
	kindAnswer
)

// page is one regular page of the plan: everything other pages need to
// know about it. The rest of a page is made when it is rendered.
type page struct {
	kind     kind
	dir      string // folder under content/: "rollen", "artikelen/didactiek"
	slug     string
	title    string
	weight   int      // 0: the renderer picks one
	authors  []string // reflecties and dialoog
	answerTo int      // for an answer, the index of its question; else -1
}

// path returns the page's folder and slug: "rollen/coach-en-beoordelaar".
// Wikilinks of the section/slug form use it.
func (p *page) path() string { return p.dir + "/" + p.slug }

// url returns the page's pretty URL: "/rollen/coach-en-beoordelaar/".
func (p *page) url() string { return "/" + p.path() + "/" }

// folder is a section or subsection: a folder with an _index.md.
type folder struct {
	dir, title string
	weight     int
}

// plan is the outline of a corpus: every page's place and title, so that
// links can point to pages that do not exist yet.
type plan struct {
	seed    uint64
	v       *vocabulary
	pages   []page   // roles, skills and programme types first, then the bulk
	nEntity int      // pages[:nEntity] are roles, skills and programme types
	folders []folder // in the order they are written; "" is the home page
}

// minPages is the smallest corpus: the 34 fixed pages and a few of each
// bulk section.
const minPages = 40

// planStream is the random stream of the plan itself; page i uses stream i.
const planStream = math.MaxUint64

// newPlan lays out a corpus of n regular pages, with at most perDir pages
// in one folder.
func newPlan(n int, seed uint64, perDir int) (*plan, error) {
	if n < minPages {
		return nil, fmt.Errorf("-pages %d: want at least %d", n, minPages)
	}
	if perDir < 1 {
		return nil, fmt.Errorf("-perdir %d: want at least 1", perDir)
	}
	pl := &plan{seed: seed, v: newVocabulary()}
	p := prose{r: newRand(seed, planStream), v: pl.v}
	names := make(map[string]bool) // slugs and folded titles in use
	reserve := func(title, slug string) {
		names[slugify(title)] = true
		names[slug] = true
	}
	pl.folders = append(pl.folders, folder{dir: "", title: "Benchmark-kennisbank"})
	fixed := []struct {
		dir, title string
		kind       kind
		list       []entity
	}{
		{"rollen", "Rollen", kindRole, roles()},
		{"vaardigheden", "Vaardigheden", kindSkill, skills()},
		{"programmatypen", "Programmatypen", kindType, programmeTypes()},
	}
	for i, f := range fixed {
		pl.folders = append(pl.folders, folder{dir: f.dir, title: f.title, weight: i + 1})
		reserve(f.title, f.dir)
		for j, e := range f.list {
			pg := page{kind: f.kind, dir: f.dir, slug: e.slug, title: e.title, answerTo: -1}
			if f.kind == kindSkill {
				pg.weight = j + 1
			}
			reserve(e.title, e.slug)
			pl.pages = append(pl.pages, pg)
		}
	}
	pl.nEntity = len(pl.pages)

	bulk := n - pl.nEntity
	sections := bulkSections()
	left := bulk
	for i, s := range sections {
		count := bulk * s.share / 100
		if i == len(sections)-1 {
			count = left
		}
		left -= count
		pl.folders = append(pl.folders, folder{dir: s.dir, title: s.title, weight: len(fixed) + i + 1})
		reserve(s.title, s.dir)
		pl.addBulk(p, s, count, perDir, names)
	}
	return pl, nil
}

// addBulk adds count pages of section s, spread evenly over subfolders of
// at most perDir pages each.
func (pl *plan) addBulk(p prose, s bulkSection, count, perDir int, names map[string]bool) {
	nSub := (count + perDir - 1) / perDir
	for j := range nSub {
		size := count / nSub
		if j < count%nSub {
			size++
		}
		theme := s.themes[j%len(s.themes)]
		if j >= len(s.themes) {
			theme += "-" + strconv.Itoa(j/len(s.themes)+1)
		}
		title := unique(s.prefix+strings.ReplaceAll(theme, "-", " "), names)
		pl.folders = append(pl.folders, folder{dir: s.dir + "/" + theme, title: title, weight: j + 1})
		names[theme] = true
		dir := s.dir + "/" + theme
		question := -1
		for k := range size {
			pg := page{kind: s.kind, dir: dir, answerTo: -1}
			switch {
			case s.kind == kindQuestion && question >= 0 && k > 0 && p.chance(70):
				// An answer to the latest question of this folder.
				author := pick(p.r, p.v.authors)
				pg.kind = kindAnswer
				pg.answerTo = question
				pg.authors = []string{author}
				pg.title = "Antwoord van " + author + ": " + p.noun() + " " + p.phrase()
			case s.kind == kindQuestion:
				question = len(pl.pages)
				pg.authors = p.authors()
				pg.title = p.questionTitle()
			case s.kind == kindReflection:
				pg.authors = p.authors()
				pg.title = p.reflectionTitle()
			default:
				pg.title = p.articleTitle()
			}
			pg.title = unique(pg.title, names)
			pg.slug = slugify(pg.title)
			pl.pages = append(pl.pages, pg)
		}
	}
}

// unique returns title, or title with the first free number appended, so
// that no two pages or folders share a folded title or slug; it reserves
// the result.
func unique(title string, names map[string]bool) string {
	t := title
	for i := 2; names[slugify(t)]; i++ {
		t = title + " " + strconv.Itoa(i)
	}
	names[slugify(t)] = true
	return t
}

// authors returns one author, or now and then two.
func (p prose) authors() []string {
	a := []string{pick(p.r, p.v.authors)}
	if p.chance(15) {
		if b := pick(p.r, p.v.authors); b != a[0] {
			a = append(a, b)
		}
	}
	return a
}

// articleTitle returns a title for artikelen/.
func (p prose) articleTitle() string {
	var t string
	switch p.r.IntN(7) {
	case 0:
		t = p.noun() + " en " + p.noun()
	case 1:
		t = pick(p.r, p.v.adjectives) + " " + p.noun() + " " + p.phrase()
	case 2:
		t = "waarom " + p.subject() + " " + p.subject() + " " + p.verb()
	case 3:
		t = "over " + p.subject()
	case 4:
		t = "hoe je " + p.subject() + " " + p.verb()
	case 5:
		t = p.noun() + " als " + p.noun()
	default:
		t = p.subject() + " " + p.phrase()
	}
	return capitalize(t)
}

// reflectionTitle returns a title for reflecties/.
func (p prose) reflectionTitle() string {
	var t string
	switch p.r.IntN(5) {
	case 0:
		t = "mijn eerste " + p.noun() + " met " + p.subject()
	case 1:
		t = "wat ik leerde van " + p.subject()
	case 2:
		t = "de middag waarop " + p.subject() + " " + pick(p.r, p.v.intransitive)
	case 3:
		t = "terugkijken op " + p.subject()
	default:
		t = "een " + pick(p.r, p.v.adjectives) + " " + p.noun() + " als spiegel"
	}
	return capitalize(t)
}

// questionTitle returns a question for dialoog/.
func (p prose) questionTitle() string {
	var t string
	switch p.r.IntN(4) {
	case 0:
		t = "hoe " + pick(p.r, p.v.verbs) + " je " + p.subject() + " " + p.phrase() + "?"
	case 1:
		t = "wat doe je als " + p.subject() + " " + pick(p.r, p.v.intransitive) + "?"
	case 2:
		t = "wanneer " + pick(p.r, p.v.verbs) + " je " + p.subject() + "?"
	default:
		t = "hoe ga je om met " + p.subject() + "?"
	}
	return capitalize(t)
}

// slugify turns a title into a URL segment: lower case, diacritics
// dropped, every run of other characters one dash.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		r = stripAccent(r)
		if r == '\'' { // "collega's" → "collegas"
			continue
		}
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

// stripAccent maps the accented letters the vocabulary uses to plain ones.
func stripAccent(r rune) rune {
	switch r {
	case 'é', 'è', 'ë', 'ê':
		return 'e'
	case 'ï', 'í':
		return 'i'
	case 'ó', 'ö':
		return 'o'
	case 'á', 'à', 'ä':
		return 'a'
	case 'ü', 'ú':
		return 'u'
	}
	return r
}
