package api

import (
	"encoding"
	"encoding/json"
	"reflect"
)

var (
	jsonMarshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	textMarshalerT    = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()
)

// emptyLists returns a copy of v in which every nil slice (outside
// []byte and values that marshal themselves) is an empty one, so a list
// in an answer is [] and never null, as the document states. It copies
// rather than mutates: results may share data with caches.
func emptyLists(v any) any {
	if v == nil {
		return nil
	}
	return emptyListsOf(reflect.ValueOf(v)).Interface()
}

func emptyListsOf(v reflect.Value) reflect.Value {
	t := v.Type()
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerT) ||
		reflect.PointerTo(t).Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerT) {
		return v
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(emptyListsOf(v.Elem()))
		return p
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(t).Elem()
		out.Set(emptyListsOf(v.Elem()))
		return out
	case reflect.Struct:
		out := reflect.New(t).Elem()
		out.Set(v)
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				out.Field(i).Set(emptyListsOf(v.Field(i)))
			}
		}
		return out
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return v
		}
		out := reflect.MakeSlice(t, v.Len(), v.Len())
		for i := range v.Len() {
			out.Index(i).Set(emptyListsOf(v.Index(i)))
		}
		return out
	case reflect.Array:
		out := reflect.New(t).Elem()
		for i := range v.Len() {
			out.Index(i).Set(emptyListsOf(v.Index(i)))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(t, v.Len())
		it := v.MapRange()
		for it.Next() {
			out.SetMapIndex(it.Key(), emptyListsOf(it.Value()))
		}
		return out
	}
	return v
}
