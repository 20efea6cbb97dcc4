package theme

import (
	"html/template"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// escInputs are values whose escaping differs between the escapers.
func escInputs() []any {
	in := []any{
		"", "plain", "Één vraag", "a b", "Rock & roll", `"quoted"`, "it's", "1+1<2>0", "\x00",
		"../../rollen/coach/index.html", "#kop", "?q=a b&c=d", "javascript:alert(1)", "JavaScript:x",
		"http://example.org/a b", "HTTPS://x.nl/", "mailto:a@b.nl", "data:text/html,x", "a/b:c", "/a:b",
		"%", "%4", "%4a", "%4A%zz", "%%41", "~user/_x-y.z", "[v6]:80", "!$*,;=@", "()'`{}|\\^",
		"\xff\xfe", "\xef\xbf\xbf", "\ufdd0", "tab\there\nnewline", "ünïcödé €",
		0, 7, -12, template.HTML("<b>x</b> & y"), template.URL("javascript:ok()"), template.URL("a b"),
		template.HTMLAttr(`x="y"`), template.JS("x<y"), template.CSS("a{}"), nil, 3.5, true,
		[]string{"a", "b"}, struct{ A string }{"<"},
	}
	s := "<a&b>"
	in = append(in, &s)
	for b := range 256 {
		in = append(in, "x"+string([]byte{byte(b)})+"y")
	}
	return in
}

var escNames = []string{"urlfilter", "urlnormalizer", "urlescaper", "htmlescaper", "attrescaper", "rcdataescaper"}

// escChains are all chains of one to three escapers.
func escChains() [][]string {
	var out [][]string
	var grow func(prefix []string)
	grow = func(prefix []string) {
		if len(prefix) > 0 {
			out = append(out, prefix)
		}
		if len(prefix) == 3 {
			return
		}
		for _, n := range escNames {
			grow(append(prefix[:len(prefix):len(prefix)], "_html_template_"+n))
		}
	}
	grow(nil)
	return out
}

func newTestChain(t testing.TB, names []string) *escChain {
	t.Helper()
	th := &Theme{}
	c, err := newEscChain(names, th.scratch)
	if err != nil || c == nil {
		t.Fatalf("newEscChain(%v) = %v, %v", names, c, err)
	}
	return c
}

// TestEscChainMatchesHTMLTemplate compares the Go escapers with
// html/template's own, run by the chain's slow template.
func TestEscChainMatchesHTMLTemplate(t *testing.T) {
	inputs := escInputs()
	for _, names := range escChains() {
		c := newTestChain(t, names)
		for _, v := range inputs {
			want, err := c.fallback(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.apply(v); got != want {
				t.Errorf("%v: apply(%#v) = %q, want %q", names, v, got, want)
			}
			// Regions print through appendValue.
			if got := string(c.appendValue([]byte("<"), reflect.ValueOf(v))); got != "<"+want {
				t.Errorf("%v: appendValue(%#v) = %q, want %q", names, v, got, "<"+want)
			}
		}
	}
}

// TestEscChainSlowIsTheContext checks that the slow path is the chain
// html/template puts into the contexts layouts use.
func TestEscChainSlowIsTheContext(t *testing.T) {
	tests := []struct {
		chain          []string
		before, after  string
		prefix, suffix string
	}{
		{[]string{"htmlescaper"}, "<p>", "</p>", "<p>", "</p>"},
		{[]string{"attrescaper"}, `<p title="`, `">`, `<p title="`, `">`},
		{[]string{"rcdataescaper"}, "<title>", "</title>", "<title>", "</title>"},
		{[]string{"urlfilter", "urlnormalizer", "attrescaper"}, `<a href="`, `">`, `<a href="`, `">`},
		{[]string{"urlescaper", "attrescaper"}, `<a href="/?q=`, `">`, `<a href="/?q=`, `">`},
	}
	for _, tt := range tests {
		var names []string
		for _, n := range tt.chain {
			names = append(names, "_html_template_"+n)
		}
		c := newTestChain(t, names)
		ctx := template.Must(template.New("").Parse(tt.before + "{{.}}" + tt.after))
		for _, v := range escInputs() {
			var b strings.Builder
			if err := ctx.Execute(&b, v); err != nil {
				t.Fatal(err)
			}
			want := strings.TrimSuffix(strings.TrimPrefix(b.String(), tt.prefix), tt.suffix)
			if got := c.apply(v); got != want {
				t.Errorf("%s{{%#v}}%s: got %q, want %q", tt.before, v, tt.after, got, want)
			}
		}
	}
}

// FuzzEscChain compares the Go escapers with html/template's for any
// string, such as a title or URL an author writes.
func FuzzEscChain(f *testing.F) {
	for _, v := range escInputs() {
		if s, ok := v.(string); ok {
			f.Add(s)
		}
	}
	var chains []*escChain
	for _, names := range escChains() {
		chains = append(chains, newTestChain(f, names))
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range chains {
			want, err := c.fallback(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.apply(s); got != want {
				t.Errorf("apply(%q) = %q, want %q (valid UTF-8: %v)", s, got, want, utf8.ValidString(s))
			}
			if got := string(c.appendValue(nil, reflect.ValueOf(s))); got != want {
				t.Errorf("appendValue(%q) = %q, want %q", s, got, want)
			}
		}
	})
}
