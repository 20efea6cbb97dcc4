package theme

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"text/template/parse"
)

// escChain is a run of html/template's escapers (the names it puts into
// pipelines, such as _html_template_attrescaper) as one function. A plain
// string or int goes through Go copies of the escapers, which for plain
// strings do exactly what html/template's do (escape_test.go compares
// them); any other value, such as template.URL, whose escaping depends
// on its type, goes through html/template's own escapers.
type escChain struct {
	ops []func(string) string
	// htmlOnly: the chain is htmlescaper alone, which prints template.HTML
	// unchanged.
	htmlOnly bool
	// slow is a template whose one action is {{. | the escapers}}.
	slow *template.Template
}

// plainEscapers are the escapers escChain copies, by the name after
// _html_template_.
var plainEscapers = map[string]func(string) string{
	"urlfilter":     urlFilter,
	"urlnormalizer": func(s string) string { return processURL(s, true) },
	"urlescaper":    func(s string) string { return processURL(s, false) },
	"htmlescaper":   escapeHTML,
	"attrescaper":   escapeHTML,
	"rcdataescaper": escapeHTML,
}

// newEscChain returns the chain of the escapers names, or nil when one
// of them is not in plainEscapers. scratch gives a template with one
// escaped action.
func newEscChain(names []string, scratch func() (*template.Template, error)) (*escChain, error) {
	c := &escChain{htmlOnly: len(names) == 1 && names[0] == "_html_template_htmlescaper"}
	for _, n := range names {
		op, ok := plainEscapers[strings.TrimPrefix(n, "_html_template_")]
		if !ok {
			return nil, nil
		}
		c.ops = append(c.ops, op)
	}
	m, err := scratch()
	if err != nil {
		return nil, err
	}
	a := m.Tree.Root.Nodes[0].(*parse.ActionNode)
	dot := a.Pipe.Cmds[0]
	if len(dot.Args) != 1 || dot.Args[0].Type() != parse.NodeDot {
		return nil, fmt.Errorf("scratch template does not start with dot: %s", a)
	}
	cmds := []*parse.CommandNode{dot}
	for _, n := range names {
		cmds = append(cmds, &parse.CommandNode{NodeType: parse.NodeCommand, Pos: a.Pos, Args: []parse.Node{parse.NewIdentifier(n).SetTree(m.Tree).SetPos(a.Pos)}})
	}
	a.Pipe.Cmds = cmds
	c.slow = m
	return c, nil
}

// apply escapes v as the escapers would, one after the other.
func (c *escChain) apply(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case int:
		s = strconv.Itoa(x)
	case template.HTML:
		if !c.htmlOnly {
			return c.slowString(v)
		}
		return string(x)
	default:
		return c.slowString(v)
	}
	for _, op := range c.ops {
		s = op(s)
	}
	return s
}

// slowString is fallback for apply, which has no error to return: the
// escapers never fail, and neither does writing to a strings.Builder.
func (c *escChain) slowString(v any) string {
	s, err := c.fallback(v)
	if err != nil {
		panic(err) // text/template reports a panic in a function as an error
	}
	return s
}

// fallback runs html/template's own escapers.
func (c *escChain) fallback(v any) (string, error) {
	var b strings.Builder
	err := c.slow.Execute(&b, v)
	return b.String(), err
}

// urlFilter is html/template's urlFilter for a plain string: a URL with
// a scheme other than http, https or mailto is replaced.
func urlFilter(s string) string {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return "#ZgotmplZ"
		}
	}
	return s
}

// processURL is html/template's urlProcessor for a plain string: it
// percent-encodes every byte but the unreserved ones and, when norm is
// true, the reserved ones and valid escapes.
func processURL(s string, norm bool) string {
	const hex = "0123456789abcdef"
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
			if norm {
				continue
			}
		case '-', '.', '_', '~':
			continue
		case '%':
			if norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
				continue
			}
		default:
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				continue
			}
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hex[c>>4], hex[c&15])
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// htmlEscapes is html/template's htmlReplacementTable: for a plain string
// the html, attribute and RCDATA escapers replace these bytes and keep
// every other one (they leave non-ASCII runes, even invalid ones, alone).
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

func escapeHTML(s string) string {
	i := 0
	for i < len(s) && htmlEscapes[s[i]] == "" {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	written := 0
	for ; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			b.WriteString(s[written:i])
			b.WriteString(r)
			written = i + 1
		}
	}
	b.WriteString(s[written:])
	return b.String()
}
