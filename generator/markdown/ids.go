package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"

	"kennisbank/generator/content"
)

// headingIDs gives headings readable IDs, unique within a page: the slug of
// the heading text, with -2, -3… on repeats.
type headingIDs struct {
	seen map[string]bool
	// next is the suffix to try next per base, so many equal headings
	// cost linear time, not quadratic.
	next map[string]int
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{seen: map[string]bool{}, next: map[string]int{}}
}

func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := content.Slugify(string(value))
	if base == "" {
		base = "kop"
	}
	id := base
	i := max(2, s.next[base])
	for s.seen[id] {
		id = base + "-" + strconv.Itoa(i)
		i++
	}
	s.next[base] = i
	s.seen[id] = true
	return []byte(id)
}

func (s *headingIDs) Put(value []byte) {
	s.seen[string(value)] = true
}
