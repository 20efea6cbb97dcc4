package theme

import (
	"cmp"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// This file runs regions (see compile.go): each function here does what
// text/template does for the same node or call, or reports false, and
// then the original nodes run instead.

// A region is a run of nodes compiled to Go.
type region struct {
	body   []cnode
	outer  int // variables passed in
	locals int // variables declared inside: range's, and $ of a called template
	bufs   sync.Pool
}

// regionOut is a region's output. text/template prints it through
// fmt.Fprint, which calls Format: so the bytes go from the region's
// buffer to the writer without a string in between. Its one pointer
// makes it free to put into an interface.
type regionOut struct{ b *regionBuf }

type regionBuf struct {
	data []byte
	pool *sync.Pool
}

// Format writes the output and gives its buffer back: the wrapper prints
// each regionOut exactly once.
func (o regionOut) Format(f fmt.State, _ rune) {
	f.Write(o.b.data) //nolint:errcheck // fmt's buffer never fails
	if cap(o.b.data) <= 64<<10 {
		o.b.pool.Put(o.b)
	}
}

// run executes the region; nil means "run the original nodes instead".
func (r *region) run(dot any, outer ...any) (out any) {
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
	b, _ := r.bufs.Get().(*regionBuf)
	if b == nil {
		b = &regionBuf{pool: &r.bufs}
	}
	f.out = b.data[:0]
	ok := f.list(r.body)
	b.data = f.out
	if !ok {
		r.bufs.Put(b)
		return nil
	}
	return regionOut{b}
}

type cnodeKind uint8

const (
	cText cnodeKind = iota
	cPrint
	cIf
	cWith
	cRange
	cTemplate
	cDecl // {{$x := pipeline}}
)

// cnode is one compiled node.
type cnode struct {
	kind cnodeKind
	text []byte    // cText
	arg  expr      // the pipeline of all but cText
	esc  *escChain // cPrint
	// list and elseList are the branches of cIf, cWith and cRange, and
	// list the body of cTemplate.
	list, elseList []cnode
	// keySlot and elemSlot are cRange's variables, locals, -1 for none;
	// elemSlot is $ for cTemplate and the variable for cDecl.
	keySlot, elemSlot int
}

// frame is a region's state while it runs.
type frame struct {
	dot           reflect.Value
	outer, locals []reflect.Value
	out           []byte
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
		switch t := truth(v); {
		case t && n.kind == cWith:
			return f.with(v, n.list)
		case t:
			return f.list(n.list)
		}
		return f.list(n.elseList)
	case cDecl:
		f.locals[n.elemSlot] = v
		return true
	case cTemplate:
		if !v.IsValid() {
			return false
		}
		f.locals[n.elemSlot] = v
		return f.with(v, n.list)
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

// with runs list with dot set to v.
func (f *frame) with(v reflect.Value, list []cnode) bool {
	dot := f.dot
	f.dot = v
	ok := f.list(list)
	f.dot = dot
	return ok
}

// expr is a pipeline or an argument, compiled.
type expr interface {
	eval(f *frame) (reflect.Value, bool)
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
	srcLocal            // a variable declared inside the region
)

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
	return v, true
}

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
	// isZero: name is time.Time's method IsZero, which is pure.
	isZero bool
	ok     bool // false: text/template would call another method, or fail
}

var timeType = reflect.TypeFor[time.Time]()

func newFieldPlan(typ reflect.Type, name string) *fieldPlan {
	p := &fieldPlan{typ: typ}
	// text/template looks for a method of T or *T before a field.
	if _, ok := reflect.PointerTo(typ).MethodByName(name); ok {
		p.isZero = typ == timeType && name == "IsZero"
		p.ok = p.isZero
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
	switch {
	case !p.ok:
		return v, false
	case p.isZero:
		return reflect.ValueOf(v.Interface().(time.Time).IsZero()), true
	case len(p.index) == 1:
		return v.Field(p.index[0]), true
	}
	v, err := v.FieldByIndexErr(p.index) // through embedded structs
	return v, err == nil
}

// digged is evalPipeline's step after each command: a value of type
// interface{} becomes the value inside.
type digged struct{ x expr }

func (d digged) eval(f *frame) (reflect.Value, bool) {
	v, ok := d.x.eval(f)
	if ok && v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
		v = v.Elem()
	}
	return v, ok
}

// literal is a constant argument, converted as text/template would.
type literal struct{ v reflect.Value }

func (l literal) eval(*frame) (reflect.Value, bool) { return l.v, true }

// typedArg is an argument to a parameter of type typ: text/template's
// validateType, without the conversions that can fail.
type typedArg struct {
	x   expr
	typ reflect.Type
}

func (a typedArg) eval(f *frame) (reflect.Value, bool) {
	v, ok := a.x.eval(f)
	switch {
	case !ok:
		return v, false
	case !v.IsValid():
		if canBeNil(a.typ) {
			return reflect.Zero(a.typ), true
		}
		return v, false
	case v.Type().AssignableTo(a.typ):
		return v, true
	case v.Kind() == reflect.Interface && !v.IsNil() && v.Elem().Type().AssignableTo(a.typ):
		return v.Elem(), true
	}
	return v, false
}

func canBeNil(typ reflect.Type) bool {
	switch typ.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	case reflect.Struct:
		return typ == reflect.TypeFor[reflect.Value]()
	}
	return false
}

// call calls one of the theme's functions, all pure.
type call struct {
	fn   reflect.Value
	args []expr // typedArgs
}

func (c *call) eval(f *frame) (reflect.Value, bool) {
	var small [4]reflect.Value
	argv := small[:0]
	for _, a := range c.args {
		v, ok := a.eval(f)
		if !ok {
			return v, false
		}
		argv = append(argv, v)
	}
	// The common shapes go without reflect.
	switch fn := c.fn.Interface().(type) {
	case func(string) string:
		if argv[0].Type() == stringType {
			return reflect.ValueOf(fn(argv[0].String())), true
		}
	case func(int) string:
		if argv[0].Type() == intType {
			return reflect.ValueOf(fn(int(argv[0].Int()))), true
		}
	case func(int, int) int:
		if argv[0].Type() == intType && argv[1].Type() == intType {
			return reflect.ValueOf(fn(int(argv[0].Int()), int(argv[1].Int()))), true
		}
	case func(time.Time) string:
		if argv[0].Type() == timeType {
			return reflect.ValueOf(fn(argv[0].Interface().(time.Time))), true
		}
	}
	out := c.fn.Call(argv)
	if len(out) == 2 && !out[1].IsNil() {
		return reflect.Value{}, false
	}
	return out[0], true
}

// builtin is one of text/template's builtins not, and, or, len, eq, ne,
// lt, le, gt and ge, for the kinds of value it handles exactly here.
type builtin struct {
	name string
	args []expr
}

func (b *builtin) eval(f *frame) (reflect.Value, bool) {
	var small [4]reflect.Value
	argv := small[:0]
	for _, a := range b.args {
		v, ok := a.eval(f)
		// A builtin's arguments are reflect.Values, which must be valid.
		if !ok || !v.IsValid() {
			return v, false
		}
		if b.name == "and" || b.name == "or" {
			// They stop at the first argument that decides.
			if truth(v) == (b.name == "or") {
				return v, true
			}
			argv = append(argv[:0], v)
			continue
		}
		argv = append(argv, v)
	}
	switch b.name {
	case "and", "or":
		return argv[0], true
	case "not":
		return reflect.ValueOf(!truth(argv[0])), true
	case "len":
		v := argv[0]
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return v, false
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
			return reflect.ValueOf(v.Len()), true
		}
		return v, false
	case "eq":
		for _, a := range argv[1:] {
			c, ok := compare(argv[0], a)
			if !ok {
				return a, false
			}
			if c == 0 {
				return reflect.ValueOf(true), true
			}
		}
		return reflect.ValueOf(false), true
	}
	c, ok := compare(argv[0], argv[1])
	if !ok {
		return argv[0], false
	}
	var r bool
	switch b.name {
	case "ne":
		r = c != 0
	case "lt":
		r = c < 0
	case "le":
		r = c <= 0
	case "gt":
		r = c > 0
	case "ge":
		r = c >= 0
	}
	return reflect.ValueOf(r), true
}

// compare orders two strings or two signed integers, of any types, as
// text/template's eq and lt do; ok is false for other kinds.
func compare(a, b reflect.Value) (int, bool) {
	a, b = indirectInterface(a), indirectInterface(b)
	switch {
	case a.Kind() == reflect.String && b.Kind() == reflect.String:
		return cmp.Compare(a.String(), b.String()), true
	case isInt(a) && isInt(b):
		return cmp.Compare(a.Int(), b.Int()), true
	}
	return 0, false
}

func isInt(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// truth is the truth of if and with.
func truth(v reflect.Value) bool {
	t, _ := isTrue(indirectInterface(v))
	return t
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
