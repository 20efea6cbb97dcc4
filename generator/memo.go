package generator

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
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

type encodeFunc func(w *keyWriter, v reflect.Value)

// keyWriter feeds a key's bytes to the hash in runs of a few kilobytes,
// so they stay in the processor's cache.
type keyWriter struct {
	b []byte
	h hash.Hash // nil: keep every byte in b
}

func (w *keyWriter) flush() {
	if w.h != nil && len(w.b) >= 16<<10 {
		w.h.Write(w.b)
		w.b = w.b[:0]
	}
}

func (w *keyWriter) byte(c byte)  { w.b = append(w.b, c) }
func (w *keyWriter) u64(n uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, n) }
func (w *keyWriter) string(s string) {
	w.u64(uint64(len(s)))
	if w.h != nil && len(s) > 4<<10 {
		w.h.Write(w.b)
		w.b = w.b[:0]
		w.h.Write([]byte(s))
		return
	}
	w.b = append(w.b, s...)
	w.flush()
}
func (w *keyWriter) bytes(s []byte) {
	w.u64(uint64(len(s)))
	if w.h == nil {
		w.b = append(w.b, s...)
		return
	}
	w.h.Write(w.b)
	w.b = w.b[:0]
	w.h.Write(s)
}

// key returns the data key of v, after the given prefix parts.
func (k *keyer) key(v any, prefix ...[]byte) dataKey {
	w, _ := k.bufs.Get().(*keyWriter)
	if w == nil {
		w = &keyWriter{b: make([]byte, 0, 32<<10), h: sha256.New()}
	}
	w.b = w.b[:0]
	w.h.Reset()
	for _, p := range prefix {
		w.bytes(p)
	}
	rv := reflect.ValueOf(v)
	if rv.IsValid() {
		k.plan(rv.Type())(w, rv)
	}
	w.h.Write(w.b)
	var key dataKey
	w.h.Sum(key[:0])
	k.bufs.Put(w)
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
	k.making[t] = func(w *keyWriter, v reflect.Value) { f(w, v) }
	f = k.makePlan(t, made)
	delete(k.making, t)
	made[t] = f
	return f
}

var (
	timeType = reflect.TypeFor[time.Time]()
	linkType = reflect.TypeFor[Link]()
)

// link writes the key bytes of a Link.
func (w *keyWriter) link(l *Link) {
	w.string(l.Title)
	w.string(l.URL)
	w.string(l.Summary)
	w.bool(l.Current)
	w.time(l.Date)
	w.string(l.Section)
	w.u64(uint64(len(l.Authors)))
	for i := range l.Authors {
		w.link(&l.Authors[i])
	}
	w.string(l.Anchor)
}

func (w *keyWriter) time(tm time.Time) {
	name, off := tm.Zone()
	w.u64(uint64(tm.Unix()))
	w.u64(uint64(tm.Nanosecond())<<32 | uint64(uint32(off)))
	w.string(name)
}

func (w *keyWriter) bool(v bool) {
	if v {
		w.byte(1)
	} else {
		w.byte(0)
	}
}

func (k *keyer) makePlan(t reflect.Type, made map[reflect.Type]encodeFunc) encodeFunc {
	if t == linkType {
		// Links are most of a page's data: walked without reflection.
		// TestDataKeyCoversEveryField fails when a field of Link is left
		// out here.
		return func(w *keyWriter, v reflect.Value) {
			if !v.CanAddr() {
				l := v.Interface().(Link)
				w.link(&l)
				return
			}
			w.link(v.Addr().Interface().(*Link))
		}
	}
	if t == timeType {
		fields := k.structPlan(t, made)
		return func(w *keyWriter, v reflect.Value) {
			if !v.CanInterface() {
				fields(w, v)
				return
			}
			w.time(v.Interface().(time.Time))
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(w *keyWriter, v reflect.Value) { w.string(v.String()) }
	case reflect.Bool:
		return func(w *keyWriter, v reflect.Value) { w.bool(v.Bool()) }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(w *keyWriter, v reflect.Value) { w.u64(uint64(v.Int())) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(w *keyWriter, v reflect.Value) { w.u64(v.Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(w *keyWriter, v reflect.Value) { w.u64(math.Float64bits(v.Float())) }
	case reflect.Pointer:
		elem := k.planLocked(t.Elem(), made)
		return func(w *keyWriter, v reflect.Value) {
			if v.IsNil() {
				w.byte(0)
				return
			}
			w.byte(1)
			elem(w, v.Elem())
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return func(w *keyWriter, v reflect.Value) {
				if v.IsNil() {
					w.byte(0)
					return
				}
				w.byte(1)
				w.bytes(v.Bytes())
			}
		}
		elem := k.planLocked(t.Elem(), made)
		return func(w *keyWriter, v reflect.Value) {
			if v.IsNil() {
				w.byte(0)
				return
			}
			w.byte(1)
			w.u64(uint64(v.Len()))
			for i := range v.Len() {
				elem(w, v.Index(i))
			}
		}
	case reflect.Array:
		elem := k.planLocked(t.Elem(), made)
		return func(w *keyWriter, v reflect.Value) {
			for i := range v.Len() {
				elem(w, v.Index(i))
			}
		}
	case reflect.Map:
		fk, fe := k.planLocked(t.Key(), made), k.planLocked(t.Elem(), made)
		return func(w *keyWriter, v reflect.Value) {
			if v.IsNil() {
				w.byte(0)
				return
			}
			w.byte(1)
			w.u64(uint64(v.Len()))
			// Entries in the order of their encoded keys, which is
			// deterministic for any key type.
			type entry struct {
				key []byte
				val reflect.Value
			}
			entries := make([]entry, 0, v.Len())
			for it := v.MapRange(); it.Next(); {
				var kw keyWriter
				fk(&kw, it.Key())
				entries = append(entries, entry{kw.b, it.Value()})
			}
			slices.SortFunc(entries, func(a, b entry) int { return slices.Compare(a.key, b.key) })
			for _, e := range entries {
				w.u64(uint64(len(e.key)))
				w.b = append(w.b, e.key...)
				fe(w, e.val)
			}
		}
	case reflect.Interface:
		return func(w *keyWriter, v reflect.Value) {
			if v.IsNil() {
				w.byte(0)
				return
			}
			e := v.Elem()
			w.byte(1)
			w.string(typeName(e.Type()))
			k.plan(e.Type())(w, e)
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
	return func(w *keyWriter, v reflect.Value) {
		for i, f := range fields {
			f(w, v.Field(i))
		}
	}
}

// typeName names a type unambiguously, package path included.
func typeName(t reflect.Type) string {
	if t.PkgPath() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}
