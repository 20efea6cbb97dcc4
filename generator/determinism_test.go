package generator

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDeterministic builds the example site twice, once on one CPU and
// once on all of them, and requires the same files with the same bytes:
// no map order, time or scheduling may reach the output.
func TestDeterministic(t *testing.T) {
	root := repoRoot(t)
	build := func(procs int) *Site {
		t.Helper()
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		site, err := Build(context.Background(), Options{Source: root})
		if err != nil {
			t.Fatalf("building the example site: %v", err)
		}
		return site
	}
	a, b := build(1), build(max(4, runtime.NumCPU()))
	names := func(s *Site) []string {
		var out []string
		for n := range s.Files {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff(names(a), names(b)); diff != "" {
		t.Fatalf("file names differ between builds (-first +second):\n%s", diff)
	}
	for _, n := range names(a) {
		if !bytes.Equal(a.Files[n], b.Files[n]) {
			t.Errorf("%s differs between builds:\n%s", n, cmp.Diff(string(a.Files[n]), string(b.Files[n])))
		}
	}
	if diff := cmp.Diff(a.Diagnostics, b.Diagnostics); diff != "" {
		t.Errorf("diagnostics differ between builds (-first +second):\n%s", diff)
	}
}
