package generator

import (
	"reflect"
	"testing"
	"time"
)

// fill sets every settable leaf under v to a non-zero value, giving each
// slice and map one element, up to a depth.
func fill(v reflect.Value, depth int) {
	if depth > 6 || !v.CanSet() {
		return
	}
	if v.Type() == timeType {
		v.Set(reflect.ValueOf(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k, depth+1)
		if e.Kind() == reflect.Interface {
			e.Set(reflect.ValueOf("x"))
		} else {
			fill(e, depth+1)
		}
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), depth+1)
		}
	}
}

// leaves calls fn with the path of every settable leaf under v and a
// function that changes it.
func leaves(v reflect.Value, path string, fn func(path string, change func())) {
	if !v.CanSet() {
		return
	}
	if v.Type() == timeType {
		fn(path, func() { v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Second))) })
		return
	}
	switch v.Kind() {
	case reflect.String:
		fn(path, func() { v.SetString(v.String() + "x") })
	case reflect.Bool:
		fn(path, func() { v.SetBool(!v.Bool()) })
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		fn(path, func() { v.SetInt(v.Int() + 1) })
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		fn(path, func() { v.SetUint(v.Uint() + 1) })
	case reflect.Float32, reflect.Float64:
		fn(path, func() { v.SetFloat(v.Float() + 1) })
	case reflect.Pointer:
		if !v.IsNil() {
			leaves(v.Elem(), path, fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			leaves(v.Index(i), path+"[]", fn)
		}
		fn(path+"(len)", func() { v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem())) })
	case reflect.Map:
		if v.IsNil() {
			return
		}
		fn(path+"(map)", func() {
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, 0)
			if k.Kind() == reflect.String {
				k.SetString("other")
			}
			e := reflect.New(v.Type().Elem()).Elem()
			if e.Kind() == reflect.Interface {
				e.Set(reflect.ValueOf(int64(7)))
			}
			v.SetMapIndex(k, e)
		})
	case reflect.Struct:
		for i := range v.NumField() {
			leaves(v.Field(i), path+"."+v.Type().Field(i).Name, fn)
		}
	}
}

// TestDataKeyCoversEveryField changes each field a layout can see, one
// at a time, and requires the data key to change: a field the key missed
// would let the cache serve a stale page.
func TestDataKeyCoversEveryField(t *testing.T) {
	var k keyer
	var d PageData
	fill(reflect.ValueOf(&d).Elem(), 0)
	n := 0
	leaves(reflect.ValueOf(&d).Elem(), "PageData", func(path string, change func()) {
		n++
		before := k.key(&d)
		change()
		if k.key(&d) == before {
			t.Errorf("changing %s leaves the data key as it was", path)
		}
	})
	if n < 100 {
		t.Errorf("only %d fields tried; fill does not reach the data", n)
	}
}

// TestDataKeyMapOrder checks that a map's order does not reach the key.
func TestDataKeyMapOrder(t *testing.T) {
	var k keyer
	a := map[string]any{}
	b := map[string]any{}
	for i := range 50 {
		a[string(rune('a'+i))] = i
	}
	for i := 49; i >= 0; i-- {
		b[string(rune('a'+i))] = i
	}
	if k.key(a) != k.key(b) {
		t.Errorf("equal maps have different keys")
	}
	if k.key(map[string]any{"a": "1"}) == k.key(map[string]any{"a": 1}) {
		t.Errorf("a string and a number have the same key")
	}
}
