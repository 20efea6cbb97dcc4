package content

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Delimiter opens and closes TOML front matter.
const Delimiter = "+++"

// ErrNoFrontMatter is returned by SplitFrontMatter when the text does not
// start with a +++ line.
var ErrNoFrontMatter = errors.New("no front matter: start the file with a +++ line, then title = \"…\", then another +++ line")

// SplitFrontMatter separates TOML front matter from the body. src must use
// \n line endings. It returns the front matter (without delimiters), the
// body, and the 1-based line on which the body starts.
func SplitFrontMatter(src []byte) (front, body []byte, bodyLine int, err error) {
	first, rest, ok := bytes.Cut(src, []byte("\n"))
	if !ok {
		first, rest = src, nil
	}
	if string(bytes.TrimRight(first, " \t")) != Delimiter {
		return nil, src, 1, ErrNoFrontMatter
	}
	line := 2
	off := 0
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		next := len(rest) + 1
		if end >= 0 {
			l = rest[off : off+end]
			next = off + end + 1
		} else {
			l = rest[off:]
		}
		if string(bytes.TrimRight(l, " \t")) == Delimiter {
			if next > len(rest) {
				return rest[:off], nil, line + 1, nil
			}
			return rest[:off], rest[next:], line + 1, nil
		}
		off = next
		line++
	}
	return nil, nil, 1, fmt.Errorf("front matter is not closed: add a line with only %s after the last key", Delimiter)
}

// KeyLines maps each key of TOML front matter to the line it is on
// (relative to the first front-matter line, which is line 1). Keys inside a
// [table] are named "table.key". It is a light scan, not a parser: it only
// serves positions for diagnostics.
func KeyLines(front []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	for i, l := range strings.Split(string(front), "\n") {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		if t[0] == '[' {
			name := strings.Trim(t, "[] \t")
			if j := strings.Index(name, "#"); j >= 0 {
				name = strings.TrimSpace(name[:j])
			}
			table = unquoteKey(strings.Trim(name, "[]"))
			if _, ok := lines[table]; !ok {
				lines[table] = i + 1
			}
			continue
		}
		eq := keyEnd(t)
		if eq < 0 {
			continue
		}
		key := unquoteKey(strings.TrimSpace(t[:eq]))
		if table != "" {
			key = table + "." + key
		}
		if _, ok := lines[key]; !ok {
			lines[key] = i + 1
		}
	}
	return lines
}

// keyEnd finds the = that ends a key, skipping quoted parts.
func keyEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		}
	}
	return -1
}

func unquoteKey(k string) string {
	if len(k) >= 2 && (k[0] == '"' || k[0] == '\'') {
		if u, err := strconv.Unquote(`"` + k[1:len(k)-1] + `"`); err == nil {
			return u
		}
		return k[1 : len(k)-1]
	}
	return k
}
