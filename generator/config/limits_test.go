package config

import (
	"strings"
	"testing"
)

func TestInvalidValuesAtTheirLine(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"duration", "title = \"x\"\n[limits]\nrender_timeout = \"tien seconden\"\n", `site.toml:3:1: limits.render_timeout = "tien seconden" is not a duration`},
		{"negative duration", "[limits]\nhighlight_timeout = \"-1s\"\n", `site.toml:2:1: limits.highlight_timeout = "-1s" is not a duration`},
		{"matrix slug", "[[relations]]\nkey = \"v\"\ntargets = [\"v\"]\n[[matrices]]\nslug = \"../x\"\nrelation = \"v\"\n", `site.toml:4:1: matrix slug "../x" must be`},
		{"comparison slug", "[[comparisons]]\nslug = \"a b\"\nsection = \"s\"\nkey = \"k\"\n", `site.toml:1:1: comparison slug "a b" must be`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("site.toml", []byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
