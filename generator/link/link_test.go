package link

import (
	"strings"
	"testing"
	"unicode/utf8"

	"kennisbank/generator/content"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Coach én Beoordelaar", "coach-en-beoordelaar"},
		{"coach-en-beoordelaar", "coach-en-beoordelaar"},
		{"  Psychologisch   contracteren ", "psychologisch-contracteren"},
		{"rollen/coach", "rollen/coach"},
		{"Hiërarchie_en doelgroepen", "hierarchie-en-doelgroepen"},
		{"IJsselmeer", "ijsselmeer"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Coach én beoordelaar", "a - b", "rollen/coach", "ĳ", "  ", "Ⅻ", "é\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		n := Normalize(s)
		if Normalize(n) != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, Normalize(n))
		}
		if strings.HasPrefix(n, "-") || strings.HasSuffix(n, "-") || strings.Contains(n, "--") || strings.ContainsAny(n, " \t") {
			t.Fatalf("Normalize(%q) = %q has stray dashes or spaces", s, n)
		}
	})
}

func page(path, title string, aliases ...string) *content.Page {
	p := &content.Page{Kind: content.KindPage, Path: path, Title: title, Aliases: aliases}
	p.Dir = path[:strings.LastIndex(path, "/")]
	p.Section = strings.Split(p.Dir, "/")[0]
	p.Slug = strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".md")
	p.URL = p.Dir + "/" + p.Slug + "/"
	return p
}

func TestLookup(t *testing.T) {
	coach := page("rollen/coach.md", "Coach én beoordelaar", "oude-coach")
	skill := page("vaardigheden/coachen.md", "Individueel coachen")
	ix := NewIndex([]*content.Page{coach, skill})
	tests := []struct {
		name     string
		sections []string
		want     []*content.Page
	}{
		{"coach", nil, []*content.Page{coach}},
		{"COACH EN BEOORDELAAR", nil, []*content.Page{coach}},
		{"rollen/coach", nil, []*content.Page{coach}},
		{"oude coach", nil, []*content.Page{coach}},
		{"individueel-coachen", nil, []*content.Page{skill}},
		{"coach", []string{"vaardigheden"}, nil},
		{"nergens", nil, nil},
	}
	for _, tt := range tests {
		got := ix.Lookup(tt.name, tt.sections)
		if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
			t.Errorf("Lookup(%q, %v) = %v, want %v", tt.name, tt.sections, got, tt.want)
		}
	}
	if got := ix.Suggest("coatch", nil); got != "coach" {
		t.Errorf("Suggest(coatch) = %q, want coach", got)
	}
	if got := ix.Suggest("zzzzzzzzzzzz", nil); got != "" {
		t.Errorf("Suggest(zzz…) = %q, want none", got)
	}
}
