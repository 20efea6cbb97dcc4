package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's extension.GFM (linkify, tables, strikethrough, task
// lists, registered in the same order and priorities), with its linkify
// parser behind linkifyFilter.
type gfm struct{}

func (gfm) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(linkifyFilter{extension.NewLinkifyParser()}, 999),
	))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// linkifyFilter passes to goldmark's linkify parser only the places where
// a bare link can start. goldmark calls that parser at every space of
// every paragraph; it then compares the word with four prefixes and scans
// it for an e-mail address, which costs about a fifth of all parsing. A
// link there begins with http:, https:, ftp: or www. (goldmark's default
// protocols), or has an @ within its first 65 bytes (an e-mail address:
// at most 64 bytes before the @), after the one space, *, _, ~ or ( that
// triggered the call. Anywhere else the parser returns nil without side
// effects, and so does the filter, without asking it.
type linkifyFilter struct{ parser.InlineParser }

func (f linkifyFilter) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	if line, _ := block.PeekLine(); !mayLinkify(line) {
		return nil
	}
	return f.InlineParser.Parse(parent, block, pc)
}

// mayLinkify reports whether goldmark's linkify parser could find a link
// at the start of line; false means it certainly finds none.
func mayLinkify(line []byte) bool {
	if len(line) == 0 {
		return true // let goldmark decide
	}
	switch line[0] {
	case ' ', '*', '_', '~', '(':
		line = line[1:]
	}
	if len(line) > 0 {
		switch line[0] {
		case 'h', 'f', 'w':
			return true
		}
	}
	return bytes.IndexByte(line[:min(len(line), 65)], '@') >= 0
}
