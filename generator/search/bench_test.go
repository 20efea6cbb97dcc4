package search

import (
	"fmt"
	"testing"
)

// loop runs fn as b.Loop says, and reports the CPU time of the process
// per run next to the wall time.
func loop(b *testing.B, fn func()) {
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		fn()
	}
	if start > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

// benchDocs is the size of the site the benchmarks index: enough pages
// that words recur across them, as on a real site.
const benchDocs = 2000

// BenchmarkBuild indexes a site from scratch, as a build without a cache
// does.
func BenchmarkBuild(b *testing.B) {
	docs := syntheticDocs(b, benchDocs)
	loop(b, func() {
		if _, err := Build(docs); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkMemoBuild indexes a site whose pages the memo knows: the
// scoring and encoding, without tokenising.
func BenchmarkMemoBuild(b *testing.B) {
	docs := syntheticDocs(b, benchDocs)
	var m Memo
	if _, err := m.Build(docs); err != nil {
		b.Fatal(err)
	}
	loop(b, func() {
		if _, err := m.Build(docs); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkTokenise splits and stems every page on one goroutine, with
// one tokenizer, as one worker of Memo.tokenise does: on a site of a
// large vocabulary, where stemming new words costs most, and on one of a
// small vocabulary (as kbcorpus writes), where looking words up does.
func BenchmarkTokenise(b *testing.B) {
	for _, vocab := range []int{60000, 2000} {
		b.Run(fmt.Sprintf("vocab=%d", vocab), func(b *testing.B) {
			docs := syntheticDocsVocab(b, benchDocs, vocab)
			b.SetBytes(textBytes(docs))
			loop(b, func() {
				tk := newTokenizer()
				for _, d := range docs {
					tk.doc(d)
				}
			})
		})
	}
}

// BenchmarkWords splits every page into words, without looking them up.
func BenchmarkWords(b *testing.B) {
	docs := syntheticDocs(b, benchDocs)
	b.SetBytes(textBytes(docs))
	var buf []byte
	loop(b, func() {
		for _, d := range docs {
			for f := range numFields {
				for _, text := range f.texts(d) {
					sp := splitter{text: text, buf: buf}
					for sp.next() {
					}
					buf = sp.buf
				}
			}
		}
	})
}

// textBytes is the length of the text of docs that is indexed.
func textBytes(docs []Doc) int64 {
	var n int64
	for _, d := range docs {
		for f := range numFields {
			for _, t := range f.texts(d) {
				n += int64(len(t))
			}
		}
	}
	return n
}
