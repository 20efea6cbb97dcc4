package main

import (
	"fmt"
	"strconv"
	"strings"
)

// form is the dialect a corpus is written in.
type form int

// Forms of corpus.
const (
	formKennisbank form = iota // wikilinks, site.toml
	formHugo                   // Markdown links, hugo.toml and layouts
)

// linkStyle is one of the three ways a wikilink names its target.
type linkStyle int

// Link styles.
const (
	linkTitle  linkStyle = iota // [[Title]]
	linkPath                    // [[section/slug]]
	linkCustom                  // [[Title|text]]
)

// blockKind tells how a block of a page body is written.
type blockKind int

// Kinds of block.
const (
	blockText blockKind = iota // written as is
	blockParagraph
)

// block is part of a page body. Paragraphs keep their sentences apart so
// that links and footnote references can be put between them.
type block struct {
	kind      blockKind
	text      string
	sentences []string
}

// String returns the Markdown of the block.
func (b block) String() string {
	if b.kind == blockParagraph {
		return strings.Join(b.sentences, " ")
	}
	return b.text
}

// words counts the words of the block as countWords does.
func (b block) words() int {
	if b.kind != blockParagraph {
		return countWords(b.text)
	}
	n := 0
	for _, s := range b.sentences {
		n += countWords(s)
	}
	return n
}

// Word budget of a page body, in words as countWords counts them. The
// body grows until it reaches target; the last section can add at most
// about 190 words (heading, two paragraphs of six sentences of at most 15
// words), and then links and footnotes at most about 225 (8 link sentences
// of at most 23 words, 3 footnotes of 11). So pages stay between 300 and
// 1,500 words; the tests check it.
const (
	minTarget = 300
	maxTarget = 1050
)

// renderer writes one page; it is used by one goroutine only.
type renderer struct {
	prose
	pl   *plan
	form form
}

// newRenderer returns a renderer on random stream stream of the plan's seed.
func (pl *plan) newRenderer(f form, stream uint64) *renderer {
	return &renderer{prose: prose{r: newRand(pl.seed, stream), v: pl.v}, pl: pl, form: f}
}

// renderPage returns the Markdown file of page i.
func (pl *plan) renderPage(i int, f form) []byte {
	r := pl.newRenderer(f, uint64(i))
	pg := &pl.pages[i]
	var b strings.Builder
	b.Grow(8 << 10)
	r.frontMatter(&b, pg)
	r.body(&b, i)
	return []byte(b.String())
}

// frontMatter writes the +++ block of a page. Plain keys come before any
// table, as TOML requires.
func (r *renderer) frontMatter(b *strings.Builder, pg *page) {
	b.WriteString("+++\n")
	writeKey(b, "title", tomlString(pg.title))
	writeKey(b, "summary", tomlString(r.shortSentence()))
	if pg.kind >= kindArticle {
		date := fmt.Sprintf("%04d-%02d-%02d", r.between(2018, 2025), r.between(1, 12), r.between(1, 28))
		writeKey(b, "date", date)
	}
	weight := pg.weight
	if weight == 0 {
		weight = r.between(1, 100)
	}
	writeKey(b, "weight", strconv.Itoa(weight))
	writeKey(b, "tags", tomlArray(r.tags()))
	writeKey(b, "over", tomlArray(r.over(pg)))
	if len(pg.authors) > 0 {
		writeKey(b, "auteurs", tomlArray(pg.authors))
	}
	if pg.answerTo >= 0 {
		writeKey(b, "antwoord_op", tomlString(r.pl.pages[pg.answerTo].slug))
	}
	if pg.kind == kindRole || pg.kind == kindType {
		b.WriteString("\n[vaardigheden]\n")
		r.skillLevels(b)
	}
	if pg.kind == kindType {
		b.WriteString("\n[criteria]\n")
		for _, k := range criteriaKeys() {
			writeKey(b, k, tomlString(capitalize(pick(r.r, r.v.adjectives)+" "+r.noun()+" "+r.phrase())))
		}
	}
	b.WriteString("+++\n\n")
}

// skillLevels writes 5 to 10 skills with a level, in skill order; the
// first is always "kern".
func (r *renderer) skillLevels(b *strings.Builder) {
	list := skills()
	chosen := r.r.Perm(len(list))[:r.between(5, 10)]
	in := make([]bool, len(list))
	for _, c := range chosen {
		in[c] = true
	}
	first := true
	for i, s := range list {
		if !in[i] {
			continue
		}
		level := pick(r.r, levels())
		if first {
			level = "kern"
			first = false
		}
		writeKey(b, s.slug, tomlString(level))
	}
}

// tags returns 1 to 4 distinct tags, in vocabulary order.
func (r *renderer) tags() []string {
	n := r.between(1, 4)
	var out []string
	for i, t := range r.v.tags {
		// Choose n of the remaining len-i tags: each is taken with
		// probability left/remaining, which keeps the order.
		if r.r.IntN(len(r.v.tags)-i) < n-len(out) {
			out = append(out, t)
		}
	}
	return out
}

// over returns 1 to 3 roles, skills or programme types the page is about,
// each by title or by slug, never the page itself.
func (r *renderer) over(pg *page) []string {
	n := r.between(1, 3)
	var out []string
	seen := make([]bool, r.pl.nEntity)
	for len(out) < n {
		i := r.r.IntN(r.pl.nEntity)
		e := &r.pl.pages[i]
		if seen[i] || e == pg {
			continue
		}
		seen[i] = true
		if r.chance(50) {
			out = append(out, e.title)
		} else {
			out = append(out, e.slug)
		}
	}
	return out
}

// body writes the Markdown body of page self.
func (r *renderer) body(b *strings.Builder, self int) {
	target := r.between(minTarget, maxTarget)
	var blocks []block
	words := 0
	add := func(bl block) {
		blocks = append(blocks, bl)
		words += bl.words()
	}
	add(r.paragraph())
	if r.chance(50) {
		add(r.paragraph())
	}
	// Elements that give the page its shape, the common ones first so
	// that short pages get them too.
	extras := []func() string{r.bulletList, r.numberedList}
	if r.chance(70) {
		extras = append(extras, r.table)
	}
	r.r.Shuffle(len(extras), func(i, j int) { extras[i], extras[j] = extras[j], extras[i] })
	if r.chance(25) {
		extras = append(extras, r.codeBlock)
	}
	if r.chance(30) {
		extras = append(extras, r.quote)
	}
	if r.chance(15) {
		extras = append(extras, r.definitionList)
	}
	level := "## "
	for words < target {
		add(block{text: level + r.heading()})
		add(r.paragraph())
		if len(extras) > 0 {
			add(block{text: extras[0]()})
			extras = extras[1:]
		} else if r.chance(60) && words < target {
			add(r.paragraph())
		}
		level = "## "
		if r.chance(20) {
			level = "### "
		}
	}
	paragraphs := make([]int, 0, len(blocks))
	for i, bl := range blocks {
		if bl.kind == blockParagraph {
			paragraphs = append(paragraphs, i)
		}
	}
	for _, t := range r.linkTargets(self) {
		bl := &blocks[pick(r.r, paragraphs)]
		at := r.r.IntN(len(bl.sentences) + 1)
		bl.sentences = insert(bl.sentences, at, r.linkSentence(t))
	}
	var notes []string
	if r.chance(60) {
		for n := range r.between(1, 3) {
			bl := &blocks[pick(r.r, paragraphs)]
			s := r.r.IntN(len(bl.sentences))
			label := "[^" + strconv.Itoa(n+1) + "]"
			bl.sentences[s] += label
			notes = append(notes, label+": "+r.shortSentence())
		}
	}
	if r.chance(5) {
		bl := &blocks[pick(r.r, paragraphs)]
		bl.sentences = append(bl.sentences, "Meer achtergrond staat op https://www.example.org/"+r.noun()+".")
	}
	for i, bl := range blocks {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(bl.String())
		b.WriteString("\n")
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		b.WriteString(strings.Join(notes, "\n\n"))
		b.WriteString("\n")
	}
}

// insert returns list with s inserted at index at.
func insert(list []string, at int, s string) []string {
	list = append(list, "")
	copy(list[at+1:], list[at:])
	list[at] = s
	return list
}

// paragraph returns a paragraph of 3 to 6 sentences.
func (r *renderer) paragraph() block {
	return block{kind: blockParagraph, sentences: r.sentences(r.between(3, 6))}
}

// bulletList returns a list of 3 to 6 items; now and then a task list.
func (r *renderer) bulletList() string {
	var b strings.Builder
	task := r.chance(15)
	for i := range r.between(3, 6) {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("- ")
		if task {
			b.WriteString(pick(r.r, []string{"[ ] ", "[x] "}))
		}
		if r.chance(40) {
			b.WriteString("**" + capitalize(r.noun()) + "**: " + r.subject() + " " + r.verb() + " " + r.object())
		} else {
			b.WriteString(capitalize(r.object() + " " + r.phrase()))
		}
	}
	return b.String()
}

// numberedList returns 3 to 6 steps in the imperative.
func (r *renderer) numberedList() string {
	var b strings.Builder
	for i := range r.between(3, 6) {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%d. %s %s %s.", i+1, capitalize(pick(r.r, r.v.verbs)), r.object(), r.phrase())
	}
	return b.String()
}

// table returns a GFM table of 3 columns and 3 to 5 rows.
func (r *renderer) table() string {
	headers := [][]string{
		{"Fase", "Wat de deelnemer doet", "Wat de begeleider doet"},
		{"Moment", "Interventie", "Effect"},
		{"Criterium", "Open programma", "Maatwerk"},
		{"Rol", "Vaardigheid", "Niveau"},
	}
	h := r.r.IntN(len(headers))
	var b strings.Builder
	b.WriteString("| " + strings.Join(headers[h], " | ") + " |\n|")
	for range 3 {
		b.WriteString(pick(r.r, []string{" --- |", " :--- |", " :---: |", " ---: |"}))
	}
	for range r.between(3, 5) {
		var cells []string
		if h == 3 { // roles, skills and levels
			cells = []string{
				r.pl.pages[r.r.IntN(len(roles()))].title,
				pick(r.r, skills()).title,
				pick(r.r, levels()),
			}
		} else {
			cells = []string{capitalize(r.noun()), capitalize(r.verb() + " " + r.object()), capitalize(pick(r.r, r.v.adjectives) + " " + r.noun())}
		}
		b.WriteString("\n| " + strings.Join(cells, " | ") + " |")
	}
	return b.String()
}

// codeBlock returns a fenced code block: TOML front matter, Go or an
// agenda. It never contains "[[", so the Hugo form keeps none.
func (r *renderer) codeBlock() string {
	switch r.r.IntN(3) {
	case 0:
		s := pick(r.r, skills())
		return "```toml\n" +
			"title = " + tomlString(capitalize(r.subject())) + "\n" +
			"tags = " + tomlArray(r.tags()) + "\n\n" +
			"[vaardigheden]\n" +
			s.slug + " = " + tomlString(pick(r.r, levels())) + "\n```"
	case 1:
		n := capitalize(r.noun())
		return "```go\n" +
			"// tel" + n + " telt de " + pick(r.r, r.v.plurals) + " die meedoen.\n" +
			"func tel" + n + "(namen []string) int {\n" +
			"\tn := 0\n" +
			"\tfor _, naam := range namen {\n" +
			"\t\tif naam != \"\" {\n" +
			"\t\t\tn++\n" +
			"\t\t}\n" +
			"\t}\n" +
			"\treturn n\n" +
			"}\n```"
	default:
		var b strings.Builder
		b.WriteString("```text\n")
		for h := 9; h < 17; h += r.between(1, 2) {
			fmt.Fprintf(&b, "%02d:%02d  %s\n", h, pick(r.r, []int{0, 15, 30, 45}), capitalize(r.noun()+" "+r.phrase()))
		}
		b.WriteString("```")
		return b.String()
	}
}

// quote returns a block quote of two sentences.
func (r *renderer) quote() string {
	return "> " + r.sentence() + " " + r.sentence()
}

// definitionList returns two or three terms with a definition.
func (r *renderer) definitionList() string {
	var defs []string
	for range r.between(2, 3) {
		defs = append(defs, capitalize(r.noun())+"\n: "+r.shortSentence())
	}
	return strings.Join(defs, "\n\n")
}

// linkTargets returns 3 to 8 distinct pages to link to, other than self:
// a third roles, skills or programme types, the rest anywhere.
func (r *renderer) linkTargets(self int) []int {
	n := r.between(3, 8)
	var out []int
	for len(out) < n {
		var t int
		if r.chance(35) {
			t = r.r.IntN(r.pl.nEntity)
		} else {
			t = r.r.IntN(len(r.pl.pages))
		}
		if t == self || contains(out, t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// contains reports whether list holds v.
func contains(list []int, v int) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// linkSentence returns a sentence with a link to page t in it.
func (r *renderer) linkSentence(t int) string {
	l := r.link(t)
	switch r.r.IntN(5) {
	case 0:
		return "Meer daarover staat in " + l + "."
	case 1:
		return "Zie ook " + l + "."
	case 2:
		return "Dat hangt samen met " + l + ", " + r.clause() + "."
	case 3:
		return capitalize(r.subject() + " " + r.verb() + " " + r.object() + " zoals in " + l + ".")
	default:
		return "Lees " + l + " " + r.phrase() + "."
	}
}

// link returns a link to page t in one of the three wikilink styles, in
// the renderer's form. The same random choices are made in both forms.
func (r *renderer) link(t int) string {
	pg := &r.pl.pages[t]
	style := linkStyle(r.r.IntN(3))
	text := pg.title
	switch style {
	case linkPath:
		if r.form == formKennisbank {
			return "[[" + pg.path() + "]]"
		}
	case linkCustom:
		text = r.noun() + " " + r.phrase()
		if r.chance(30) {
			text = strings.ToLower(pg.title)
		}
		if r.form == formKennisbank {
			return "[[" + pg.title + "|" + text + "]]"
		}
	default:
		if r.form == formKennisbank {
			return "[[" + pg.title + "]]"
		}
	}
	return "[" + text + "](" + pg.url() + ")"
}

// renderFolder returns the _index.md of folder j: a title, a summary and
// an introduction of 80 to 200 words.
func (pl *plan) renderFolder(j int, f form) []byte {
	r := pl.newRenderer(f, uint64(len(pl.pages)+j))
	fo := pl.folders[j]
	var b strings.Builder
	b.WriteString("+++\n")
	writeKey(&b, "title", tomlString(fo.title))
	writeKey(&b, "summary", tomlString(r.shortSentence()))
	if fo.weight > 0 {
		writeKey(&b, "weight", strconv.Itoa(fo.weight))
	}
	b.WriteString("+++\n\n")
	intro := r.paragraph().String()
	for countWords(intro) < 80 {
		intro += "\n\n" + r.paragraph().String()
	}
	b.WriteString(intro)
	b.WriteString("\n")
	return []byte(b.String())
}

// writeKey writes one "key = value" line.
func writeKey(b *strings.Builder, key, value string) {
	b.WriteString(key)
	b.WriteString(" = ")
	b.WriteString(value)
	b.WriteString("\n")
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, "\\u%04X", c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tomlArray writes list as a TOML array of strings.
func tomlArray(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
