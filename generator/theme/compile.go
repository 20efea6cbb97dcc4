package theme

import (
	"html/template"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// After escaping and fusing, most of a layout is text, actions that print
// a field through an escChain, and if, with and range over fields. Each
// of those costs text/template a walk through reflect: FieldByName and
// MethodByName for every field, a reflect call of the escaper, fmt.Fprint
// of its result. So prepare compiles each run of such nodes into a region
// that does the same in Go, with field indexes cached per type, and puts
// the region in front of the nodes it replaces:
//
//	{{with _kb_run_3 . $i}}{{.}}{{else}}the original nodes{{end}}
//
// The region returns its output, or nil whenever it meets anything it
// does not copy exactly (a method, a map, an interface, a nil pointer, a
// panic): then the original nodes run, as if the region was not there,
// so errors and partial output stay html/template's own. Regions hold no
// methods or functions but escaper chains, so running one and then the
// original nodes has no effect the original alone would not have.

// A region is a run of nodes compiled to Go.
type region struct {
	body   []cnode
	outer  int // variables passed in
	locals int // variables range declares
	bufs   sync.Pool
}

type cnodeKind uint8

const (
	cText cnodeKind = iota
	cPrint
	cIf
	cWith
	cRange
)

// cnode is one compiled node.
type cnode struct {
	kind cnodeKind
	text []byte    // cText
	arg  operand   // cPrint, cIf, cWith, cRange
	esc  *escChain // cPrint
	// list and elseList are the branches of cIf, cWith and cRange.
	list, elseList []cnode
	// keySlot and elemSlot are cRange's variables, locals, -1 for none.
	keySlot, elemSlot int
}

// operand is dot or a variable, then fields: .A.B, $x.A, $.
type operand struct {
	src    operandSrc
	slot   int // of an outer or local variable
	fields []*fieldStep
}

type operandSrc uint8

const (
	srcDot   operandSrc = iota
	srcOuter            // a variable set outside the region
	srcLocal            // a variable range sets in the region
)

// fieldStep reads one field, remembering where it is in the last struct
// type it met.
type fieldStep struct {
	name string
	last atomic.Pointer[fieldPlan]
}

// fieldPlan is how fieldStep reads name from a struct of type typ.
type fieldPlan struct {
	typ   reflect.Type
	index []int
	ok    bool // false: text/template would call a method, or fail
}

func newFieldPlan(typ reflect.Type, name string) *fieldPlan {
	p := &fieldPlan{typ: typ}
	// text/template looks for a method of T or *T before a field.
	if _, ok := reflect.PointerTo(typ).MethodByName(name); ok {
		return p
	}
	f, ok := typ.FieldByName(name)
	if !ok || !f.IsExported() {
		return p
	}
	p.index, p.ok = f.Index, true
	return p
}

// get is text/template's evalField for a field of a struct or of a
// non-nil pointer to one; ok is false for anything else.
func (f *fieldStep) get(v reflect.Value) (reflect.Value, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return v, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return v, false
	}
	p := f.last.Load()
	if p == nil || p.typ != v.Type() {
		p = newFieldPlan(v.Type(), f.name)
		f.last.Store(p)
	}
	if !p.ok {
		return v, false
	}
	if len(p.index) == 1 {
		return v.Field(p.index[0]), true
	}
	v, err := v.FieldByIndexErr(p.index) // through embedded structs
	return v, err == nil
}

// frame is a region's state while it runs.
type frame struct {
	dot           reflect.Value
	outer, locals []reflect.Value
	out           []byte
}

// eval is the value of a pipeline of the one command op, as
// text/template's evalPipeline gives it.
func (op *operand) eval(f *frame) (reflect.Value, bool) {
	v := f.dot
	switch op.src {
	case srcOuter:
		v = f.outer[op.slot]
	case srcLocal:
		v = f.locals[op.slot]
	}
	for _, s := range op.fields {
		if !v.IsValid() {
			return v, false
		}
		var ok bool
		if v, ok = s.get(v); !ok {
			return v, false
		}
	}
	if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
		v = v.Elem()
	}
	return v, true
}

// run executes the region; nil means "run the original nodes instead".
func (r *region) run(dot any, outer ...any) (out *string) {
	if len(outer) != r.outer {
		return nil
	}
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	var small [8]reflect.Value
	f := frame{dot: reflect.ValueOf(dot)}
	vars := small[:]
	if n := r.outer + r.locals; n > len(small) {
		vars = make([]reflect.Value, n)
	}
	f.outer, f.locals = vars[:r.outer], vars[r.outer:r.outer+r.locals]
	for i, v := range outer {
		f.outer[i] = reflect.ValueOf(v)
	}
	b, _ := r.bufs.Get().(*[]byte)
	if b == nil {
		b = new([]byte)
	}
	f.out = (*b)[:0]
	ok := f.list(r.body)
	s := string(f.out)
	if cap(f.out) <= 64<<10 {
		*b = f.out
		r.bufs.Put(b)
	}
	if !ok {
		return nil
	}
	return &s
}

func (f *frame) list(nodes []cnode) bool {
	for i := range nodes {
		if !f.node(&nodes[i]) {
			return false
		}
	}
	return true
}

func (f *frame) node(n *cnode) bool {
	if n.kind == cText {
		f.out = append(f.out, n.text...)
		return true
	}
	v, ok := n.arg.eval(f)
	if !ok {
		return false
	}
	switch n.kind {
	case cPrint:
		f.out = n.esc.appendValue(f.out, v)
		return true
	case cIf, cWith:
		truth, ok := isTrue(indirectInterface(v))
		if !ok {
			return false
		}
		switch {
		case truth && n.kind == cWith:
			dot := f.dot
			f.dot = v
			ok = f.list(n.list)
			f.dot = dot
			return ok
		case truth:
			return f.list(n.list)
		}
		return f.list(n.elseList)
	case cRange:
		// Before the first element, as in the else list, range's
		// variables hold the value ranged over.
		if n.elemSlot >= 0 {
			f.locals[n.elemSlot] = v
		}
		if n.keySlot >= 0 {
			f.locals[n.keySlot] = v
		}
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return false // text/template fails, or ranges over nothing
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return false
		}
		if v.Len() == 0 {
			return f.list(n.elseList)
		}
		dot := f.dot
		for i := 0; i < v.Len(); i++ {
			f.dot = v.Index(i)
			if n.elemSlot >= 0 {
				f.locals[n.elemSlot] = f.dot
			}
			if n.keySlot >= 0 {
				f.locals[n.keySlot] = reflect.ValueOf(i)
			}
			if !f.list(n.list) {
				return false
			}
		}
		f.dot = dot
		return true
	}
	return false
}

// indirectInterface and isTrue are text/template's.
func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

func isTrue(val reflect.Value) (truth, ok bool) {
	if !val.IsValid() {
		return false, true
	}
	switch val.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		truth = val.Len() > 0
	case reflect.Bool:
		truth = val.Bool()
	case reflect.Complex64, reflect.Complex128:
		truth = val.Complex() != 0
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		truth = !val.IsNil()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		truth = val.Int() != 0
	case reflect.Float32, reflect.Float64:
		truth = val.Float() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		truth = val.Uint() != 0
	case reflect.Struct:
		truth = true
	default:
		return
	}
	return truth, true
}

var (
	stringType = reflect.TypeFor[string]()
	intType    = reflect.TypeFor[int]()
	htmlType   = reflect.TypeFor[template.HTML]()
)

// appendValue appends apply(v.Interface()), without boxing the common
// types.
func (c *escChain) appendValue(b []byte, v reflect.Value) []byte {
	if !v.IsValid() {
		return append(b, c.apply(nil)...)
	}
	var s string
	switch v.Type() {
	case stringType:
		s = v.String()
	case intType:
		s = strconv.FormatInt(v.Int(), 10)
	case htmlType:
		if !c.htmlOnly {
			return append(b, c.slowString(v.Interface())...)
		}
		return append(b, v.String()...)
	default:
		return append(b, c.apply(v.Interface())...)
	}
	for _, op := range c.ops {
		s = op(s)
	}
	return append(b, s...)
}

// regionCompiler compiles the nodes of one region, collecting the
// variables it reads from outside.
type regionCompiler struct {
	fused  map[string]*escChain // fused escaper functions by name
	outer  []string             // variables from outside, by slot
	scope  []scopeVar           // range variables in scope, innermost last
	locals int
}

type scopeVar struct {
	name string
	slot int
}

// compile compiles n, or reports false when n is not one a region copies.
func (c *regionCompiler) compile(n parse.Node) (cnode, bool) {
	switch n := n.(type) {
	case *parse.TextNode:
		return cnode{kind: cText, text: n.Text}, true
	case *parse.ActionNode:
		p := n.Pipe
		if len(p.Decl) > 0 || len(p.Cmds) != 2 || len(p.Cmds[1].Args) != 1 {
			return cnode{}, false
		}
		id, ok := p.Cmds[1].Args[0].(*parse.IdentifierNode)
		if !ok || c.fused[id.Ident] == nil {
			return cnode{}, false
		}
		arg, ok := c.operand(p.Cmds[0])
		return cnode{kind: cPrint, arg: arg, esc: c.fused[id.Ident]}, ok
	case *parse.IfNode:
		return c.branch(cIf, &n.BranchNode)
	case *parse.WithNode:
		return c.branch(cWith, &n.BranchNode)
	case *parse.RangeNode:
		p := n.Pipe
		if p == nil || p.IsAssign || len(p.Decl) > 2 || len(p.Cmds) != 1 {
			return cnode{}, false
		}
		arg, ok := c.operand(p.Cmds[0])
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
			c.scope = append(c.scope, scopeVar{d.Ident[0], c.locals})
			c.locals++
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
	}
	return cnode{}, false
}

func (c *regionCompiler) branch(kind cnodeKind, b *parse.BranchNode) (cnode, bool) {
	if b.Pipe == nil || len(b.Pipe.Decl) > 0 || len(b.Pipe.Cmds) != 1 {
		return cnode{}, false
	}
	arg, ok := c.operand(b.Pipe.Cmds[0])
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

// operand compiles a command that is only dot, a field chain or a
// variable with fields.
func (c *regionCompiler) operand(cmd *parse.CommandNode) (operand, bool) {
	if len(cmd.Args) != 1 {
		return operand{}, false
	}
	var names []string
	var op operand
	switch a := cmd.Args[0].(type) {
	case *parse.DotNode:
	case *parse.FieldNode:
		names = a.Ident
	case *parse.VariableNode:
		op.src, op.slot = c.variable(a.Ident[0])
		names = a.Ident[1:]
	default:
		return operand{}, false
	}
	for _, n := range names {
		op.fields = append(op.fields, &fieldStep{name: n})
	}
	return op, true
}

// variable finds the variable name: the innermost range variable of that
// name, as text/template's own lookup, or else one from outside.
func (c *regionCompiler) variable(name string) (operandSrc, int) {
	for i := len(c.scope) - 1; i >= 0; i-- {
		if c.scope[i].name == name {
			return srcLocal, c.scope[i].slot
		}
	}
	for i, n := range c.outer {
		if n == name {
			return srcOuter, i
		}
	}
	c.outer = append(c.outer, name)
	return srcOuter, len(c.outer) - 1
}

// weight estimates what running n in Go saves: regions that save less
// than two actions' work are not worth their own call.
func weight(n parse.Node) int {
	switch n := n.(type) {
	case *parse.ActionNode:
		return 1
	case *parse.IfNode:
		return 1 + max(listWeight(n.List), listWeight(n.ElseList))
	case *parse.WithNode:
		return 1 + max(listWeight(n.List), listWeight(n.ElseList))
	case *parse.RangeNode:
		return 2 + 2*listWeight(n.List)
	}
	return 0
}

func listWeight(l *parse.ListNode) int {
	if l == nil {
		return 0
	}
	w := 0
	for _, n := range l.Nodes {
		w += weight(n)
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
		c := &regionCompiler{fused: pr.fused}
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
			w += weight(nodes[j])
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
