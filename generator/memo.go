package generator

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"time"
)

// A dataKey identifies a value by everything in it: two values with the
// same key render to the same bytes through the same layout. The render
// cache keys a page's output by the key of its PageData, so the output is
// reused exactly when nothing a layout could show has changed, whatever
// the change was and wherever it came from.
type dataKey [32]byte

// keyer computes data keys. It walks a value by reflection, every field,
// exported or not, through pointers, slices, maps and interfaces, so a
// field added to PageData (or to anything it holds) is covered without
// anyone remembering to. The walk plan of each type is made once.
type keyer struct {
	plans  sync.Map // reflect.Type → encodeFunc, complete plans only
	mu     sync.Mutex
	making map[reflect.Type]encodeFunc // plans being made, under mu
	bufs   sync.Pool
}

type encodeFunc func(b []byte, v reflect.Value) []byte

// key returns the data key of v, after the given prefix parts.
func (k *keyer) key(v any, prefix ...[]byte) dataKey {
	bp, _ := k.bufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := (*bp)[:0]
	for _, p := range prefix {
		b = appendBytes(b, p)
	}
	rv := reflect.ValueOf(v)
	if rv.IsValid() {
		b = k.plan(rv.Type())(b, rv)
	}
	key := dataKey(sha256.Sum256(b))
	*bp = b
	if cap(b) <= 4<<20 {
		k.bufs.Put(bp)
	}
	return key
}

func (k *keyer) plan(t reflect.Type) encodeFunc {
	if f, ok := k.plans.Load(t); ok {
		return f.(encodeFunc)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.making == nil {
		k.making = map[reflect.Type]encodeFunc{}
	}
	made := map[reflect.Type]encodeFunc{}
	f := k.planLocked(t, made)
	// Publish the plans only now that all of them are complete: a plan
	// of a recursive type calls its own through a stub.
	for t, f := range made {
		k.plans.Store(t, f)
	}
	return f
}

func (k *keyer) planLocked(t reflect.Type, made map[reflect.Type]encodeFunc) encodeFunc {
	if f, ok := k.plans.Load(t); ok {
		return f.(encodeFunc)
	}
	if f, ok := made[t]; ok {
		return f
	}
	if f, ok := k.making[t]; ok {
		return f
	}
	var f encodeFunc
	k.making[t] = func(b []byte, v reflect.Value) []byte { return f(b, v) }
	f = k.makePlan(t, made)
	delete(k.making, t)
	made[t] = f
	return f
}

var timeType = reflect.TypeFor[time.Time]()

func (k *keyer) makePlan(t reflect.Type, made map[reflect.Type]encodeFunc) encodeFunc {
	if t == timeType {
		fields := k.structPlan(t, made)
		return func(b []byte, v reflect.Value) []byte {
			if !v.CanInterface() {
				return fields(b, v)
			}
			tm := v.Interface().(time.Time)
			name, off := tm.Zone()
			b = binary.LittleEndian.AppendUint64(b, uint64(tm.Unix()))
			b = binary.LittleEndian.AppendUint32(b, uint32(tm.Nanosecond()))
			b = binary.LittleEndian.AppendUint32(b, uint32(off))
			return appendString(b, name)
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(b []byte, v reflect.Value) []byte { return appendString(b, v.String()) }
	case reflect.Bool:
		return func(b []byte, v reflect.Value) []byte {
			if v.Bool() {
				return append(b, 1)
			}
			return append(b, 0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(b []byte, v reflect.Value) []byte { return binary.LittleEndian.AppendUint64(b, uint64(v.Int())) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(b []byte, v reflect.Value) []byte { return binary.LittleEndian.AppendUint64(b, v.Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(b []byte, v reflect.Value) []byte {
			return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float()))
		}
	case reflect.Pointer:
		elem := k.planLocked(t.Elem(), made)
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			return elem(append(b, 1), v.Elem())
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return func(b []byte, v reflect.Value) []byte {
				if v.IsNil() {
					return append(b, 0)
				}
				return appendBytes(append(b, 1), v.Bytes())
			}
		}
		elem := k.planLocked(t.Elem(), made)
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			b = binary.LittleEndian.AppendUint64(append(b, 1), uint64(v.Len()))
			for i := range v.Len() {
				b = elem(b, v.Index(i))
			}
			return b
		}
	case reflect.Array:
		elem := k.planLocked(t.Elem(), made)
		return func(b []byte, v reflect.Value) []byte {
			for i := range v.Len() {
				b = elem(b, v.Index(i))
			}
			return b
		}
	case reflect.Map:
		fk, fe := k.planLocked(t.Key(), made), k.planLocked(t.Elem(), made)
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			b = binary.LittleEndian.AppendUint64(append(b, 1), uint64(v.Len()))
			// Entries in the order of their encoded keys, which is
			// deterministic for any key type.
			type entry struct {
				key []byte
				val reflect.Value
			}
			entries := make([]entry, 0, v.Len())
			for it := v.MapRange(); it.Next(); {
				entries = append(entries, entry{fk(nil, it.Key()), it.Value()})
			}
			slices.SortFunc(entries, func(a, b entry) int { return slices.Compare(a.key, b.key) })
			for _, e := range entries {
				b = fe(append(b, e.key...), e.val)
			}
			return b
		}
	case reflect.Interface:
		return func(b []byte, v reflect.Value) []byte {
			if v.IsNil() {
				return append(b, 0)
			}
			e := v.Elem()
			b = appendString(append(b, 1), typeName(e.Type()))
			return k.plan(e.Type())(b, e)
		}
	case reflect.Struct:
		return k.structPlan(t, made)
	}
	// Functions and channels cannot reach a layout's output through data;
	// a kind no one expected should fail loudly in tests, not silently
	// make stale pages.
	panic(fmt.Sprintf("data key: cannot key a value of type %v", t))
}

func (k *keyer) structPlan(t reflect.Type, made map[reflect.Type]encodeFunc) encodeFunc {
	fields := make([]encodeFunc, t.NumField())
	for i := range fields {
		fields[i] = k.planLocked(t.Field(i).Type, made)
	}
	return func(b []byte, v reflect.Value) []byte {
		for i, f := range fields {
			b = f(b, v.Field(i))
		}
		return b
	}
}

// typeName names a type unambiguously, package path included.
func typeName(t reflect.Type) string {
	if t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}

func appendString(b []byte, s string) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, s []byte) []byte {
	b = binary.LittleEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}
