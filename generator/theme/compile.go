package theme

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"text/template/parse"
)

// After escaping and fusing, most of a layout is text, actions that print
// a field through an escChain, if, with and range over fields, and calls
// of other templates. Each action costs text/template a walk through
// reflect: FieldByName and MethodByName for every field, a reflect call
// of the escaper, fmt.Fprint of its result. So prepare compiles each run
// of such nodes into a region that does the same in Go (region.go), with
// field indexes cached per type, and puts the region in front of the
// nodes it replaces:
//
//	{{with _kb_run_3 . $i}}{{.}}{{else}}the original nodes{{end}}
//
// The region returns its output, or nil whenever it meets anything it
// does not copy exactly (a method, a map, an interface, a nil pointer, a
// panic): then the original nodes run, as if the region was not there,
// so errors and partial output stay html/template's own. A region calls
// no methods but time.Time's IsZero and no functions but builtins and
// the theme's, all pure, so running one and then the original nodes has
// no effect the original alone would not have.

// maxRegion bounds the nodes of one region, called templates included.
const maxRegion = 20000

// regionCompiler compiles the nodes of one region, collecting the
// variables it reads from outside.
type regionCompiler struct {
	pr     *preparer
	outer  []string   // variables from outside, by slot
	scope  []scopeVar // variables declared inside, innermost last
	locals int
	// inTemplate is set while compiling a called template, which sees
	// only its own variables.
	inTemplate bool
	calling    []*parse.Tree // the templates being compiled, against recursion
	size       int
	// nested counts the lists being compiled: a variable declared at the
	// top of a region would have to outlive it.
	nested int
}

type scopeVar struct {
	name string
	slot int
}

// compile compiles n, or reports false when n is not one a region copies.
func (c *regionCompiler) compile(n parse.Node) (cnode, bool) {
	if c.size++; c.size > maxRegion {
		return cnode{}, false
	}
	switch n := n.(type) {
	case *parse.TextNode:
		return cnode{kind: cText, text: n.Text}, true
	case *parse.ActionNode:
		p := n.Pipe
		if len(p.Decl) == 1 && !p.IsAssign && c.nested > 0 && len(p.Decl[0].Ident) == 1 {
			arg, ok := c.pipeline(p.Cmds)
			c.declare(p.Decl[0].Ident[0])
			return cnode{kind: cDecl, arg: arg, elemSlot: c.locals - 1}, ok
		}
		last := len(p.Cmds) - 1
		if len(p.Decl) > 0 || last < 1 || len(p.Cmds[last].Args) != 1 {
			return cnode{}, false
		}
		id, ok := p.Cmds[last].Args[0].(*parse.IdentifierNode)
		if !ok || c.pr.fused[id.Ident] == nil {
			return cnode{}, false
		}
		arg, ok := c.pipeline(p.Cmds[:last])
		return cnode{kind: cPrint, arg: arg, esc: c.pr.fused[id.Ident]}, ok
	case *parse.IfNode:
		return c.branch(cIf, &n.BranchNode)
	case *parse.WithNode:
		return c.branch(cWith, &n.BranchNode)
	case *parse.RangeNode:
		p := n.Pipe
		if p == nil || p.IsAssign || len(p.Decl) > 2 {
			return cnode{}, false
		}
		arg, ok := c.pipeline(p.Cmds)
		if !ok {
			return cnode{}, false
		}
		cn := cnode{kind: cRange, arg: arg, keySlot: -1, elemSlot: -1}
		// The variables are in scope in both lists.
		depth := len(c.scope)
		for _, d := range p.Decl {
			if len(d.Ident) != 1 {
				return cnode{}, false
			}
			c.declare(d.Ident[0])
		}
		// One variable is the element; with two, the first is the index.
		switch len(p.Decl) {
		case 1:
			cn.elemSlot = c.scope[depth].slot
		case 2:
			cn.keySlot, cn.elemSlot = c.scope[depth].slot, c.scope[depth+1].slot
		}
		cn.list, ok = c.list(n.List)
		if ok {
			cn.elseList, ok = c.list(n.ElseList)
		}
		c.scope = c.scope[:depth]
		return cn, ok
	case *parse.TemplateNode:
		return c.template(n)
	}
	return cnode{}, false
}

func (c *regionCompiler) declare(name string) {
	c.scope = append(c.scope, scopeVar{name, c.locals})
	c.locals++
}

// template compiles a call of a template into the template's body, run
// with its own $ and no other variable.
func (c *regionCompiler) template(n *parse.TemplateNode) (cnode, bool) {
	tr := c.pr.trees[n.Name]
	if tr == nil || n.Pipe == nil || len(n.Pipe.Decl) > 0 || slices.Contains(c.calling, tr) {
		return cnode{}, false
	}
	arg, ok := c.pipeline(n.Pipe.Cmds)
	if !ok {
		return cnode{}, false
	}
	scope, inTemplate := c.scope, c.inTemplate
	c.scope, c.inTemplate = nil, true
	c.declare("$")
	cn := cnode{kind: cTemplate, arg: arg, elemSlot: c.scope[0].slot}
	c.calling = append(c.calling, tr)
	cn.list, ok = c.list(c.pr.bodies[tr])
	c.calling = c.calling[:len(c.calling)-1]
	c.scope, c.inTemplate = scope, inTemplate
	return cn, ok
}

func (c *regionCompiler) branch(kind cnodeKind, b *parse.BranchNode) (cnode, bool) {
	if b.Pipe == nil || len(b.Pipe.Decl) > 0 {
		return cnode{}, false
	}
	arg, ok := c.pipeline(b.Pipe.Cmds)
	if !ok {
		return cnode{}, false
	}
	cn := cnode{kind: kind, arg: arg}
	if cn.list, ok = c.list(b.List); !ok {
		return cnode{}, false
	}
	cn.elseList, ok = c.list(b.ElseList)
	return cn, ok
}

func (c *regionCompiler) list(l *parse.ListNode) ([]cnode, bool) {
	if l == nil {
		return nil, true
	}
	// Variables declared in the list end with it.
	depth := len(c.scope)
	c.nested++
	defer func() {
		c.scope = c.scope[:depth]
		c.nested--
	}()
	out := make([]cnode, 0, len(l.Nodes))
	for _, n := range l.Nodes {
		cn, ok := c.compile(n)
		if !ok {
			return nil, false
		}
		out = append(out, cn)
	}
	return out, true
}

// pipeline compiles commands without declarations: an operand or a
// call, then calls that take the value before as their last argument.
func (c *regionCompiler) pipeline(cmds []*parse.CommandNode) (expr, bool) {
	var x expr
	for i, cmd := range cmds {
		var ok bool
		if id, isFn := cmd.Args[0].(*parse.IdentifierNode); isFn {
			x, ok = c.call(id.Ident, cmd.Args[1:], x)
		} else if i == 0 && len(cmd.Args) == 1 {
			x, ok = c.operand(cmd.Args[0])
		}
		if !ok {
			return nil, false
		}
		x = digged{x}
	}
	return x, x != nil
}

// operand compiles dot, a field chain or a variable with fields.
func (c *regionCompiler) operand(n parse.Node) (expr, bool) {
	var names []string
	op := &operand{}
	switch a := n.(type) {
	case *parse.DotNode:
	case *parse.FieldNode:
		names = a.Ident
	case *parse.VariableNode:
		var ok bool
		if op.src, op.slot, ok = c.variable(a.Ident[0]); !ok {
			return nil, false
		}
		names = a.Ident[1:]
	default:
		return nil, false
	}
	for _, n := range names {
		op.fields = append(op.fields, &fieldStep{name: n})
	}
	return op, true
}

// variable finds the variable name: the innermost one declared in the
// region, as text/template's own lookup, or else one from outside.
func (c *regionCompiler) variable(name string) (operandSrc, int, bool) {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return srcLocal, c.scope[i].slot, true
		}
	}
	if c.inTemplate {
		return 0, 0, false
	}
	for i, n := range c.outer {
		if n == name {
			return srcOuter, i, true
		}
	}
	c.outer = append(c.outer, name)
	return srcOuter, len(c.outer) - 1, true
}

// call compiles a call of the function name with args and, unless nil,
// final, the value before it in the pipeline. It knows the theme's own
// functions, whose arguments it converts as text/template does, and the
// builtins builtin runs.
func (c *regionCompiler) call(name string, args []parse.Node, final expr) (expr, bool) {
	if fn, ok := c.pr.themeFuncs[name]; ok {
		return c.themeCall(fn, args, final)
	}
	if c.pr.funcs[name] != nil {
		return nil, false // an escaper or another region
	}
	arity := map[string]int{"not": 1, "len": 1, "ne": 2, "lt": 2, "le": 2, "gt": 2, "ge": 2, "and": -1, "or": -1, "eq": -2}[name]
	if arity == 0 || final != nil || arity > 0 && len(args) != arity || arity < 0 && len(args) < -arity {
		return nil, false
	}
	b := &builtin{name: name}
	for _, a := range args {
		x, ok := c.builtinArg(a)
		if !ok {
			return nil, false
		}
		b.args = append(b.args, x)
	}
	return b, true
}

// builtinArg is evalArg for a reflect.Value parameter.
func (c *regionCompiler) builtinArg(n parse.Node) (expr, bool) {
	switch a := n.(type) {
	case *parse.StringNode:
		return literal{reflect.ValueOf(a.Text)}, true
	case *parse.BoolNode:
		return literal{reflect.ValueOf(a.True)}, true
	case *parse.NumberNode:
		if a.IsInt && decimal.MatchString(a.Text) {
			return literal{reflect.ValueOf(int(a.Int64))}, true
		}
		return nil, false
	case *parse.PipeNode:
		if len(a.Decl) > 0 {
			return nil, false
		}
		return c.pipeline(a.Cmds)
	}
	return c.operand(n)
}

// decimal is a number literal text/template makes an int of.
var decimal = regexp.MustCompile(`^-?[0-9]{1,18}$`)

var reflectValueType = reflect.TypeFor[reflect.Value]()

func (c *regionCompiler) themeCall(fn reflect.Value, args []parse.Node, final expr) (expr, bool) {
	typ := fn.Type()
	numIn := len(args)
	if final != nil {
		numIn++
	}
	switch {
	case typ.IsVariadic() && numIn < typ.NumIn()-1,
		!typ.IsVariadic() && numIn != typ.NumIn(),
		typ.NumOut() == 0 || typ.NumOut() > 2,
		typ.NumOut() == 2 && typ.Out(1) != reflect.TypeFor[error](),
		typ.Out(0) == reflectValueType:
		return nil, false
	}
	param := func(i int) reflect.Type {
		if typ.IsVariadic() && i >= typ.NumIn()-1 {
			return typ.In(typ.NumIn() - 1).Elem()
		}
		return typ.In(i)
	}
	cl := &call{fn: fn}
	for i, a := range args {
		x, ok := c.typedArg(a, param(i))
		if !ok {
			return nil, false
		}
		cl.args = append(cl.args, x)
	}
	if final != nil {
		t := param(numIn - 1)
		if t == reflectValueType {
			return nil, false
		}
		cl.args = append(cl.args, typedArg{final, t})
	}
	return cl, true
}

// typedArg is evalArg for a parameter of type typ.
func (c *regionCompiler) typedArg(n parse.Node, typ reflect.Type) (expr, bool) {
	if typ == reflectValueType {
		return nil, false
	}
	switch a := n.(type) {
	case *parse.StringNode, *parse.BoolNode, *parse.NumberNode:
		v, ok := constArg(a, typ)
		return literal{v}, ok
	case *parse.PipeNode:
		if len(a.Decl) > 0 {
			return nil, false
		}
		x, ok := c.pipeline(a.Cmds)
		return typedArg{x, typ}, ok
	}
	x, ok := c.operand(n)
	return typedArg{x, typ}, ok
}

// constArg is a literal argument for a parameter of type typ, when
// text/template takes it without fail.
func constArg(n parse.Node, typ reflect.Type) (reflect.Value, bool) {
	v := reflect.New(typ).Elem()
	switch a := n.(type) {
	case *parse.StringNode:
		switch {
		case typ.Kind() == reflect.String:
			v.SetString(a.Text)
			return v, true
		case typ.Kind() == reflect.Interface && typ.NumMethod() == 0:
			return reflect.ValueOf(a.Text), true
		}
	case *parse.BoolNode:
		switch {
		case typ.Kind() == reflect.Bool:
			v.SetBool(a.True)
			return v, true
		case typ.Kind() == reflect.Interface && typ.NumMethod() == 0:
			return reflect.ValueOf(a.True), true
		}
	case *parse.NumberNode:
		if !a.IsInt || !decimal.MatchString(a.Text) {
			return v, false
		}
		switch {
		case typ == intType:
			v.SetInt(a.Int64)
			return v, true
		case typ.Kind() == reflect.Interface && typ.NumMethod() == 0:
			return reflect.ValueOf(int(a.Int64)), true
		}
	}
	return v, false
}

// weight estimates what running n in Go saves: regions that save less
// than two actions' work are not worth their own call.
func (pr *preparer) weight(n parse.Node, depth int) int {
	if depth > 10 {
		return 2
	}
	switch n := n.(type) {
	case *parse.ActionNode:
		return 1
	case *parse.IfNode:
		return 1 + max(pr.listWeight(n.List, depth), pr.listWeight(n.ElseList, depth))
	case *parse.WithNode:
		return 1 + max(pr.listWeight(n.List, depth), pr.listWeight(n.ElseList, depth))
	case *parse.RangeNode:
		return 2 + 2*pr.listWeight(n.List, depth)
	case *parse.TemplateNode:
		if tr := pr.trees[n.Name]; tr != nil {
			return 1 + pr.listWeight(pr.bodies[tr], depth+1)
		}
	}
	return 0
}

func (pr *preparer) listWeight(l *parse.ListNode, depth int) int {
	if l == nil {
		return 0
	}
	w := 0
	for _, n := range l.Nodes {
		w += pr.weight(n, depth)
	}
	return w
}

// regions replaces each run of nodes in list that is worth a region with
// a call of the region before the nodes themselves, and looks for runs
// in the lists of the nodes it leaves.
func (pr *preparer) regions(tr *parse.Tree, list *parse.ListNode) {
	if list == nil {
		return
	}
	nodes := list.Nodes
	out := make([]parse.Node, 0, len(nodes))
	for i := 0; i < len(nodes); {
		c := &regionCompiler{pr: pr}
		var body []cnode
		w, j := 0, i
		for ; j < len(nodes); j++ {
			outer := len(c.outer)
			cn, ok := c.compile(nodes[j])
			if !ok {
				c.outer = c.outer[:outer]
				break
			}
			body = append(body, cn)
			w += pr.weight(nodes[j], 0)
		}
		switch {
		case w >= 2:
			out = append(out, pr.wrap(tr, nodes[i:j], &region{body: body, outer: len(c.outer), locals: c.locals}, c.outer))
			i = j
		case j > i:
			out = append(out, nodes[i:j]...)
			i = j
		default:
			switch n := nodes[i].(type) {
			case *parse.IfNode:
				pr.regions(tr, n.List)
				pr.regions(tr, n.ElseList)
			case *parse.WithNode:
				pr.regions(tr, n.List)
				pr.regions(tr, n.ElseList)
			case *parse.RangeNode:
				pr.regions(tr, n.List)
				pr.regions(tr, n.ElseList)
			case *parse.ListNode:
				pr.regions(tr, n)
			}
			out = append(out, nodes[i])
			i++
		}
	}
	list.Nodes = out
}

// wrap returns {{with _kb_run_N . $outer…}}{{.}}{{else}}nodes{{end}}.
func (pr *preparer) wrap(tr *parse.Tree, nodes []parse.Node, r *region, outer []string) parse.Node {
	name := "_kb_run_" + strconv.Itoa(pr.runs)
	pr.runs++
	pr.funcs[name] = r.run
	pos := nodes[0].Position()
	args := []parse.Node{parse.NewIdentifier(name).SetTree(tr).SetPos(pos), &parse.DotNode{NodeType: parse.NodeDot, Pos: pos}}
	for _, v := range outer {
		args = append(args, &parse.VariableNode{NodeType: parse.NodeVariable, Pos: pos, Ident: []string{v}})
	}
	pipe := func(args ...parse.Node) *parse.PipeNode {
		return &parse.PipeNode{NodeType: parse.NodePipe, Pos: pos, Cmds: []*parse.CommandNode{{NodeType: parse.NodeCommand, Pos: pos, Args: args}}}
	}
	list := func(nodes ...parse.Node) *parse.ListNode {
		return &parse.ListNode{NodeType: parse.NodeList, Pos: pos, Nodes: nodes}
	}
	print := &parse.ActionNode{NodeType: parse.NodeAction, Pos: pos, Pipe: pipe(&parse.DotNode{NodeType: parse.NodeDot, Pos: pos})}
	return &parse.WithNode{BranchNode: parse.BranchNode{
		NodeType: parse.NodeWith, Pos: pos,
		Pipe:     pipe(args...),
		List:     list(print),
		ElseList: list(slices.Clone(nodes)...),
	}}
}
