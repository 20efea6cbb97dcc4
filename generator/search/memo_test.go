package search

import (
	"bytes"
	"maps"
	"math/rand/v2"
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

// TestRankSorter checks both ways rankSorter sorts, the bitmap for
// fields whose ranks lie close together and a sort for the rest, against
// a plain sort.
func TestRankSorter(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const nterms = 5000
	order := make([]int32, nterms) // rank → term number
	for i, p := range r.Perm(nterms) {
		order[i] = int32(p)
	}
	var s rankSorter
	for _, n := range []int{0, 1, 2, 3, 10, 64, 100, 500, 2000, nterms} {
		for _, spread := range []int{n, 4 * n, 64 * n, nterms} {
			spread = min(max(spread, n), nterms)
			field := make([]uint64, n)
			for i, rank := range r.Perm(spread)[:n] {
				field[i] = uint64(rank)<<32 | uint64(r.IntN(1000)+1)
			}
			want := slices.Clone(field)
			slices.Sort(want)
			for i, e := range want {
				want[i] = uint64(order[e>>32])<<32 | e&(1<<32-1)
			}
			s.sort(field, order)
			if !slices.Equal(field, want) {
				t.Errorf("%d terms among %d ranks: got %x, want %x", n, spread, field, want)
			}
		}
	}
	for i, b := range s.bits {
		if b != 0 {
			t.Fatalf("bitmap word %d left set: %x", i, b)
		}
	}
}
