package devserver

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCleanPath(t *testing.T) {
	tests := []struct {
		raw  string
		name string
		dir  bool
		code int
	}{
		{"/", "", true, 0},
		{"/rollen/", "rollen", true, 0},
		{"/rollen", "rollen", false, 0},
		{"/css/main.css", "css/main.css", false, 0},
		{"//css//main.css", "css/main.css", false, 0},
		{"/./css/./main.css", "css/main.css", false, 0},
		{"/caf%C3%A9/", "café", true, 0},
		{"/a%20b/", "a b", true, 0},
		{"/../etc/passwd", "", false, 400},
		{"/css/../../etc/passwd", "", false, 400},
		{"/%2e%2e/etc/passwd", "", false, 400},
		{"/%2E%2E/%2e%2e/etc/passwd", "", false, 400},
		{"/css%2fmain.css", "", false, 400},
		{"/css%2Fmain.css", "", false, 400},
		{"/..%2f..%2fetc/passwd", "", false, 400},
		{"/css%5cmain.css", "", false, 400},
		{"/css\\main.css", "", false, 400},
		{"/a%00b", "", false, 400},
		{"/.git/config", "", false, 404},
		{"/.env", "", false, 404},
		{"/css/.hidden", "", false, 404},
		{"/%2egit/config", "", false, 404},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			u := &url.URL{Path: "/"}
			if p, err := url.PathUnescape(tt.raw); err == nil {
				u.Path = p
			}
			u.RawPath = tt.raw
			name, dir, code := cleanPath(u)
			if code != tt.code || (code == 0 && (name != tt.name || dir != tt.dir)) {
				t.Errorf("cleanPath(%q) = %q, %v, %d; want %q, %v, %d", tt.raw, name, dir, code, tt.name, tt.dir, tt.code)
			}
		})
	}
}

func TestHostAllowed(t *testing.T) {
	local, err := New(Options{})
	check(t, err)
	all, err := New(Options{Bind: "0.0.0.0"})
	check(t, err)
	named, err := New(Options{Bind: "kennisbank.test"})
	check(t, err)
	tests := []struct {
		s    *Server
		host string
		want bool
	}{
		{local, "127.0.0.1:1313", true},
		{local, "localhost:1313", true},
		{local, "LOCALHOST:1313", true},
		{local, "localhost.:1313", true},
		{local, "[::1]:1313", true},
		{local, "127.0.0.1", true},
		{local, "evil.example:1313", false},
		{local, "evil.example", false},
		{local, "localhost.evil.example", false},
		{local, "192.168.1.5:1313", false},
		{local, "", false},
		{all, "192.168.1.5:1313", true},
		{all, "[fe80::1]:1313", true},
		{all, "evil.example:1313", false},
		{named, "kennisbank.test:1313", true},
		{named, "evil.example:1313", false},
	}
	for _, tt := range tests {
		if got := tt.s.hostAllowed(tt.host); got != tt.want {
			t.Errorf("bind %q: hostAllowed(%q) = %v, want %v", tt.s.opts.Bind, tt.host, got, tt.want)
		}
	}
}

// TestAttacks sends what an attacker would: traversal in every encoding,
// a symbolic link to /etc in static/, a foreign Host, a foreign Origin on
// the event stream. Every answer is 400, 403 or 404, and none leaks a
// file of the system.
func TestAttacks(t *testing.T) {
	h := startServer(t, writeSite(t))
	addr := strings.TrimPrefix(h.url, "http://")
	if err := os.Symlink("/etc", h.path("static/etc")); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	check(t, os.Symlink("/etc/passwd", h.path("static/passwd")))
	check(t, os.Symlink("/etc", h.path("content/etc")))
	// The build refuses the links; the server says so and keeps serving
	// the last good build.
	eventually(t, 10e9, "the build refuses the symbolic links", func() (bool, string) {
		st := h.s.state.Load()
		return len(st.errors) > 0 && strings.Contains(strings.Join(st.errorLines(), "\n"), "symbolic link"), strings.Join(st.errorLines(), "; ")
	})
	secret, _ := os.ReadFile("/etc/passwd")
	leaks := func(body string) bool {
		return strings.Contains(body, "root:x:0:0") || (len(secret) > 0 && strings.Contains(body, string(secret[:min(len(secret), 40)])))
	}
	tests := []struct {
		target, host string
		want         []int
	}{
		{"/../etc/passwd", addr, []int{400}},
		{"/../../../../etc/passwd", addr, []int{400}},
		{"/css/../../etc/passwd", addr, []int{400}},
		{"/%2e%2e/%2e%2e/etc/passwd", addr, []int{400}},
		{"/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", addr, []int{400}},
		{"/..%2f..%2fetc%2fpasswd", addr, []int{400}},
		{"/..%5c..%5cetc%5cpasswd", addr, []int{400}},
		{"/..\\..\\etc\\passwd", addr, []int{400}},
		{"/etc/passwd%00.html", addr, []int{400}},
		{"/%00", addr, []int{400}},
		{"/a%zz", addr, []int{400}},
		{"/etc/passwd", addr, []int{404}},
		{"/passwd", addr, []int{404}},
		{"/static/passwd", addr, []int{404}},
		{"/etc/", addr, []int{404}},
		{"/etc", addr, []int{404}},
		{"/.kennisbank-manifest", addr, []int{404}},
		{"/notes/.een.md", addr, []int{404}},
		{"/notes/een.md", addr, []int{404}},
		{"/site.toml", addr, []int{404}},
		{"/css/", addr, []int{404}},
		{"/", "evil.example", []int{403}},
		{"/", "evil.example:" + addr[strings.LastIndex(addr, ":")+1:], []int{403}},
		{"/../etc/passwd", "evil.example", []int{403}},
		{"/", "localhost" + addr[strings.LastIndex(addr, ":"):], []int{200}},
		{"/", "[::1]" + addr[strings.LastIndex(addr, ":"):], []int{200}},
	}
	for _, tt := range tests {
		code, body := rawGet(t, addr, tt.target, tt.host)
		ok := false
		for _, w := range tt.want {
			ok = ok || code == w
		}
		if !ok {
			t.Errorf("GET %s (Host %s): status %d, want %v", tt.target, tt.host, code, tt.want)
		}
		if leaks(body) {
			t.Errorf("GET %s (Host %s): the answer holds /etc/passwd", tt.target, tt.host)
		}
	}
	if _, code := h.events(map[string]string{"Origin": "http://evil.example"}); code != http.StatusForbidden {
		t.Errorf("event stream with Origin http://evil.example: status %d, want 403", code)
	}
	if _, code := h.events(map[string]string{"Origin": "null"}); code != http.StatusForbidden {
		t.Errorf("event stream with Origin null: status %d, want 403", code)
	}
	if _, code := h.events(map[string]string{"Host": "evil.example"}); code != http.StatusForbidden {
		t.Errorf("event stream with Host evil.example: status %d, want 403", code)
	}
	if _, code := h.events(map[string]string{"Origin": h.url}); code != http.StatusOK {
		t.Errorf("event stream with Origin %s: status %d, want 200", h.url, code)
	}
	// Nothing was written beside the site: serving never touches public/.
	if _, err := os.Stat(filepath.Join(h.dir, "public")); !os.IsNotExist(err) {
		t.Errorf("public/ exists after serving (err %v); serve must not write it", err)
	}
}

// TestServing checks what a browser sees: folders serve their index.html,
// a folder without its slash is redirected to it, a missing path gets the
// site's 404 page with status 404, and pages carry the script while other
// files do not.
func TestServing(t *testing.T) {
	h := startServer(t, writeSite(t))
	resp, err := h.client.Get(h.url + "/notes/een?x=1")
	check(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/notes/een/?x=1" {
		t.Errorf("GET /notes/een: %d to %q, want 302 to /notes/een/?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
	code, body := h.get("/notes/een/")
	if code != 200 || !strings.Contains(body, "Eerste tekst.") || !strings.Contains(body, `<script src="/__kennisbank/live.js"`) {
		t.Errorf("GET /notes/een/: status %d, page or script missing:\n%s", code, body)
	}
	if i, j := strings.Index(body, "/__kennisbank/live.js"), strings.LastIndex(body, "</body>"); i < 0 || j < i {
		t.Errorf("the script is not before </body>")
	}
	code, body = h.get("/bestaat/niet/")
	st := h.s.state.Load()
	if nf, _, _ := st.file("404.html"); code != 404 || string(stripScript([]byte(body))) != string(nf) {
		t.Errorf("GET /bestaat/niet/: status %d, want 404 with the site's 404.html", code)
	}
	code, body = h.get("/css/extra.css")
	if code != 200 || strings.Contains(body, "kennisbank") {
		t.Errorf("GET /css/extra.css: status %d, body %q", code, body)
	}
	resp, err = h.client.Get(h.url + "/css/extra.css")
	check(t, err)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type of a stylesheet: %q", ct)
	}
	req, _ := http.NewRequest(http.MethodPost, h.url+"/", nil)
	resp, err = h.client.Do(req)
	check(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", resp.StatusCode)
	}
}

// TestLayoutFailsOnOnePage: builds are lazy, so a layout that fails only
// while one page renders (an execution error, not a parse error) is found
// when that page is asked for. That page shows the error page, with the
// layout's position, and the terminal says it once; the other pages serve.
func TestLayoutFailsOnOnePage(t *testing.T) {
	dir := writeSite(t)
	writeFile(t, filepath.Join(dir, "layouts/page.html"),
		"<!DOCTYPE html><html><body><h1>{{.Title}}</h1>{{if eq .Title \"Twee\"}}{{index .Site.Params \"x\" \"y\"}}{{end}}{{.Content}}</body></html>\n")
	h := startServer(t, dir)
	code, body := h.get("/notes/een/")
	if code != http.StatusOK || !strings.Contains(body, "Eerste tekst.") {
		t.Fatalf("GET /notes/een/: status %d, want 200 and the page:\n%s", code, body)
	}
	for range 2 {
		code, body = h.get("/notes/twee/")
		if code != http.StatusInternalServerError || !strings.Contains(body, "layouts/page.html") || !strings.Contains(body, "/__kennisbank/live.js") {
			t.Fatalf("GET /notes/twee/: status %d, want 500 and an error page naming layouts/page.html with the live script:\n%s", code, body)
		}
	}
	// Without the slash: the redirect to the page, which shows the error.
	if code, _ := h.get("/notes/twee"); code != http.StatusFound {
		t.Errorf("GET /notes/twee: status %d, want 302 to the page's folder", code)
	}
	if n := strings.Count(h.stderr.String(), "layouts/page.html"); n != 1 {
		t.Errorf("the terminal names the failing layout %d times, want once:\n%s", n, h.stderr.String())
	}
}
