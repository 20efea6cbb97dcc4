package content

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		front    string
		body     string
		bodyLine int
		wantErr  error // nil, ErrNoFrontMatter, or errUnclosed for any other error
		nilBody  bool
	}{
		{name: "simple", src: "+++\ntitle = \"A\"\n+++\nTekst\n", front: "title = \"A\"\n", body: "Tekst\n", bodyLine: 4},
		{name: "trailing blanks on delimiters", src: "+++ \t\ntitle = \"A\"\n+++  \nTekst", front: "title = \"A\"\n", body: "Tekst", bodyLine: 4},
		{name: "empty front matter", src: "+++\n+++\nTekst\n", front: "", body: "Tekst\n", bodyLine: 3},
		{name: "no body", src: "+++\ntitle = \"A\"\n+++", front: "title = \"A\"\n", nilBody: true, bodyLine: 4},
		{name: "empty body", src: "+++\ntitle = \"A\"\n+++\n", front: "title = \"A\"\n", body: "", bodyLine: 4},
		{name: "delimiter in body stays body", src: "+++\na = 1\n+++\nx\n+++\ny\n", front: "a = 1\n", body: "x\n+++\ny\n", bodyLine: 4},
		{name: "multi-line front", src: "+++\na = 1\nb = 2\n\nc = 3\n+++\nx", front: "a = 1\nb = 2\n\nc = 3\n", body: "x", bodyLine: 7},
		{name: "no front matter", src: "# Kop\n", wantErr: ErrNoFrontMatter, body: "# Kop\n", bodyLine: 1},
		{name: "indented delimiter is not one", src: " +++\na = 1\n+++\n", wantErr: ErrNoFrontMatter, body: " +++\na = 1\n+++\n", bodyLine: 1},
		{name: "yaml is not front matter", src: "---\ntitle: A\n---\n", wantErr: ErrNoFrontMatter, body: "---\ntitle: A\n---\n", bodyLine: 1},
		{name: "unclosed", src: "+++\ntitle = \"A\"\nTekst\n", wantErr: errUnclosed, nilBody: true, bodyLine: 1},
		{name: "only opening", src: "+++", wantErr: errUnclosed, nilBody: true, bodyLine: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			front, body, line, err := SplitFrontMatter([]byte(tt.src))
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr == ErrNoFrontMatter && !errors.Is(err, ErrNoFrontMatter):
				t.Fatalf("got error %v, want ErrNoFrontMatter", err)
			case tt.wantErr == errUnclosed && (err == nil || errors.Is(err, ErrNoFrontMatter)):
				t.Fatalf("got error %v, want the unclosed-front-matter error", err)
			}
			if tt.wantErr == nil {
				if diff := cmp.Diff(tt.front, string(front)); diff != "" {
					t.Errorf("front (-want +got):\n%s", diff)
				}
			}
			if tt.nilBody != (body == nil) {
				t.Errorf("body: got %q (nil %v), want nil %v", body, body == nil, tt.nilBody)
			}
			if diff := cmp.Diff(tt.body, string(body)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if line != tt.bodyLine {
				t.Errorf("body line: got %d, want %d", line, tt.bodyLine)
			}
		})
	}
}

var errUnclosed = errors.New("unclosed")

// checkSplit asserts what SplitFrontMatter promises for any input.
func checkSplit(t *testing.T, src []byte) {
	t.Helper()
	front, body, line, err := SplitFrontMatter(src)
	if errors.Is(err, ErrNoFrontMatter) {
		if !bytes.Equal(body, src) || line != 1 {
			t.Fatalf("no front matter: got body %q line %d, want the input and line 1", body, line)
		}
		return
	}
	if err != nil {
		return
	}
	// The input is: opening line, front, closing line, then "\n"+body or
	// the end of the input.
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t")) != Delimiter {
		t.Fatalf("got front matter %q from input %q, whose first line %q is not %s", front, src, first, Delimiter)
	}
	if !bytes.HasPrefix(rest, front) {
		t.Fatalf("front %q is not the text after the opening line of %q", front, src)
	}
	if len(front) > 0 && front[len(front)-1] != '\n' {
		t.Fatalf("front %q does not end in a newline", front)
	}
	for _, l := range bytes.Split(bytes.TrimSuffix(front, []byte("\n")), []byte("\n")) {
		if string(bytes.TrimRight(l, " \t")) == Delimiter {
			t.Fatalf("front %q holds a closing delimiter line", front)
		}
	}
	after := rest[len(front):]
	closing, tail, hasNL := bytes.Cut(after, []byte("\n"))
	if string(bytes.TrimRight(closing, " \t")) != Delimiter {
		t.Fatalf("after front %q comes %q, not a closing %s line", front, closing, Delimiter)
	}
	if hasNL {
		if !bytes.Equal(tail, body) || body == nil {
			t.Fatalf("body: got %q, want %q", body, tail)
		}
	} else if body != nil {
		t.Fatalf("body: got %q, want nil at the end of the input", body)
	}
	if want := 3 + bytes.Count(front, []byte("\n")); line != want {
		t.Fatalf("body line: got %d, want %d for %q", line, want, src)
	}
}

func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{
		"+++\ntitle = \"A\"\n+++\nTekst\n",
		"+++ \ntitle = \"A\"\n+++\t\n",
		"+++\n+++",
		"+++\n",
		"+++",
		"",
		"# Kop\n+++\n",
		"+++\na = 1\n+++\n+++\n",
		"+++\r\na = 1\r\n+++\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		checkSplit(t, src)
	})
}

func TestKeyLines(t *testing.T) {
	front := "title = \"A\"\n# opmerking\nweight = 3\n\n[vaardigheden]\n\"Psychologisch contracteren\" = \"kern\"\nbeoordelen = \"belangrijk\" # x\n[criteria] # y\n\"focus\" = \"a=b\"\n"
	want := map[string]int{
		"title":        1,
		"weight":       3,
		"vaardigheden": 5,
		"vaardigheden.Psychologisch contracteren": 6,
		"vaardigheden.beoordelen":                 7,
		"criteria":                                8,
		"criteria.focus":                          9,
	}
	if diff := cmp.Diff(want, KeyLines([]byte(front))); diff != "" {
		t.Errorf("KeyLines (-want +got):\n%s", diff)
	}
}
