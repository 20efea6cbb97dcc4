package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// KindWikiLink is the node kind of a [[wikilink]].
var KindWikiLink = ast.NewNodeKind("WikiLink")

// WikiLink is an inline [[target#fragment|label]] link.
type WikiLink struct {
	ast.BaseInline
	Target   string // page part, as written
	Fragment string // heading part after #, as written
	Label    string // text after |, or ""
	Offset   int    // byte offset of the opening [[ in the source
	Raw      string // the whole link as written, for messages

	// href and title are what the Resolver made of the link; href is ""
	// when the link is broken. Fields, not node attributes: attributes
	// cost a slice and a boxed value each, for every link of the site.
	href, title string
}

// Kind implements ast.Node.
func (n *WikiLink) Kind() ast.NodeKind { return KindWikiLink }

// Dump implements ast.Node.
func (n *WikiLink) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Target": n.Target, "Fragment": n.Fragment, "Label": n.Label}, nil)
}

// DisplayText is what the link shows: the label, or else the target and fragment.
func (n *WikiLink) DisplayText() string {
	if n.Label != "" {
		return n.Label
	}
	if n.Target == "" {
		return n.Fragment
	}
	if n.Fragment != "" {
		return n.Target + " › " + n.Fragment
	}
	return n.Target
}

// maxWikiLink is the longest text between [[ and ]] that can be a link.
const maxWikiLink = 500

// ParseWikiLink splits the inside of [[ ]] into target, fragment and label.
// ok is false when the text cannot be a link (empty, longer than 500
// bytes, or a newline or bracket in it).
func ParseWikiLink(inner string) (target, fragment, label string, ok bool) {
	if inner == "" || len(inner) > maxWikiLink {
		return "", "", "", false
	}
	// The whole inside counts, label included: a bracket in a label would
	// end the link early or open another.
	for i := 0; i < len(inner); i++ {
		if inner[i] == '\n' || inner[i] == '[' || inner[i] == ']' {
			return "", "", "", false
		}
	}
	// The parts are slices of inner, not copies: inner is at most 500
	// bytes, and every link of the site passes here.
	if i := strings.IndexByte(inner, '|'); i >= 0 {
		inner, label = inner[:i], strings.TrimSpace(inner[i+1:])
	}
	target = inner
	if i := strings.IndexByte(inner, '#'); i >= 0 {
		target, fragment = inner[:i], strings.TrimSpace(inner[i+1:])
	}
	target = strings.TrimSpace(target)
	if target == "" && fragment == "" {
		return "", "", "", false
	}
	return target, fragment, label, true
}

// wikiLinkParser parses [[…]] before goldmark's link parser sees the [.
type wikiLinkParser struct{}

func (wikiLinkParser) Trigger() []byte { return []byte{'['} }

func (wikiLinkParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 5 || line[1] != '[' {
		return nil
	}
	// Look for ]] only as far as a link can reach: on a long line of
	// "[[" without "]]", searching to the end of the line each time would
	// take time quadratic in the line.
	rest := line[2:]
	if len(rest) > maxWikiLink+2 {
		rest = rest[:maxWikiLink+2]
	}
	end := bytes.Index(rest, []byte("]]"))
	if end < 0 {
		return nil
	}
	// One string for the link as written; its parts are slices of it.
	raw := string(line[:end+4])
	target, fragment, label, ok := ParseWikiLink(raw[2 : 2+end])
	if !ok {
		return nil
	}
	block.Advance(end + 4)
	return &WikiLink{Target: target, Fragment: fragment, Label: label, Offset: seg.Start, Raw: raw}
}
