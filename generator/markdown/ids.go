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
}

func newHeadingIDs() *headingIDs { return &headingIDs{seen: map[string]bool{}} }

func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := content.Slugify(string(value))
	if base == "" {
		base = "kop"
	}
	id := base
	for i := 2; s.seen[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.seen[id] = true
	return []byte(id)
}

func (s *headingIDs) Put(value []byte) {
	s.seen[string(value)] = true
}
