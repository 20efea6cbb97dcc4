package markdown

import (
	"fmt"
	"testing"
)

func TestHeadingIDsRepeat(t *testing.T) {
	ids := newHeadingIDs()
	ids.Put([]byte("kop-3"))
	var got []string
	for range 5 {
		got = append(got, string(ids.Generate([]byte("Kop"), 0)))
	}
	got = append(got, string(ids.Generate([]byte("Kop 2"), 0)))
	want := "[kop kop-2 kop-4 kop-5 kop-6 kop-2-2]"
	if fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
}
