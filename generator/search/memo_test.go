package search

import (
	"bytes"
	"maps"
	"slices"
	"testing"
)

// TestMemoSameAsBuild indexes a site, changes it in every way that
// matters to the index, and requires each indexing with the memo of the
// one before to give the files a fresh Build gives.
func TestMemoSameAsBuild(t *testing.T) {
	docs := syntheticDocs(t, 300)
	steps := []struct {
		name string
		edit func([]Doc) []Doc
	}{
		{"unchanged", func(d []Doc) []Doc { return d }},
		{"body edit", func(d []Doc) []Doc { d[3].Body += " nieuwewoordvorm"; return d }},
		{"title edit", func(d []Doc) []Doc { d[10].Title = "Groepsdynamiek en werkvorm"; return d }},
		{"alias added", func(d []Doc) []Doc { d[11].Aliases = append(d[11].Aliases, "werkvorm"); return d }},
		{"entity page no more", func(d []Doc) []Doc { d[12].Entity = !d[12].Entity; return d }},
		{"new compound head", func(d []Doc) []Doc { d[20].Body += " dynamiek groeps vorm"; return d }},
		{"page added", func(d []Doc) []Doc {
			n := d[0]
			n.URL = "nieuw/pagina/"
			n.Body = "een geheel nieuwe pagina over xylofoonbegeleiding"
			return append(d, n)
		}},
		{"page removed", func(d []Doc) []Doc { return slices.Delete(d, 5, 6) }},
		{"same text, other url", func(d []Doc) []Doc { d[7].URL = "verhuisd/" + d[7].URL; return d }},
	}
	var m Memo
	for _, s := range steps {
		docs = s.edit(slices.Clone(docs))
		got, err := m.Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Build(docs)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Fatalf("%s: files differ from a fresh build", s.name)
		}
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("%s: %s differs from a fresh build", s.name, name)
			}
		}
	}
}
