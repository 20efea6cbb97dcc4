package devserver

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"kennisbank/generator"
	"kennisbank/generator/content"
)

// ServeHTTP serves the current build from memory. Only what the build
// produced can be served: there is no file system behind it, so no
// traversal, no dotfiles and no folder listings.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// A page on another site could make the browser talk to us through a
	// name that resolves to 127.0.0.1 (DNS rebinding): answer only to our
	// own names, and to scripts of our own pages.
	if !s.hostAllowed(r.Host) {
		http.Error(w, "forbidden: unknown Host "+strconv.Quote(r.Host)+"; open the address kennisbank serve printed", http.StatusForbidden)
		return
	}
	if o := r.Header.Get("Origin"); o != "" && !s.originAllowed(o) {
		http.Error(w, "forbidden: cross-origin request", http.StatusForbidden)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		script(w, liveJS)
		return
	case workerPath:
		script(w, workerJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, dir, code := cleanPath(r.URL)
	if code != 0 {
		http.Error(w, http.StatusText(code), code)
		return
	}
	st := s.wait(r)
	if st == nil {
		return
	}
	if st.site == nil {
		s.errorPage(w, st)
		return
	}
	// file serves name if the build has it; a page whose layout failed
	// shows the error instead.
	file := func(name, as string, code int) bool {
		b, ok, err := st.file(name)
		if err != nil {
			s.renderFailed(w, st, err)
			return true
		}
		if ok {
			serve(w, as, b, st, code)
		}
		return ok
	}
	if dir {
		if file(path.Join(name, "index.html"), "index.html", http.StatusOK) {
			return
		}
	} else {
		if file(name, name, http.StatusOK) {
			return
		}
		if _, ok, err := st.file(path.Join(name, "index.html")); ok || err != nil {
			// A folder: its links are relative, so it needs the slash.
			u := "/" + name + "/"
			if r.URL.RawQuery != "" {
				u += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, u, http.StatusFound)
			return
		}
	}
	if file("404.html", "404.html", http.StatusNotFound) {
		return
	}
	http.NotFound(w, r)
}

// cleanPath turns a request path into the name of a file of the build
// ("" is the root). dir reports a path that names a folder (it ends in a
// slash). A non-zero code is the status to answer instead: 400 for a path
// no browser sends (encoded slashes or backslashes, NUL, "..", bad
// escapes), 404 for hidden files.
func cleanPath(u *url.URL) (name string, dir bool, code int) {
	raw := u.EscapedPath()
	lower := strings.ToLower(raw)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") {
		return "", false, http.StatusBadRequest
	}
	p, err := url.PathUnescape(raw)
	if err != nil || !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\x00\\") {
		return "", false, http.StatusBadRequest
	}
	for seg := range strings.SplitSeq(p, "/") {
		if seg == ".." {
			return "", false, http.StatusBadRequest
		}
	}
	dir = strings.HasSuffix(p, "/")
	name = strings.TrimPrefix(path.Clean(p), "/")
	for seg := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", false, http.StatusNotFound
		}
	}
	return name, dir || name == "", 0
}

// serve writes one file of the build; HTML pages get the live reload
// script.
func serve(w http.ResponseWriter, name string, b []byte, st *state, code int) {
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(b)
	}
	if strings.HasPrefix(ctype, "text/html") {
		b = inject(b, st)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	// The site changes under the browser: never let it keep a copy.
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	w.Write(b)
}

// wait returns the state to serve, waiting for the first build; nil when
// the request was given up first.
func (s *Server) wait(r *http.Request) *state {
	select {
	case <-s.ready:
		return s.state.Load()
	case <-r.Context().Done():
		return nil
	}
}

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed · kennisbank serve</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }
li { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; margin: .3em 0; }
</style>
<body>
<h1>The site does not build yet</h1>
<p>kennisbank serve found these errors. Fix them and save: this page reloads by itself.</p>
<ul id="kennisbank-build-errors">
{{range .}}<li>{{.}}</li>
{{end}}</ul>
</body>
</html>
`))

// errorPage answers every request while no build has succeeded yet.
func (s *Server) errorPage(w http.ResponseWriter, st *state) {
	var b bytes.Buffer
	if err := errorPage.Execute(&b, st.errorLines()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	serve(w, "error.html", b.Bytes(), st, http.StatusInternalServerError)
}

// renderFailed answers a request for a page whose layout failed while it
// rendered (a lazy build finds such errors only then): the error page, with
// the errors also in the terminal, once per build.
func (s *Server) renderFailed(w http.ResponseWriter, st *state, err error) {
	failed := *st
	var be *generator.BuildError
	if errors.As(err, &be) {
		failed.errors = be.Diagnostics
	} else {
		failed.errors = content.Diagnostics{{Path: s.opts.Build.Source, Severity: content.Error, Code: "build", Message: err.Error()}}
	}
	for _, line := range failed.errorLines() {
		if _, told := s.told.LoadOrStore(st.id+"\x00"+line, true); !told {
			fmt.Fprintln(s.opts.Stderr, line)
		}
	}
	s.errorPage(w, &failed)
}

// hostAllowed reports whether a Host header names this server: localhost,
// a loopback address, or the address it was bound to (with --bind 0.0.0.0,
// any IP address: DNS rebinding needs a name).
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	switch host {
	case "":
		return false
	case "localhost", "127.0.0.1", "::1", s.bindHost:
		return true
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback() || (s.bindAll && !strings.Contains(host, "%"))
	}
	return false
}

// originAllowed reports whether a request's Origin is a page of this
// server.
func (s *Server) originAllowed(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	return s.hostAllowed(u.Host)
}
