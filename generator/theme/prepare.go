package theme

import (
	"fmt"
	"html/template"
	"io"
	"reflect"
	"strings"
	"sync"
	"text/template/parse"
)

// Rendering a page spends most of its time not in the layout but in
// text/template calling, through reflect, the escaping functions
// html/template puts after every action: three calls for each href. So
// each layout is prepared once, on its first Render, in a copy of the
// template set that only that layout executes:
//
//   - it is escaped by html/template, as it would be on its first run;
//   - an action that reads no data and calls only pure functions
//     ({{t "toc"}}, {{lang}}) becomes the text it prints;
//   - a chain of escapers after an action (…| urlfilter | urlnormalizer |
//     attrescaper) becomes one call of an escChain, which escapes strings
//     and ints in Go and hands any other value to the original escapers;
//   - a run of text, such actions and if, with and range over fields
//     becomes a region run in Go, in front of the nodes it replaces
//     (compile.go).
//
// The rewrites keep every output byte: constants are printed by
// html/template itself, escChain's string path is checked against
// html/template's escapers by the tests, and a region gives way to the
// original nodes whenever it meets a value it does not handle exactly.
// Nothing here knows the default theme's text, so a site's own layouts
// are prepared the same way.

// layout is one entry layout, prepared for execution.
type layout struct {
	once sync.Once
	tmpl *template.Template // nil when the layout does not exist
	err  error              // escaping error, returned by every Render
}

// prepared returns the layout name, ready to execute.
func (t *Theme) prepared(name string) *layout {
	v, ok := t.layouts.Load(name)
	if !ok {
		v, _ = t.layouts.LoadOrStore(name, &layout{})
	}
	l := v.(*layout)
	l.once.Do(func() { l.tmpl, l.err = t.prepare(name) })
	return l
}

// prepare copies the template set, escapes name in the copy and rewrites
// the templates name reaches. No other template of the copy is ever
// executed, so nothing escapes the rewritten trees again.
func (t *Theme) prepare(name string) (*template.Template, error) {
	if t.tmpl.Lookup(name) == nil {
		return nil, nil
	}
	set, err := t.tmpl.Clone()
	if err != nil {
		return nil, err
	}
	tm := set.Lookup(name)
	// Executing escapes the layout and every template it calls; without
	// data it stops at the first field, having written nothing that
	// matters.
	if err := tm.Execute(io.Discard, nil); err != nil {
		if _, ok := err.(*template.Error); ok {
			return nil, err // an escaping error: the layout never runs
		}
	}
	pr := &preparer{
		funcs: template.FuncMap{}, fused: map[string]*escChain{}, themeFuncs: map[string]reflect.Value{},
		trees: map[string]*parse.Tree{}, bodies: map[*parse.Tree]*parse.ListNode{},
	}
	for name, fn := range t.funcs() {
		pr.themeFuncs[name] = reflect.ValueOf(fn)
	}
	var trees []*parse.Tree
	var visit func(tr *parse.Tree)
	visit = func(tr *parse.Tree) {
		if tr == nil || pr.bodies[tr] != nil {
			return
		}
		pr.bodies[tr] = tr.Root
		trees = append(trees, tr)
		t.rewriteList(tr, tr.Root, pr, func(called string) {
			if c := set.Lookup(called); c != nil {
				pr.trees[called] = c.Tree
				visit(c.Tree)
			}
		})
	}
	visit(tm.Tree)
	// Regions inline called templates as they are before their own
	// regions are put in.
	for _, tr := range trees {
		pr.bodies[tr] = tr.Root.CopyList()
	}
	for _, tr := range trees {
		pr.regions(tr, tr.Root)
	}
	set.Funcs(pr.funcs)
	return tm, nil
}

// preparer holds what rewriting one layout's templates adds.
type preparer struct {
	funcs template.FuncMap     // functions the rewritten trees call
	fused map[string]*escChain // the escChains among them, by name
	// runs numbers the regions' functions.
	runs int
	// themeFuncs are the theme's functions, which regions call.
	themeFuncs map[string]reflect.Value
	// trees are the templates the layout calls, by name, and bodies
	// their lists after rewriting, before regions.
	trees  map[string]*parse.Tree
	bodies map[*parse.Tree]*parse.ListNode
}

// rewriteList rewrites the actions in list and the lists nested in it,
// calling called for each template they call.
func (t *Theme) rewriteList(tr *parse.Tree, list *parse.ListNode, pr *preparer, called func(string)) {
	if list == nil {
		return
	}
	for i, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text, ok := t.constant(n.Pipe); ok {
				list.Nodes[i] = &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(text)}
				continue
			}
			t.fuseEscapers(tr, n.Pipe, pr)
		case *parse.IfNode:
			t.rewriteList(tr, n.List, pr, called)
			t.rewriteList(tr, n.ElseList, pr, called)
		case *parse.RangeNode:
			t.rewriteList(tr, n.List, pr, called)
			t.rewriteList(tr, n.ElseList, pr, called)
		case *parse.WithNode:
			t.rewriteList(tr, n.List, pr, called)
			t.rewriteList(tr, n.ElseList, pr, called)
		case *parse.ListNode:
			t.rewriteList(tr, n, pr, called)
		case *parse.TemplateNode:
			called(n.Name)
		}
	}
	// Runs of text, some of them folded constants, become one write.
	out := list.Nodes[:0]
	for _, n := range list.Nodes {
		if txt, ok := n.(*parse.TextNode); ok && len(out) > 0 {
			if prev, ok := out[len(out)-1].(*parse.TextNode); ok {
				out[len(out)-1] = &parse.TextNode{NodeType: parse.NodeText, Pos: prev.Pos, Text: append(append([]byte{}, prev.Text...), txt.Text...)}
				continue
			}
		}
		out = append(out, n)
	}
	clear(list.Nodes[len(out):])
	list.Nodes = out
}

// pureBuiltins are text/template's builtins whose result depends on their
// arguments only (all but call).
var pureBuiltins = map[string]bool{
	"and": true, "or": true, "not": true, "len": true, "index": true, "slice": true,
	"print": true, "printf": true, "println": true, "html": true, "js": true, "urlquery": true,
	"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
}

// constant evaluates a pipeline that reads no data, no variables and
// calls only pure functions, the way html/template would print it.
func (t *Theme) constant(p *parse.PipeNode) (string, bool) {
	if len(p.Decl) > 0 || !t.pureConst(p) {
		return "", false
	}
	// One scratch template serves every constant; layouts may be
	// prepared at the same time.
	t.constMu.Lock()
	defer t.constMu.Unlock()
	if t.constTmpl == nil {
		m, err := t.scratch()
		if err != nil {
			return "", false
		}
		t.constTmpl = m
	}
	t.constTmpl.Tree.Root.Nodes[0].(*parse.ActionNode).Pipe = p.CopyPipe()
	var b strings.Builder
	if err := t.constTmpl.Execute(&b, nil); err != nil {
		return "", false // left for the real run to report
	}
	return b.String(), true
}

func (t *Theme) pureConst(p *parse.PipeNode) bool {
	if p == nil || len(p.Decl) > 0 {
		return false
	}
	for _, c := range p.Cmds {
		for _, a := range c.Args {
			switch a := a.(type) {
			case *parse.IdentifierNode:
				if !t.pure[a.Ident] && !pureBuiltins[a.Ident] && !strings.HasPrefix(a.Ident, "_html_template_") {
					return false
				}
			case *parse.StringNode, *parse.NumberNode, *parse.BoolNode:
			case *parse.PipeNode:
				if !t.pureConst(a) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// scratch returns a new template holding one escaped action, whose
// pipeline a caller replaces before executing it: it runs html/template's
// escapers, which are not otherwise reachable.
func (t *Theme) scratch() (*template.Template, error) {
	m, err := template.New("").Funcs(t.funcs()).Parse("{{.}}")
	if err != nil {
		return nil, err
	}
	if err := m.Execute(io.Discard, ""); err != nil {
		return nil, err
	}
	if len(m.Tree.Root.Nodes) != 1 {
		return nil, fmt.Errorf("scratch template has %d nodes", len(m.Tree.Root.Nodes))
	}
	if _, ok := m.Tree.Root.Nodes[0].(*parse.ActionNode); !ok {
		return nil, fmt.Errorf("scratch template is not one action")
	}
	return m, nil
}

// fuseEscapers replaces the escapers html/template put at the end of p
// with one call of an escChain, when it knows them all.
func (t *Theme) fuseEscapers(tr *parse.Tree, p *parse.PipeNode, pr *preparer) {
	if len(p.Decl) > 0 {
		return
	}
	first := len(p.Cmds)
	for first > 1 {
		c := p.Cmds[first-1]
		if len(c.Args) != 1 {
			break
		}
		id, ok := c.Args[0].(*parse.IdentifierNode)
		if !ok || !strings.HasPrefix(id.Ident, "_html_template_") {
			break
		}
		first--
	}
	if first == len(p.Cmds) {
		return
	}
	var names []string
	for _, c := range p.Cmds[first:] {
		names = append(names, c.Args[0].(*parse.IdentifierNode).Ident)
	}
	ch, err := t.chain(names)
	if err != nil || ch == nil {
		return
	}
	fn := "_kb_esc"
	for _, n := range names {
		fn += "_" + strings.TrimPrefix(n, "_html_template_")
	}
	pr.funcs[fn] = ch.apply
	pr.fused[fn] = ch
	last := p.Cmds[first]
	cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: last.Pos, Args: []parse.Node{parse.NewIdentifier(fn).SetTree(tr).SetPos(last.Pos)}}
	p.Cmds = append(p.Cmds[:first], cmd)
}

// chain returns the escChain for escapers names, shared by all layouts;
// nil when a name is not one escChain knows.
func (t *Theme) chain(names []string) (*escChain, error) {
	key := strings.Join(names, "|")
	t.chainMu.Lock()
	defer t.chainMu.Unlock()
	if ch, ok := t.chains[key]; ok {
		return ch, nil
	}
	ch, err := newEscChain(names, t.scratch)
	if err != nil {
		return nil, err
	}
	if t.chains == nil {
		t.chains = map[string]*escChain{}
	}
	t.chains[key] = ch
	return ch, nil
}
