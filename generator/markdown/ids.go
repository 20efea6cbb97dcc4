package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"

	"kennisbank/generator/content"
)

// headingIDs gives headings readable IDs, unique within a page: the slug of
// the heading text, with -2, -3… on repeats.
type headingIDs struct {
	// seen holds every ID given out or put, and for an ID used as a base
	// the suffix to try next, so many equal headings cost linear time,
	// not quadratic. One map rather than two: a page's handful of
	// headings then costs one small map.
	seen map[string]int
}

func newHeadingIDs() *headingIDs {
	return &headingIDs{seen: map[string]int{}}
}

func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := content.Slugify(string(value))
	if base == "" {
		base = "kop"
	}
	id := base
	next, taken := s.seen[base]
	i := max(2, next)
	for taken {
		id = base + "-" + strconv.Itoa(i)
		i++
		_, taken = s.seen[id]
	}
	s.seen[base] = i
	if id != base {
		// A new ID is never a base seen before, so its next suffix is
		// still to come.
		s.seen[id] = 0
	}
	return []byte(id)
}

func (s *headingIDs) Put(value []byte) {
	if _, ok := s.seen[string(value)]; !ok {
		s.seen[string(value)] = 0
	}
}
