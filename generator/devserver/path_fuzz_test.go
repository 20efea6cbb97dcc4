package devserver

import (
	"net/url"
	"path"
	"strings"
	"testing"
)

// FuzzCleanPath: whatever path a request carries, the name the server
// looks up stays inside the built site: no "..", no absolute path, no
// hidden file, no NUL or backslash.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"/", "/rollen/", "/rollen/coach/index.html", "/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
		"/a%2fb", "/a%5cb", "/%00", "/.git/config", "/a/./b", "/a//b", "/%252e%252e/", "/a/%2E%2E/b", "/ä/é.html"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.ParseRequestURI(raw)
		if err != nil {
			return
		}
		name, _, code := cleanPath(u)
		if code != 0 {
			if name != "" {
				t.Fatalf("%q: refused with %d but named %q", raw, code, name)
			}
			return
		}
		if strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\x00\\") || path.Clean("/"+name) != "/"+name && name != "" {
			t.Fatalf("%q: unsafe name %q", raw, name)
		}
		for _, seg := range strings.Split(name, "/") {
			if seg == ".." || strings.HasPrefix(seg, ".") {
				t.Fatalf("%q: name %q has segment %q", raw, name, seg)
			}
		}
	})
}
