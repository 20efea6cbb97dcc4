package main

import (
	"testing"

	"github.com/BurntSushi/toml"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Coach én beoordelaar", "coach-en-beoordelaar"},
		{"Groepsdynamisch waarnemen en interveniëren", "groepsdynamisch-waarnemen-en-intervenieren"},
		{"Zelfreflectie: jezelf als instrument", "zelfreflectie-jezelf-als-instrument"},
		{"Hoe ga je om met de collega's?", "hoe-ga-je-om-met-de-collegas"},
		{"Antwoord van Ahmed El Amrani: feedback 2", "antwoord-van-ahmed-el-amrani-feedback-2"},
		{"  --  ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := slugify(tt.in); got != tt.want {
				t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTOMLString(t *testing.T) {
	tests := []string{"plain", `quote " and \ backslash`, "tab\tand\nnewline", "Coach én beoordelaar", "collega's"}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			var got struct{ V string }
			if _, err := toml.Decode("v = "+tomlString(in), &got); err != nil {
				t.Fatalf("decode %s: %v", tomlString(in), err)
			}
			if got.V != in {
				t.Errorf("round trip of %q gave %q", in, got.V)
			}
		})
	}
}

func TestCountWords(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"De leergroep leert.", 3},
		{"## Kop met drie", 3},
		{"| Fase | Rol |\n| --- | :---: |", 2},
		{"1. Bespreek het contract.\n- [ ] open", 4},
		{"[[rollen/coach-en-beoordelaar]] en 12:00", 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := countWords(tt.in); got != tt.want {
				t.Errorf("countWords(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestCapitalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"de leergroep", "De leergroep"},
		{"**de leergroep**", "**De leergroep**"},
		{"één ding", "Één ding"},
		{"~~oud~~", "~~Oud~~"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := capitalize(tt.in); got != tt.want {
				t.Errorf("capitalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestVerbForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bespreek", "bespreekt"},
		{"zet", "zet"},
		{"houd", "houdt"},
		{"zie", "ziet"},
	}
	for _, tt := range tests {
		if got := verbForm(tt.in); got != tt.want {
			t.Errorf("verbForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestUnique(t *testing.T) {
	names := map[string]bool{}
	var got []string
	for _, title := range []string{"Over de leergroep", "Over de leergroep", "over de Leergroep", "Over de leergroep 2"} {
		got = append(got, unique(title, names))
	}
	want := []string{"Over de leergroep", "Over de leergroep 2", "over de Leergroep 3", "Over de leergroep 2 2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("unique #%d = %q, want %q", i, got[i], want[i])
		}
	}
}
